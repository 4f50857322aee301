/// Where a layer's cycles go, part by part; the parts add up to the layer's cycles.
public enum CycleCategory: Hashable, Sendable, CaseIterable {
    /// ⌈MACs / lanes⌉ (or the vector unit's operations over its lanes): the time at full use.
    case idealCompute
    /// Busy cycles beyond the ideal: lanes the tiling leaves idle (ragged M, K or N folds,
    /// packing that does not fill the array).
    case mappingLoss
    /// Cycles the input or weight buffer's ports could not deliver operands.
    case bufferPorts
    /// Compute waiting for a tile's load (DMA in).
    case loadStall
    /// Compute waiting for a buffer half the store DMA still holds, and the last store.
    case storeStall
    /// The engine's fill latency, paid once per layer.
    case pipelineFill
    /// The ASQ adapter's MACs before the layer starts.
    case adapter
    /// What the engines' overlap leaves unexplained by the parts above.
    case other
}

extension LayerSimulation {
    /// Where the layer's cycles go: ideal compute, lanes the mapping left idle, and stalls by
    /// cause, with whatever the engines' overlap leaves unexplained as ``CycleCategory/other``.
    /// The parts add up to `cycles`, in ``CycleCategory`` order, so a plot of them stacks to the
    /// layer's time.
    public var cycleBreakdown: [(category: CycleCategory, cycles: Int64)] {
        let mappingLoss = max(0, busyCycles - idealCycles - stalls.ports)
        var parts: [(category: CycleCategory, cycles: Int64)] = [
            (.idealCompute, idealCycles), (.mappingLoss, mappingLoss), (.bufferPorts, stalls.ports),
            (.loadStall, stalls.load), (.storeStall, stalls.store), (.pipelineFill, stalls.fill), (.adapter, stalls.adapter),
        ]
        let accounted = parts.reduce(Int64(0)) { $0 + $1.cycles }
        parts.append((.other, max(0, cycles - accounted)))
        return parts
    }
}
