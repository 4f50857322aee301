import Foundation
import Testing
import CycleSim
import HWModel
import Quantizers
@testable import Explore

/// Every input that changes a result changes the fingerprint, one at a time; shards do not.
@Suite struct FingerprintTests {
    let base: DesignSpace

    init() throws {
        base = try space()
    }

    /// The inputs in which `changed` differs from the base sweep, as the fingerprint sees them.
    func differences(_ changed: DesignSpace) -> [String] {
        changed.fingerprint.differences(from: base.fingerprint)
    }

    @Test func theSameSweepHasTheSameFingerprint() throws {
        #expect(try space().fingerprint == base.fingerprint)
        #expect(SweepFingerprint(spelling: base.fingerprint.description) == base.fingerprint)
        #expect(SweepFingerprint(spelling: "n-1.p-2") == nil)
    }

    @Test func networkLayersShapesAndAttributes() throws {
        let layers = base.network.layers
        // A renamed layer, a changed attribute, a changed input shape: each a different network.
        var renamed = layers
        renamed[renamed.count - 1].name += "x"
        var attribute = layers
        if let index = attribute.firstIndex(where: { if case .convolution = $0.kind { true } else { false } }),
           case .convolution(var conv) = attribute[index].kind {
            conv.bias.toggle()
            attribute[index].kind = .convolution(conv)
        }
        var input = layers
        input[0].kind = .input(TensorShape([1, 32, 32]))
        for variant in [renamed, attribute, input] {
            var changed = base
            changed.network = try Network(name: base.network.name, layers: variant)
            #expect(differences(changed) == ["network"])
        }
    }

    @Test func everyPartOfThePlan() throws {
        let firstConv = try #require(base.network.weightLayers.first).name
        var plans: [QuantizationPlan] = []
        var plan = base.basePlan
        plan.overrides[firstConv] = LayerOverride(weights: .uniform(bits: 8))
        plans.append(plan)
        plan.overrides[firstConv] = LayerOverride(weights: .uniform(bits: 6))
        plans.append(plan)  // same key, another value
        plan = base.basePlan
        plan.scales = plan.scales == .perTensor ? .perChannel : .perTensor
        plans.append(plan)
        plan = base.basePlan
        plan.adapter.hiddenWidths = [10]
        plans.append(plan)
        plan = base.basePlan
        plan.firstLast = .keep(bits: 4)
        plans.append(plan)
        var seen: Set<SweepFingerprint> = [base.fingerprint]
        for variant in plans {
            var changed = base
            changed.basePlan = variant
            #expect(differences(changed) == ["plan"])
            #expect(seen.insert(changed.fingerprint).inserted, "two plans share a fingerprint")
        }
    }

    @Test func everyPartOfTheHardwareContent() throws {
        var variants: [(String, (inout AcceleratorTemplate) -> Void)] = [
            ("device", { $0.device.resources.lut += 1 }),
            ("budget", { $0.device.budget.dsp = 0.5 }),
            ("board", { $0.board.bandwidthGBps = 1 }),
            ("array", { $0.arrays[0].maximumRows = 16 }),
            ("serves", { $0.arrays[0].serves = [.int] }),
            ("buffer", { $0.buffers[0].blocks = 7 }),
            ("dma", { $0.dmaEfficiency = 0.5 }),
            ("clock", { $0.clockMHz = 200 }),
            ("vector unit", { $0.vectorLanes = 3 }),
            ("adapter unit", { $0.adapterLanes = 9 }),
            ("tiling", { $0.minimumTiles = 2 }),
        ]
        variants.append(("dataflow", { $0.dataflow = .outputStationary }))
        for (what, change) in variants {
            var changed = base
            change(&changed.hardware[0].template)
            #expect(differences(changed) == ["hardware"], "\(what)")
        }
        // The file's path and name are not content: a copy elsewhere is the same hardware.
        var moved = base
        moved.hardware[0].template.file = "/elsewhere/vu9p.json"
        #expect(differences(moved).isEmpty)
    }

    @Test func everyAxis() throws {
        var variants: [DesignSpace] = []
        var changed = base
        changed.weights.append(.fp32)
        variants.append(changed)
        changed = base
        changed.activations = [.uniform(bits: 4)]
        variants.append(changed)
        changed = base
        changed.arrays = [.auto]
        variants.append(changed)
        changed = base
        changed.bandwidths = [10]
        variants.append(changed)
        changed = base
        changed.clocks = [200]
        variants.append(changed)
        changed = base
        changed.batch = 2
        variants.append(changed)
        changed = base
        changed.hardware[0].name = "other.json"
        variants.append(changed)
        for variant in variants { #expect(differences(variant) == ["axes"]) }
    }

    @Test func shardsOfOneSweepShareIt() {
        // A shard is a slice of the points, not a different sweep: nothing about it enters the fingerprint.
        let shards = (1...3).compactMap { Shard(index: $0, count: 3) }
        let slices = shards.map { shard in base.points.filter { shard.contains(pointIndex: $0.index) } }
        #expect(slices.map(\.count).reduce(0, +) == base.count)
        #expect(Set(shards.map { _ in base.fingerprint }).count == 1)
    }

    @Test func aResumeWithAnotherPlanOrHardwareIsRefusedNamingWhatDiffers() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hwsim-fp-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let opened = try SweepResultsFile.openForAppend(path: path, fingerprint: base.fingerprint, resume: false)
        try SweepResultsFile.append(base.evaluate(base.points[0]), fingerprint: base.fingerprint, to: opened.handle, path: path)
        try opened.handle.close()
        var changed = base
        changed.basePlan.scales = .perChannel
        changed.hardware[0].template.dmaEfficiency = 0.5
        do {
            _ = try SweepResultsFile.openForAppend(path: path, fingerprint: changed.fingerprint, resume: true)
            Issue.record("a changed plan and hardware were resumed")
        } catch {
            #expect(error == .differentSweep(path, differences: ["plan", "hardware"]))
            #expect(error.description.contains("plan and hardware differ"))
        }
    }
}
