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
        guard stride > 0 else { return input }  // rejected by validation; no division by zero here
        // ⌈input / stride⌉ without input + stride − 1, which could overflow.
        return input / stride + (input % stride == 0 ? 0 : 1)
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
            // Saturating: an importer calls this before validation, and a size past
            // NetworkLimits.maximumSize is rejected by that validation, not trapped on here.
            let span = saturating(saturating(dilation[axis], times: kernel[axis] - 1), plus: 1)
            let covered = saturating(saturating(out - 1, times: stride[axis]), plus: span)
            let total = max(covered - input[axis], 0)
            let smaller = total / 2
            begin.append(oddZero == .end ? smaller : total - smaller)
            end.append(oddZero == .end ? total - smaller : smaller)
        }
        return (begin, end)
    }

    private static func saturating(_ a: Int, times b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a < 0) != (b < 0) ? Int.min / 2 : Int.max / 2) : value
    }

    private static func saturating(_ a: Int, plus b: Int) -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? Int.min / 2 : Int.max / 2) : value
    }
}
