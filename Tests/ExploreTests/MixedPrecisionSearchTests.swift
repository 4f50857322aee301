import CycleSim
import Foundation
import HWModel
import Quantizers
import Testing
@testable import Explore

/// The per-layer search against every assignment of a small network.
@Suite struct MixedPrecisionSearchTests {
    /// input [3, 16, 16] → conv 8 → ReLU → conv 16 → ReLU → conv 16 → ReLU → global pool → flatten → linear 10: four weight layers.
    static func network() throws -> Network {
        func conv(_ name: String, _ channels: Int, _ input: String) -> Layer {
            Layer(name: name, kind: .convolution(Convolution(outChannels: channels, kernel: [3, 3], stride: [1, 1], padding: .explicit(begin: [1, 1], end: [1, 1]),
                                                             dilation: [1, 1], groups: 1, bias: false)), inputs: [input])
        }
        return try Network(name: "small", layers: [
            Layer(name: "input", kind: .input(TensorShape([3, 16, 16])), inputs: []),
            conv("c1", 8, "input"), Layer(name: "r1", kind: .activation(.relu), inputs: ["c1"]),
            conv("c2", 16, "r1"), Layer(name: "r2", kind: .activation(.relu), inputs: ["c2"]),
            conv("c3", 16, "r2"), Layer(name: "r3", kind: .activation(.relu), inputs: ["c3"]),
            Layer(name: "gap", kind: .globalPool(.average), inputs: ["r3"]),
            Layer(name: "flat", kind: .flatten(startAxis: 0), inputs: ["gap"]),
            Layer(name: "fc", kind: .linear(Linear(outFeatures: 10, bias: true)), inputs: ["flat"]),
        ])
    }

    static let layers = ["c1", "c2", "c3", "fc"]
    static let choices = [QuantScheme.binary, .ternary, .post(bits: 4)].flatMap { w in
        [QuantScheme.uniform(bits: 4), .uniform(bits: 8)].map { SchemeChoice(weights: w, activations: $0) }
    }

    /// Weights of different shapes per layer (Gaussian, heavy-tailed, uniform, sparse), so that the
    /// layers' errors under a scheme differ and the search has something to trade.
    static func errors(_ network: Network) throws -> QuantizationErrorTable {
        let counts = ["c1": 3 * 8 * 9, "c2": 8 * 16 * 9, "c3": 16 * 16 * 9, "fc": 16 * 10]
        var tensors: [String: (tensor: Tensor, channelAxis: Int)] = [:]
        let base = QuantizationErrorTable.sample(count: 4096, halfNormal: false).values
        for (index, layer) in layers.enumerated() {
            let values = (0..<(counts[layer] ?? 0)).map { i -> Float in
                let g = base[(i * 7 + index * 131) % base.count]
                switch index {
                case 0: return g
                case 1: return g * g * g
                case 2: return Float((i * 37) % 101) / 50 - 1
                default: return i % 5 == 0 ? g * 4 : g * 0.05
                }
            }
            tensors[layer] = (Tensor(values), 0)
        }
        return try QuantizationErrorTable(network: network, plan: QuantizationPlan(), layers: layers,
                                          weightSchemes: [.binary, .ternary, .post(bits: 4)], activationSchemes: [.uniform(bits: 4), .uniform(bits: 8)],
                                          tensors: tensors)
    }

    /// Plans the tests' searches have simulated: every search here simulates the same 1296.
    final class Simulated: @unchecked Sendable {
        private var plans: [QuantizationPlan: PlanMetrics] = [:]
        private let lock = NSLock()
        let simulate: @Sendable (QuantizationPlan) throws -> PlanMetrics

        init(_ simulate: @escaping @Sendable (QuantizationPlan) throws -> PlanMetrics) { self.simulate = simulate }

        func metrics(_ plan: QuantizationPlan) throws -> PlanMetrics {
            if let known = lock.withLock({ plans[plan] }) { return known }
            let metrics = try simulate(plan)
            lock.withLock { plans[plan] = metrics }
            return metrics
        }
    }

    static func search(budgets: [SearchBudget], objective: SearchObjective = .error, memo given: Simulated? = nil) throws -> MixedPrecisionSearch {
        let network = try network()
        let memo = try given ?? Simulated(MixedPrecisionSearch.tileEvaluator(network: network, template: try shippedHardware("zu9eg"), batch: 1))
        return MixedPrecisionSearch(network: network, basePlan: QuantizationPlan(weights: .uniform(bits: 8), activations: .uniform(bits: 8)),
                                    layers: layers, choices: choices, errors: try errors(network), budgets: budgets, objective: objective,
                                    evaluate: { try memo.metrics($0) })
    }

