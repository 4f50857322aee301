/// A transposed convolution (PyTorch `ConvTranspose2d`, Keras `Conv2DTranspose`): every input
/// position scatters a kernel-sized patch of each filter into the output, which is how U-Net and
/// UNet++ decoders upsample by a learned stride. Spatial rank is `kernel.count` (2).
///
/// Weights are Cin × Cout/groups × kh × kw (PyTorch's layout); the output extent per axis is
/// (in − 1)·stride − pad_begin − pad_end + dilation·(k − 1) + output_padding + 1, or in·stride
/// for `same` (Keras `padding='same'`).
public struct TransposedConvolution: Hashable, Sendable {
    /// Output channels, i.e. filters.
    public var outChannels: Int
    /// Kernel extent per spatial axis: `[kh, kw]`.
    public var kernel: [Int]
    /// Upsampling step per spatial axis: input positions are this far apart in the output.
    public var stride: [Int]
    /// Zeros cropped from each side of the full output (PyTorch `padding`), or SAME.
    public var padding: Padding
    /// Extra rows and columns added at the end of the output (PyTorch `output_padding`).
    public var outputPadding: [Int]
    /// Spacing between kernel taps per spatial axis.
    public var dilation: [Int]
    /// Channel groups: each sees Cin/groups inputs and makes Cout/groups outputs.
    public var groups: Int
    /// Whether each output channel adds a bias (a trainable FP32 value).
    public var bias: Bool

    /// Creates a transposed-convolution description.
    public init(outChannels: Int, kernel: [Int], stride: [Int], padding: Padding, outputPadding: [Int],
                dilation: [Int], groups: Int, bias: Bool) {
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilation = dilation
        self.groups = groups
        self.bias = bias
    }

    /// Output extents for input extents `input`; `nil` when an extent would not be positive.
    public func outputExtents(input: [Int]) -> [Int]? {
        var result: [Int] = []
        for axis in input.indices {
            let extent: Int
            switch padding {
            case .same:
                extent = input[axis] * stride[axis]
            case .explicit(let begin, let end):
                extent = (input[axis] - 1) * stride[axis] - begin[axis] - end[axis] + dilation[axis] * (kernel[axis] - 1) + outputPadding[axis] + 1
            }
            guard extent > 0 else { return nil }
            result.append(extent)
        }
        return result
    }
}
