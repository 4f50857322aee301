import Foundation

/// How a uniform quantizer chooses its clipping value c, and so its step s = c / Qp.
///
/// `max` clips nothing; with few levels it wastes them on rare outliers (2-bit signed codes
/// have Qp = 1, so s = max|x| and nearly every Gaussian weight rounds to 0). `percentile` and
/// `mse` clip the tails so that the levels cover the bulk (docs/quantizers.md, "Calibration").
public enum UniformCalibration: Hashable, Sendable, CustomStringConvertible {
    /// c = max |x| (max x for unsigned ranges): nothing is clipped.
    case max
    /// c = the given percentile (in (0, 100]) of |x| (of x for unsigned ranges).
    case percentile(Double)
    /// c minimising the mean squared error ‖x − x̂‖²/N (``UniformCalibration/mseCandidates``).
    case mse

    /// Candidate clips c = max·k/`mseCandidates`, k = 1…`mseCandidates`, before the golden-section refinement.
    public static let mseCandidates = 100
    /// Histogram bins over [−max, max] on which candidate errors are evaluated (bin centres).
    public static let mseHistogramBins = 2048
    /// Golden-section steps between the best candidate's neighbours (the bracket shrinks by 0.618 each).
    public static let mseRefinementSteps = 24

    /// Reads `max`, `mse` or `percentile:P` (e.g. `percentile:99.9`).
    public init(parsing text: String) throws(UniformCalibrationError) {
        let lower = text.trimmingWhitespace().lowercased()
        switch lower {
        case "max": self = .max
        case "mse": self = .mse
        default:
            let parts = lower.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == "percentile", let value = Double(parts[1]) else { throw .unknown(text) }
            guard value > 0, value <= 100 else { throw .percentileOutOfRange(value) }
            self = .percentile(value)
        }
    }

    /// `max`, `mse` or `percentile:P`.
    public var description: String {
        switch self {
        case .max: "max"
        case .mse: "mse"
        case .percentile(let value): "percentile:\(value == value.rounded() ? String(Int(value)) : String(value))"
        }
    }

    /// The clipping value for `values` quantized to [−Qn, Qp] (0 for an all-zero channel).
    func clip(_ values: UnsafeBufferPointer<Float>, bounds: UniformBounds, unsigned: Bool) -> Double {
        let magnitudes: (Float) -> Float = unsigned ? { Swift.max($0, 0) } : { abs($0) }
        var reach: Float = 0
        for value in values { reach = Swift.max(reach, magnitudes(value)) }
        guard reach > 0 else { return 0 }
        switch self {
        case .max:
            return Double(reach)
        case .percentile(let percent):
            var sorted = values.map(magnitudes)
            sorted.sort()
            // .percentile is public, so percent may be anything; NaN or out-of-range picks the max.
            let position = (percent / 100 * Double(sorted.count)).rounded(.up)
            let rank = position >= 1 && position <= Double(sorted.count) ? Int(position) - 1 : sorted.count - 1
            // A percentile of zeros (a mostly empty channel) would clip everything: keep the max.
            return sorted[rank] > 0 ? Double(sorted[rank]) : Double(reach)
        case .mse:
            return Self.mseClip(values, reach: Double(reach), bounds: bounds)
        }
    }

    /// The clip with the least squared error on a histogram of the values: the best of the
    /// candidates, then golden section between its neighbours.
    private static func mseClip(_ values: UnsafeBufferPointer<Float>, reach: Double, bounds: UniformBounds) -> Double {
        let bins = mseHistogramBins
        var counts = [Double](repeating: 0, count: bins)
        let width = 2 * reach / Double(bins)
        for value in values {
            let position = (Double(value) + reach) / width
            let bin = position >= 0 ? (position < Double(bins - 1) ? Int(position) : bins - 1) : 0
            counts[bin] += 1
        }
        let centres = (0..<bins).map { -reach + (Double($0) + 0.5) * width }
        let occupied = (0..<bins).filter { counts[$0] > 0 }
        let lower = Double(-bounds.negative), upper = Double(bounds.positive)
        func error(_ clip: Double) -> Double {
            let step = clip / upper
            var total = 0.0
            for bin in occupied {
                let x = centres[bin]
                let quantized = UniformQuantization.level(x, inverseStep: 1 / step, lower: lower, upper: upper) * step
                total += counts[bin] * (x - quantized) * (x - quantized)
            }
            return total
        }
        let candidates = (1...mseCandidates).map { reach * Double($0) / Double(mseCandidates) }
        let errors = candidates.map(error)
        var best = 0
        for index in errors.indices where errors[index] < errors[best] { best = index }
        var low = best > 0 ? candidates[best - 1] : candidates[best] / 2
        var high = best + 1 < candidates.count ? candidates[best + 1] : reach
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<mseRefinementSteps {
            let left = high - ratio * (high - low), right = low + ratio * (high - low)
            if error(left) <= error(right) { high = right } else { low = left }
        }
        let refined = (low + high) / 2
        return error(refined) < errors[best] ? refined : candidates[best]
    }
}

/// Why a calibration name was rejected.
public enum UniformCalibrationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not `max`, `mse` or `percentile:P`.
    case unknown(String)
    /// A percentile outside (0, 100].
    case percentileOutOfRange(Double)

    /// A message listing what is accepted.
    public var description: String {
        switch self {
        case .unknown(let text): "unknown calibration '\(text)'; expected max, mse or percentile:P (e.g. percentile:99.9)"
        case .percentileOutOfRange(let value): "percentile \(value) is outside (0, 100]"
        }
    }
}