    /// Every assignment, simulated here by `Simulator.run` without the search: 6⁴ = 1296 plans.
    static func everyAssignment(_ search: MixedPrecisionSearch) throws -> [(assignment: [Int], error: Double, metrics: PlanMetrics)] {
        var result: [(assignment: [Int], error: Double, metrics: PlanMetrics)] = []
        for a in 0..<6 { for b in 0..<6 { for c in 0..<6 { for d in 0..<6 {
            let assignment = [a, b, c, d]
            let plan = search.plan(for: assignment)
            let simulation = try Simulator.run(network: search.network, plan: plan, template: try shippedHardware("zu9eg"))
            result.append((assignment, search.error(of: assignment), PlanMetrics(simulation)))
        } } } }
        return result
    }

    @Test func theAnswerIsTheOptimumOfEveryAssignment() throws {
        let unconstrained = try Self.search(budgets: [.fitsDevice])
        let all = try Self.everyAssignment(unconstrained)
        let memo = Simulated(unconstrained.evaluate)
        #expect(all.count == 1296)
        let latencies = all.map(\.metrics.latencyMs).sorted()
        let errors = all.map(\.error).sorted()
        // Latency budgets from loose to tight, and error budgets for the latency objective.
        var cases: [([SearchBudget], SearchObjective)] = [0.9, 0.5, 0.2, 0.05].map { ([.fitsDevice, .maxLatencyMs(latencies[Int($0 * Double(latencies.count - 1))])], .error) }
        cases += [0.5, 0.1].map { ([.fitsDevice, .maxError(errors[Int($0 * Double(errors.count - 1))])], .latency) }
        for (budgets, objective) in cases {
            let search = try Self.search(budgets: budgets, objective: objective, memo: memo)
            let result = try search.run()
            #expect(result.method == .exhaustive(assignments: 1296))
            let feasible = all.filter { entry in budgets.allSatisfy { $0.isMet(by: entry.metrics, error: entry.error) } }
            let key: ((assignment: [Int], error: Double, metrics: PlanMetrics)) -> Double = { objective == .error ? $0.error : $0.metrics.latencyMs }
            let optimum = try #require(feasible.min { key($0) != key($1) ? key($0) < key($1) : $0.error != $1.error ? $0.error < $1.error
                : $0.metrics.latencyMs != $1.metrics.latencyMs ? $0.metrics.latencyMs < $1.metrics.latencyMs : $0.assignment.lexicographicallyPrecedes($1.assignment) })
            #expect(result.best.assignment == optimum.assignment, "\(budgets)")
            #expect(result.best.metrics == optimum.metrics)
            // The estimating search (forced here) meets the budgets too, is never worse than the best
            // uniform plan, and is within 30 % of the optimum here (it is not proven optimal; when
            // written it found the optimum in 5 of these 6 cases and was 13 % above it in one).
            var estimating = search
            estimating.exhaustiveLimit = 0
            let estimated = try estimating.run()
            let estimatedMetrics = try #require(estimated.best.metrics)
            #expect(budgets.allSatisfy { $0.isMet(by: estimatedMetrics, error: estimated.best.error) })
            let found = key((estimated.best.assignment, estimated.best.error, estimatedMetrics))
            let uniform = feasible.filter { Set($0.assignment).count == 1 }.map(key).min() ?? .infinity
            #expect(found <= uniform && found >= key(optimum) && found <= key(optimum) * 1.3, "\(estimated.best.assignment) vs \(optimum.assignment) for \(budgets)")
            #expect(estimated.evaluated.count < 1296 / 4)
        }
    }

    @Test func aReturnedPlanReproducesItsNumbersAndMeetsItsBudget() throws {
        let search = try Self.search(budgets: [.fitsDevice, .maxLatencyMs(0.05), .maxSizeMiB(0.01)])
        let result = try search.run()
        let rerun = try Simulator.run(network: search.network, plan: result.best.plan, template: try shippedHardware("zu9eg"))
        #expect(PlanMetrics(rerun) == result.best.metrics)
        #expect(rerun.latencySeconds * 1e3 <= 0.05 && rerun.cost.modelSizeMiB <= 0.01)
        // Deterministic: the same search gives the same plan and the same simulated set.
        let again = try search.run()
        #expect(again.best == result.best && again.evaluated == result.evaluated)
    }

    @Test func anUnreachableBudgetSaysWhatTheNearestPlanReaches() throws {
        let search = try Self.search(budgets: [.maxLatencyMs(1e-6)])
        #expect {
            try search.run()
        } throws: { error in
            guard case PrecisionSearchError.noPlanMeetsBudget(let budgets, let closest) = error else { return false }
            return budgets == "latency ≤ \(DesignSpace.number(1e-6)) ms" && closest.hasPrefix("the nearest of 1296 simulated reaches")
        }
    }

    @Test func theGaussianFallbackGivesEveryLayerTheSameError() throws {
        let network = try Self.network()
        let table = try QuantizationErrorTable(network: network, plan: QuantizationPlan(), layers: Self.layers, weightSchemes: [.binary, .uniform(bits: 4)],
                                               activationSchemes: [.uniform(bits: 4), .fp32], tensors: [:])
        #expect(!table.allMeasured && table.sources["c1"] == .gaussian)
        let binary = try #require(table.weights["c1"]?[.binary])
        #expect(table.weights["fc"]?[.binary] == binary)
        // Binary on N(0, 1): 1 − 2/π of the power is noise (α = E|w| is the optimal scale).
        #expect(abs(binary.noiseToSignal - (1 - 2 / Double.pi)) < 0.02)
        #expect(table.activations[.fp32]?.noiseToSignal == 0)
        #expect(try #require(table.weights["c1"]?[.uniform(bits: 4)]).noiseToSignal < binary.noiseToSignal / 10)
    }
}

