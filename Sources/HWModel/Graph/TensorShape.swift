import Quantizers

/// The shape of one sample's tensor, batch dimension excluded.
///
/// Layouts follow PyTorch: feature maps are `[C, H, W]` (or `[C, L]` in one dimension), vectors
/// `[F]`, sequences `[T, F]`, token ids `[T]`.
public struct TensorShape: Hashable, Sendable, Codable {
    /// Extent of each dimension; every extent is positive.
    public let dims: [Int]

    /// Creates a shape; callers validate positivity where the dims come from user input.
    public init(_ dims: [Int]) { self.dims = dims }

    /// Number of dimensions.
    public var rank: Int { dims.count }

    /// Number of elements, or `nil` when it does not fit in 64 bits.
    public var elementCount: Int64? {
        // nil is this property's answer to overflow; callers word their own error.
        try? Checked.product(dims.map(Int64.init), "elements of \(self)")
    }
}

extension TensorShape: CustomStringConvertible {
    /// `[3×224×224]`-style rendering used in reports and error messages.
    public var description: String { "[" + dims.map(String.init).joined(separator: "×") + "]" }
}
