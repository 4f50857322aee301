import HWModel
import Quantizers

/// Chooses among the candidates of every `auto` array by simulating the array's layers on each
/// (docs/simulation.md §4): fewest cycles wins; ties go to fewer lanes, then more rows. A search
/// beside the builder and the evaluator, never inside either.
public enum ArraySizingSearch {
    /// The arrays chosen for `draft`, one per request.
    public static func choose(_ draft: AcceleratorDraft, network: BoundNetwork, workloads: [Workload],
                              kind: ArchitectureKind, residency: WeightResidency) throws(SimulationError) -> [ComputeArray] {
        let scorer = try OverlayArchitecture(accelerator: draft.infrastructureOnly, kind: kind, residency: residency)
        var chosen: [ComputeArray] = []
        for (index, request) in draft.requests.enumerated() {
            let candidates = draft.choices[index]
            guard candidates.count > 1 || request.spec.isAutoSized else {
                chosen.append(candidates[0])
                continue
            }
            var best: (array: ComputeArray, cycles: Int64)?
            for candidate in candidates {
                guard let cycles = score(candidate, index: index, layers: request.layers, network: network, workloads: workloads, scorer: scorer) else { continue }
                if let current = best {
                    // Equal speed on fewer lanes is the smaller design: what the layers need.
                    let better = cycles < current.cycles
                        || (cycles == current.cycles && candidate.lanes < current.array.lanes)
                        || (cycles == current.cycles && candidate.lanes == current.array.lanes && candidate.geometry.rows > current.array.geometry.rows)
                    if better { best = (candidate, cycles) }
                } else {
                    best = (candidate, cycles)
                }
            }
            // When every candidate fails (a tile that fits no buffer), keep the largest so that
            // the simulation reports the error for the offending layer.
            chosen.append(best?.array ?? candidates.max { $0.lanes < $1.lanes } ?? candidates[0])
        }
        return chosen
    }

    /// Cycles of `layers` on `candidate`, or nil when one of them cannot be mapped or timed.
    static func score(_ candidate: ComputeArray, index: Int, layers: [Int], network: BoundNetwork, workloads: [Workload],
                      scorer: OverlayArchitecture) -> Int64? {
        var cycles: Int64 = 0
        for position in layers {
            let bound = network.layers[position]
            do {
                let mapping = try scorer.map(bound, at: position, workload: workloads[position], array: (index, candidate))
                cycles &+= try scorer.time(bound, workload: workloads[position], mapping: mapping, array: candidate).cycles
            } catch {
                return nil
            }
        }
        return cycles
    }
}