/// The search on the dataflow architecture, whose frame rate the slowest stage sets.
@Suite struct DataflowPrecisionSearchTests {
    @Test func onADataflowPipelineTheAnswerIsTheOptimumOfEveryAssignment() throws {
        let network = try MixedPrecisionSearchTests.network()
        let template = try shippedHardware("zcu104")
        let choices = [QuantScheme.binary, .ternary, .uniform(bits: 4)].map { SchemeChoice(weights: $0, activations: .uniform(bits: 4)) }
        let table = try MixedPrecisionSearchTests.errors(network)
        let plain = QuantizationErrorTable(weights: table.weights, activations: [.uniform(bits: 4): LayerError(noiseToSignal: 0.01, orientation: 0.001)],
                                           sources: table.sources)
        let evaluate = MixedPrecisionSearch.dataflowEvaluator(network: network, template: template, batch: 1, targetFPS: nil, options: DataflowOptions())
        func search(_ budgets: [SearchBudget]) -> MixedPrecisionSearch {
            MixedPrecisionSearch(network: network, basePlan: QuantizationPlan(weights: .uniform(bits: 8), activations: .uniform(bits: 8)),
                                 layers: MixedPrecisionSearchTests.layers, choices: choices, errors: plain, budgets: budgets, aggregation: .max,
                                 evaluate: evaluate)
        }
        // Every assignment (3⁴ = 81), simulated here without the search.
        let reference = search([.fitsDevice])
        var all: [(assignment: [Int], error: Double, metrics: PlanMetrics)] = []
        for a in 0..<3 { for b in 0..<3 { for c in 0..<3 { for d in 0..<3 {
            let plan = reference.plan(for: [a, b, c, d])
            let bound = try BoundNetwork(network: network, plan: plan)
            let simulation = try DesignSpace.dataflow(bound, template: template, options: DataflowOptions(), targetFPS: nil, batch: 1)
            all.append(([a, b, c, d], reference.error(of: [a, b, c, d]), PlanMetrics(simulation)))
        } } } }
        let rates = all.map(\.metrics.framesPerSecond).sorted()
        for quantile in [0.3, 0.7] {
            let budgets: [SearchBudget] = [.fitsDevice, .minFramesPerSecond(rates[Int(quantile * Double(rates.count - 1))])]
            let result = try search(budgets).run()
            #expect(result.method == .exhaustive(assignments: 81))
            let feasible = all.filter { entry in budgets.allSatisfy { $0.isMet(by: entry.metrics, error: entry.error) } }
            let optimum = try #require(feasible.min { $0.error != $1.error ? $0.error < $1.error
                : $0.metrics.latencyMs != $1.metrics.latencyMs ? $0.metrics.latencyMs < $1.metrics.latencyMs : $0.assignment.lexicographicallyPrecedes($1.assignment) })
            #expect(result.best.assignment == optimum.assignment)
            var estimating = search(budgets)
            estimating.exhaustiveLimit = 0
            let estimated = try estimating.run()
            let metrics = try #require(estimated.best.metrics)
            #expect(budgets.allSatisfy { $0.isMet(by: metrics, error: estimated.best.error) })
        }
    }
}
