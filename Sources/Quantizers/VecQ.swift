import Foundation

/// VecQ vectorized quantization (Gong et al., "VecQ: Minimal Loss DNN Model Compression With
/// Vectorized Weight Quantization"): steer the weight vector's orientation with an interval λ,
/// then drive its modulus with the least-squares scale α.
public enum VecQ {
    /// Bitwidths VecQ accepts (the scheme range).
    public static let bitRange = 1...16

    /// The steering index ⌊v − 0.5⌉ clipped to [−2^(k−1), 2^(k−1)−1] (Eq. 12 without the final +0.5),
    /// for v = w/λ. Ties go to the lower level (⌈v⌉ − 1), matching the half-open intervals
    /// (s_(i−1), s_i] of §5.1; the steered value is this index + 0.5.
    @inline(__always)
    public static func steeringIndex<T: BinaryFloatingPoint>(_ v: T, lower: T, upper: T) -> T {
        min(max(v.rounded(.up) - 1, lower), upper)
    }

    /// Eq. 12: steer(w, λ, k) = Clip{⌊w/λ − 0.5⌉, −2^(k−1), 2^(k−1)−1} + 0.5.
    public static func steer(_ w: Double, interval lambda: Double, bits: Int) -> Double {
        let half = Double(1 << (bits - 1))
        return steeringIndex(w / lambda, lower: -half, upper: half - 1) + 0.5
    }

    /// Eq. 17–18: the driving scale α* = w′ᵀw / w′ᵀw′ that minimises the modulus loss for a
    /// fixed orientation vector w′ (0 when w′ is the zero vector).
    public static func drivingScale(weights: [Double], orientation: [Double]) -> Double {
        var numerator = 0.0, denominator = 0.0
        for index in weights.indices {
            numerator += orientation[index] * weights[index]
            denominator += orientation[index] * orientation[index]
        }
        return denominator > 0 ? numerator / denominator : 0
    }

    // MARK: - λ from the computing template (§5.2.2)

    /// Jo(λ, k) for φ ∼ N(0, 1) (Eq. 19–22, 31–32), with every integral of Eq. 19 evaluated by
    /// Gauss–Legendre quadrature over its interval. The tails beyond ±12 carry less than 1e-32 of
    /// the mass and are dropped.
    public static func templateOrientationLoss(lambda: Double, bits k: Int) -> Double {
        // Past 16 bits the 2^k intervals would overflow the loop (k ≥ 63) or take hours.
        guard lambda > 0, bitRange.contains(k) else { return .nan }
        let n = 1 << k
        let tail = 12.0
        var cross = 0.0   // Σ ∫ t·q_i p(t) dt   (w_f · w′_q)
        var squares = 0.0 // Σ ∫ q_i² p(t) dt    (|w′_q|²)
        let second = Numerics.integrate(-tail, tail) { $0 * $0 * Numerics.normalDensity($0) } // |w_f|² (≈ 1)
        for i in 1...n {
            let q = (Double(i) - Double(n) / 2 - 0.5) * lambda                    // Eq. 21
            var lower = i == 1 ? -tail : (Double(i - 1) - Double(n) / 2) * lambda // Eq. 22
            var upper = i == n ? tail : (Double(i) - Double(n) / 2) * lambda
            lower = max(lower, -tail)
            upper = min(upper, tail)
            guard upper > lower else { continue }
            let firstMoment = Numerics.integrate(lower, upper) { $0 * Numerics.normalDensity($0) }
            let mass = Numerics.integrate(lower, upper) { Numerics.normalDensity($0) }
            cross += q * firstMoment
            squares += q * q * mass
        }
        guard squares > 0 else { return 1 }
        return 1 - cross / (second.squareRoot() * squares.squareRoot()) // Eq. 20
    }

