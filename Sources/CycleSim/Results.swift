import HWModel

/// Cycles a layer's compute engine waited, by cause.
public struct Stalls: Hashable, Sendable {
    /// Waiting for a load: the first tile's, or a later one the DMA had not finished.
    public var load: Int64 = 0
    /// Waiting for a store to free an output half-buffer, and the final store after compute.
    public var store: Int64 = 0
    /// Extra fold cycles because a buffer's ports could not feed the array every cycle.
    public var ports: Int64 = 0
    /// The array's pipeline latency, exposed once per layer.
    public var fill: Int64 = 0
    /// The ASQ adapter computing the activation step before the layer starts.
    public var adapter: Int64 = 0

    /// Creates a breakdown.
    public init(load: Int64 = 0, store: Int64 = 0, ports: Int64 = 0, fill: Int64 = 0, adapter: Int64 = 0) {
        self.load = load
        self.store = store
        self.ports = ports
        self.fill = fill
        self.adapter = adapter
    }

    /// All stall cycles.
    public var total: Int64 { load + store + ports + fill + adapter }
}

/// Whether a layer's time is set by arithmetic or by DRAM traffic.
public enum Bound: String, Hashable, Sendable {
    /// Compute-bound: the engine's cycles exceed the DMA's; memory-bound: DMA cycles exceed compute cycles.
    case compute, memory
    /// Fused into another layer or free: no time of its own.
    case none = "-"
}

/// Where a layer runs.
public enum Placement: Hashable, Sendable, CustomStringConvertible {
    /// On the compute array at this index of `Accelerator.arrays`.
    case array(Int, name: String)
    /// On the shared vector unit (pooling, adds, softmax, embeddings, activations not fused).
    case vectorUnit
    /// Folded into the named layer's output stage.
    case fused(into: String)
    /// No work (shape changes, graph inputs).
    case none

    /// The array's name, `vector`, `fused→<layer>` or `-`, as the per-layer report prints it.
    public var description: String {
        switch self {
        case .array(_, let name): name
        case .vectorUnit: "vector"
        case .fused(let host): "fused→\(host)"
        case .none: "-"
        }
    }
}

/// The simulated cost of one layer.
public struct LayerSimulation: Hashable, Sendable {
    /// Layer name, as in the network.
    public var layer: String
    /// Layer type as configs spell it (`conv2d`, `linear`, …).
    public var type: String
    /// Which engine ran the layer, or that it was fused or needed no work.
    public var placement: Placement
    /// Unit name for array layers.
    public var unit: String?
    /// `m×k×n` of the first GEMM pass (with the pass count when there are several).
    public var gemm: String?
    /// Multiply-accumulates performed, whole batch.
    public var macs: Int64 = 0
    /// Vector-unit operations, whole batch.
    public var vectorOperations: Int64 = 0
    /// Tiles the layer was cut into; successive tiles overlap their loads, compute and stores.
    public var tiles: Int64 = 0
    /// Cycles from the layer's start to its last store.
    public var cycles: Int64 = 0
    /// ⌈MACs / lanes⌉ (or vector operations / lanes): the cycles a perfectly used engine needs.
    public var idealCycles: Int64 = 0
    /// Cycles the engine computed (folds × cycles per fold, summed over tiles).
    public var busyCycles: Int64 = 0
    /// Cycles the engine waited, by cause (load, store, buffer ports, pipeline fill, ASQ adapter).
    public var stalls = Stalls()
    /// Bytes read from DRAM, weights among them.
    public var bytesLoaded: Int64 = 0
    /// The part of `bytesLoaded` that is weights.
    public var weightBytesLoaded: Int64 = 0
    /// Bytes written to DRAM, whole batch.
    public var bytesStored: Int64 = 0
    /// DMA cycles of the loads and stores.
    public var dmaCycles: Int64 = 0
    /// Lanes of the engine the layer ran on.
    public var lanes: Int64 = 0
    /// Whether DMA or compute cycles dominate; `.none` for fused and free layers.
    public var bound: Bound = .none

    /// MACs (or vector operations) over lanes × cycles.
    public var utilization: Double {
        guard cycles > 0, lanes > 0 else { return 0 }
        let work = macs > 0 ? macs : vectorOperations
        return Double(work) / (Double(lanes) * Double(cycles))
    }

    /// Bytes moved to and from DRAM.
    public var bytesMoved: Int64 { bytesLoaded + bytesStored }
}

/// A network simulated on an accelerator.
public struct NetworkSimulation: Hashable, Sendable {
    /// Network name, for reports.
    public var network: String
    /// Samples simulated together; N of every GEMM includes it.
    public var batch: Int
    /// The accelerator the network ran on, with its arrays sized.
    public var accelerator: Accelerator
    /// One entry per layer, in network order; layers run one after another.
    public var layers: [LayerSimulation]
    /// The analytic cost of the network under the same plan (model size, MACs per sample).
    public var cost: NetworkCost

    /// Cycles of the whole batch: layers run one after another.
    public var cycles: Int64 { layers.reduce(0) { $0 &+ $1.cycles } }
    /// Multiply-accumulates of the whole batch.
    public var macs: Int64 { layers.reduce(0) { $0 &+ $1.macs } }
    /// Cycles the engines spent computing, summed over layers.
    public var busyCycles: Int64 { layers.reduce(0) { $0 &+ $1.busyCycles } }
    /// Bytes read from DRAM, whole batch.
    public var bytesLoaded: Int64 { layers.reduce(0) { $0 &+ $1.bytesLoaded } }
    /// Bytes written to DRAM, whole batch.
    public var bytesStored: Int64 { layers.reduce(0) { $0 &+ $1.bytesStored } }
    /// The part of `bytesLoaded` that is weights.
    public var weightBytesLoaded: Int64 { layers.reduce(0) { $0 &+ $1.weightBytesLoaded } }

    /// Stall cycles summed over layers.
    public var stalls: Stalls {
        layers.reduce(Stalls()) { total, layer in
            Stalls(load: total.load &+ layer.stalls.load, store: total.store &+ layer.stalls.store, ports: total.ports &+ layer.stalls.ports,
                   fill: total.fill &+ layer.stalls.fill, adapter: total.adapter &+ layer.stalls.adapter)
        }
    }

    /// Seconds for the batch at the accelerator clock.
    public var latencySeconds: Double { Double(cycles) / (accelerator.template.clockMHz * 1e6) }
    /// Samples per second.
    public var framesPerSecond: Double { latencySeconds > 0 ? Double(batch) / latencySeconds : 0 }
    /// Achieved operations per second, a MAC counted as two operations.
    public var effectiveOpsPerSecond: Double { latencySeconds > 0 ? 2 * Double(macs) / latencySeconds : 0 }
    /// Achieved over peak operations per second.
    public var peakFraction: Double {
        let peak = accelerator.peakOpsPerSecond
        return peak > 0 ? effectiveOpsPerSecond / peak : 0
    }
}
