/// Pareto optimality over objectives that are all minimised.
public enum Pareto {
    /// Indices of the points no other point dominates. A point dominates another when it is no
    /// worse in every objective and better in at least one; points with a non-finite objective
    /// are never on the front. Equal points are all kept.
    ///
    /// Sorting by the first objective makes the two-objective case O(n log n); more objectives
    /// fall back to the pairwise check against the current front.
    public static func front(_ points: [[Double]]) -> Set<Int> {
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
        return Set(front)
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
}
