import Foundation

/// Which integers a uniform quantizer may output.
public enum UniformRange: String, Sendable, Hashable, CaseIterable {
    /// −(2^(b−1)−1) … 2^(b−1)−1: symmetric, so negation never overflows.
    case signedNarrow
    /// −2^(b−1) … 2^(b−1)−1: every two's-complement code is used (LSQ's weight range).
    case signedFull
    /// 0 … 2^b−1: for non-negative activations such as ReLU outputs (LSQ's activation range).
    case unsigned

    /// The bounds [−Qn, Qp] of LSQ's notation for `bits` bits.
    public func bounds(bits: Int) throws(QuantizerError) -> UniformBounds {
        let allowed = self == .unsigned ? 1...16 : 2...16
        guard allowed.contains(bits) else {
            throw .unsupportedBits(scheme: "uniform (\(rawValue))", bits: bits, allowed: allowed)
        }
        switch self {
        case .signedNarrow: return UniformBounds(negative: (1 << (bits - 1)) - 1, positive: (1 << (bits - 1)) - 1)
        case .signedFull: return UniformBounds(negative: 1 << (bits - 1), positive: (1 << (bits - 1)) - 1)
        case .unsigned: return UniformBounds(negative: 0, positive: (1 << bits) - 1)
        }
    }
}

/// Integer range [−Qn, Qp] of a uniform quantizer (Qn, Qp ≥ 0, as in LSQ).
public struct UniformBounds: Sendable, Hashable {
    /// Qn: magnitude of the most negative level (0 for unsigned ranges).
    public let negative: Int
    /// Qp: the largest level.
    public let positive: Int

    /// Takes the bounds as given; `UniformRange.bounds(bits:)` derives them from a bitwidth.
    public init(negative: Int, positive: Int) {
        self.negative = negative
        self.positive = positive
    }

    /// The integer levels −Qn … Qp.
    public var levels: [Double] { (-negative...positive).map(Double.init) }
}

/// Uniform quantization arithmetic shared by the fixed-step, LSQ and ASQ quantizers.
public enum UniformQuantization {
    /// The integer level of `x`: clamp(⌊x/s⌉, −Qn, Qp), rounding half to even (as PyTorch and
    /// NumPy do). Takes 1/s so hot loops multiply instead of divide; the one place this formula lives.
    @inline(__always)
    public static func level<T: BinaryFloatingPoint>(_ x: T, inverseStep: T, lower: T, upper: T) -> T {
        min(max((x * inverseStep).rounded(.toNearestOrEven), lower), upper)
    }

    /// Writes codes for `values` with step `step`: two's complement for signed ranges, plain
    /// binary for unsigned ones.
    static func encode(
        _ values: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt32>,
        step: Double, bounds: UniformBounds, bits: Int
    ) {
        guard step > 0 else {
            // A zero step means an all-zero channel: level 0 is in every range.
            for index in codes.indices { codes[index] = 0 }
            return
        }
        let inverse = Float(1 / step)
        let mask: UInt32 = (UInt32(1) << UInt32(bits)) &- 1
        guard inverse.isFinite, inverse > 0 else {
            // A step below 2^−128 (denormal data) or above 2^128 has no Float reciprocal: divide
            // in Double, where x / step is finite and exact enough.
            let lower = Double(-bounds.negative), upper = Double(bounds.positive)
            for index in values.indices {
                let level = Self.level(Double(values[index]) / step, inverseStep: 1, lower: lower, upper: upper)
                codes[index] = UInt32(bitPattern: Int32(level.isNaN ? 0 : level)) & mask
            }
            return
        }
        let lower = Float(-bounds.negative), upper = Float(bounds.positive)
        for index in values.indices {
            let level = Self.level(values[index], inverseStep: inverse, lower: lower, upper: upper)
            // NaN only from a NaN value, which quantize() rejects; a direct caller gets level 0.
            codes[index] = UInt32(bitPattern: Int32(level.isNaN ? 0 : level)) & mask
        }
    }

    /// The level of every code value for `bits`-bit codes in `range`.
    static func codeLevels(bits: Int, range: UniformRange) -> [Double] {
        range == .unsigned ? (0..<(1 << bits)).map(Double.init) : SignedCode.allValues(bits: bits).map(Double.init)
    }

