import CycleSim
import Foundation
import HWModel
import Quantizers

/// The per-layer mixed-precision search (docs/compare.md, "hwsim search"): each searched layer
/// takes one weight and activation scheme from the given choices, every candidate plan is
/// simulated by the evaluator, and the answer is the plan that meets every budget and is best in
/// the objective (ties: lower error, then lower latency, then the earlier assignment).
///
/// Up to ``exhaustiveLimit`` assignments, all are simulated and the answer is the optimum.
/// Beyond it the search estimates each mixed plan's cost from per-layer cycles of the uniform
/// plans (summed for layers in sequence, the largest for a pipeline: ``CostAggregation``),
/// keeps the estimated Pareto front of (cost, error) layer by layer, simulates that front, and
/// refines the best plan by single-layer moves, each simulated. Every answer is simulated, so
/// it meets its budgets; only the exhaustive one is proven optimal.
public struct MixedPrecisionSearch: Sendable {
    /// The network searched.
    public var network: Network
    /// The plan the overrides go on (its defaults stay for layers not searched).
    public var basePlan: QuantizationPlan
    /// The layers that choose, in network order.
    public var layers: [String]
    /// The choices every searched layer has.
    public var choices: [SchemeChoice]
    /// Each layer's error under each scheme.
    public var errors: QuantizationErrorTable
    /// Which error the score adds up.
    public var metric: ErrorMetric
    /// Limits every answer meets.
    public var budgets: [SearchBudget]
    /// What is minimised.
    public var objective: SearchObjective
    /// Sum or maximum of layer costs.
    public var aggregation: CostAggregation
    /// Simulates one plan.
    public var evaluate: @Sendable (QuantizationPlan) throws -> PlanMetrics
    /// Most assignments simulated one by one (at most ``maximumExhaustiveLimit``).
    public var exhaustiveLimit: Int = 4096
    /// The largest ``exhaustiveLimit`` honoured: every assignment is a full simulation (LeNet-5's
    /// 65,536 took 292 s of CPU in a debug build on the 2-core machine, about 4.5 ms each), so
    /// beyond 10^4 only the estimate-and-refine search ends in reasonable time.
    public static let maximumExhaustiveLimit = 10_000
    /// Plans kept on the estimated front per layer.
    public var frontWidth: Int = 48
    /// Rounds of single-layer moves, and moves simulated per round.
    public var refinement: (rounds: Int, moves: Int) = (6, 48)
    /// Plans simulated at once.
    public var concurrency: Int = ProcessInfo.processInfo.activeProcessorCount

    /// A search; `evaluate` is usually ``tileEvaluator(network:template:batch:)``.
    public init(network: Network, basePlan: QuantizationPlan, layers: [String], choices: [SchemeChoice], errors: QuantizationErrorTable,
                metric: ErrorMetric = .nsr, budgets: [SearchBudget], objective: SearchObjective = .error, aggregation: CostAggregation = .sum,
                evaluate: @escaping @Sendable (QuantizationPlan) throws -> PlanMetrics) {
        self.network = network
        self.basePlan = basePlan
        self.layers = layers
        self.choices = choices
        self.errors = errors
        self.metric = metric
        self.budgets = budgets
        self.objective = objective
        self.aggregation = aggregation
        self.evaluate = evaluate
    }

    /// Simulates plans on the tile architecture of `template` (steady state, as budgets mean it).
    public static func tileEvaluator(network: Network, template: AcceleratorTemplate, batch: Int) -> @Sendable (QuantizationPlan) throws -> PlanMetrics {
        { plan in
            let entry = try BoundNetworkCache.Entry(network: network, plan: plan, batch: batch)
            let built = try Simulator.build(template: template, network: entry.bound, workloads: entry.workloads, batch: batch)
            return PlanMetrics(try built.simulate(entry.bound, workloads: entry.workloads, batch: batch, firstFrame: false))
        }
    }

    /// Simulates plans on the dataflow architecture of `template` (docs/dataflow.md): each plan
    /// folded to the cheapest folding reaching `targetFPS`, or without one the fastest folding
    /// that fits. Its frame rate is the slowest stage's: pair it with ``CostAggregation/max``.
    public static func dataflowEvaluator(network: Network, template: AcceleratorTemplate, batch: Int, targetFPS: Double?,
                                         options: DataflowOptions) -> @Sendable (QuantizationPlan) throws -> PlanMetrics {
        { plan in
            let entry = try BoundNetworkCache.Entry(network: network, plan: plan, batch: batch)
            return PlanMetrics(try DesignSpace.dataflow(entry.bound, template: template, options: options, targetFPS: targetFPS, batch: batch))
        }
    }

    /// The plan of `assignment`: the base plan with each searched layer's choice as an override
    /// (its scale granularity kept).
    public func plan(for assignment: [Int]) -> QuantizationPlan {
        var plan = basePlan
        for (layer, choice) in zip(layers, assignment) {
            plan.overrides[layer] = LayerOverride(weights: choices[choice].weights, activations: choices[choice].activations,
                                                  scales: basePlan.overrides[layer]?.scales)
        }
        return plan
    }

    /// The error proxy of `assignment`: the layers' errors added (docs/compare.md).
    public func error(of assignment: [Int]) -> Double {
        var total = 0.0
        for (layer, choice) in zip(layers, assignment) {
            total += errors.error(layer: layer, weights: choices[choice].weights, activations: choices[choice].activations, metric: metric)
        }
        return total
    }

    /// Number of assignments (a Double: it outgrows integers).
    public var assignmentCount: Double { Foundation.pow(Double(choices.count), Double(layers.count)) }

