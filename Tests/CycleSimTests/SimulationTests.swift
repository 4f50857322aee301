import Testing
import HWModel
import Quantizers
@testable import CycleSim

@Suite struct SimulationTests {
    /// A compute-bound layer: the compute engine's cycles equal folds × cycles per fold, and
    /// the layer's cycles are that plus its stalls (first load, last store, pipeline fill).
    @Test(arguments: [1, 4])
    func computeBoundLayerMatchesTheClosedForm(minimumTiles: Int) throws {
        let template = try testHardware(array: #"{"name": "a", "rows": 8, "cols": 8, "copies": 1, "realization": "lut"}"#,
                                        extra: ", \"tiling\": {\"min_tiles\": \(minimumTiles)}")
        let simulation = try Simulator.run(network: try pointwiseNetwork(), plan: try plan("uniform:4", "uniform:4"), template: template)
        let conv = try #require(simulation.layers.first { $0.layer == "conv" })
        // M = 32, K = 16, N = 8·8 = 64 on 8 × 8 × 1: ⌈K/rows⌉ = 2 K folds, each dealing
        // ⌈M/cols⌉ · N = 4 · 64 items to 1 copy: 2 × 256 cycles.
        let closedForm: Int64 = 2 * ((4 * 64 + 1 - 1) / 1)
        #expect(conv.busyCycles == closedForm)
        #expect(conv.stalls.ports == 0)
        #expect(conv.cycles == conv.busyCycles + conv.stalls.total)
        #expect(conv.bound == .compute)
        #expect(conv.macs == 32 * 16 * 64)
        #expect(conv.idealCycles == 32 * 16 * 64 / 64)
        // BatchNorm and ReLU fold into the convolution.
        #expect(simulation.layers.first { $0.layer == "relu" }?.engine == .fused(into: "conv"))
        #expect(simulation.layers.first { $0.layer == "relu" }?.cycles == 0)
    }

    /// With several copies the items are dealt round-robin: ⌈items / copies⌉ per K fold.
    @Test func copiesShareTheFoldItems() throws {
        let template = try testHardware(array: #"{"name": "a", "rows": 8, "cols": 8, "copies": 3, "realization": "lut"}"#,
                                        extra: ", \"tiling\": {\"min_tiles\": 1}")
        let simulation = try Simulator.run(network: try pointwiseNetwork(), plan: try plan("uniform:4", "uniform:4"), template: template)
        let conv = try #require(simulation.layers.first { $0.layer == "conv" })
        #expect(conv.busyCycles == 2 * ((4 * 64 + 2) / 3))
    }

    @Test func outputStationaryClosedForm() throws {
        let template = try testHardware(array: #"{"name": "a", "rows": 8, "cols": 8, "copies": 2, "realization": "lut"}"#,
                                        extra: ", \"dataflow\": \"output-stationary\", \"tiling\": {\"min_tiles\": 1}")
        let simulation = try Simulator.run(network: try pointwiseNetwork(), plan: try plan("uniform:4", "uniform:4"), template: template)
        let conv = try #require(simulation.layers.first { $0.layer == "conv" })
        // ⌈M/cols⌉ · ⌈N/rows⌉ = 4 · 8 blocks over 2 copies, K = 16 cycles each.
        #expect(conv.busyCycles == (4 * 8 / 2) * 16)
    }

    /// Throughput never exceeds lanes × clock, over the shipped networks and several schemes.
    @Test(arguments: shippedNetworkNames)
    func throughputNeverExceedsThePeak(network name: String) throws {
        let config = try shippedNetwork(name)
        let template = try shippedHardware("vu9p")
        for (weights, activations) in schemeGrid {
            let simulation = try Simulator.run(network: config.network, plan: try plan(weights, activations), template: template)
            #expect(Double(simulation.macs) <= Double(simulation.hardware.peakMACsPerCycle) * Double(simulation.cycles))
            #expect(simulation.effectiveOpsPerSecond <= simulation.hardware.peakOpsPerSecond * (1 + 1e-12))
            for layer in simulation.layers where layer.macs > 0 {
                #expect(layer.macs <= layer.lanes * layer.cycles, "\(name) \(weights): \(layer.layer)")
                #expect(layer.idealCycles <= layer.busyCycles, "\(name) \(weights): \(layer.layer)")
                #expect(layer.cycles == layer.busyCycles + layer.stalls.total, "\(name) \(weights): \(layer.layer)")
            }
        }
    }

    /// More bandwidth never makes a layer slower (same array), nor a network (auto arrays).
    @Test(arguments: ["resnet18", "mobilenetv2", "imdb-lstm"])
    func moreBandwidthIsNeverSlower(network name: String) throws {
        let network = try shippedNetwork(name).network
        let fixed = #"{"name": "a", "rows": 16, "cols": 16, "copies": 4, "realization": "both"}"#
        for (weights, activations) in [("uniform:4", "uniform:4"), ("fp32", "fp32"), ("binary", "binary")] {
            let p = try plan(weights, activations)
            var previous: NetworkSimulation?
            for bandwidth in [4.0, 17.0, 38.4, 68.3, 500.0] {
                let simulation = try Simulator.run(network: network, plan: p, template: try testHardware(array: fixed, bandwidth: bandwidth))
                if let previous {
                    for (slow, fast) in zip(previous.layers, simulation.layers) {
                        #expect(fast.cycles <= slow.cycles, "\(name) \(weights) \(bandwidth) GB/s: \(fast.layer)")
                    }
                }
                previous = simulation
            }
            let slow = try Simulator.run(network: network, plan: p, template: try shippedHardware("vu9p", board: "vcu118"))
            let fast = try Simulator.run(network: network, plan: p, template: try shippedHardware("vu9p", board: "aws-f1"))
            #expect(fast.cycles <= slow.cycles)
        }
    }

