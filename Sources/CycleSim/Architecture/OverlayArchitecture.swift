import HWModel
import Quantizers

/// The overlay architectures: compute arrays run layers one after another, tile by tile,
/// through the load/compute/store pipeline; vector units run element-wise layers. Tile arrays
/// and SCALE-Sim systolic arrays differ only in their compute model (docs/simulation.md §5).
public struct OverlayArchitecture: Sendable {
    /// The accelerator, every array sized.
    public let accelerator: Accelerator
    /// Tile arrays, or a systolic array's compute model on the same arrays.
    public let kind: ArchitectureKind
    /// Which layers keep their weights on chip across frames.
    public let residency: WeightResidency
    let buffers: BufferSet
    let budget: TileBudget
    let dma: DMAChannel
    let adapterLanes: Int64

    /// The architecture of `accelerator`, which must have all three buffers. Without a
    /// `residency`, every layer streams its weights through the whole weight buffer.
    public init(accelerator: Accelerator, kind: ArchitectureKind, residency: WeightResidency? = nil) throws(SimulationError) {
        precondition(kind != .dataflow, "the overlay architectures are tile and systolic")
        let template = accelerator.template
        self.accelerator = accelerator
        self.kind = kind
        buffers = try BufferSet(accelerator)
        let weightBits = buffers.weights.capacityBits
        self.residency = residency ?? .none(layers: 0, capacityBits: weightBits)
        var budget = TileBudget(buffers: buffers, minimumTiles: template.minimumTiles, file: template.file)
        budget.weightHalfBits = self.residency.streamingBits / 2
        self.budget = budget
        dma = DMAChannel(bytesPerCycle: template.dmaBytesPerCycle)
        // At least one lane, so that adapter time stays finite.
        adapterLanes = Int64(max(accelerator.adapterLanes, 1))
    }

    /// Lanes of the vector unit for data `bits` wide (at least 1).
    func vectorLanes(forData bits: Int) -> Int64 {
        Int64(max(accelerator.vectorUnit(bits: VectorUnit.laneBits(forData: bits))?.lanes ?? 1, 1))
    }

    /// Whether layer `position`'s weights stay on chip.
    func isResident(_ position: Int) -> Bool {
        position < residency.resident.count && residency.resident[position]
    }

    /// Maps one layer: its engine and tiles (pure). `array` is the array an array layer runs on.
    public func map(_ bound: BoundLayer, at position: Int, workload: Workload, array: (index: Int, array: ComputeArray)?) throws(SimulationError) -> LayerMapping {
        switch workload {
        case .gemm(let gemm):
            guard let array else {
                throw .hardware(.noArrayServes(layer: bound.name, unit: bound.unit?.name ?? "multiply-accumulate", file: accelerator.template.file))
            }
            return LayerMapping(engine: .array(array.index), tiling: .gemm(try tile(gemm, layer: bound.name, at: position, on: array.array)))
        case .vector(let vector):
            return LayerMapping(engine: .vectorUnit(bits: VectorUnit.laneBits(forData: vector.dataBits)),
                                tiling: .vector(try Tiler.tile(vector, layer: bound.name, budget: budget)))
        case .fused(let host):
            return LayerMapping(engine: .fused(into: host), tiling: .none)
        case .none:
            return LayerMapping(engine: .none, tiling: .none)
        }
    }

    /// Times one mapped layer; in a `warm` frame resident weights are already on chip.
    public func time(_ bound: BoundLayer, workload: Workload, mapping: LayerMapping, array: ComputeArray?, warm: Bool = true) throws(SimulationError) -> LayerSimulation {
        let type = bound.layer.kind.typeName
        switch (workload, mapping.tiling) {
        case (.gemm(let gemm), .gemm(let tiling)):
            guard let array else { preconditionFailure("a GEMM mapping names its array") }
            let first = tiling.passes[0].pass
            let shape = GEMMShape(m: first.m, k: first.k, n: first.n, runs: tiling.passRuns)
            let (activity, systolic) = try activity(gemm, tiling: tiling, on: array, warm: warm, layer: bound.name)
            return LayerSimulation(layer: bound.name, type: type, engine: mapping.engine, unit: array.unit, gemm: shape, systolic: systolic, activity: activity)
        case (.vector(let vector), .vector(let tiling)):
            return LayerSimulation(layer: bound.name, type: type, engine: mapping.engine,
                                   activity: try LayerTiming.vector(vector, tiling: tiling, lanes: vectorLanes(forData: vector.dataBits), dma: dma, layer: bound.name))
        default:
            return LayerSimulation(layer: bound.name, type: type, engine: mapping.engine)
        }
    }

