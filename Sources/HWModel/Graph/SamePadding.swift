extension Padding {
    /// The side that takes the odd zero when SAME padding needs an odd number of zeros on an axis.
    public enum OddZero: Sendable {
        /// After the data: ONNX `SAME_UPPER`, TensorFlow's SAME and a config's `"same"`.
        case end
        /// Before the data: ONNX `SAME_LOWER`.
        case begin
    }

    /// The extent SAME padding gives one axis: ⌈input / stride⌉, whatever the kernel.
    public static func sameOutputExtent(input: Int, stride: Int) -> Int {
        (input + stride - 1) / stride
    }

    /// The zeros SAME padding adds before and after each spatial axis. The one definition behind
    /// shape inference, the resolved padding of `same` layers and the ONNX importer's `auto_pad`:
    /// per axis max((out − 1)·stride + dilation·(kernel − 1) + 1 − input, 0) zeros with
    /// out = ``sameOutputExtent(input:stride:)``, split evenly, the odd one at `oddZero`.
    public static func sameZeros(input: [Int], kernel: [Int], stride: [Int], dilation: [Int],
                                 oddZero: OddZero = .end) -> (begin: [Int], end: [Int]) {
        var begin: [Int] = []
        var end: [Int] = []
        for axis in input.indices {
            let out = sameOutputExtent(input: input[axis], stride: stride[axis])
            let span = dilation[axis] * (kernel[axis] - 1) + 1
            let total = max((out - 1) * stride[axis] + span - input[axis], 0)
            let smaller = total / 2
            begin.append(oddZero == .end ? smaller : total - smaller)
            end.append(oddZero == .end ? total - smaller : smaller)
        }
        return (begin, end)
    }
}
