import HWModel
import Quantizers

/// Chooses among the candidates of every `auto` array by simulating the array's layers on each
/// (docs/simulation.md §4): fewest cycles wins; ties go to fewer lanes, then more rows, then the
/// earlier candidate. A search beside the builder and the evaluator, never inside either.
///
/// The search is exact but does not time every candidate: candidates are tried in the order of
/// a lower bound on their cycles (``OverlayArchitecture`` `cyclesLowerBound`), and a candidate
/// whose bound — or whose cycles so far plus the bounds of its remaining layers — exceeds the
/// best cycles found cannot win and is dropped. Layers with equal workloads are timed once per
/// candidate. `exhaustive: true` times every candidate (the reference the tests compare with).
public enum ArraySizingSearch {
    /// What the search needs of one `auto` request that no DMA rate changes: its layers grouped
    /// into classes of equal workload and residency, and per candidate and class the terms of
    /// the lower bound (``OverlayArchitecture`` `boundTerms`).
    public struct RequestPlan: Sendable {
        let classes: [ScoredLayer]
        let terms: [[BoundTerms?]]
    }

    /// The DMA-independent part of the search for every request of `draft` (`nil` for requests
    /// with nothing to choose); ``Simulator/prepare(template:network:workloads:batch:)`` keeps it.
    public static func plan(_ draft: AcceleratorDraft, network: BoundNetwork, workloads: [Workload], kind: ArchitectureKind,
                            residency: WeightResidency) throws(SimulationError) -> [RequestPlan?] {
        let scorer = try OverlayArchitecture(accelerator: draft.infrastructureOnly, kind: kind, residency: residency)
        return draft.requests.indices.map { index in
            let request = draft.requests[index], candidates = draft.choices[index]
            guard candidates.count > 1 || request.spec.isAutoSized else { return nil }
            // Layers with equal workloads and residency take equal cycles: each class is timed once.
            var classes: [ScoredLayer] = []
            var classOf: [LayerKey: Int] = [:]
            for position in request.layers {
                let key = LayerKey(workload: workloads[position], resident: scorer.isResident(position))
                if let known = classOf[key] {
                    classes[known].count += 1
                } else {
                    classOf[key] = classes.count
                    classes.append(ScoredLayer(position: position, name: network.layers[position].name, workload: key.workload,
                                               resident: key.resident, count: 1))
                }
            }
            let terms = candidates.map { candidate in
                classes.map { layer -> BoundTerms? in
                    guard case .gemm(let gemm) = layer.workload else { return nil }
                    return scorer.boundTerms(gemm, at: layer.position, on: candidate)
                }
            }
            return RequestPlan(classes: classes, terms: terms)
        }
    }

    /// The arrays chosen for `draft`, one per request; `plans` from ``plan(_:network:workloads:kind:residency:)``
    /// of the same draft (computed here when absent).
    public static func choose(_ draft: AcceleratorDraft, network: BoundNetwork, workloads: [Workload], kind: ArchitectureKind,
                              residency: WeightResidency, plans given: [RequestPlan?]? = nil,
                              exhaustive: Bool = false) throws(SimulationError) -> [ComputeArray] {
        let scorer = try OverlayArchitecture(accelerator: draft.infrastructureOnly, kind: kind, residency: residency)
        let plans: [RequestPlan?]
        if let given { plans = given } else { plans = try plan(draft, network: network, workloads: workloads, kind: kind, residency: residency) }
        var chosen: [ComputeArray] = []
        for index in draft.requests.indices {
            let candidates = draft.choices[index]
            guard let plan = plans[index] else {
                chosen.append(candidates[0])
                continue
            }
            let classes = plan.classes
            // Lower bounds per candidate and class (times its count); without a bound (or exhaustively) 0: never pruned.
            let bounds: [[Int64]] = plan.terms.map { row in
                zip(row, classes).map { terms, layer in
                    guard !exhaustive, let terms, let bound = scorer.cyclesLowerBound(terms) else { return 0 }
                    return bound &* layer.count
                }
            }
            let totals = bounds.map { $0.reduce(Int64(0)) { $0 &+ $1 } }
            let order = candidates.indices.sorted { totals[$0] < totals[$1] || (totals[$0] == totals[$1] && $0 < $1) }
            var best: (candidate: Int, cycles: Int64)?
            for candidateIndex in order {
                if let best, totals[candidateIndex] > best.cycles { break }
                guard let cycles = score(candidates[candidateIndex], index: index, layers: classes, bounds: bounds[candidateIndex], limit: best?.cycles,
                                         network: network, workloads: workloads, scorer: scorer) else { continue }
                if let current = best {
                    let (candidate, incumbent) = (candidates[candidateIndex].geometry, candidates[current.candidate].geometry)
                    // Equal speed on fewer lanes is the smaller design: what the layers need.
                    let better = cycles < current.cycles
                        || (cycles == current.cycles && candidate.lanes < incumbent.lanes)
                        || (cycles == current.cycles && candidate.lanes == incumbent.lanes && candidate.rows > incumbent.rows)
                        || (cycles == current.cycles && candidate.lanes == incumbent.lanes && candidate.rows == incumbent.rows
                            && candidateIndex < current.candidate)
                    if better { best = (candidateIndex, cycles) }
                } else {
                    best = (candidateIndex, cycles)
                }
            }
            // When every candidate fails (a tile that fits no buffer), keep the largest so that
            // the simulation reports the error for the offending layer.
            chosen.append(best.map { candidates[$0.candidate] } ?? candidates.max { $0.lanes < $1.lanes } ?? candidates[0])
        }
        return chosen
    }

    /// A GEMM layer an array runs, as the scoring needs it.
    struct ScoredLayer {
        var position: Int
        var name: String
        var workload: Workload
        var resident: Bool
        /// Layers of the array with this workload and residency.
        var count: Int64
    }

    /// A layer's workload and residency: what its cycles on one candidate depend on.
    struct LayerKey: Hashable {
        var workload: Workload
        var resident: Bool
    }

    /// Cycles of `layers` (classes of equal layers) on `candidate`; nil when one of them cannot
    /// be mapped or timed, or when the cycles so far plus the remaining classes' `bounds` exceed
    /// `limit` (it cannot win).
    static func score(_ candidate: ComputeArray, index: Int, layers: [ScoredLayer], bounds: [Int64], limit: Int64?,
                      network: BoundNetwork, workloads: [Workload], scorer: OverlayArchitecture) -> Int64? {
        var remaining = bounds.reduce(Int64(0)) { $0 &+ $1 }
        var cycles: Int64 = 0
        for (offset, layer) in layers.enumerated() {
            remaining &-= bounds[offset]
            let layerCycles: Int64
            do {
                if case .gemm(let gemm) = layer.workload {
                    let tiling = try scorer.tile(gemm, layer: layer.name, at: layer.position, on: candidate)
                    layerCycles = try scorer.activity(gemm, tiling: tiling, on: candidate, warm: true, layer: layer.name).0.cycles
                } else {
                    let bound = network.layers[layer.position]
                    let mapping = try scorer.map(bound, at: layer.position, workload: layer.workload, array: (index, candidate))
                    layerCycles = try scorer.time(bound, workload: layer.workload, mapping: mapping, array: candidate).cycles
                }
            } catch {
                return nil
            }
            assert(layerCycles &* layer.count >= bounds[offset], "the lower bound of layer '\(layer.name)' exceeds its cycles")
            cycles &+= layerCycles &* layer.count
            if let limit, cycles &+ remaining > limit { return nil }
        }
        return cycles
    }
}