    static func levelSet(bounds: UniformBounds) -> LevelSet {
        // −Qn < Qp or Qn = 0 < Qp, so the integers are strictly increasing and there are at least two.
        LevelSet(validated: bounds.levels)
    }

    /// max |x| and mean |x| in one pass.
    static func absStatistics(_ values: UnsafeBufferPointer<Float>) -> (max: Double, mean: Double) {
        var maximum: Float = 0
        var sum = 0.0
        for value in values {
            let magnitude = abs(value)
            maximum = max(maximum, magnitude)
            sum += Double(magnitude)
        }
        return (Double(maximum), values.isEmpty ? 0 : sum / Double(values.count))
    }
}

/// A quantizer whose levels are the integers of a uniform range: uniform, LSQ and ASQ differ
/// only in how they choose the step, so they share code width, level set and code decoding.
public protocol UniformLevelQuantizer: TensorQuantizer {
    /// Code width b.
    var bits: Int { get }
    /// Integer range of the codes.
    var range: UniformRange { get }
    /// [−Qn, Qp] for `bits` and `range`.
    var bounds: UniformBounds { get }
}

extension UniformLevelQuantizer {
    /// b bits per element: an adaptive step changes the scale, not the storage.
    public var codeBits: Int { bits }
    /// The integers −Qn…Qp, in units of the step.
    public var levelSet: LevelSet { UniformQuantization.levelSet(bounds: bounds) }
    /// Two's-complement decoding for the signed ranges, plain binary for unsigned.
    public var codeLevels: [Double] { UniformQuantization.codeLevels(bits: bits, range: range) }
}

/// Uniform quantization with a calibrated step s = c / Qp: c is the largest magnitude by default
/// (nothing clipped, the plain baseline the papers compare against), or a percentile or the
/// MSE-optimal clip (``UniformCalibration``).
public struct UniformQuantizer: UniformLevelQuantizer {
    /// Code width b: 2…16 bits for signed ranges, 1…16 for unsigned.
    public let bits: Int
    /// Integer range of the codes; signed full by default (weights).
    public let range: UniformRange
    /// [−Qn, Qp] for `bits` and `range`.
    public let bounds: UniformBounds
    /// How the clip c, and so the step, is chosen.
    public let calibration: UniformCalibration

    /// Throws when `bits` is outside the widths `range` allows.
    public init(bits: Int, range: UniformRange = .signedFull, calibration: UniformCalibration = .max) throws(QuantizerError) {
        self.bits = bits
        self.range = range
        self.bounds = try range.bounds(bits: bits)
        self.calibration = calibration
    }

    /// `uniform:b`.
    public var scheme: QuantScheme { .uniform(bits: bits) }
    /// `step`: s = c/Qp for the calibration's clip c (c = max|x|, or max x for unsigned ranges,
    /// by default), which is also the scale.
    public var parameterNames: [String] { ["step"] }
    /// The step scales with the data (every calibration is scale-equivariant).
    public var parameterScaleExponents: [Int]? { [1] }

    /// Calibrates c and encodes; values beyond ±c are clipped (none with `max`). An all-zero
    /// channel gets step 0 and code 0.
    public func quantizeChannel(_ values: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt32>) -> ChannelFit {
        let clip = calibration.clip(values, bounds: bounds, unsigned: range == .unsigned)
        let step = clip > 0 ? clip / Double(bounds.positive) : 0
        UniformQuantization.encode(values, codes: codes, step: step, bounds: bounds, bits: bits)
        return ChannelFit(scale: step, parameters: [step])
    }
}

/// Learned step size quantization (Esser et al. 2020, "LSQ"): uniform levels with a trainable step.
///
/// Quantizing a tensor uses LSQ's initial step 2·mean|x|/√Qp; the gradient functions are what a
/// training loop needs to learn the step from there.
public struct LSQQuantizer: UniformLevelQuantizer {
    /// Code width b: 2…16 bits for signed ranges, 1…16 for unsigned.
    public let bits: Int
    /// Integer range of the codes; signed full by default (LSQ's weight range).
    public let range: UniformRange
    /// [−Qn, Qp] for `bits` and `range`.
    public let bounds: UniformBounds

