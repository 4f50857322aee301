import Foundation
import HWModel
import Quantizers

extension MixedPrecisionSearch {
    /// An estimated plan: its cost estimate, its error and its assignment.
    struct Estimate {
        var cost: Double
        var error: Double
        var assignment: [Int]
    }

    /// Single changes of each kind (saving cost, lowering error) combined in pairs per round.
    static let pairedChanges = 8

    /// The search beyond ``exhaustiveLimit``: uniform plans, the estimated front, local moves.
    func estimatedSearch(into memo: inout Memo) {
        let uniform = choices.indices.map { [Int](repeating: $0, count: layers.count) }
        simulate(uniform, into: &memo)
        let (costs, rest) = layerCosts(memo)
        let layerErrors = layers.map { layer in
            choices.map { errors.error(layer: layer, weights: $0.weights, activations: $0.activations, metric: metric) }
        }
        func estimate(_ assignment: [Int]) -> Double {
            var total = rest
            for (layer, choice) in assignment.enumerated() { total = combine(total, costs[layer][choice]) }
            return total
        }

        // The estimated Pareto front of (cost, error), built one layer at a time.
        var front = [Estimate(cost: rest, error: 0, assignment: [])]
        for layer in layers.indices {
            var next: [Estimate] = []
            next.reserveCapacity(front.count * choices.count)
            for state in front {
                for choice in choices.indices where costs[layer][choice].isFinite {
                    next.append(Estimate(cost: combine(state.cost, costs[layer][choice]), error: state.error + layerErrors[layer][choice],
                                         assignment: state.assignment + [choice]))
                }
            }
            front = thinned(paretoFront(next))
        }
        simulate(front.map(\.assignment), into: &memo)

        // Moves of one or two layers from the best plan so far, the most promising first.
        for _ in 0..<refinement.rounds {
            let plans = Array(memo.plans.values)
            let feasible = plans.filter(meetsBudgets)
            let incumbent: SearchedPlan
            let isFeasible: Bool
            if let best = feasible.min(by: isBetter) {
                (incumbent, isFeasible) = (best, true)
            } else {
                // Nothing meets the budgets yet: move from the plan nearest to them.
                guard let nearest = plans.min(by: { violations($0) < violations($1) || (violations($0) == violations($1) && isBetter($0, $1)) }) else { return }
                (incumbent, isFeasible) = (nearest, false)
            }
            let cost = estimate(incumbent.assignment)
            // Single-layer changes, and pairs of the most promising ones: one that saves cost with
            // one that lowers error is how a plan trades between layers.
            var singles: [(layer: Int, choice: Int, added: Double, delta: Double)] = []
            for (layer, current) in incumbent.assignment.enumerated() {
                for choice in choices.indices where choice != current && costs[layer][choice].isFinite {
                    var moved = incumbent.assignment
                    moved[layer] = choice
                    singles.append((layer, choice, layerErrors[layer][choice] - layerErrors[layer][current], estimate(moved) - cost))
                }
            }
            let savers = singles.filter { $0.delta < 0 }.sorted { $0.added / -$0.delta < $1.added / -$1.delta }.prefix(Self.pairedChanges)
            let improvers = singles.filter { $0.added < 0 }.sorted { $0.delta / -$0.added < $1.delta / -$1.added }.prefix(Self.pairedChanges)
            let paired = Array(savers) + Array(improvers)
            var changes = singles.map { [($0.layer, $0.choice)] }
            for (i, a) in paired.enumerated() {
                for b in paired[(i + 1)...] where a.layer != b.layer { changes.append([(a.layer, a.choice), (b.layer, b.choice)]) }
            }
            var moves: [(score: Double, assignment: [Int])] = []
            for change in changes {
                var moved = incumbent.assignment
                var added = 0.0
                for (layer, choice) in change {
                    added += layerErrors[layer][choice] - layerErrors[layer][moved[layer]]
                    moved[layer] = choice
                }
                let delta = estimate(moved) - cost
                switch (isFeasible, objective) {
                // Less error for the least added cost.
                case (true, .error): if added < 0 { moves.append((delta, moved)) }
                // Less cost within the error budget (the budgets check it once simulated).
                case (true, .latency), (true, .lut): if delta <= 0 { moves.append((delta + 1e-12 * (incumbent.error + added), moved)) }
                // Towards the budgets: cheaper plans for the least error added per cost saved.
                case (false, _): if delta < 0 { moves.append((added / -delta, moved)) }
                }
            }
            moves.sort { $0.score < $1.score || ($0.score == $1.score && $0.assignment.lexicographicallyPrecedes($1.assignment)) }
            let known = memo.plans
            let batch = moves.lazy.map(\.assignment).filter { known[$0] == nil }.prefix(refinement.moves)
            guard !batch.isEmpty else { return }
            simulate(Array(batch), into: &memo)
            let after = memo.plans.values.filter(meetsBudgets).min(by: isBetter)
            if let after, meetsBudgets(incumbent), !isBetter(after, incumbent) { return }
        }
    }

