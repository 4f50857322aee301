import Foundation
import CycleSim
import HWModel
import Quantizers

/// The architecture every point of a sweep maps onto.
public enum SweepArchitecture: Hashable, Sendable {
    /// hwsim's tile arrays.
    case tile
    /// A SCALE-Sim systolic array of each point's `RxC` array size, with this dataflow.
    case systolic(SystolicDataflow)
    /// A FINN-style dataflow pipeline per point, its folding the cheapest reaching each target
    /// frame rate (an axis; empty: the fastest folding that fits the budget).
    case dataflow(targetFPS: [Double], options: DataflowOptions)
}

/// A sweep: a network and base plan, and the axes whose cartesian product are the points.
public struct DesignSpace: Sendable {
    /// The network every point simulates.
    public var network: Network
    /// The plan every point starts from; each point replaces its weight and activation schemes.
    public var basePlan: QuantizationPlan
    /// Hardware configs by the name the user gave them, in axis order.
    public var hardware: [(name: String, template: AcceleratorTemplate)]
    /// Weight-scheme axis.
    public var weights: [QuantScheme]
    /// Activation-scheme axis.
    public var activations: [QuantScheme]
    /// Array-sizing axis; `[.configured]` when none is given.
    public var arrays: [ArrayChoice]
    /// DDR bandwidth axis in GB/s; nil keeps the board's.
    public var bandwidths: [Double?]
    /// Clock axis in MHz; nil keeps the config's.
    public var clocks: [Double?]
    /// Samples per simulation, the same at every point.
    public var batch: Int
    /// The architecture of every point.
    public var architecture: SweepArchitecture
    /// The error-proxy table, when the `error` objective is wanted (``errorTable(tensors:)``);
    /// `nil` leaves every result's error NaN.
    public var errors: QuantizationErrorTable?

    /// Creates a sweep; empty optional axes mean "as configured".
    public init(network: Network, basePlan: QuantizationPlan, hardware: [(name: String, template: AcceleratorTemplate)],
                weights: [QuantScheme], activations: [QuantScheme], arrays: [ArrayChoice] = [.configured],
                bandwidths: [Double?] = [nil], clocks: [Double?] = [nil], batch: Int = 1, architecture: SweepArchitecture = .tile) {
        self.network = network
        self.basePlan = basePlan
        self.hardware = hardware
        self.weights = weights
        self.activations = activations
        self.arrays = arrays.isEmpty ? [.configured] : arrays
        self.bandwidths = bandwidths.isEmpty ? [nil] : bandwidths
        self.clocks = clocks.isEmpty ? [nil] : clocks
        self.batch = batch
        self.architecture = architecture
    }

    /// The target-frame-rate axis of a dataflow sweep (`[nil]` otherwise: one point per coordinate).
    var targets: [Double?] {
        if case .dataflow(let targetFPS, _) = architecture, !targetFPS.isEmpty { return targetFPS }
        return [nil]
    }

