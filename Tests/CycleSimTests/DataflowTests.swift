import CycleSim
import Foundation
import HWModel
import ModelImport
import Quantizers
import Testing

/// A shipped dataflow network with a shipped folding on a shipped board.
struct DataflowCase {
    let bound: BoundNetwork
    let architecture: DataflowArchitecture
    let graph: DataflowGraph

    init(_ network: String, hardware: String = "pynq-z1", options: DataflowOptions = DataflowOptions()) throws {
        let config = try NetworkConfig.load(path: repositoryRoot.appendingPathComponent("configs/finn/\(network).json").path)
        bound = try BoundNetwork(network: config.network, plan: config.plan)
        architecture = DataflowArchitecture(template: try shippedHardware(hardware), options: options)
        graph = try architecture.graph(of: bound)
    }

    func folding(_ file: String) throws -> (folding: Folding, warnings: [String]) {
        try FoldingFile.load(path: repositoryRoot.appendingPathComponent("configs/finn/\(file).folding.json").path).folding(for: graph)
    }

    func simulate(_ file: String, batch: Int = 1) throws -> DataflowSimulation {
        try architecture.simulate(bound, graph: graph, folding: folding(file).folding, batch: batch)
    }
}

/// Per-stage cycles, the pipeline and the mapping of the dataflow architecture (docs/dataflow.md §2–§3).
@Suite struct DataflowTests {
    /// BNN-PYNQ CNV-W1A1's per-layer cycles follow FINN's formulas exactly (the table of the
    /// project's notes §14.4): MVAU (MH/PE)·(MW/SIMD)·pixels, the HLS sliding window, max pools.
    @Test func cnvStageCyclesAreFINNs() throws {
        let run = try DataflowCase("cnv-w1a1").simulate("cnv-w1a1")
        func cycles(_ unit: DataflowUnit) -> [Int64] {
            run.stages.indices.filter { run.stages[$0].unit == unit }.map { run.pipeline.timings[$0].cycles }
        }
        #expect(cycles(.matrix) == [32400, 28224, 20736, 28800, 20736, 18432, 32768, 32768, 8192])
        #expect(cycles(.slidingWindow) == [8196, 14292, 2676, 3744, 384, 144])
        #expect(cycles(.maxPool) == [980, 125])
        #expect(run.pipeline.initiationInterval == 32768)
        #expect(run.simulation.bottleneckLayer == "fc6")
        // frames/s = clock / II in steady state.
        #expect(abs(run.simulation.framesPerSecond - 100e6 / 32768) < 1e-6)
    }

    /// LFC's 8- and 16-word FIFOs are shallower than a layer's burst read: the coupling rule
    /// gives (N − D − 1)·SF_p + (D + 1) + idle = 7·32 + 9 + 496 = 729 cycles (notes §14.3); with
    /// hwsim-sized FIFOs the slowest layer's 512 remain.
    @Test func lfcIsFIFOCoupled() throws {
        let lfc = try DataflowCase("lfc-w1a1")
        let given = try lfc.simulate("lfc-w1a1")
        #expect(given.pipeline.initiationInterval == 729)
        #expect(given.pipeline.links.contains { $0.coupledCycles == 729 && $0.depth == 8 })
        var sized = try lfc.folding("lfc-w1a1").folding
        for key in sized.layers.keys {
            sized.layers[key]?.inputFIFODepth = nil
            sized.layers[key]?.outputFIFODepth = nil
        }
        let free = try lfc.architecture.simulate(lfc.bound, graph: lfc.graph, folding: sized, batch: 1)
        #expect(free.pipeline.initiationInterval == 512)
        // hwsim sizes the fc1 → fc2 FIFO to one vector of fc2's 16 words.
        #expect(free.pipeline.links.contains { $0.depth == 16 && $0.width == 64 })
    }

    /// A batch takes the frame latency plus (batch − 1) intervals.
    @Test func batchCyclesAreLatencyPlusIntervals() throws {
        let cnv = try DataflowCase("cnv-w1a1")
        let one = try cnv.simulate("cnv-w1a1", batch: 1)
        let ten = try cnv.simulate("cnv-w1a1", batch: 10)
        #expect(one.simulation.cycles == one.pipeline.latency)
        #expect(ten.simulation.cycles == one.pipeline.latency + 9 * one.pipeline.initiationInterval)
        #expect(ten.simulation.initiationInterval == 32768)
    }