    /// λ*(k) = argmin_λ Jo(λ, k) for φ ∼ N(0, 1) (Eq. 30), solved numerically by golden-section
    /// search (Jo is convex in λ for k > 1, §5.2.2). k = 1 returns 1: the loss is constant there
    /// and the paper fixes λ = 1. Beyond 8 bits the paper's rule 6/2^k is used.
    public static func solveTemplateLambda(bits k: Int) -> Double {
        if k <= 1 { return 1 }
        if k > 8 { return Foundation.scalbn(6.0, -k) } // 6/2^k without the shift overflowing at k ≥ 63
        // The optimum lies well inside (0, 8/2^k·2]: levels must cover a few σ.
        let upper = min(4.0, 16.0 / Double(1 << k))
        return Numerics.goldenSectionMinimum(1e-6, upper, tolerance: 1e-13) {
            templateOrientationLoss(lambda: $0, bits: k)
        }.x
    }

    private static let lambdaCache: [Double] = (0...bitRange.upperBound).map { solveTemplateLambda(bits: max($0, 1)) }

    /// The template λ for k bits, computed once per process by `solveTemplateLambda` (never a
    /// typed-in table) and cached.
    public static func templateLambda(bits k: Int) -> Double {
        bitRange.contains(k) ? lambdaCache[k] : solveTemplateLambda(bits: k)
    }

    // MARK: - Data-driven λ (§6.1.4)

    /// The λ in (0, 3] at 0.001 resolution that minimises the orientation loss of the actual
    /// (σ-normalised) weights, as in §6.1.4. Exact for every grid point: weights are sorted once
    /// and each candidate's Σ w·q and Σ q² come from prefix sums over the steering intervals.
    public static func dataDrivenLambda(_ weights: [Float], bits k: Int, step: Double = 0.001, maximum: Double = 3) throws(QuantizerError) -> (lambda: Double, orientationLoss: Double) {
        guard bitRange.contains(k) else { throw .unsupportedBits(scheme: "vecq", bits: k, allowed: bitRange) }
        guard !weights.isEmpty else { throw .emptyTensor }
        if let bad = weights.withUnsafeBufferPointer({ firstNonFinite($0) }) { throw .nonFinite(index: bad.index, value: bad.value) }
        let sigma = weights.withUnsafeBufferPointer { standardDeviation($0) }
        guard sigma > 0 else { return (templateLambda(bits: k), 0) }
        let phi = weights.map { Double($0) / sigma }.sorted()
        var prefix = [Double](repeating: 0, count: phi.count + 1)
        var prefixSquares = 0.0
        for (index, value) in phi.enumerated() {
            prefix[index + 1] = prefix[index] + value
            prefixSquares += value * value
        }
        // Count of φ ≤ t (elements of (s_(i−1), s_i] are those above s_(i−1) and at most s_i).
        func countAtMost(_ t: Double) -> Int {
            var low = 0, high = phi.count
            while low < high {
                let mid = (low + high) / 2
                if phi[mid] <= t { low = mid + 1 } else { high = mid }
            }
            return low
        }
        let n = 1 << k
        let candidates = Int((maximum / step).rounded())
        var best = (lambda: step, loss: Double.infinity)
        for candidate in 1...max(candidates, 1) {
            let lambda = Double(candidate) * step
            var cross = 0.0, squares = 0.0
            var previous = 0
            for i in 1...n {
                let upperCount = i == n ? phi.count : countAtMost((Double(i) - Double(n) / 2) * lambda)
                let q = Double(i) - Double(n) / 2 - 0.5 // in units of λ; Jo ignores the scale
                let count = upperCount - previous
                if count > 0 {
                    cross += q * (prefix[upperCount] - prefix[previous])
                    squares += q * q * Double(count)
                }
                previous = upperCount
            }
            let loss = squares > 0 ? 1 - cross / (prefixSquares.squareRoot() * squares.squareRoot()) : 1
            if loss < best.loss { best = (lambda, loss) }
        }
        return (best.lambda, best.loss)
    }

    /// Population standard deviation σ² = E(w²) − E(w)² (Eq. 27), accumulated in double precision.
    static func standardDeviation(_ values: UnsafeBufferPointer<Float>) -> Double {
        var sum = 0.0, squares = 0.0
        for value in values {
            let v = Double(value)
            sum += v
            squares += v * v
        }
        let count = Double(values.count)
        let mean = sum / count
        return max(squares / count - mean * mean, 0).squareRoot()
    }

    // MARK: - §3 baselines