    /// The tiles of a GEMM layer at `position` on `array` (its weights whole on chip when resident).
    func tile(_ gemm: GEMMWorkload, layer: String, at position: Int, on array: ComputeArray) throws(SimulationError) -> GEMMTiling {
        try Tiler.tile(gemm, layer: layer, on: array, dataflow: accelerator.template.dataflow, budget: budget, weightsResident: isResident(position))
    }

    /// A tiled GEMM layer timed on `array` with the architecture's compute model; SCALE-Sim's
    /// figures for a systolic array.
    func activity(_ gemm: GEMMWorkload, tiling: GEMMTiling, on array: ComputeArray, warm: Bool,
                  layer: String) throws(SimulationError) -> (LayerActivity, SystolicComputeResult?) {
        let vectorLanes = vectorLanes(forData: gemm.precision.outputBits)
        switch kind {
        case .tile:
            let model = ArrayComputeModel(array: array, dataflow: accelerator.template.dataflow, buffers: buffers, precision: gemm.precision)
            return (try LayerTiming.gemm(gemm, tiling: tiling, model: model, dma: dma, vectorLanes: vectorLanes, adapterLanes: adapterLanes,
                                         warm: warm, layer: layer), nil)
        case .systolic(let systolic):
            let model = SystolicComputeModel(workload: SystolicWorkload(gemm), on: systolic)
            return (try LayerTiming.gemm(gemm, tiling: tiling, model: model, dma: dma, vectorLanes: vectorLanes, adapterLanes: adapterLanes,
                                         warm: warm, layer: layer), model.layer)
        case .dataflow:
            preconditionFailure("the overlay architectures are tile and systolic")
        }
    }

    /// Maps every layer; `arrayOfLayer[i]` is the index into `accelerator.arrays` of layer i's array.
    public func map(_ network: BoundNetwork, workloads: [Workload], arrayOfLayer: [Int?]) throws(SimulationError) -> Mapping {
        var layers: [LayerMapping] = []
        layers.reserveCapacity(network.layers.count)
        for (position, bound) in network.layers.enumerated() {
            let array = arrayOfLayer[position].map { ($0, accelerator.arrays[$0]) }
            layers.append(try map(bound, at: position, workload: workloads[position], array: array))
        }
        return Mapping(layers: layers)
    }

    /// Times every mapped layer of one frame (or batch).
    func time(_ network: BoundNetwork, workloads: [Workload], mapping: Mapping, arrayOfLayer: [Int?], warm: Bool) throws(SimulationError) -> [LayerSimulation] {
        var layers: [LayerSimulation] = []
        layers.reserveCapacity(network.layers.count)
        for (position, bound) in network.layers.enumerated() {
            layers.append(try time(bound, workload: workloads[position], mapping: mapping.layers[position],
                                   array: arrayOfLayer[position].map { accelerator.arrays[$0] }, warm: warm))
        }
        return layers
    }

    /// Maps and times every layer of `network` for a batch of `batch`: the steady state (resident
    /// weights on chip) per layer, and the first frame's totals when any weights are resident
    /// and `firstFrame` asks for them (a sweep that reports only the steady state skips them).
    public func simulate(_ network: BoundNetwork, workloads: [Workload], arrayOfLayer: [Int?], batch: Int,
                         firstFrame timeFirstFrame: Bool = true) throws(SimulationError) -> NetworkSimulation {
        let mapping = try map(network, workloads: workloads, arrayOfLayer: arrayOfLayer)
        let steady = try time(network, workloads: workloads, mapping: mapping, arrayOfLayer: arrayOfLayer, warm: true)
        var firstFrame: FrameTotals?
        if timeFirstFrame && !residency.isEmpty {
            firstFrame = try FrameTotals(try time(network, workloads: workloads, mapping: mapping, arrayOfLayer: arrayOfLayer, warm: false),
                                         network: network.network.name)
        }
        return try NetworkSimulation(network: network.network.name, batch: batch, architecture: kind, hardware: HardwareSummary(accelerator),
                                     accelerator: accelerator, layers: steady, cost: network.cost, cycles: nil, initiationInterval: nil,
                                     bottleneckLayer: nil, firstFrame: firstFrame)
    }
}
