import Testing
import HWModel
import Quantizers
@testable import CycleSim

/// The tiler's decisions, asserted directly on the mapping (docs/simulation.md §2).
@Suite struct TilerTests {
    /// The GEMM tiling of layer `name` of `network` on `template`'s first array.
    func tiling(_ name: String, of network: Network, plan: QuantizationPlan, on template: AcceleratorTemplate) throws -> GEMMTiling {
        let bound = try BoundNetwork(network: network, plan: plan)
        let workloads = try Simulator.workloads(of: bound, batch: 1)
        let built = try Simulator.build(template: template, network: bound, workloads: workloads, batch: 1)
        let architecture = try OverlayArchitecture(accelerator: built.accelerator, kind: .tile)
        let mapping = try architecture.map(bound, workloads: workloads, arrayOfLayer: built.arrayOfLayer)
        let position = try #require(bound.layers.firstIndex { $0.name == name })
        guard case .gemm(let tiling) = mapping.layers[position].tiling else {
            Issue.record("\(name) is not a GEMM layer")
            return GEMMTiling(passes: [], sharedWeightsResident: false, weightsResident: false, accumulatorBits: 0)
        }
        #expect(mapping.layers[position].engine == .array(0))
        return tiling
    }

    let array8x8 = #"{"name": "a", "rows": 8, "cols": 8, "copies": 1, "realization": "lut"}"#

    @Test func aSmallLayerIsOneTileWhenPipeliningIsOff() throws {
        let template = try testHardware(array: array8x8, extra: #", "tiling": {"min_tiles": 1}"#)
        let tiles = try tiling("conv", of: try pointwiseNetwork(), plan: try plan("uniform:4", "uniform:4"), on: template)
        // M = 32, K = 16, N = 64: everything fits half of each buffer.
        let pass = try #require(tiles.passes.first)
        #expect(tiles.passes.count == 1)
        #expect((pass.tileM, pass.tileK, pass.tileN) == (32, 16, 64))
        #expect((pass.mBlocks, pass.kBlocks, pass.nBlocks) == (1, 1, 1))
        #expect(pass.inputsResident)
    }

    @Test func fewerTilesThanTheMinimumAreCutAlongNWhenInputsOutweighWeights() throws {
        let template = try testHardware(array: array8x8, extra: #", "tiling": {"min_tiles": 4}"#)
        let tiles = try tiling("conv", of: try pointwiseNetwork(), plan: try plan("uniform:4", "uniform:4"), on: template)
        // Weights 32·16·4 = 2,048 bits < inputs 16·64·4 = 4,096 bits: four column tiles of 16.
        let pass = try #require(tiles.passes.first)
        #expect((pass.tileM, pass.tileK, pass.tileN) == (32, 16, 16))
        #expect(pass.nBlocks == 4)
    }

    @Test func weightsThatDoNotFitSplitKInMultiplesOfRows() throws {
        let network = try Network(name: "fc", layers: [
            Layer(name: "x", kind: .input(TensorShape([4096])), inputs: []),
            Layer(name: "fc", kind: .linear(Linear(outFeatures: 64, bias: false)), inputs: ["x"]),
        ])
        // One URAM for weights: a 147,456-bit half; 8 rows of K = 4096 at 8 bits need 262,144.
        let template = try testHardware(array: array8x8, buffers: (1, 400, 400), extra: #", "tiling": {"min_tiles": 1}"#)
        let tiles = try tiling("fc", of: network, plan: try plan("uniform:8", "uniform:8"), on: template)
        let pass = try #require(tiles.passes.first)
        // Tk = ⌊147,456 / (8 · 8)⌋ rounded down to a multiple of 8 rows = 2,304; Tm = 8.
        #expect((pass.tileM, pass.tileK) == (8, 2304))
        #expect((pass.mBlocks, pass.kBlocks) == (8, 2))
    }

    @Test func depthwiseGroupsArePackedAcrossTheColumns() throws {
        let network = try shippedNetwork("mobilenetv2").network
        let template = try testHardware(array: #"{"name": "a", "rows": 16, "cols": 16, "copies": 2, "realization": "lut"}"#)
        let tiles = try tiling("features.1.dw", of: network, plan: try plan("uniform:4", "uniform:4"), on: template)
        // 32 one-channel groups, 16 side by side per pass: one pass of M = 16 run twice.
        #expect(tiles.passes.map(\.pass.m) == [16])
        #expect(tiles.passes.map(\.pass.count) == [2])
        #expect(tiles.passRuns == 2)
    }

    @Test func lstmWeightsStayResidentAcrossSteps() throws {
        let config = try shippedNetwork("imdb-lstm")
        let tiles = try tiling("lstm", of: config.network, plan: config.plan, on: try shippedHardware("vu9p"))
        #expect(tiles.sharedWeightsResident)
        #expect(tiles.passes.map(\.pass.count) == [24])
    }

    @Test func aTileThatFitsNoBufferNamesTheBufferAndTheField() throws {
        let network = try Network(name: "fc", layers: [
            Layer(name: "x", kind: .input(TensorShape([1 << 20])), inputs: []),
            Layer(name: "fc", kind: .linear(Linear(outFeatures: 8, bias: false)), inputs: ["x"]),
        ])
        let template = try testHardware(array: array8x8, buffers: (400, 1, 400))
        // The weights (8 · 2^20 · 8 bits) fit the 400-URAM weight buffer and stay resident, so K
        // is not split: one input column is 2^20 · 8 = 8,388,608 bits against an 18,432-bit half.
        #expect(throws: SimulationError.tileDoesNotFit(layer: "fc", buffer: .inputs, neededBits: 8 << 20, halfCapacityBits: 18_432, file: "test.json")) {
            _ = try tiling("fc", of: network, plan: try plan("uniform:8", "uniform:8"), on: template)
        }
    }
}
