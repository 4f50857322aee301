extension LevelSet {
    /// The level closest to `x` (L2 projection onto the set); a value exactly halfway between two
    /// levels goes to the lower one, and values beyond the ends clip to them.
    public func nearest(to x: Double) -> Double {
        levels[nearestIndex(to: x)]
    }

    /// Index of `nearest(to:)` in `levels`.
    public func nearestIndex(to x: Double) -> Int {
        // Binary search for the first level ≥ x, then compare with its lower neighbour.
        var low = 0, high = levels.count
        while low < high {
            let mid = (low + high) / 2
            if levels[mid] < x { low = mid + 1 } else { high = mid }
        }
        if low == 0 { return 0 }
        if low == levels.count { return levels.count - 1 }
        return x - levels[low - 1] <= levels[low] - x ? low - 1 : low
    }

}