    /// The number of assignments when it is at most ``exhaustiveLimit``, else `nil`.
    var exhaustiveCount: Int? {
        var count = 1
        for _ in layers {
            let (product, overflow) = count.multipliedReportingOverflow(by: choices.count)
            guard !overflow, product <= min(exhaustiveLimit, Self.maximumExhaustiveLimit) else { return nil }
            count = product
        }
        return count
    }

    /// Runs the search.
    public func run() throws(PrecisionSearchError) -> PrecisionSearchResult {
        guard !layers.isEmpty else { throw .nothingToSearch("the network has no weight layer to search") }
        guard !choices.isEmpty else { throw .nothingToSearch("no scheme to choose from: give --weights and --activations") }
        var memo = Memo()
        let method: SearchMethod
        if let count = exhaustiveCount {
            var all: [[Int]] = []
            var current = [Int](repeating: 0, count: layers.count)
            for _ in 0..<count {
                all.append(current)
                // Mixed-radix increment, the last layer fastest.
                var position = layers.count - 1
                while position >= 0 {
                    current[position] += 1
                    if current[position] < choices.count { break }
                    current[position] = 0
                    position -= 1
                }
            }
            simulate(all, into: &memo)
            method = .exhaustive(assignments: all.count)
        } else {
            estimatedSearch(into: &memo)
            method = .estimated(assignments: assignmentCount, simulated: memo.plans.count)
        }
        let evaluated = memo.plans.values.sorted { $0.assignment.lexicographicallyPrecedes($1.assignment) }
        guard let best = evaluated.filter(meetsBudgets).min(by: isBetter) else {
            throw .noPlanMeetsBudget(budgets: budgets.map(\.description).joined(separator: ", "), closest: closest(evaluated))
        }
        return PrecisionSearchResult(best: best, evaluated: evaluated, method: method)
    }

    /// Whether a simulated plan meets every budget.
    public func meetsBudgets(_ plan: SearchedPlan) -> Bool {
        guard let metrics = plan.metrics else { return false }
        return budgets.allSatisfy { $0.isMet(by: metrics, error: plan.error) }
    }

    /// The objective's value (smaller is better); infinite without metrics.
    func value(_ plan: SearchedPlan) -> Double {
        guard let metrics = plan.metrics else { return .infinity }
        switch objective {
        case .error: return plan.error
        case .latency: return metrics.latencyMs
        case .lut: return metrics.lutPercent
        }
    }

    /// The search's total order: objective, then error, then latency, then the earlier assignment.
    func isBetter(_ a: SearchedPlan, _ b: SearchedPlan) -> Bool {
        let (va, vb) = (value(a), value(b))
        if va != vb { return va < vb }
        if a.error != b.error { return a.error < b.error }
        let (la, lb) = (a.metrics?.latencyMs ?? .infinity, b.metrics?.latencyMs ?? .infinity)
        if la != lb { return la < lb }
        return a.assignment.lexicographicallyPrecedes(b.assignment)
    }

    /// Plans simulated so far, by assignment.
    struct Memo {
        var plans: [[Int]: SearchedPlan] = [:]
    }

    /// Simulates the assignments not yet in `memo`, `concurrency` at a time, in a fixed order.
    func simulate(_ assignments: [[Int]], into memo: inout Memo) {
        var seen = Set<[Int]>()
        let fresh = assignments.filter { memo.plans[$0] == nil && seen.insert($0).inserted }
        guard !fresh.isEmpty else { return }
        let results = ResultSlots(count: fresh.count)
        let width = max(1, min(concurrency, fresh.count))
        DispatchQueue.concurrentPerform(iterations: width) { worker in
            var index = worker
            while index < fresh.count {
                let assignment = fresh[index]
                let plan = self.plan(for: assignment)
                var searched = SearchedPlan(assignment: assignment, plan: plan, error: self.error(of: assignment), metrics: nil, failure: nil)
                do {
                    searched.metrics = try evaluate(plan)
                } catch let error as CustomStringConvertible & Error {
                    searched.failure = error.description
                } catch {
                    searched.failure = "\(error)"
                }
                results.set(index, searched)
                index += width
            }
        }
        for plan in results.values { memo.plans[plan.assignment] = plan }
    }

    /// What the nearest plan reached, for the error message.
    func closest(_ plans: [SearchedPlan]) -> String {
        let simulated = plans.filter { $0.metrics != nil }
        guard let nearest = simulated.max(by: { met($0) < met($1) || (met($0) == met($1) && isBetter($1, $0)) }),
              let metrics = nearest.metrics else {
            return "no plan could be simulated" + (plans.first?.failure.map { " (\($0))" } ?? "")
        }
        return "the nearest of \(simulated.count) simulated reaches \(TileTargetSearch.format(metrics.latencyMs)) ms, "
            + "\(TileTargetSearch.format(metrics.framesPerSecond)) frames/s, LUT \(TileTargetSearch.format(metrics.lutPercent)) %, "
            + "\(TileTargetSearch.format(metrics.sizeMiB)) MiB, error \(String(format: "%.4g", nearest.error))\(metrics.fits ? "" : ", does not fit")"
    }

    private func met(_ plan: SearchedPlan) -> Int {
        guard let metrics = plan.metrics else { return -1 }
        return budgets.filter { $0.isMet(by: metrics, error: plan.error) }.count
    }
}

/// Slots the concurrent simulations write their results into, one each.
final class ResultSlots: @unchecked Sendable {
    private var slots: [SearchedPlan?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: SearchedPlan) { lock.withLock { slots[index] = value } }

    var values: [SearchedPlan] { lock.withLock { slots.compactMap { $0 } } }
}
