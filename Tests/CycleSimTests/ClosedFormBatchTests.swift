import Testing
import HWModel
import Quantizers
@testable import CycleSim

/// Repeated tiles timed in closed form equal the tile-by-tile timing (docs/simulation.md §3).
@Suite struct ClosedFormBatchTests {
    @Test(arguments: [1, 7, 64])
    func everyLayerEqualsItsTileByTileTiming(batch: Int) throws {
        let config = try shippedNetwork("resnet18")
        let bound = try BoundNetwork(network: config.network, plan: config.plan)
        let workloads = try Simulator.workloads(of: bound, batch: batch)
        let built = try Simulator.build(template: try shippedHardware("vu9p"), network: bound, workloads: workloads, batch: batch)
        let architecture = try built.architecture()
        let mapping = try architecture.map(bound, workloads: workloads, arrayOfLayer: built.arrayOfLayer)
        var compared = 0
        for (position, layer) in mapping.layers.enumerated() {
            guard case .gemm(let tiling) = layer.tiling, case .gemm(let gemm) = workloads[position], let index = built.arrayOfLayer[position] else { continue }
            let array = built.accelerator.arrays[index]
            let model = ArrayComputeModel(array: array, dataflow: .weightStationary, buffers: architecture.buffers, precision: gemm.precision)
            for warm in [true, false] {
                let closed = try LayerTiming.gemm(gemm, tiling: tiling, model: model, dma: architecture.dma, vectorLanes: 64, adapterLanes: 4, warm: warm, layer: "x")
                let stepped = try LayerTiming.gemm(gemm, tiling: tiling, model: model, dma: architecture.dma, vectorLanes: 64,
                                                   adapterLanes: 4, warm: warm, layer: "x", closedForm: false)
                #expect(closed == stepped, "\(bound.layers[position].name) batch \(batch) warm \(warm)")
            }
            compared += 1
        }
        #expect(compared == 21)
    }

    @Test func systolicLayersToo() throws {
        let config = try shippedNetwork("resnet20")
        let array = try SystolicArray(rows: 16, columns: 16, dataflow: .weightStationary)
        let plan = QuantizationPlan(weights: .uniform(bits: 8), activations: .uniform(bits: 8))
        let bound = try BoundNetwork(network: config.network, plan: plan)
        let workloads = try Simulator.workloads(of: bound, batch: 16)
        let built = try Simulator.build(template: Simulator.systolicTemplate(try shippedHardware("vu9p"), array: array), network: bound,
                                        workloads: workloads, batch: 16, kind: .systolic(array))
        let architecture = try built.architecture()
        let mapping = try architecture.map(bound, workloads: workloads, arrayOfLayer: built.arrayOfLayer)
        for (position, layer) in mapping.layers.enumerated() {
            guard case .gemm(let tiling) = layer.tiling, case .gemm(let gemm) = workloads[position] else { continue }
            let model = SystolicComputeModel(workload: SystolicWorkload(gemm), on: array)
            let closed = try LayerTiming.gemm(gemm, tiling: tiling, model: model, dma: architecture.dma, vectorLanes: 64, adapterLanes: 4, warm: true, layer: "x")
            let stepped = try LayerTiming.gemm(gemm, tiling: tiling, model: model, dma: architecture.dma, vectorLanes: 64, adapterLanes: 4,
                                               warm: true, layer: "x", closedForm: false)
            #expect(closed == stepped, "\(bound.layers[position].name)")
            // The tiles and the rounding left over make SCALE-Sim's layer cycles.
            #expect(closed.busyCycles == Int64(model.layer.computeCycles))
        }
    }

    /// A layer whose K splits into many blocks (a deep-channel convolution on a small device):
    /// the blocks between the first and the last are repeated in closed form, exactly.
    @Test func manyKBlocksEqualTheirTileByTileTiming() throws {
        let layers = [Layer(name: "input", kind: .input(TensorShape([20_000, 14, 14])), inputs: []),
                      Layer(name: "conv", kind: .convolution(Convolution(outChannels: 64, kernel: [3, 3], stride: [1, 1], padding: .explicit(begin: [1, 1], end: [1, 1]),
                                                                         dilation: [1, 1], groups: 1, bias: false)), inputs: ["input"])]
        let network = try Network(name: "deep-k", layers: layers)
        let bound = try BoundNetwork(network: network, plan: QuantizationPlan(weights: .uniform(bits: 8), activations: .uniform(bits: 8)))
        let workloads = try Simulator.workloads(of: bound, batch: 2)
        let built = try Simulator.build(template: try shippedHardware("pynq-z1"), network: bound, workloads: workloads, batch: 2)
        let architecture = try built.architecture()
        let mapping = try architecture.map(bound, workloads: workloads, arrayOfLayer: built.arrayOfLayer)
        guard case .gemm(let tiling) = mapping.layers[1].tiling, case .gemm(let gemm) = workloads[1], let index = built.arrayOfLayer[1] else {
            Issue.record("the convolution maps to a GEMM")
            return
        }
        #expect(tiling.passes[0].kBlocks > 10)
        let model = ArrayComputeModel(array: built.accelerator.arrays[index], dataflow: .weightStationary, buffers: architecture.buffers, precision: gemm.precision)
        for warm in [true, false] {
            let closed = try LayerTiming.gemm(gemm, tiling: tiling, model: model, dma: architecture.dma, vectorLanes: 64, adapterLanes: 4, warm: warm, layer: "conv")
            let stepped = try LayerTiming.gemm(gemm, tiling: tiling, model: model, dma: architecture.dma, vectorLanes: 64, adapterLanes: 4,
                                               warm: warm, layer: "conv", closedForm: false)
            #expect(closed == stepped, "warm \(warm)")
        }
    }

    @Test func aHugeBatchIsTimedWithoutSteppingThroughIt() throws {
        let config = try shippedNetwork("lenet5")
        let one = try Simulator.run(network: config.network, plan: config.plan, template: try shippedHardware("vu9p"), batch: 1)
        let huge = try Simulator.run(network: config.network, plan: config.plan, template: try shippedHardware("vu9p"), batch: 1 << 30)
        // Steady state: each further frame costs the same, so frames/s settles at a finite value.
        #expect(huge.framesPerSecond > 0.5 * one.framesPerSecond)
        #expect(huge.cycles > Int64(1 << 30))
    }
}
