import HWModel
import Quantizers

/// Where a layer runs.
public enum Engine: Hashable, Sendable {
    /// On the compute array at this index of `Accelerator.arrays`.
    case array(Int)
    /// On the vector unit with lanes of `bits` bits (pooling, adds, softmax, embeddings,
    /// activations not fused).
    case vectorUnit(bits: Int)
    /// Folded into the named layer's output stage.
    case fused(into: String)
    /// No work (shape changes, graph inputs).
    case none
    /// Its own unit of a dataflow pipeline, named as FINN names the node (`MVAU_hls_3`).
    case dataflow(String)
}

/// One GEMM shape an array runs: Y[m×n] = W[m×k]·X[k×n], `count` times in sequence. Groups of a
/// grouped convolution narrower than the array are packed side by side into one pass.
public struct GEMMPass: Hashable, Sendable {
    /// Output rows (packed groups × rows per group).
    public var m: Int64
    /// Reduction length.
    public var k: Int64
    /// Output columns (positions × batch).
    public var n: Int64
    /// How many times this pass runs.
    public var count: Int64
    /// Input elements one run of the pass reads.
    public var inputElements: Int64
    /// Element-wise operations one run adds on the vector unit (LSTM gate arithmetic).
    public var vectorOperations: Int64
}

/// How one pass is cut into tiles that fit half of each buffer (the other half double-buffers).
public struct PassTiling: Hashable, Sendable {
    /// The pass being tiled.
    public var pass: GEMMPass
    /// Rows of M per weight tile.
    public var tileM: Int64
    /// Length of K per tile; less than K when the weights of even `cols` rows do not fit.
    public var tileK: Int64
    /// Columns of N per tile.
    public var tileN: Int64
    /// Whether the pass's whole input fits the input half, so it is loaded once per run.
    public var inputsResident: Bool

    /// ⌈M / Tm⌉.
    public var mBlocks: Int64 { Checked.divUp(pass.m, tileM) }
    /// ⌈K / Tk⌉.
    public var kBlocks: Int64 { Checked.divUp(pass.k, tileK) }
    /// ⌈N / Tn⌉.
    public var nBlocks: Int64 { Checked.divUp(pass.n, tileN) }
    /// Input elements per output column: what one column of the input feature map holds.
    public var inputPerColumn: Double { Double(pass.inputElements) / Double(max(pass.n, 1)) }
}

/// The tiles of a GEMM layer on one array.
public struct GEMMTiling: Hashable, Sendable {
    /// Passes in the order they run, each with its tiles.
    public var passes: [PassTiling]
    /// Whether weights shared by every pass run (LSTM steps) stay on chip after the first.
    public var sharedWeightsResident: Bool
    /// Whether the layer's weights stay on chip across frames (``WeightResidency``): loaded in
    /// the first frame only.
    public var weightsResident: Bool
    /// Bits of one partial sum in the output buffer.
    public var accumulatorBits: Int64

    /// Runs of all passes.
    public var passRuns: Int64 { passes.reduce(0) { $0 + $1.pass.count } }
}

/// The tiles of a vector layer: `tileOutputs` output elements at a time.
public struct VectorTiling: Hashable, Sendable {
    /// Output elements per tile.
    public var tileOutputs: Int64
    /// Input bits per output element, gathered bits included.
    public var inputBitsPerOutput: Double
}

/// How one layer is mapped: its engine and its tiling.
public struct LayerMapping: Hashable, Sendable {
    /// What the tiles are.
    public enum Tiling: Hashable, Sendable {
        /// GEMM tiles on an array.
        case gemm(GEMMTiling)
        /// Element tiles on the vector unit.
        case vector(VectorTiling)
        /// Fused or free: no tiles.
        case none
    }

    /// Which engine runs the layer.
    public var engine: Engine
    /// Its tiles.
    public var tiling: Tiling

    /// Creates a mapping.
    public init(engine: Engine, tiling: Tiling) {
        self.engine = engine
        self.tiling = tiling
    }
}

/// A network's mapping onto an accelerator: one entry per layer, in network order (Timeloop's
/// and ZigZag's mapping: produced by a pure mapper, consumed by the timing loop).
public struct Mapping: Hashable, Sendable {
    /// One entry per layer of the bound network.
    public var layers: [LayerMapping]

    /// Creates a mapping.
    public init(layers: [LayerMapping]) { self.layers = layers }
}
