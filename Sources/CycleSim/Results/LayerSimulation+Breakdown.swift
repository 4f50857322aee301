extension LayerSimulation {
    /// Where the layer's cycles go: ideal compute, lanes the mapping left idle, and stalls by
    /// cause, with whatever the engines' overlap leaves unexplained as "other". The parts add up
    /// to `cycles`, so a plot of them stacks to the layer's time.
    public var cycleBreakdown: [(name: String, cycles: Int64)] {
        let mappingLoss = max(0, busyCycles - idealCycles - stalls.ports)
        var parts: [(name: String, cycles: Int64)] = [
            ("compute (ideal)", idealCycles), ("mapping loss", mappingLoss), ("buffer ports", stalls.ports),
            ("load stall", stalls.load), ("store stall", stalls.store), ("pipeline fill", stalls.fill), ("ASQ adapter", stalls.adapter),
        ]
        let accounted = parts.reduce(Int64(0)) { $0 + $1.cycles }
        parts.append(("other", max(0, cycles - accounted)))
        return parts
    }
}
