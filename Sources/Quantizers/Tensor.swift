/// A dense tensor of single-precision values in C (row-major) order.
///
/// Quantizers read weights as they come out of a model file: flat Float storage plus a shape. The
/// shape matters only for per-channel quantization, where one scale is fitted per slice along an axis.
public struct Tensor: Sendable, Equatable {
    /// Values in row-major order.
    public let values: [Float]
    /// Extent of each dimension; the product equals `values.count` (the empty shape is a scalar).
    public let shape: [Int]

    /// Creates a tensor, rejecting a shape whose element count differs from the data's, so that a
    /// per-channel slice can never read past the data.
    public init(values: [Float], shape: [Int]) throws(QuantizerError) {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .invalidShape(shape: shape, count: values.count) }
        let product: Int64
        do {
            product = try Checked.product(shape.map(Int64.init), "elements of shape \(shape)")
        } catch {
            throw .invalidShape(shape: shape, count: values.count)
        }
        guard product == Int64(values.count) else { throw .invalidShape(shape: shape, count: values.count) }
        self.values = values
        self.shape = shape
    }

    /// A one-dimensional tensor holding `values`.
    public init(_ values: [Float]) {
        self.values = values
        self.shape = [values.count]
    }
}

/// How many scale factors a tensor gets.
public enum Granularity: Sendable, Hashable, CustomStringConvertible {
    /// One scale (and one set of fitted parameters) for the whole tensor.
    case perTensor
    /// One scale per slice along `axis` — the output-channel axis, 0 for ONNX Conv weights
    /// `[out, in, kh, kw]`. Hardware must then hold one scale per output channel.
    case perChannel(axis: Int)

    /// `per-tensor` or `per-channel (axis n)`, as reports print it.
    public var description: String {
        switch self {
        case .perTensor: "per-tensor"
        case .perChannel(let axis): "per-channel (axis \(axis))"
        }
    }
}

/// Why a quantizer refused its input. Every case names what to change.
public enum QuantizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The tensor (or a channel slice of it) has no elements.
    case emptyTensor
    /// A negative dimension, or a shape whose element count (or its overflow) differs from `count`.
    case invalidShape(shape: [Int], count: Int)
    /// A NaN or ±∞ at flat `index`; it would poison the scale fit.
    case nonFinite(index: Int, value: Float)
    /// A bitwidth outside what `scheme` supports.
    case unsupportedBits(scheme: String, bits: Int, allowed: ClosedRange<Int>)
    /// A channel axis outside 0..<rank.
    case invalidAxis(axis: Int, rank: Int)
    /// `fp32` has no quantizer: there are no codes or levels.
    case notQuantized(scheme: String)
    /// A numeric parameter (step, β, λ, code, …) outside its domain; `reason` says why.
    case invalidParameter(name: String, value: Double, reason: String)
    /// A level set that could not be built; carries the `LevelSetError` message.
    case invalidLevelSet(String)
    /// Arrays that must be parallel (inputs and gradients, adapter features) differ in length.
    case lengthMismatch(expected: Int, actual: Int)
    /// A request too large to carry out (e.g. an exhaustive search); the string is the whole message.
    case tooLarge(String)

    /// A message saying what to change in the input.
    public var description: String {
        switch self {
        case .emptyTensor:
            "the tensor has no elements; there is nothing to quantize"
        case .invalidShape(let shape, let count):
            "shape \(shape) does not describe \(count) values (every dimension must be ≥ 0 and their product must equal the value count)"
        case .nonFinite(let index, let value):
            "value \(value) at flat index \(index) is not finite; remove NaN/∞ weights before quantizing"
        case .unsupportedBits(let scheme, let bits, let allowed):
            "\(scheme): \(bits) bits is not supported; use \(allowed.lowerBound)–\(allowed.upperBound) bits"
        case .invalidAxis(let axis, let rank):
            "channel axis \(axis) does not exist in a tensor of rank \(rank); use 0..<\(max(rank, 1))"
        case .notQuantized(let scheme):
            "\(scheme) is not a quantized scheme; it has no codes or level set"
        case .invalidParameter(let name, let value, let reason):
            "parameter \(name) = \(value) is invalid: \(reason)"
        case .invalidLevelSet(let reason):
            "invalid level set: \(reason)"
        case .lengthMismatch(let expected, let actual):
            "expected \(expected) values, got \(actual); pass arrays of matching length"
        case .tooLarge(let reason):
            reason
        }
    }
}

extension Tensor {
    /// Number of channels and the stride layout for slicing along `axis`.
    func channelLayout(axis: Int) throws(QuantizerError) -> (channels: Int, inner: Int) {
        guard axis >= 0, axis < shape.count else { throw .invalidAxis(axis: axis, rank: shape.count) }
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (shape[axis], inner)
    }
}

/// Finds the first non-finite value; the common all-finite case costs one vectorisable pass.
func firstNonFinite(_ values: UnsafeBufferPointer<Float>) -> (index: Int, value: Float)? {
    // x·0 is 0 for finite x and NaN for ±∞ or NaN, so one sum detects any offender. Eight
    // independent lanes let the loop vectorise despite strict floating-point ordering.
    var lanes = SIMD8<Float>(repeating: 0)
    let wholeChunks = values.count / 8
    if let base = values.baseAddress {
        let raw = UnsafeRawPointer(base) // Float storage is not 32-byte aligned: load unaligned
        for chunk in 0..<wholeChunks {
            lanes += raw.loadUnaligned(fromByteOffset: chunk * 32, as: SIMD8<Float>.self) * 0
        }
    }
    var probe = lanes.sum()
    for index in (wholeChunks * 8)..<values.count { probe += values[index] * 0 }
    guard probe.isNaN else { return nil }
    for index in values.indices where !values[index].isFinite { return (index, values[index]) }
    return nil
}