    /// The exact vector-loss optimum over integer vectors drawn from `levels` (§3, Theorem 1):
    /// the orientation v minimising Jo(w, v), then α* from Eq. 18. Exhaustive, so limited to
    /// |levels|^d ≤ 10^6 candidates; meant for checking the theory on small examples.
    public static func exhaustiveVectorLossOptimum(weights: [Double], levels: LevelSet) throws(QuantizerError) -> (alpha: Double, vector: [Double], orientationLoss: Double) {
        guard !weights.isEmpty else { throw .emptyTensor }
        guard weights.allSatisfy(\.isFinite) else { throw .nonFinite(index: weights.firstIndex { !$0.isFinite } ?? 0, value: Float(weights.first { !$0.isFinite } ?? .nan)) }
        let total = pow(Double(levels.levels.count), Double(weights.count))
        guard total <= 1e6 else { throw .tooLarge("exhaustive search over \(Int(total)) level vectors is too large; use at most 10^6 combinations") }
        var digits = [Int](repeating: 0, count: weights.count)
        var best: (alpha: Double, vector: [Double], loss: Double, modulus: Double)? = nil
        repeat {
            let vector = digits.map { levels.levels[$0] }
            let loss = Metrics.orientationLoss(weights, vector)
            let modulus = vector.reduce(0) { $0 + $1 * $1 }
            // Prefer the lower loss; among equal orientations, the shortest vector.
            let better: Bool
            if let current = best {
                better = loss < current.loss - 1e-15 || (abs(loss - current.loss) <= 1e-15 && modulus < current.modulus)
            } else {
                better = true
            }
            if modulus > 0, better {
                best = (drivingScale(weights: weights, orientation: vector), vector, loss, modulus)
            }
            var position = 0
            while position < digits.count {
                digits[position] += 1
                if digits[position] < levels.levels.count { break }
                digits[position] = 0
                position += 1
            }
            if position == digits.count { break }
        } while true
        guard let best else { throw .invalidLevelSet("the level set has no nonzero level") }
        return (best.alpha, best.vector, best.loss)
    }

    /// The L2 alternating iteration VecQ §3 contrasts with (as in ENN [16]): project w/α onto the
    /// levels, refit α by least squares, repeat until the assignment stops changing. Returns the
    /// extreme point reached from `initialAlpha`, which need not be the L2 optimum.
    public static func l2AlternatingFit(weights: [Double], levels: LevelSet, initialAlpha: Double, maxIterations: Int = 100) -> (alpha: Double, vector: [Double]) {
        var alpha = initialAlpha
        var vector: [Double] = []
        for _ in 0..<maxIterations {
            let next = weights.map { levels.nearest(to: $0 / alpha) }
            let refit = drivingScale(weights: weights, orientation: next)
            if next == vector { break }
            vector = next
            alpha = refit
        }
        return (alpha, vector)
    }
}

/// VecQ as a tensor quantizer: σ from the data, interval λ·σ, steering, then α* by least squares.
///
/// Levels are stored as odd integers 2c+1 (c the k-bit steering index) with scale α/2, so the
/// hardware sees integer levels {−(2^k−1), …, −1, 1, …, 2^k−1} and a k-bit two's-complement code c.
public struct VecQQuantizer: TensorQuantizer {
    /// Where λ comes from.
    public enum LambdaSource: Sendable, Hashable {
        /// The computing template λ*(k) (§5.2.2) — the fast path used during training.
        case template
        /// The §6.1.4 grid search on the data being quantized.
        case dataDriven
        /// A given λ in units of σ.
        case fixed(Double)
    }

    /// Code width k (`VecQ.bitRange`, 1…16).
    public let bits: Int
    /// How λ is chosen for each channel.
    public let lambdaSource: LambdaSource

    /// Throws for k outside `VecQ.bitRange` or a fixed λ that is not positive and finite.
    public init(bits: Int, lambda: LambdaSource = .template) throws(QuantizerError) {
        guard VecQ.bitRange.contains(bits) else { throw .unsupportedBits(scheme: "vecq", bits: bits, allowed: VecQ.bitRange) }
        if case .fixed(let value) = lambda, !(value > 0 && value.isFinite) {
            throw .invalidParameter(name: "lambda", value: value, reason: "λ must be positive and finite")
        }
        self.bits = bits
        self.lambdaSource = lambda
    }

