/// One named node of a network graph.
public struct Layer: Hashable, Sendable {
    /// Unique name within the network; reports and overrides refer to layers by it.
    public var name: String
    /// What the layer computes.
    public var kind: LayerKind
    /// Names of the layers whose outputs feed this one, in order.
    public var inputs: [String]

    /// Creates a layer.
    public init(name: String, kind: LayerKind, inputs: [String]) {
        self.name = name
        self.kind = kind
        self.inputs = inputs
    }
}

/// The operations a layer graph can hold.
public enum LayerKind: Hashable, Sendable {
    /// A graph input of the given per-sample shape.
    case input(TensorShape)
    /// 1-D or 2-D convolution (grouped and depthwise included).
    case convolution(Convolution)
    /// 2-D transposed convolution (learned upsampling, `conv_transpose2d`).
    case transposedConvolution(TransposedConvolution)
    /// Fully connected layer over the last dimension.
    case linear(Linear)
    /// Batch normalization over dimension 0 (channels).
    case batchNorm(BatchNorm)
    /// Element-wise nonlinearity.
    case activation(ActivationFunction)
    /// Max or average pooling over the spatial dimensions.
    case pool(Pooling)
    /// Pooling over all spatial positions, keeping rank: `[C, H, W]` → `[C, 1, 1]`.
    case globalPool(PoolingMode)
    /// Element-wise sum of inputs of equal shape.
    case add
    /// Element-wise product of inputs of equal shape, or scaling by a constant (one input).
    case multiply
    /// Concatenation along an axis.
    case concat(axis: Int)
    /// Flattening of dimensions `startAxis...` into one.
    case flatten(startAxis: Int)
    /// Reshape to target dimensions; one entry may be −1.
    case reshape([Int])
    /// Permutation of dimensions.
    case transpose([Int])
    /// Table look-up of token ids: `[T]` → `[T, dimension]`.
    case embedding(Embedding)
    /// Long short-term memory over a `[T, F]` sequence.
    case lstm(LSTM)
    /// Nearest or bilinear upsampling of `[C, H, W]` by an integer factor.
    case upsample(scale: Int, mode: UpsampleMode)
    /// Softmax along an axis.
    case softmax(axis: Int)
    /// Passes its input through (dropout at inference, ONNX Identity).
    case identity
}

/// Padding of a convolution or pooling window.
public enum Padding: Hashable, Sendable {
    /// Explicit zeros before and after each spatial dimension.
    case explicit(begin: [Int], end: [Int])
    /// Output extent ⌈input / stride⌉ (TensorFlow/ONNX SAME_UPPER: extra padding goes at the end).
    case same
}

/// A convolution's hyper-parameters. Spatial rank is `kernel.count` (1 or 2).
public struct Convolution: Hashable, Sendable {
    /// Output channels, i.e. filters.
    public var outChannels: Int
    /// Kernel extent per spatial axis: `[kh, kw]`, or `[k]` in one dimension.
    public var kernel: [Int]
    /// Step of the window per spatial axis.
    public var stride: [Int]
    /// Zero padding of the input, explicit or SAME.
    public var padding: Padding
    /// Spacing between kernel taps per spatial axis; 1 is a dense kernel.
    public var dilation: [Int]
    /// Channel groups: each sees Cin/groups inputs, which divides weights and MACs by `groups`
    /// (groups = Cin is depthwise).
    public var groups: Int
    /// Whether each output channel adds a bias (a trainable FP32 value).
    public var bias: Bool

    /// Creates a convolution description.
    public init(outChannels: Int, kernel: [Int], stride: [Int], padding: Padding,
                dilation: [Int], groups: Int, bias: Bool) {
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.bias = bias
    }
}

/// A fully connected layer.
public struct Linear: Hashable, Sendable {
    /// Output features; the input features come from the input shape.
    public var outFeatures: Int
    /// Whether each output feature adds a bias (a trainable FP32 value).
    public var bias: Bool

    /// Creates a linear layer description.
    public init(outFeatures: Int, bias: Bool) {
        self.outFeatures = outFeatures
        self.bias = bias
    }
}

/// Batch normalization. At inference it holds γ, β (trained) and the running mean and variance.
public struct BatchNorm: Hashable, Sendable {
    /// Whether γ and β exist (PyTorch `affine`).
    public var affine: Bool

    /// Creates a batch-normalization description.
    public init(affine: Bool = true) { self.affine = affine }
}