    /// Per searched layer and choice, its cycles in the uniform plan of that choice; and the
    /// cycles of the other layers (the least over the uniform plans), which every plan pays.
    func layerCosts(_ memo: Memo) -> (costs: [[Double]], rest: Double) {
        let searched = Set(layers)
        var costs = [[Double]](repeating: [Double](repeating: .infinity, count: choices.count), count: layers.count)
        var rest = Double.infinity
        for choice in choices.indices {
            guard let metrics = memo.plans[[Int](repeating: choice, count: layers.count)]?.metrics else { continue }
            for (index, layer) in layers.enumerated() { costs[index][choice] = Double(metrics.layerCycles[layer] ?? 0) }
            var others = 0.0
            for (layer, cycles) in metrics.layerCycles where !searched.contains(layer) { others = combine(others, Double(cycles)) }
            rest = min(rest, others)
        }
        return (costs, rest.isFinite ? rest : 0)
    }

    func combine(_ total: Double, _ cost: Double) -> Double {
        aggregation == .sum ? total + cost : Swift.max(total, cost)
    }

    /// Budgets a plan misses (all of them when it could not be simulated).
    func violations(_ plan: SearchedPlan) -> Int {
        guard let metrics = plan.metrics else { return budgets.count + 1 }
        return budgets.filter { !$0.isMet(by: metrics, error: plan.error) }.count
    }

    /// The estimates no other is at least as cheap and as accurate as, by cost.
    func paretoFront(_ estimates: [Estimate]) -> [Estimate] {
        let sorted = estimates.sorted {
            $0.cost != $1.cost ? $0.cost < $1.cost : $0.error != $1.error ? $0.error < $1.error : $0.assignment.lexicographicallyPrecedes($1.assignment)
        }
        var front: [Estimate] = []
        for estimate in sorted where estimate.error < (front.last?.error ?? .infinity) { front.append(estimate) }
        return front
    }

    /// At most ``frontWidth`` estimates spread evenly along the front, both ends kept.
    func thinned(_ front: [Estimate]) -> [Estimate] {
        guard front.count > frontWidth, frontWidth > 1 else { return front }
        return (0..<frontWidth).map { front[Int((Double($0) * Double(front.count - 1) / Double(frontWidth - 1)).rounded())] }
    }
}

extension PrecisionSearchResult {
    /// Indices into ``evaluated`` of the plans on the front of error against `cost` (latency or
    /// LUTs): among plans that fit the device, those no other is at least as good as in both.
    public func front(against cost: SearchObjective) -> Set<Int> {
        Pareto.front(evaluated.map { plan in
            guard let metrics = plan.metrics, metrics.fits else { return [Double.infinity, .infinity] }
            return [cost == .lut ? metrics.lutPercent : metrics.latencyMs, plan.error]
        })
    }
}
