import Quantizers

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

    /// Output extents for input extents `input`; `nil` when an extent would not be positive or
    /// would not fit 64 bits.
    public func outputExtents(input: [Int]) -> [Int]? {
        // Overflow and a cropped-away output both mean "no such output" to this caller.
        (try? checkedOutputExtents(input: input)) ?? nil
    }

    /// Output extents for input extents `input`; `nil` when an extent would not be positive,
    /// ``CountOverflow`` when one does not fit 64 bits.
    public func checkedOutputExtents(input: [Int]) throws(CountOverflow) -> [Int]? {
        var result: [Int] = []
        for axis in input.indices {
            let extent: Int64
            switch padding {
            case .same:
                extent = try Checked.mul(Int64(input[axis]), Int64(stride[axis]), "output extent")
            case .explicit(let begin, let end):
                let spread = try Checked.mul(Int64(input[axis]) - 1, Int64(stride[axis]), "output extent")
                let taps = try Checked.mul(Int64(dilation[axis]), Int64(kernel[axis]) - 1, "output extent")
                let grown = try Checked.sum([spread, taps, Int64(outputPadding[axis]), 1], "output extent")
                extent = try Checked.sub(grown, try Checked.add(Int64(begin[axis]), Int64(end[axis]), "output extent"), "output extent")
            }
            guard extent > 0 else { return nil }
            result.append(Int(extent))
        }
        return result
    }
}
