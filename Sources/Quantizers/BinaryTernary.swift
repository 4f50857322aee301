/// Binary weight networks (Rastegari et al. 2016, "BWN"): w ≈ α·sign(w) with α = mean|w|, the
/// L2-optimal scale for sign codes. Code 1 means +1 and code 0 means −1; zero counts as positive.
public struct BinaryQuantizer: TensorQuantizer {
    /// BWN has nothing to configure: the scale is always mean |w|.
    public init() {}

    /// `binary`.
    public var scheme: QuantScheme { .binary }
    /// One bit per weight: its sign.
    public var codeBits: Int { 1 }
    /// {−1, 1}, the Quantization Networks `binary` named set.
    public var levelSet: LevelSet { LevelSet.namedSets[0].set }
    /// Code 0 decodes to −1, code 1 to +1.
    public var codeLevels: [Double] { [-1, 1] }
    /// `alpha`: the channel's mean |w|, which is also its scale.
    public var parameterNames: [String] { ["alpha"] }
    /// α scales with the data.
    public var parameterScaleExponents: [Int]? { [1] }

    /// α = mean|w| (L2-optimal for sign codes); negative values get code 0, zero and positive values code 1.
    public func quantizeChannel(_ values: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt32>) -> ChannelFit {
        let alpha = UniformQuantization.absStatistics(values).mean
        for index in values.indices { codes[index] = values[index] < 0 ? 0 : 1 }
        return ChannelFit(scale: alpha, parameters: [alpha])
    }
}

/// Ternary weight networks (Li et al. 2016, "TWN"): threshold Δ = 0.7·mean|w|; weights above Δ in
/// magnitude become ±α with α the mean magnitude of those weights, the rest become 0.
/// Codes are 2-bit two's complement: 00 = 0, 01 = +1, 11 = −1 (10 is never emitted).
public struct TernaryQuantizer: TensorQuantizer {
    /// TWN's threshold factor (Δ = 0.7·E|w|, the paper's approximation for Gaussian weights).
    public static let thresholdFactor = 0.7

    /// TWN has nothing to configure: the threshold factor is fixed at `thresholdFactor`.
    public init() {}

    /// `ternary`.
    public var scheme: QuantScheme { .ternary }
    /// Two bits per weight, although only three of the four codes are used.
    public var codeBits: Int { 2 }
    /// {−1, 0, 1}, the Quantization Networks `ternary` named set.
    public var levelSet: LevelSet { LevelSet.namedSets[1].set }
    /// 2-bit two's complement: 00 → 0, 01 → +1, 11 → −1; the never-emitted 10 decodes to 0.
    public var codeLevels: [Double] { [0, 1, 0, -1] }
    /// `delta`: the threshold Δ = 0.7·mean|w|; `alpha`: mean |w| over |w| > Δ, which is also the scale.
    public var parameterNames: [String] { ["delta", "alpha"] }
    /// Δ and α scale with the data.
    public var parameterScaleExponents: [Int]? { [1, 1] }

    /// Zeroes values with |w| ≤ Δ and codes the rest ±1; α is 0 when no value exceeds Δ.
    public func quantizeChannel(_ values: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt32>) -> ChannelFit {
        let delta = Float(Self.thresholdFactor * UniformQuantization.absStatistics(values).mean)
        var sum: Double = 0
        var block: Float = 0
        var count = 0
        for index in values.indices {
            let w = values[index]
            let above = abs(w) > delta
            // 1 for w > Δ, 3 (two's-complement −1) for w < −Δ, 0 otherwise.
            codes[index] = above ? (w < 0 ? 3 : 1) : 0
            if above {
                block += abs(w)
                count += 1
                if count & 4095 == 0 { sum += Double(block); block = 0 }
            }
        }
        sum += Double(block)
        let alpha = count > 0 ? sum / Double(count) : 0
        return ChannelFit(scale: alpha, parameters: [Double(delta), alpha])
    }
}
