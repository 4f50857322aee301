/// Pareto optimality over objectives that are all minimised.
public enum Pareto {
    /// Values within this fraction of each other count as equal when thinning a front: 1 %, below
    /// the resolution of the model's own estimates (docs/compare.md, "Pareto front"), so that a
    /// point 20× slower is not optimal for a model 0.01 % smaller.
    public static let defaultTolerance = 0.01

    /// Indices of the Pareto-optimal points; points with a non-finite objective are never on
    /// the front.
    ///
    /// First the exact front: no other point is at least as good in every objective and better
    /// in one (equal points are all kept). Then, with a `tolerance` above 0, a point of it is
    /// dropped when another point of it is clearly better in one objective (by more than the
    /// tolerance) and worse in none by more than the tolerance. Should that relation leave no
    /// point (it is not transitive), the exact front is returned.
    public static func front(_ points: [[Double]], tolerance: Double = 0) -> Set<Int> {
        let exact = exactFront(points)
        guard tolerance > 0, exact.count > 1 else { return Set(exact) }
        let kept = exact.filter { candidate in
            !exact.contains { other in other != candidate && clearlyDominates(points[other], points[candidate], tolerance: tolerance) }
        }
        return Set(kept.isEmpty ? exact : kept)
    }

    /// Whether `a` dominates `b` (all objectives minimised).
    public static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var strictlyBetter = false
        for (x, y) in zip(a, b) {
            if x > y { return false }
            if x < y { strictlyBetter = true }
        }
        return strictlyBetter
    }

    /// Whether `a` is better than `b` by more than `tolerance` (relative to b) in some objective
    /// and worse by no more than `tolerance` in any.
    public static func clearlyDominates(_ a: [Double], _ b: [Double], tolerance: Double) -> Bool {
        var clearlyBetter = false
        for (x, y) in zip(a, b) {
            let slack = tolerance * abs(y)
            if x > y + slack { return false }
            if x < y - slack { clearlyBetter = true }
        }
        return clearlyBetter
    }

    /// The exact front, in order of the first objective. Sorting makes the two-objective case
    /// O(n log n); more objectives fall back to the pairwise check against the current front.
    private static func exactFront(_ points: [[Double]]) -> [Int] {
        let candidates = points.indices.filter { points[$0].allSatisfy(\.isFinite) }
        let ordered = candidates.sorted { lhs, rhs in
            points[lhs].lexicographicallyPrecedes(points[rhs]) || (points[lhs] == points[rhs] && lhs < rhs)
        }
        var front: [Int] = []
        for index in ordered {
            let point = points[index]
            let dominated = front.contains { other in dominates(points[other], point) }
            if !dominated { front.append(index) }
        }
        return front
    }
}
