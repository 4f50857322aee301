import HWModel
import Quantizers

/// Bit widths a layer's data moves at.
public struct LayerPrecision: Hashable, Sendable {
    /// Bits of each weight code as stored in DRAM and loaded.
    public var weightBits: Int
    /// Bits of each input element as stored.
    public var inputBits: Int
    /// Bits of each output element as stored.
    public var outputBits: Int

    /// Creates a precision triple.
    public init(weightBits: Int, inputBits: Int, outputBits: Int) {
        self.weightBits = weightBits
        self.inputBits = inputBits
        self.outputBits = outputBits
    }
}

/// Multiply-accumulates as matrix products, independent of any architecture:
/// `groups` independent products Y[m×n] = W[m×k]·X[k×n] side by side, repeated `steps` times
/// in sequence. N includes the batch.
public struct GEMMWorkload: Hashable, Sendable {
    /// Output rows of one group (output channels / groups; 4H gate rows of an LSTM).
    public var m: Int64
    /// Reduction length (Cin/groups · kernel area; input features; F + H for an LSTM step).
    public var k: Int64
    /// Output columns: output positions × batch (the batch for an LSTM step).
    public var n: Int64
    /// Independent products side by side (the groups of a grouped convolution).
    public var groups: Int64
    /// Times the products run one after another (LSTM time steps × directions).
    public var steps: Int64
    /// Input elements one group reads in one step: the feature map once, not im2col-expanded
    /// (line buffers on chip supply the overlapping windows).
    public var inputElementsPerGroup: Int64
    /// Element-wise operations each step adds on the vector unit (LSTM gate arithmetic).
    public var vectorOperationsPerStep: Int64
    /// Weight values of the layer.
    public var weights: Int64
    /// Whether every step uses the same weights (LSTM), so they may stay on chip.
    public var weightsShared: Bool
    /// Widths the weights, inputs and outputs move at.
    public var precision: LayerPrecision
    /// The ASQ adapter's multiply-accumulates for the whole batch, computed before the layer.
    public var adapterMACs: Int64

    /// Multiply-accumulates of the whole batch: m · k · n · groups · steps.
    public func macs(_ what: @autoclosure () -> String) throws(SimulationError) -> Int64 {
        try SimulationError.counting(Checked.product([m, k, n, groups, steps], what()))
    }
}

/// Element-wise work: `operations` over `inputElements` read and `outputElements` written, whole
/// batch. `gatherBits` are extra bits fetched from DRAM (embedding rows).
public struct VectorWorkload: Hashable, Sendable {
    /// Element-wise operations.
    public var operations: Int64
    /// Elements read.
    public var inputElements: Int64
    /// Elements written.
    public var outputElements: Int64
    /// Extra bits gathered from DRAM (embedding table rows).
    public var gatherBits: Int64
    /// Widths the inputs and outputs move at (no weights: `weightBits` is 0).
    public var precision: LayerPrecision
    /// Bits of the values the lanes compute on (the widest tensor read or written; the
    /// output of a look-up, whose inputs are indices): the vector unit's width class.
    public var dataBits: Int
}

/// What a layer asks of the hardware, for a given batch.
public enum Workload: Hashable, Sendable {
    /// Multiply-accumulates with weights.
    case gemm(GEMMWorkload)
    /// Element-wise work.
    case vector(VectorWorkload)
    /// Folded into the output stage of the named producer.
    case fused(into: String)
    /// No data movement or arithmetic.
    case none
}
