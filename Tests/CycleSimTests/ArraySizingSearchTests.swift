@testable import CycleSim
import Foundation
import HWModel
import Quantizers
import Testing

/// The array search skips candidates by a lower bound on their cycles; these tests hold it to
/// the exhaustive search and the bound to the timed cycles.
@Suite struct ArraySizingSearchTests {
    /// Networks, configs and rates whose sizing is compared: several units per plan (ASQ's 8-bit
    /// first and last layers), LSTMs (shared weights, vector work), depthwise convolutions,
    /// output-stationary arrays, and DMA rates from memory- to compute-bound.
    static let cases: [(network: String, hardware: String, plan: (String, String)?, bandwidth: Double)] = [
        ("resnet18", "vu9p", nil, 19.2), ("resnet18", "vu9p", ("post:4", "uniform:4"), 4.8), ("resnet18", "vu9p-os", ("uniform:8", "uniform:8"), 77),
        ("mobilenetv2", "vu9p", ("ternary", "uniform:2"), 9.6), ("imdb-lstm", "vu9p", nil, 19.2), ("lenet5", "zu9eg", ("asq:4", "asq:4"), 2.4),
        ("vgg-like", "vu9p-mixed", ("binary", "binary"), 38.4), ("alexnet-bn", "vu9p", ("fp32", "fp32"), 19.2),
    ]

    /// Case `index` bound, lowered and prepared.
    static func prepared(_ index: Int) throws -> (name: String, bound: BoundNetwork, workloads: [Workload], template: AcceleratorTemplate, prepared: PreparedBuild) {
        let (name, hardware, schemes, bandwidth) = cases[index]
        let config = try shippedNetwork(name)
        var chosen = config.plan
        if let schemes { chosen = chosen.replacing(weights: try QuantScheme(parsing: schemes.0), activations: try QuantScheme(parsing: schemes.1)) }
        let bound = try BoundNetwork(network: config.network, plan: chosen)
        let workloads = try Simulator.workloads(of: bound, batch: 1)
        let template = try shippedHardware(hardware).withBandwidth(bandwidth)
        return (name, bound, workloads, template, try Simulator.prepare(template: template, network: bound, workloads: workloads, batch: 1))
    }

    @Test(arguments: cases.indices)
    func skippingCandidatesChoosesWhatTimingEveryCandidateChooses(_ index: Int) throws {
        let (_, bound, workloads, template, prepared) = try Self.prepared(index)
        let pruned = try Simulator.build(prepared, template: template, network: bound, workloads: workloads)
        let exhaustive = try Simulator.build(prepared, template: template, network: bound, workloads: workloads, exhaustiveSizing: true)
        #expect(pruned.accelerator == exhaustive.accelerator)
        #expect(try pruned.simulate(bound, workloads: workloads, batch: 1) == exhaustive.simulate(bound, workloads: workloads, batch: 1))
    }

    @Test(arguments: cases.indices)
    func theLowerBoundNeverExceedsTheTimedCycles(_ index: Int) throws {
        let (name, bound, workloads, _, prepared) = try Self.prepared(index)
        let scorer = try OverlayArchitecture(accelerator: prepared.draft.infrastructureOnly, kind: .tile, residency: prepared.residency)
        var checked = 0
        for (request, candidates) in zip(prepared.draft.requests, prepared.draft.choices) {
            for candidate in candidates {
                for position in request.layers {
                    guard case .gemm(let gemm) = workloads[position], let lower = scorer.cyclesLowerBound(gemm, at: position, on: candidate),
                          let tiling = try? scorer.tile(gemm, layer: bound.layers[position].name, at: position, on: candidate) else { continue }
                    let cycles = try scorer.activity(gemm, tiling: tiling, on: candidate, warm: true, layer: bound.layers[position].name).0.cycles
                    #expect(lower <= cycles, "\(name) \(bound.layers[position].name) on \(candidate.geometry)")
                    // Not vacuous: within a factor of 4 of the cycles.
                    #expect(lower * 4 >= cycles, "\(name) \(bound.layers[position].name) on \(candidate.geometry): \(lower) vs \(cycles)")
                    checked += 1
                }
            }
        }
        #expect(checked > 0)
    }

    @Test func preparingOnceServesEveryClockAndBandwidth() throws {
        let config = try shippedNetwork("resnet18")
        let bound = try BoundNetwork(network: config.network, plan: config.plan)
        let workloads = try Simulator.workloads(of: bound, batch: 1)
        let base = try shippedHardware("vu9p")
        let prepared = try Simulator.prepare(template: base, network: bound, workloads: workloads, batch: 1)
        for (bandwidth, clock) in [(9.6, 150.0), (19.2, 300), (68.3, 200)] {
            let template = try base.withBandwidth(bandwidth).withClock(clock)
            let direct = try Simulator.build(template: template, network: bound, workloads: workloads, batch: 1)
            let reused = try Simulator.build(prepared, template: template, network: bound, workloads: workloads)
            #expect(direct.accelerator == reused.accelerator)
            #expect(try direct.simulate(bound, workloads: workloads, batch: 1) == reused.simulate(bound, workloads: workloads, batch: 1))
        }
        // 9.6 GB/s at 150 MHz moves what 19.2 GB/s moves at 300 MHz: same cycles, half the latency.
        let slow = try Simulator.run(network: config.network, plan: config.plan, template: base.withBandwidth(9.6).withClock(150))
        let fast = try Simulator.run(network: config.network, plan: config.plan, template: base.withBandwidth(19.2).withClock(300))
        #expect(slow.cycles == fast.cycles)
        #expect(slow.reclocked(clockMHz: 300, bandwidthGBps: 19.2) == fast)
    }

    @Test func theSkippedFirstFrameChangesNothingElse() throws {
        let config = try shippedNetwork("resnet18")
        let bound = try BoundNetwork(network: config.network, plan: config.plan)
        let workloads = try Simulator.workloads(of: bound, batch: 1)
        let built = try Simulator.build(template: try shippedHardware("vu9p"), network: bound, workloads: workloads, batch: 1)
        let full = try built.simulate(bound, workloads: workloads, batch: 1)
        let steady = try built.simulate(bound, workloads: workloads, batch: 1, firstFrame: false)
        #expect(full.firstFrame != nil && steady.firstFrame == nil)
        #expect(full.layers == steady.layers && full.cycles == steady.cycles)
    }
}
