import CycleSim
import Foundation
import HWModel
import Quantizers

/// One layer's weight and activation scheme.
public struct SchemeChoice: Hashable, Sendable, CustomStringConvertible {
    /// Weight scheme.
    public var weights: QuantScheme
    /// Input-activation scheme.
    public var activations: QuantScheme

    /// Creates a choice.
    public init(weights: QuantScheme, activations: QuantScheme) {
        self.weights = weights
        self.activations = activations
    }

    /// `W post:4 A uniform:4`.
    public var description: String { "W \(weights) A \(activations)" }
}

/// What a plan costs on the hardware: what budgets and objectives read.
public struct PlanMetrics: Hashable, Sendable {
    /// Latency of the batch in ms (steady state).
    public var latencyMs: Double
    /// Frames per second (steady state).
    public var framesPerSecond: Double
    /// LUTs used, in percent of the device.
    public var lutPercent: Double
    /// Model size in MiB (cost model).
    public var sizeMiB: Double
    /// Whether the design fits the device's utilisation budget.
    public var fits: Bool
    /// Cycles of each layer by name: what the search's estimate of mixed plans is made of.
    public var layerCycles: [String: Int64]

    /// Creates metrics.
    public init(latencyMs: Double, framesPerSecond: Double, lutPercent: Double, sizeMiB: Double, fits: Bool, layerCycles: [String: Int64]) {
        self.latencyMs = latencyMs
        self.framesPerSecond = framesPerSecond
        self.lutPercent = lutPercent
        self.sizeMiB = sizeMiB
        self.fits = fits
        self.layerCycles = layerCycles
    }

    /// The metrics of a simulation.
    public init(_ simulation: NetworkSimulation) {
        self.init(latencyMs: simulation.latencySeconds * 1e3, framesPerSecond: simulation.framesPerSecond,
                  lutPercent: simulation.hardware.usage.percentOfDevice(.lut) ?? 0, sizeMiB: simulation.cost.modelSizeMiB,
                  fits: simulation.hardware.usage.fitsBudget,
                  layerCycles: Dictionary(simulation.layers.map { ($0.layer, $0.cycles) }) { first, _ in first })
    }
}

/// A limit every returned plan meets.
public enum SearchBudget: Hashable, Sendable, CustomStringConvertible {
    /// Latency of the batch at most this many ms.
    case maxLatencyMs(Double)
    /// At least this many frames per second.
    case minFramesPerSecond(Double)
    /// LUTs at most this percentage of the device.
    case maxLUTPercent(Double)
    /// Model size at most this many MiB.
    case maxSizeMiB(Double)
    /// The design fits the device's utilisation budget.
    case fitsDevice
    /// The network's error proxy at most this value.
    case maxError(Double)

    /// `latency ≤ 2 ms`, as reports print it.
    public var description: String {
        switch self {
        case .maxLatencyMs(let value): "latency ≤ \(DesignSpace.number(value)) ms"
        case .minFramesPerSecond(let value): "frames/s ≥ \(DesignSpace.number(value))"
        case .maxLUTPercent(let value): "LUT ≤ \(DesignSpace.number(value)) %"
        case .maxSizeMiB(let value): "size ≤ \(DesignSpace.number(value)) MiB"
        case .fitsDevice: "fits the device"
        case .maxError(let value): "error ≤ \(value)"
        }
    }

    /// Whether a plan with `metrics` and `error` meets the budget.
    public func isMet(by metrics: PlanMetrics, error: Double) -> Bool {
        switch self {
        case .maxLatencyMs(let value): metrics.latencyMs <= value
        case .minFramesPerSecond(let value): metrics.framesPerSecond >= value
        case .maxLUTPercent(let value): metrics.lutPercent <= value
        case .maxSizeMiB(let value): metrics.sizeMiB <= value
        case .fitsDevice: metrics.fits
        case .maxError(let value): error <= value
        }
    }
}

/// What the search minimises.
public enum SearchObjective: String, CaseIterable, Hashable, Sendable {
    /// The network's error proxy.
    case error
    /// Latency of the batch.
    case latency
    /// LUTs used.
    case lut
}

/// How layer costs make the network's: layers one after another (tile, systolic: a sum), or
/// all at once in a pipeline whose rate the slowest stage sets (dataflow: a maximum).
public enum CostAggregation: Hashable, Sendable {
    /// Latency is the sum of the layers' cycles.
    case sum
    /// The frame interval is the largest layer's cycles.
    case max
}

/// One plan the search simulated.
public struct SearchedPlan: Hashable, Sendable {
    /// Per searched layer, the index of its choice.
    public var assignment: [Int]
    /// The plan: the base plan with one override per searched layer.
    public var plan: QuantizationPlan
    /// The network's error proxy: the searched layers' errors added.
    public var error: Double
    /// What the plan costs; `nil` when it could not be simulated.
    public var metrics: PlanMetrics?
    /// Why it could not be simulated.
    public var failure: String?
}

/// How the answer was found.
public enum SearchMethod: Hashable, Sendable, CustomStringConvertible {
    /// Every assignment simulated: the answer is the optimum.
    case exhaustive(assignments: Int)
    /// Too many assignments to simulate all: an estimate of mixed plans from the uniform ones
    /// chose the candidates, local moves refined the best; every answer simulated, not proven optimal.
    case estimated(assignments: Double, simulated: Int)

    /// One line for reports.
    public var description: String {
        switch self {
        case .exhaustive(let count): "exhaustive: all \(count) assignments simulated (the optimum)"
        case .estimated(let count, let simulated):
            "estimated: \(String(format: "%.3g", count)) assignments, \(simulated) simulated (candidates from per-layer cycles of uniform plans, then local moves; not proven optimal)"
        }
    }
}

/// The outcome of a search.
public struct PrecisionSearchResult: Sendable {
    /// The plan chosen: meets every budget, best in the objective.
    public var best: SearchedPlan
    /// Every plan simulated, ordered by assignment.
    public var evaluated: [SearchedPlan]
    /// How the answer was found.
    public var method: SearchMethod
}

/// Why a search has no answer.
public enum PrecisionSearchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No simulated plan meets the budgets; `closest` describes the one that came nearest.
    case noPlanMeetsBudget(budgets: String, closest: String)
    /// Nothing to search.
    case nothingToSearch(String)

    /// One line saying what to relax.
    public var description: String {
        switch self {
        case .noPlanMeetsBudget(let budgets, let closest): "no per-layer plan meets \(budgets); \(closest); relax a budget or add schemes"
        case .nothingToSearch(let reason): reason
        }
    }
}