    /// Every point, in a fixed order: hardware, array, bandwidth, clock, weights, activations,
    /// target frame rate (the last varies fastest).
    public var points: [DesignPoint] {
        var result: [DesignPoint] = []
        for (name, _) in hardware {
            for array in arrays {
                for bandwidth in bandwidths {
                    for clock in clocks {
                        for weight in weights {
                            for activation in activations {
                                for target in targets {
                                    result.append(DesignPoint(index: result.count, weights: weight, activations: activation, hardware: name,
                                                              array: array, bandwidthGBps: bandwidth, clockMHz: clock, targetFPS: target))
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Number of points, without building them.
    public var count: Int {
        hardware.count * arrays.count * bandwidths.count * clocks.count * weights.count * activations.count * targets.count
    }

    /// Identifies the sweep by everything that changes a result, so that `--resume` and
    /// `merge` refuse results from a different one. Shards of one sweep share it.
    public var fingerprint: SweepFingerprint { SweepFingerprint(self) }

    /// The template a point runs on.
    public func template(for point: DesignPoint) throws(HardwareError) -> AcceleratorTemplate {
        guard var template = hardware.first(where: { $0.name == point.hardware })?.template else {
            preconditionFailure("every point names hardware of its sweep")
        }
        template = point.array.applied(to: template)
        if let bandwidth = point.bandwidthGBps { template = try template.withBandwidth(bandwidth) }
        if let clock = point.clockMHz { template = try template.withClock(clock) }
        return template
    }

    /// The plan a point runs: the base plan with the point's schemes (and the base plan's
    /// per-layer overrides of those schemes dropped, as the command-line flags do).
    public func plan(for point: DesignPoint) -> QuantizationPlan {
        basePlan.replacing(weights: point.weights, activations: point.activations)
    }

    /// Simulates one point in full, its first frame included: what a report of that design
    /// shows (sweeps keep the steady state only).
    public func simulate(_ point: DesignPoint, cache: SweepCache? = nil) throws -> NetworkSimulation {
        let template = try template(for: point)
        let plan = plan(for: point)
        let entry = try cache?.bound.entry(for: plan) ?? BoundNetworkCache.Entry(network: network, plan: plan, batch: batch)
        switch architecture {
        case .tile:
            return try Simulator.build(template: template, network: entry.bound, workloads: entry.workloads, batch: batch)
                .simulate(entry.bound, workloads: entry.workloads, batch: batch)
        case .systolic, .dataflow:
            return try Self.simulate(plan: plan, template: template, architecture: architecture, array: point.array, targetFPS: point.targetFPS,
                                     entry: entry, prepared: nil)
        }
    }

    /// Simulates one point. Never throws: a point that cannot run is a result with a failure.
    /// With a `cache`, the work points share — binding, the build steps before the array search,
    /// and whole simulations of points that differ only in clock and bandwidth at the same DMA
    /// rate — is done once (docs/compare.md, "Speed"); the numbers are those of the uncached
    /// evaluation.
    public func evaluate(_ point: DesignPoint, cache: SweepCache? = nil) -> DesignResult {
        var result = DesignResult(point: point)
        if let errors { result.quantizationError = error(of: point, table: errors) }
        if let base = hardware.first(where: { $0.name == point.hardware })?.template {
            result.bandwidthGBps = point.bandwidthGBps ?? base.board.bandwidthGBps
            result.clockMHz = point.clockMHz ?? base.clockMHz
        }
        do {
            let template = try template(for: point)
            let plan = plan(for: point)
            let simulation = try cache?.simulation(of: plan, on: template, architecture: architecture, array: point.array, targetFPS: point.targetFPS)
                ?? Self.simulate(plan: plan, template: template, architecture: architecture, array: point.array, targetFPS: point.targetFPS,
                                 entry: BoundNetworkCache.Entry(network: network, plan: plan, batch: batch), prepared: nil)
            let usage = simulation.hardware.usage
            result.cycles = simulation.cycles
            result.latencyMs = simulation.latencySeconds * 1e3
            result.framesPerSecond = simulation.framesPerSecond
            result.modelSizeMiB = simulation.cost.modelSizeMiB
            for kind in ResourceKind.allCases {
                if let percent = usage.percentOfDevice(kind) { result.resourcePercent[kind] = percent }
            }
            result.fits = usage.fitsBudget
            result.qops = simulation.cost.qops
            result.bops = simulation.cost.bops
            result.peakFraction = simulation.peakFraction
        } catch let error as CustomStringConvertible & Error {
            result.failure = error.description
        } catch {
            result.failure = "\(error)"
        }
        return result
    }

    /// One point's simulation (steady state only: sweeps report no first frame), from a
    /// prepared build when one is given.
    static func simulate(plan: QuantizationPlan, template: AcceleratorTemplate, architecture: SweepArchitecture, array choice: ArrayChoice,
                         targetFPS: Double?, entry: BoundNetworkCache.Entry, prepared: PreparedBuild?) throws -> NetworkSimulation {
        let batch = entry.batch
        switch architecture {
        case .tile:
            let build = try prepared.map { $0 } ?? Simulator.prepare(template: template, network: entry.bound, workloads: entry.workloads, batch: batch)
            return try Simulator.build(build, template: template, network: entry.bound, workloads: entry.workloads)
                .simulate(entry.bound, workloads: entry.workloads, batch: batch, firstFrame: false)
        case .systolic(let dataflow):
            guard case .fixed(let rows, let cols) = choice else {
                preconditionFailure("a systolic sweep's array axis holds RxC sizes")
            }
            let array = try SystolicArray(rows: rows, columns: cols, dataflow: dataflow)
            return try Simulator.build(template: Simulator.systolicTemplate(template, array: array), network: entry.bound,
                                       workloads: entry.workloads, batch: batch, kind: .systolic(array))
                .simulate(entry.bound, workloads: entry.workloads, batch: batch, firstFrame: false)
        case .dataflow(_, let options):
            return try dataflow(entry.bound, template: template, options: options, targetFPS: targetFPS, batch: batch)
        }
    }

    /// A dataflow point: the cheapest folding reaching `targetFPS`, or the fastest that fits.
    static func dataflow(_ bound: BoundNetwork, template: AcceleratorTemplate, options: DataflowOptions, targetFPS: Double?,
                         batch: Int) throws(SimulationError) -> NetworkSimulation {
        let architecture = DataflowArchitecture(template: template, options: options)
        let graph = try architecture.graph(of: bound)
        let search = try FoldingSearch(architecture: architecture, graph: graph)
        if let targetFPS {
            let folding = search.reaching(framesPerSecond: targetFPS).folding
            return try architecture.simulate(bound, graph: graph, folding: folding, batch: batch).simulation
        }
        if let found = try search.fastestFitting(bound, batch: batch) { return found.simulation.simulation }
        // Nothing fits: report the slowest folding, which the result marks as not fitting.
        return try architecture.simulate(bound, graph: graph, folding: search.cheapest(targetCycles: .max).folding, batch: batch).simulation
    }

    /// Marks the Pareto-optimal results for `objectives` (all minimised); values within
    /// `tolerance` of each other count as equal (``Pareto/front(_:tolerance:)``).
    public static func paretoFront(_ results: [DesignResult], objectives: [Objective],
                                   tolerance: Double = Pareto.defaultTolerance) -> Set<Int> {
        Pareto.front(results.map { result in objectives.map { result.value(of: $0) } }, tolerance: tolerance)
    }

    /// Locale-independent shortest rendering of a number (`38.4`, `250`).
    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