    /// A PE that does not divide the output channels is an error naming the layer, the legal
    /// values and, from a file, the file and the entry.
    @Test func peNotDividingIsAnError() throws {
        let cnv = try DataflowCase("cnv-w1a1")
        var folding = try cnv.folding("cnv-w1a1").folding
        folding["fc8"].pe = 7
        #expect {
            _ = try cnv.architecture.simulate(cnv.bound, graph: cnv.graph, folding: folding, batch: 1)
        } throws: { error in
            guard case .dataflow(.doesNotDivide(let layer, "PE", 7, _, 64, let legal, _))? = error as? SimulationError else { return false }
            return layer == "fc8" && legal == [1, 2, 4, 8, 16, 32, 64]
                && "\(error)".contains("legal PE values: 1, 2, 4, 8, 16, 32, 64")
        }
        let file = try FoldingFile.parse(Data(#"{"Defaults": {}, "MVAU_hls_8": {"PE": 7, "SIMD": 1}}"#.utf8), file: "bad.json")
        let fromFile = try file.folding(for: cnv.graph).folding
        #expect {
            _ = try cnv.architecture.simulate(cnv.bound, graph: cnv.graph, folding: fromFile, batch: 1)
        } throws: { error in
            "\(error)".hasPrefix("bad.json: MVAU_hls_8: PE 7 does not divide MH (output channels) = 64 of layer 'fc8'")
        }
    }

    /// Thresholds (2^k − 1 per channel) wherever a weight layer's output feeds k-bit inputs,
    /// whether or not the BatchNorm and activation layers are listed; none into the output.
    @Test func thresholdsAreImplied() throws {
        func thresholds(_ layers: [Layer]) throws -> [Int64] {
            let network = try Network(name: "t", layers: layers)
            let plan = QuantizationPlan(weights: .uniform(bits: 4), activations: .uniform(bits: 3), firstLast: .quantizeAll)
            let graph = try DataflowArchitecture(template: try shippedHardware("pynq-z1")).graph(of: try BoundNetwork(network: network, plan: plan))
            return graph.nodes(of: .matrix).map { node in
                if case .matrix(_, _, let count, _) = node.geometry { return count }
                return -1
            }
        }
        let input = Layer(name: "in", kind: .input(TensorShape([16])), inputs: [])
        let bare = [input, Layer(name: "fc0", kind: .linear(Linear(outFeatures: 32, bias: false)), inputs: ["in"]),
                    Layer(name: "fc1", kind: .linear(Linear(outFeatures: 8, bias: false)), inputs: ["fc0"])]
        let listed = [input, Layer(name: "fc0", kind: .linear(Linear(outFeatures: 32, bias: false)), inputs: ["in"]),
                      Layer(name: "bn", kind: .batchNorm(BatchNorm()), inputs: ["fc0"]), Layer(name: "act", kind: .activation(.relu), inputs: ["bn"]),
                      Layer(name: "fc1", kind: .linear(Linear(outFeatures: 8, bias: false)), inputs: ["act"])]
        #expect(try thresholds(bare) == [7, 0])
        #expect(try thresholds(listed) == [7, 0])
    }