    /// Throws when `bits` is outside the widths `range` allows.
    public init(bits: Int, range: UniformRange = .signedFull) throws(QuantizerError) {
        self.bits = bits
        self.range = range
        self.bounds = try range.bounds(bits: bits)
    }

    /// `lsq:b`.
    public var scheme: QuantScheme { .lsq(bits: bits) }
    /// `step`: LSQ's initial step 2·mean|x|/√Qp, which is also the scale.
    public var parameterNames: [String] { ["step"] }
    /// The step scales with the data (every calibration is scale-equivariant).
    public var parameterScaleExponents: [Int]? { [1] }

    /// Encodes with LSQ's initial step; unlike `UniformQuantizer`, outliers beyond Qp·s are clipped.
    public func quantizeChannel(_ values: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt32>) -> ChannelFit {
        let step = LSQ.initialStep(meanAbs: UniformQuantization.absStatistics(values).mean, bounds: bounds)
        UniformQuantization.encode(values, codes: codes, step: step, bounds: bounds, bits: bits)
        return ChannelFit(scale: step, parameters: [step])
    }
}

/// LSQ's forward pass and straight-through gradients (Esser et al. 2020, §2).
public enum LSQ {
    /// LSQ's step initialisation 2·mean|x|/√Qp.
    public static func initialStep(meanAbs: Double, bounds: UniformBounds) -> Double {
        2 * meanAbs / Double(max(bounds.positive, 1)).squareRoot()
    }

    /// LSQ's gradient scale g = 1/√(N·Qp), which keeps the step's update comparable in size to the
    /// weights' updates whatever the layer size and bitwidth.
    public static func gradientScale(count: Int, bounds: UniformBounds) -> Double {
        1 / (Double(max(count, 1)) * Double(max(bounds.positive, 1))).squareRoot()
    }

    /// Forward pass x̂ = clamp(⌊x/s⌉, −Qn, Qp)·s.
    public static func forward(_ x: Double, step: Double, bounds: UniformBounds) -> Double {
        UniformQuantization.level(x, inverseStep: 1 / step, lower: Double(-bounds.negative), upper: Double(bounds.positive)) * step
    }

    /// ∂x̂/∂s with the straight-through estimator: −x/s + ⌊x/s⌉ inside the range, −Qn or Qp where
    /// x/s is clipped.
    public static func stepDerivative(_ x: Double, step: Double, bounds: UniformBounds) -> Double {
        let v = x / step
        if v <= Double(-bounds.negative) { return Double(-bounds.negative) }
        if v >= Double(bounds.positive) { return Double(bounds.positive) }
        return -v + UniformQuantization.level(x, inverseStep: 1 / step, lower: Double(-bounds.negative), upper: Double(bounds.positive))
    }

    /// ∂x̂/∂x with the straight-through estimator: 1 inside the range, 0 where clipped.
    public static func inputDerivative(_ x: Double, step: Double, bounds: UniformBounds) -> Double {
        let v = x / step
        return v > Double(-bounds.negative) && v < Double(bounds.positive) ? 1 : 0
    }

    /// Back-propagates `upstream` = ∂L/∂x̂ through LSQ: ∂L/∂x per element and ∂L/∂s scaled by
    /// `gradientScale` (LSQ's 1/√(N·Qp) when nil).
    public static func backward(
        inputs: [Double], upstream: [Double], step: Double, bounds: UniformBounds, gradientScale: Double? = nil
    ) throws(QuantizerError) -> (input: [Double], step: Double) {
        guard inputs.count == upstream.count else { throw .lengthMismatch(expected: inputs.count, actual: upstream.count) }
        guard step > 0, step.isFinite else { throw .invalidParameter(name: "step", value: step, reason: "the step must be positive and finite") }
        let scale = gradientScale ?? Self.gradientScale(count: inputs.count, bounds: bounds)
        var input = [Double](repeating: 0, count: inputs.count)
        var stepGradient = 0.0
        for index in inputs.indices {
            input[index] = upstream[index] * inputDerivative(inputs[index], step: step, bounds: bounds)
            stepGradient += upstream[index] * stepDerivative(inputs[index], step: step, bounds: bounds)
        }
        return (input, stepGradient * scale)
    }
}
