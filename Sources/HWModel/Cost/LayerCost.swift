import Quantizers

/// The analytic cost of one layer under a quantization plan.
///
/// Counting conventions (docs/cost-model.md): `macs` are the paper's OPS (ASQ Eq. 12, 13 —
/// one per multiplication); `parameters` are trainable values as PyTorch counts them; storage
/// adds what inference also needs (BatchNorm running statistics, scale factors).
public struct LayerCost: Hashable, Sendable {
    /// Layer name, as in the network.
    public var layer: String
    /// Layer type as configs spell it (`conv2d`, `linear`, …).
    public var type: String
    /// Shape of one sample's output, batch excluded.
    public var outputShape: TensorShape
    /// Quantization of this layer; `nil` for layers without weights.
    public var quantization: LayerQuantization?

    /// Weight values: kernels, weight matrices, embedding tables, LSTM gate matrices.
    public var weights: Int64 = 0
    /// Bias values (trainable; stored in FP32).
    public var biases: Int64 = 0
    /// BatchNorm γ and β.
    public var normParameters: Int64 = 0
    /// BatchNorm running mean and variance: not trained, but stored for inference.
    public var normBuffers: Int64 = 0
    /// ASQ Eq. 10 (conv: Cin·Cout·Kw·Kh, grouped: Cin/g) or Eq. 11 (linear: Nin·Nout + Nout).
    public var equationParameters: Int64 = 0
    /// Multiply-accumulates = the paper's OPS (Eq. 12, 13 and their analogues).
    public var macs: Int64 = 0
    /// Element-wise operations (BatchNorm, activations, pooling, adds, LSTM gate arithmetic).
    public var vectorOperations: Int64 = 0
    /// Binary operations: MACs × weight bits × activation bits (FINN/QONNX).
    public var bops: Int64 = 0
    /// Scale factors stored with quantized weights.
    public var scaleFactors: Int64 = 0
    /// Bits of packed weight codes (`BitPacking.packedByteCount` × 8), or 32 per FP32 weight.
    public var weightStorageBits: Int64 = 0
    /// Bits of everything kept in FP32: biases, BatchNorm values, weight scales, activation steps.
    public var fp32StorageBits: Int64 = 0
    /// The ASQ adapter of this layer, if its activations are quantized with `asq:k`.
    public var adapter: AdapterCost?

    /// Trainable parameters (weights, biases, BatchNorm γ and β), PyTorch's count.
    public var parameters: Int64 { weights + biases + normParameters }

    /// Model storage in bits, adapter excluded.
    public var storageBits: Int64 { weightStorageBits + fp32StorageBits }

    /// The bitwidth QOPS scales by: the wider operand of the multiply (32 when either is FP32).
    public var operandBits: Int {
        guard let quantization else { return 32 }
        return max(quantization.weights.bits, quantization.activations.bits)
    }

    /// QOPS, ASQ Eq. 15–16 generalised: OPS × b / 32 with b = `operandBits`.
    public var qops: Double { Double(macs) * Double(operandBits) / 32 }
}

/// Parameters and operations of one ASQ adapter.
public struct AdapterCost: Hashable, Sendable {
    /// Features the statistic feeds into the first linear layer.
    public var features: Int
    /// Weights and biases of the adapter's linear layers.
    public var parameters: Int64
    /// Multiply-accumulates of one adapter evaluation (one per input sample).
    public var macs: Int64
    /// Operations as the spec counts them (MACs × operations per MAC, plus the statistic's).
    public var operations: Int64
    /// Parameters × `AdapterSpec.parameterBits`; kept out of the model size.
    public var storageBits: Int64
}