    /// A residual block gets a DuplicateStreams at its fork and a skip FIFO deep enough to hold
    /// the bypass while the other branch fills (docs/dataflow.md §3.3).
    @Test func residualAddsGetASkipFIFO() throws {
        let resnet = try DataflowCase("resnet50-w1a2", hardware: "u250")
        let run = try resnet.simulate("resnet50-w1a2-u250")
        #expect(resnet.graph.nodes(of: .duplicateStreams).count == 16)
        #expect(resnet.graph.nodes(of: .addStreams).count == 16)
        let skips = run.pipeline.links.filter { run.stages[$0.consumer].unit == .addStreams && $0.depth > 2 }
        #expect(skips.count >= 16)
        // Bounded by one frame of the skip stream's words.
        for link in skips { #expect(link.depth <= run.pipeline.timings[link.producer].outputWords + 2) }
    }

    /// A width converter sits where a producer's words differ from its consumer's.
    @Test func convertersWhereWidthsDiffer() throws {
        let run = try DataflowCase("cnv-w1a1").simulate("cnv-w1a1")
        for stage in run.stages {
            for producer in stage.producers {
                #expect(run.stages[producer].outputStreamBits == stage.inputStreamBits)
            }
        }
        // fc6 (PE 1) feeds fc7 (SIMD 8) through a 1 → 8 converter.
        #expect(run.stages.contains { $0.unit == .widthConverter && $0.inputStreamBits == 1 && $0.outputStreamBits == 8 })
    }

    /// FINN's estimator reproduces the per-layer estimates FINN printed for the cybersecurity
    /// MLP (notes §2.1–2.2): folding B 8,184 / 1,217 / 1,217 LUT, 36 / 4 / 4 BRAM18; folding A
    /// 8,149 / 1,435 / 1,435 LUT, 27 / 4 / 4 BRAM18.
    @Test(arguments: [("cybsec-b", [8184.0, 1217, 1217], [36.0, 4, 4]), ("cybsec-a", [8149.0, 1435, 1435], [27.0, 4, 4])])
    func finnEstimatorIsFINNs(folding: String, luts: [Double], bram18: [Double]) throws {
        let run = try DataflowCase("cybsec-mlp", options: DataflowOptions(resourceModel: .finn, outOfContext: true)).simulate(folding)
        let units = run.stages.indices.filter { run.stages[$0].unit == .matrix }.prefix(3)
        #expect(units.map { run.stageResources[$0].finn.lut } == luts)
        #expect(units.map { 2 * run.stageResources[$0].finn.bram36 } == bram18)
    }

    /// Out of context the shell is not charged and the DMA is a plain stream.
    @Test func outOfContextLeavesTheShellOut() throws {
        let inContext = try DataflowCase("cybsec-mlp").simulate("cybsec-b")
        let outOfContext = try DataflowCase("cybsec-mlp", options: DataflowOptions(outOfContext: true)).simulate("cybsec-b")
        #expect(inContext.shell.lut == 2000)
        #expect(outOfContext.shell == .zero)
        #expect(inContext.simulation.hardware.usage.exact.lut - outOfContext.simulation.hardware.usage.exact.lut >= 2000)
        // The board's 64-bit port moves the 600-bit frame as 75 bytes (FINN's gcd interface).
        #expect(inContext.pipeline.initiationInterval == 75)
        #expect(outOfContext.pipeline.initiationInterval == 64)
    }

    /// Memory placement: FINN's RAMB18 ladder and hwsim's deepest-aspect rule.
    @Test func blockRAMPlacement() {
        #expect(MemoryPlacement.finnBRAM18(depth: 18432, width: 32) == 36)
        #expect(MemoryPlacement.aspectBRAM18(depth: 18432, width: 32) == 64)
        #expect(MemoryPlacement.finnBRAM18(depth: 416, width: 64) == 2)
        #expect(MemoryPlacement.aspectBRAM18(depth: 416, width: 64) == 2)
        #expect(MemoryPlacement.aspectBRAM18(depth: 73728, width: 16) == 72)
        #expect(MemoryPlacement.lutram(depth: 128, width: 3) == 6)
        #expect(MemoryPlacement.uram(depth: 8192, width: 80) == 4)
    }
}

/// Layer names with slashes (ONNX's `/stem/stem.0/Conv`) keep their per-layer records.
@Suite struct DataflowONNXNamesTests {
    @Test func everyConvolutionOfAnONNXModelHasItsStage() throws {
        let imported = try ImportedNetwork.load(contentsOf: repositoryRoot.appendingPathComponent("Tests/ModelImportTests/Fixtures/onnx/resnet20_cifar_fp32.onnx"))
        let bound = try BoundNetwork(network: imported.network, plan: QuantizationPlan(weights: .uniform(bits: 4), activations: .uniform(bits: 4)))
        let run = try DataflowArchitecture(template: try shippedHardware("u250")).simulate(bound, folding: Folding(), batch: 1)
        let convolutions = imported.network.layers.filter { if case .convolution = $0.kind { true } else { false } }
        #expect(convolutions.count == 21)
        for layer in convolutions {
            let record = try #require(run.simulation.layers.first { $0.layer == layer.name })
            #expect(record.dataflow != nil, "\(layer.name)")
            #expect(record.cycles > 0, "\(layer.name)")
        }
    }
}
