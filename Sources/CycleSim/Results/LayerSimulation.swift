import HWModel
import Quantizers

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

    /// Component-wise sum.
    public static func + (a: Stalls, b: Stalls) -> Stalls {
        Stalls(load: a.load &+ b.load, store: a.store &+ b.store, ports: a.ports &+ b.ports, fill: a.fill &+ b.fill, adapter: a.adapter &+ b.adapter)
    }
}

/// Whether a layer's time is set by arithmetic or by DRAM traffic.
public enum Bound: String, Hashable, Sendable {
    /// Compute-bound: the engine's cycles exceed the DMA's; memory-bound: DMA cycles exceed compute cycles.
    case compute, memory
    /// Fused into another layer or free: no time of its own.
    case none = "-"
}

/// The GEMM a layer ran as: the first pass's M × K × N and the number of pass runs.
public struct GEMMShape: Hashable, Sendable {
    /// Output rows of the first pass.
    public var m: Int64
    /// Reduction length.
    public var k: Int64
    /// Output columns (positions × batch).
    public var n: Int64
    /// Runs of all passes (groups packed per pass, LSTM steps).
    public var runs: Int64
}

/// What a layer did on its engine: the work, the time and the traffic.
public struct LayerActivity: Hashable, Sendable {
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
    /// Cycles the engine waited, by cause.
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

    /// No work: a fused or free layer.
    public static let idle = LayerActivity()

    /// Whether DMA or compute cycles dominate; `.none` without tiles.
    public var bound: Bound {
        guard tiles > 0 else { return .none }
        return dmaCycles > busyCycles + stalls.ports ? .memory : .compute
    }
}

/// The simulated cost of one layer.
public struct LayerSimulation: Hashable, Sendable {
    /// Layer name, as in the network.
    public let layer: String
    /// Layer type as configs spell it (`conv2d`, `linear`, …).
    public let type: String
    /// Which engine ran the layer, or that it was fused or needed no work.
    public let engine: Engine
    /// The arithmetic of array layers.
    public let unit: ArithmeticUnit?
    /// The GEMM of array layers.
    public let gemm: GEMMShape?
    /// SCALE-Sim's compute figures, when a systolic array ran the layer.
    public let systolic: SystolicComputeResult?
    /// Work, time and traffic.
    public let activity: LayerActivity
    /// The dataflow stages that implement the layer, with their folding, cycles and resources.
    public let dataflow: DataflowLayerRecord?

    /// Creates a record.
    public init(layer: String, type: String, engine: Engine, unit: ArithmeticUnit? = nil, gemm: GEMMShape? = nil,
                systolic: SystolicComputeResult? = nil, activity: LayerActivity = .idle, dataflow: DataflowLayerRecord? = nil) {
        self.layer = layer
        self.type = type
        self.engine = engine
        self.unit = unit
        self.gemm = gemm
        self.systolic = systolic
        self.activity = activity
        self.dataflow = dataflow
    }

    /// Multiply-accumulates performed, whole batch.
    public var macs: Int64 { activity.macs }
    /// Vector-unit operations, whole batch.
    public var vectorOperations: Int64 { activity.vectorOperations }
    /// Tiles the layer was cut into.
    public var tiles: Int64 { activity.tiles }
    /// Cycles from the layer's start to its last store.
    public var cycles: Int64 { activity.cycles }
    /// ⌈MACs / lanes⌉: what a perfectly used engine needs.
    public var idealCycles: Int64 { activity.idealCycles }
    /// Cycles the engine computed.
    public var busyCycles: Int64 { activity.busyCycles }
    /// Cycles the engine waited, by cause.
    public var stalls: Stalls { activity.stalls }
    /// Bytes read from DRAM.
    public var bytesLoaded: Int64 { activity.bytesLoaded }
    /// The part of `bytesLoaded` that is weights.
    public var weightBytesLoaded: Int64 { activity.weightBytesLoaded }
    /// Bytes written to DRAM.
    public var bytesStored: Int64 { activity.bytesStored }
    /// DMA cycles of the loads and stores.
    public var dmaCycles: Int64 { activity.dmaCycles }
    /// Lanes of the engine.
    public var lanes: Int64 { activity.lanes }
    /// Whether DMA or compute cycles dominate.
    public var bound: Bound { activity.bound }
    /// Bytes moved to and from DRAM.
    public var bytesMoved: Int64 { activity.bytesLoaded + activity.bytesStored }

    /// MACs (or vector operations) over lanes × cycles.
    public var utilization: Double {
        guard cycles > 0, lanes > 0 else { return 0 }
        let work = macs > 0 ? macs : vectorOperations
        return Double(work) / (Double(lanes) * Double(cycles))
    }
}