/// Element-wise activation functions.
public enum ActivationFunction: String, Hashable, Sendable, CaseIterable {
    /// The functions configs can name (`leaky_relu` in snake case); each costs one vector operation per element.
    case relu, relu6, sigmoid, tanh, hardtanh, leakyRelu = "leaky_relu", hardswish, gelu, silu
}

/// Max or average.
public enum PoolingMode: String, Hashable, Sendable, CaseIterable {
    /// Configs spell them `max` and `avg`.
    case max, average = "avg"
}

/// A pooling window. Spatial rank is `kernel.count` (1 or 2).
public struct Pooling: Hashable, Sendable {
    /// Max or average over the window.
    public var mode: PoolingMode
    /// Window extent per spatial axis.
    public var kernel: [Int]
    /// Step of the window per spatial axis (configs default it to the kernel).
    public var stride: [Int]
    /// Padding of the input, explicit or SAME.
    public var padding: Padding
    /// Round output extents up rather than down (PyTorch `ceil_mode`).
    public var ceilMode: Bool

    /// Creates a pooling description.
    public init(mode: PoolingMode, kernel: [Int], stride: [Int], padding: Padding, ceilMode: Bool) {
        self.mode = mode
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.ceilMode = ceilMode
    }
}

/// A token embedding table.
public struct Embedding: Hashable, Sendable {
    /// Number of token ids, i.e. rows of the table.
    public var vocabulary: Int
    /// Length of each embedding vector.
    public var dimension: Int

    /// Creates an embedding description.
    public init(vocabulary: Int, dimension: Int) {
        self.vocabulary = vocabulary
        self.dimension = dimension
    }
}

/// An LSTM layer.
public struct LSTM: Hashable, Sendable {
    /// Hidden units H per direction; weights are 4H(F + H) per direction.
    public var hiddenSize: Int
    /// Emit every time step (`[T, H]`) or only the last (`[H]`).
    public var returnSequences: Bool
    /// Also run the sequence backwards and concatenate: doubles the weights and the output width.
    public var bidirectional: Bool
    /// Bias vectors per gate set: 1 as in Keras, 2 as in PyTorch (`b_ih` and `b_hh`).
    public var biasVectors: Int

    /// Creates an LSTM description.
    public init(hiddenSize: Int, returnSequences: Bool, bidirectional: Bool, biasVectors: Int) {
        self.hiddenSize = hiddenSize
        self.returnSequences = returnSequences
        self.bidirectional = bidirectional
        self.biasVectors = biasVectors
    }

    /// Directions run (2 when bidirectional).
    public var directions: Int { bidirectional ? 2 : 1 }
}

/// Interpolation of an upsampling layer.
public enum UpsampleMode: String, Hashable, Sendable, CaseIterable {
    /// Nearest copies a neighbour (no arithmetic); bilinear weighs four (4 vector operations per output).
    case nearest, bilinear
}

extension LayerKind {
    /// The name used for the kind in configs and reports.
    public var typeName: String {
        switch self {
        case .input: "input"
        case .convolution(let conv): conv.kernel.count == 1 ? "conv1d" : "conv2d"
        case .transposedConvolution: "conv_transpose2d"
        case .linear: "linear"
        case .batchNorm: "batchnorm"
        case .activation(let function): function.rawValue
        case .pool(let pool): pool.mode == .max ? "maxpool" : "avgpool"
        case .globalPool(let mode): mode == .max ? "globalmaxpool" : "globalavgpool"
        case .add: "add"
        case .multiply: "mul"
        case .concat: "concat"
        case .flatten: "flatten"
        case .reshape: "reshape"
        case .transpose: "transpose"
        case .embedding: "embedding"
        case .lstm: "lstm"
        case .upsample: "upsample"
        case .softmax: "softmax"
        case .identity: "identity"
        }
    }

    /// Whether the layer holds weights that a quantization plan quantizes (conv, linear,
    /// embedding, LSTM): the layers the papers call compute layers.
    public var hasQuantizableWeights: Bool {
        switch self {
        case .convolution, .transposedConvolution, .linear, .embedding, .lstm: true
        default: false
        }
    }

    /// Whether the layer's products are multiply-accumulates on weights (embedding looks up).
    public var isMultiplyAccumulate: Bool {
        switch self {
        case .convolution, .transposedConvolution, .linear, .lstm: true
        default: false
        }
    }
}