    /// A bigger array never makes a compute-bound layer slower: compute cycles never grow,
    /// and with ample bandwidth neither do the layer's cycles.
    @Test func biggerArrayIsNeverSlowerWhenComputeBound() throws {
        let network = try shippedNetwork("resnet18").network
        let p = try plan("uniform:4", "uniform:4")
        var previous: NetworkSimulation?
        for copies in [1, 2, 3, 4, 8] {
            let template = try testHardware(array: "{\"name\": \"a\", \"rows\": 16, \"cols\": 16, \"copies\": \(copies), \"realization\": \"lut\"}", bandwidth: 10_000)
            let simulation = try Simulator.run(network: network, plan: p, template: template)
            if let previous {
                for (small, big) in zip(previous.layers, simulation.layers) where small.macs > 0 {
                    #expect(big.busyCycles <= small.busyCycles, "\(copies) copies: \(big.layer)")
                    if small.bound == .compute {
                        #expect(big.cycles <= small.cycles, "\(copies) copies: \(big.layer)")
                    }
                }
            }
            previous = simulation
        }
    }

    /// Fewer weight bits never need more storage or more DRAM bytes, over the shipped
    /// networks, for several scheme families, on a fixed array.
    @Test(arguments: shippedNetworkNames)
    func fewerWeightBitsNeverCostMoreBytes(network name: String) throws {
        let network = try shippedNetwork(name).network
        let template = try testHardware(array: #"{"name": "a", "rows": 16, "cols": 16, "copies": 4, "realization": "both"}"#)
        let ladders: [[String]] = [
            ["fp32", "uniform:16", "uniform:8", "uniform:4", "uniform:2", "binary"],
            ["lsq:8", "lsq:4", "lsq:3", "ternary"],
            ["post:8", "post:4", "post:2"],
            ["pot:6", "pot:4", "pot:3"],
        ]
        for ladder in ladders {
            var previous: NetworkSimulation?
            for weights in ladder {
                let simulation = try Simulator.run(network: network, plan: try plan(weights, "uniform:8"), template: template)
                if let previous {
                    #expect(simulation.cost.storageBits <= previous.cost.storageBits, "\(name) \(weights)")
                    #expect(simulation.weightBytesLoaded <= previous.weightBytesLoaded, "\(name) \(weights)")
                    #expect(simulation.bytesLoaded + simulation.bytesStored <= previous.bytesLoaded + previous.bytesStored, "\(name) \(weights)")
                }
                previous = simulation
            }
        }
    }

    @Test func batchScalesWorkAndAmortisesWeights() throws {
        let network = try shippedNetwork("resnet18").network
        let template = try shippedHardware("vu9p")
        let p = try plan("uniform:4", "uniform:4")
        let one = try Simulator.run(network: network, plan: p, template: template, batch: 1)
        let four = try Simulator.run(network: network, plan: p, template: template, batch: 4)
        #expect(four.macs == 4 * one.macs)
        #expect(four.weightBytesLoaded <= 4 * one.weightBytesLoaded)
        #expect(four.framesPerSecond >= one.framesPerSecond * 0.9)
        #expect(throws: SimulationError.invalidBatch(0)) { try Simulator.run(network: network, plan: p, template: template, batch: 0) }
    }

    @Test func simulationIsDeterministic() throws {
        let network = try shippedNetwork("mobilenetv2").network
        let template = try shippedHardware("vu9p")
        let config = try shippedNetwork("mobilenetv2")
        let a = try Simulator.run(network: network, plan: config.plan, template: template)
        let b = try Simulator.run(network: network, plan: config.plan, template: template)
        #expect(a == b)
    }

    @Test func depthwiseConvolutionsPackGroups() throws {
        let network = try shippedNetwork("mobilenetv2").network
        let template = try testHardware(array: #"{"name": "a", "rows": 16, "cols": 16, "copies": 2, "realization": "lut"}"#)
        let simulation = try Simulator.run(network: network, plan: try plan("uniform:4", "uniform:4"), template: template)
        let depthwise = try #require(simulation.layers.first { $0.layer == "features.1.dw" })
        // 32 groups of one channel, 16 per pass across the 16 columns: 2 passes of 16×9×12544.
        #expect(depthwise.gemm == GEMMShape(m: 16, k: 9, n: 12544, runs: 2))
        #expect(depthwise.macs == 32 * 9 * 112 * 112)
    }

    @Test func lstmRunsItsGateGEMMsPerStep() throws {
        let config = try shippedNetwork("imdb-lstm")
        let simulation = try Simulator.run(network: config.network, plan: config.plan, template: try shippedHardware("vu9p"))
        let lstm = try #require(simulation.layers.first { $0.layer == "lstm" })
        // 4·70 gate rows, K = 64 features + 70 hidden, one column, 24 steps after the pooling.
        #expect(lstm.gemm == GEMMShape(m: 280, k: 134, n: 1, runs: 24))
        #expect(lstm.macs == 280 * 134 * 24)
    }
}
