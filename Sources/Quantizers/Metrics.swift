import Foundation

/// Quantization loss measures between original weights w and their quantized values ŵ.
///
/// VecQ argues that the orientation loss Jo predicts accuracy better than the L2 distance alone;
/// the hardware cost model reports all of them so a user can judge a scheme by more than its size.
public enum Metrics {
    /// L2 direct quantization loss ‖w − ŵ‖² (VecQ Eq. 1–2).
    public static func l2Loss<A: Collection<Double>, B: Collection<Double>>(_ w: A, _ q: B) -> Double {
        zip(w, q).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }

    /// Orientation loss Jo = 1 − cos θ between w and ŵ (VecQ Eq. 3). Defined as 1 when either
    /// vector is zero, since a zero vector carries no orientation.
    public static func orientationLoss<A: Collection<Double>, B: Collection<Double>>(_ w: A, _ q: B) -> Double {
        var cross = 0.0, ww = 0.0, qq = 0.0
        for (a, b) in zip(w, q) {
            cross += a * b
            ww += a * a
            qq += b * b
        }
        guard ww > 0, qq > 0 else { return 1 }
        return 1 - cross / (ww.squareRoot() * qq.squareRoot())
    }

    /// Modulus loss Jm = ‖w − αv‖² exactly as VecQ Eq. 3 writes it: for the final ŵ = αv it equals
    /// the L2 loss; VecQ's driving stage minimises it over α with v fixed (Eq. 16–17).
    public static func modulusLoss<A: Collection<Double>, B: Collection<Double>>(_ w: A, _ q: B) -> Double {
        l2Loss(w, q)
    }

    /// Signal-to-quantization-noise ratio 10·log10(‖w‖² / ‖w − ŵ‖²) in dB; +∞ for a lossless result.
    public static func sqnrDecibels<A: Collection<Double>, B: Collection<Double>>(_ w: A, _ q: B) -> Double {
        let signal = w.reduce(0) { $0 + $1 * $1 }
        let noise = l2Loss(w, q)
        if noise == 0 { return .infinity }
        return 10 * Foundation.log10(signal / noise)
    }
}

/// All metrics of one quantized tensor, as `hwsim quantize` prints them.
public struct QuantizationReport: Sendable {
    /// ‖w − ŵ‖².
    public let l2Loss: Double
    /// ‖w − ŵ‖² / N, comparable across tensor sizes.
    public let meanSquaredError: Double
    /// VecQ's orientation loss Jo.
    public let orientationLoss: Double
    /// VecQ's modulus loss Jm (Eq. 3; equals `l2Loss` for the final ŵ).
    public let modulusLoss: Double
    /// Signal-to-quantization-noise ratio 10·log10(‖w‖²/‖w − ŵ‖²) in dB; +∞ when ŵ = w.
    public let sqnrDecibels: Double
    /// Levels at least one element uses, and the size of the level set.
    public let levelsUsed: Int
    /// Number of levels in the scheme's level set, used or not.
    public let levelCount: Int

    /// Fraction of the level set in use.
    public var fractionOfLevelsUsed: Double { Double(levelsUsed) / Double(levelCount) }

    /// Measures `quantized` against the `original` tensor it came from.
    public init(original: Tensor, quantized: QuantizedTensor) throws(QuantizerError) {
        guard original.values.count == quantized.codes.count else {
            throw .lengthMismatch(expected: quantized.codes.count, actual: original.values.count)
        }
        let w = original.values.lazy.map(Double.init)
        // In Double: a scale near Float.greatestFiniteMagnitude times a level can round to ∞ in Float.
        let q = quantized.dequantizedInDouble()
        l2Loss = Metrics.l2Loss(w, q)
        meanSquaredError = original.values.isEmpty ? 0 : l2Loss / Double(original.values.count)
        orientationLoss = Metrics.orientationLoss(w, q)
        modulusLoss = Metrics.modulusLoss(w, q)
        sqnrDecibels = Metrics.sqnrDecibels(w, q)
        levelsUsed = quantized.levelHistogram().filter { $0.count > 0 }.count
        levelCount = quantized.levelSet.levels.count
    }
}
