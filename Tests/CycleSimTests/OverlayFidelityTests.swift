import Foundation
import Testing
import HWModel
import ModelImport
import Quantizers
@testable import CycleSim

/// The overlay reports what a design needs (docs/simulation.md §4).
@Suite struct OverlayFidelityTests {
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/CycleSimTests/Fixtures")
    static let onnx = repositoryRoot.appendingPathComponent("Tests/ModelImportTests/Fixtures/onnx")

    @Test func residentWeightsAreLoadedInTheFirstFrameOnly() throws {
        let imported = try ImportedNetwork.load(contentsOf: Self.onnx.appendingPathComponent("lenet5_w1a1.onnx"))
        let simulation = try Simulator.run(network: imported.network, plan: imported.plan, template: try shippedHardware("vu9p"))
        let first = try #require(simulation.firstFrame)
        // The whole model fits the weight buffer: the first frame loads every weight once ...
        #expect(first.weightBytesLoaded == simulation.cost.layers.reduce(0) { $0 + ($1.weightStorageBits + 7) / 8 })
        // ... and the steady-state frame loads none, so no layer waits for weights.
        for layer in simulation.layers where layer.macs > 0 { #expect(layer.weightBytesLoaded == 0, "\(layer.layer)") }
        let matmul = try #require(simulation.layers.first { $0.layer == "MatMul_0" })
        // 512 × 1024 binary weights (64 KiB) no longer stream in: its loads are its 128 input bytes.
        #expect(matmul.bytesLoaded == 128)
        #expect(matmul.stalls.load <= 1)
        #expect(simulation.cycles < first.cycles)
    }

    @Test func aPoolOfOneBitDataRunsOnIntegerLanesBesideAnFP32Tail() throws {
        let config = try NetworkConfig.load(path: Self.fixtures.appendingPathComponent("brevitas-cnv-w1a1.json").path)
        let simulation = try Simulator.run(network: config.network, plan: config.plan, template: try shippedHardware("vu9p"))
        let accelerator = try #require(simulation.accelerator)
        #expect(accelerator.vectorUnits.map(\.bits) == [8, 32])
        for name in ["MaxPool_0", "MaxPool_1"] {
            #expect(simulation.layers.first { $0.layer == name }?.engine == .vectorUnit(bits: 8), "\(name)")
        }
        // The four 10-element output-scaling ops keep their FP32 lanes.
        #expect(simulation.layers.first { $0.layer == "Mul_1" }?.engine == .vectorUnit(bits: 32))
        let integer = try #require(accelerator.vectorUnit(bits: 8)), fp32 = try #require(accelerator.vectorUnit(bits: 32))
        #expect(integer.lanes > fp32.lanes)
    }

    @Test func theAdapterUnitIsSizedFromItsWorkAndItsShareIsReported() throws {
        let network = try shippedNetwork("mobilenetv2").network
        let plan = QuantizationPlan(weights: .post(bits: 4), activations: .asq(bits: 4), firstLast: .keep(bits: 8))
        let template = try shippedHardware("vu9p")
        #expect(template.adapterLanes == nil)
        let simulation = try Simulator.run(network: network, plan: plan, template: template)
        let accelerator = try #require(simulation.accelerator)
        // The documented rule: the adapter's share of the budget left to the auto units is
        // √(MACs · lane cost) over the sum of the arrays' and its own.
        let bound = try BoundNetwork(network: network, plan: plan)
        let workloads = try Simulator.workloads(of: bound, batch: 1)
        let draft = try AcceleratorBuilder.draft(template: template, network: bound, workloads: workloads, batch: 1)
        #expect(draft.adapterLanes == accelerator.adapterLanes)
        let work = AdapterSizing.work(of: bound, batch: 1)
        #expect(work.macs == simulation.cost.layers.reduce(0) { $0 + ($1.adapter?.macs ?? 0) })
        let share = try #require(simulation.cyclesByEngine.first { $0.engine == .adapterUnit }).cycles
        #expect(share == simulation.stalls.adapter)
        let fraction = Double(share) / Double(simulation.cycles)
        // Far from the 54 % a fixed 4-lane unit took; no longer the engine that sets the speed.
        #expect(fraction < 0.1)
        #expect(simulation.dominantEngine?.engine != .adapterUnit)
    }

    @Test func resourcesChangeWithTheNetwork() throws {
        let template = try shippedHardware("vu9p")
        var memories: [ResourceVector] = []
        for name in ["lenet5", "resnet18"] {
            let config = try shippedNetwork(name)
            let simulation = try Simulator.run(network: config.network, plan: config.plan, template: template)
            memories.append(ResourceVector(bram36: simulation.hardware.usage.used.bram36, uram: simulation.hardware.usage.used.uram))
        }
        #expect(memories[0] != memories[1])
    }
}