    /// `vecq:k`.
    public var scheme: QuantScheme { .vecq(bits: bits) }
    /// k: the two's-complement steering index c.
    public var codeBits: Int { bits }
    /// The odd integers 2c + 1: {−(2^k−1), …, −1, 1, …, 2^k−1}, with no zero level.
    public var levelSet: LevelSet {
        // Odd integers in increasing order, at least ±1 since bits ≥ 1.
        let half = 1 << (bits - 1)
        return LevelSet(validated: (-half..<half).map { Double(2 * $0 + 1) })
    }
    /// Code c (k-bit two's complement) decodes to 2c + 1.
    public var codeLevels: [Double] { SignedCode.allValues(bits: bits).map { Double(2 * $0 + 1) } }
    /// `lambda` in units of σ, `sigma` the channel's standard deviation (Eq. 27) and `alpha` = α*
    /// (Eq. 17–18); the scale is α/2 because levels are stored as 2c + 1.
    public var parameterNames: [String] { ["lambda", "sigma", "alpha"] }
    /// λ is in units of σ; σ and α scale with the data.
    public var parameterScaleExponents: [Int]? { [0, 1, 1] }

    /// Steers with interval λσ (Eq. 12) and fits α* = w′ᵀw/w′ᵀw′ in the same pass; a constant channel
    /// gets code 0 with its value as the scale.
    public func quantizeChannel(_ values: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt32>) -> ChannelFit {
        let sigma = VecQ.standardDeviation(values)
        let lambda: Double
        switch lambdaSource {
        case .template: lambda = VecQ.templateLambda(bits: bits)
        case .fixed(let value): lambda = value
        case .dataDriven:
            // quantizeChannel is public, so the channel may be empty or non-finite; the template λ stands in.
            lambda = (try? VecQ.dataDrivenLambda(Array(values), bits: bits).lambda) ?? VecQ.templateLambda(bits: bits)
        }
        let half = Float(1 << (bits - 1))
        let mask: UInt32 = (UInt32(1) << UInt32(bits)) &- 1
        guard sigma > 0 else {
            // A constant channel has no orientation to steer; code it as the level nearest zero.
            for index in codes.indices { codes[index] = 0 }
            let mean = values.isEmpty ? 0 : Double(values[0])
            return ChannelFit(scale: mean, parameters: [lambda, 0, 2 * mean])
        }
        // σ below 2^−128 has no Float reciprocal; quantize() rescales such channels first, so only
        // a direct caller lands here with it, and gets the channel coded as the level nearest zero.
        let inverseInterval = Float(1 / (lambda * sigma))
        guard inverseInterval.isFinite else {
            for index in codes.indices { codes[index] = 0 }
            return ChannelFit(scale: 0, parameters: [lambda, sigma, 0])
        }
        // Steering and the two sums of α* = w′ᵀw / w′ᵀw′ in one pass; w′ = c + 0.5.
        var cross = 0.0, squares = 0.0
        var blockCross: Float = 0, blockSquares: Float = 0
        var blockCount = 0
        for index in values.indices {
            let w = values[index]
            var c = VecQ.steeringIndex(w * inverseInterval, lower: -half, upper: half - 1)
            if c.isNaN { c = 0 } // a NaN weight, which quantize() rejects
            codes[index] = UInt32(bitPattern: Int32(c)) & mask
            let steered = c + 0.5
            blockCross += steered * w
            blockSquares += steered * steered
            blockCount += 1
            if blockCount == 4096 {
                // Float partial sums keep the loop fast; flushing often keeps them accurate.
                cross += Double(blockCross); squares += Double(blockSquares)
                blockCross = 0; blockSquares = 0; blockCount = 0
            }
        }
        cross += Double(blockCross); squares += Double(blockSquares)
        let alpha = squares > 0 ? cross / squares : 0
        return ChannelFit(scale: alpha / 2, parameters: [lambda, sigma, alpha])
    }
}
