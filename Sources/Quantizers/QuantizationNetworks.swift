import Foundation

/// The quantization function of Quantization Networks (Yang et al. 2019): a sum of sigmoids
/// y = α(Σ sᵢ σ(T(βx − bᵢ)) − o) (Eq. 7) that becomes the step function
/// y = α(Σ sᵢ A(βx − bᵢ) − o) (Eq. 12) at inference, so training needs no gradient approximation.
public struct QuantizationNetworkFunction: Sendable, Equatable {
    /// The target level set Y (sorted, unique).
    public let levels: LevelSet
    /// Output scale α.
    public var alpha: Double
    /// Input scale β.
    public var beta: Double
    /// Biases b₁ … bₙ (n = |Y| − 1), in units of βx.
    public var biases: [Double]

    /// sᵢ = Yᵢ₊₁ − Yᵢ (§3.1): the height of each step.
    public var stepHeights: [Double] { zip(levels.levels.dropFirst(), levels.levels).map { $0 - $1 } }

    /// Offset o = −Y₁, so the lowest output is Y₁: this is ½Σsᵢ for the symmetric weight sets (Eq. 5)
    /// and 0 for the non-negative activation sets (§4.1).
    public var offset: Double { -levels.levels[0] }

    /// Creates the function, checking that there is one bias per step and that α, β are usable.
    public init(levels: LevelSet, alpha: Double, beta: Double, biases: [Double]) throws(QuantizerError) {
        guard biases.count == levels.levels.count - 1 else {
            throw .lengthMismatch(expected: levels.levels.count - 1, actual: biases.count)
        }
        guard alpha.isFinite, alpha > 0 else { throw .invalidParameter(name: "alpha", value: alpha, reason: "α must be positive and finite") }
        guard beta.isFinite, beta > 0 else { throw .invalidParameter(name: "beta", value: beta, reason: "β must be positive and finite") }
        guard biases.allSatisfy(\.isFinite) else { throw .invalidParameter(name: "bias", value: biases.first { !$0.isFinite } ?? .nan, reason: "biases must be finite") }
        self.levels = levels
        self.alpha = alpha
        self.beta = beta
        self.biases = biases
    }

    /// The hard function that is exactly nearest-level projection onto α·Y: β = 1/α and each bias
    /// halfway between neighbouring levels.
    public static func projection(onto levels: LevelSet, scale alpha: Double) throws(QuantizerError) -> QuantizationNetworkFunction {
        let midpoints = zip(levels.levels, levels.levels.dropFirst()).map { ($0 + $1) / 2 }
        return try QuantizationNetworkFunction(levels: levels, alpha: alpha, beta: 1 / alpha, biases: midpoints)
    }

    /// The paper's temperature schedule T = epoch × rate (§4.1: rate 10 for AlexNet, 5 for ResNet).
    public static func temperature(epoch: Int, rate: Double) -> Double { Double(epoch) * rate }

    /// Soft quantization, Eq. 7.
    public func soft(_ x: Double, temperature t: Double) -> Double {
        var sum = 0.0
        let heights = stepHeights
        for i in biases.indices { sum += heights[i] * Numerics.sigmoid(t * (beta * x - biases[i])) }
        return alpha * (sum - offset)
    }

    /// Hard quantization, Eq. 12, with the unit step A(z) = 1 for z ≥ 0 (Eq. 1).
    public func hard(_ x: Double) -> Double {
        alpha * levels.levels[levelIndex(x)]
    }

    /// Index into Y of the hard function's output: the number of biases bᵢ ≤ βx. Sums of sᵢ from Y₁
    /// telescope to that level.
    public func levelIndex(_ x: Double) -> Int {
        let z = beta * x
        var count = 0
        for bias in biases where z - bias >= 0 { count += 1 }
        return count
    }

    /// Gradients of Eq. 7 for inputs `x` and upstream gradients ∂ℓ/∂y (Eq. 8–11).
    ///
    /// The paper writes them with gᵢ = αsᵢσ(T(βx − bᵢ)), for which gᵢ(αsᵢ − gᵢ)/(αsᵢ) =
    /// αsᵢσ(1−σ); that is the form computed here (the paper's text calls gᵢ just σ(·), which would
    /// not match Eq. 7's derivative).
    public func gradients(x: [Double], upstream: [Double], temperature t: Double) throws(QuantizerError)
        -> (input: [Double], alpha: Double, beta: Double, biases: [Double])
    {
        guard x.count == upstream.count else { throw .lengthMismatch(expected: x.count, actual: upstream.count) }
        let heights = stepHeights
        var input = [Double](repeating: 0, count: x.count)
        var dAlpha = 0.0, dBeta = 0.0
        var dBiases = [Double](repeating: 0, count: biases.count)
        for d in x.indices {
            var sum = 0.0
            var slope = 0.0 // Σ αsᵢσ(1−σ)
            for i in biases.indices {
                let sigma = Numerics.sigmoid(t * (beta * x[d] - biases[i]))
                sum += heights[i] * sigma
                let g = alpha * heights[i] * sigma * (1 - sigma)
                slope += g
                dBiases[i] += upstream[d] * (-t) * g                // Eq. 11
            }
            input[d] = upstream[d] * t * beta * slope                // Eq. 8
            dBeta += upstream[d] * t * x[d] * slope                  // Eq. 10
            dAlpha += upstream[d] * (sum - offset)                   // Eq. 9: y/α
        }
        return (input, dAlpha, dBeta, dBiases)
    }

    /// Half-width of the zero band: b_⌊n/2⌋ = −0.05 and b_⌊n/2⌋+1 = 0.05 (§4.1), so the values of βx
    /// within ±0.05 quantize to 0 "as in TWN".
    public static let zeroBand = 0.05

    /// The paper's initialisation (§4.1): β = 5p/(4q) with p = max|Y| and q = max|x|, α = 1/β, and
    /// biases from 1-D k-means of βx into |Y| clusters (bᵢ = midpoint of sorted centres cᵢ, cᵢ₊₁),
    /// with the ±0.05 zero band around the level 0 of a symmetric set. The binary set {−1, 1} uses
    /// b = 0 as the paper states.
    public static func initialized(levels: LevelSet, data: [Float]) throws(QuantizerError) -> QuantizationNetworkFunction {
        guard !data.isEmpty else { throw .emptyTensor }
        if let bad = data.withUnsafeBufferPointer({ firstNonFinite($0) }) { throw .nonFinite(index: bad.index, value: bad.value) }
        return try data.withUnsafeBufferPointer { values throws(QuantizerError) in try initialized(levels: levels, values: values) }
    }

    static func initialized(levels: LevelSet, values: UnsafeBufferPointer<Float>) throws(QuantizerError) -> QuantizationNetworkFunction {
        let y = levels.levels
        let p = max(abs(y[0]), abs(y[y.count - 1]))
        var q: Float = 0
        for value in values { q = max(q, abs(value)) }
        guard q > 0 else {
            return try projection(onto: levels, scale: 1) // an all-zero input: any scale reproduces it
        }
        let beta = 5 * p / (4 * Double(q))
        let n = y.count - 1
        let symmetric = zip(y, y.reversed()).allSatisfy { $0 == -$1 }
        var biases: [Double]
        if n == 1 && symmetric {
            biases = [0]
        } else {
            let centres = KMeans1D.centres(values, clusters: n + 1).map { $0 * beta }
            biases = zip(centres, centres.dropFirst()).map { ($0 + $1) / 2 }
            // Zero band: with 1-based i = ⌊n/2⌋ and ⌊n/2⌋+1, i.e. the two steps around level 0.
            if symmetric, n % 2 == 0, y[n / 2] == 0 {
                biases[n / 2 - 1] = -zeroBand
                biases[n / 2] = zeroBand
            }
            // Keep biases non-decreasing so the hard function stays monotone even when the data
            // have fewer distinct values than clusters.
            for i in biases.indices.dropFirst() where biases[i] < biases[i - 1] { biases[i] = biases[i - 1] }
        }
        return try QuantizationNetworkFunction(levels: levels, alpha: 1 / beta, beta: beta, biases: biases)
    }
}

/// One-dimensional k-means (Lloyd's algorithm) on a fine histogram of the data, deterministic:
/// initial centres at the (i + ½)/k quantiles; stops when the centres stop moving.
enum KMeans1D {
    static let bins = 1 << 14

    static func centres(_ values: UnsafeBufferPointer<Float>, clusters k: Int) -> [Double] {
        var low = Float.infinity, high = -Float.infinity
        for value in values { low = min(low, value); high = max(high, value) }
        let width = Double(high) - Double(low) // in Float, FLT_MAX − (−FLT_MAX) is ∞
        guard width > 0 else { return (0..<k).map { Double(low) + Double($0) * 1e-9 } }
        var counts = [Double](repeating: 0, count: bins)
        var sums = [Double](repeating: 0, count: bins)
        let toBin = Double(bins) / width
        for value in values {
            let position = (Double(value) - Double(low)) * toBin
            let bin = position < Double(bins - 1) ? Int(position) : bins - 1 // NaN → last bin
            counts[bin] += 1
            sums[bin] += Double(value)
        }
        // Weighted points: each non-empty bin at its mean.
        var points: [(x: Double, weight: Double)] = []
        for bin in 0..<bins where counts[bin] > 0 { points.append((sums[bin] / counts[bin], counts[bin])) }
        let total = points.reduce(0) { $0 + $1.weight }
        var centres: [Double] = []
        var cumulative = 0.0
        var pointIndex = 0
        for i in 0..<k {
            let target = (Double(i) + 0.5) / Double(k) * total
            while pointIndex < points.count - 1 && cumulative + points[pointIndex].weight < target {
                cumulative += points[pointIndex].weight
                pointIndex += 1
            }
            centres.append(points[pointIndex].x)
        }
        for _ in 0..<300 {
            var newSums = [Double](repeating: 0, count: k)
            var newWeights = [Double](repeating: 0, count: k)
            var c = 0
            for point in points { // points ascending, centres ascending: a sweep assigns them
                while c < k - 1 && abs(point.x - centres[c + 1]) < abs(point.x - centres[c]) { c += 1 }
                newSums[c] += point.x * point.weight
                newWeights[c] += point.weight
            }
            var moved = false
            for i in 0..<k where newWeights[i] > 0 {
                let next = newSums[i] / newWeights[i]
                if next != centres[i] { moved = true }
                centres[i] = next
            }
            centres.sort()
            if !moved { break }
        }
        return centres
    }
}

/// Quantization Networks' hard function as a tensor quantizer, with the paper's initialisation
/// (no training): β and the biases as in §4.1 decide which level each value gets; codes index the
/// level set.
///
/// The output scale is then refitted by least squares, α = Σ w·Y / Σ Y², for the chosen levels:
/// the paper's α = 1/β is a training start that keeps the *soft* function near the identity, but
/// applied to the hard function it puts the outer levels at ±0.8·max|w|. Both are reported.
public struct QNQuantizer: TensorQuantizer {
    /// The target levels Y, in units of the scale.
    public let levels: LevelSet

    /// Throws when indexing the set would need codes wider than 16 bits.
    public init(levels: LevelSet) throws(QuantizerError) {
        guard levels.codeBits <= 16 else { throw .unsupportedBits(scheme: "qn", bits: levels.codeBits, allowed: 1...16) }
        self.levels = levels
    }

    /// `qn:<levels>`.
    public var scheme: QuantScheme { .qn(levels) }
    /// Bits to index the level set, ⌈log2 |Y|⌉, and at least 1.
    public var codeBits: Int { max(levels.codeBits, 1) }
    /// The target levels Y as given.
    public var levelSet: LevelSet { levels }
    /// Code i decodes to the i-th level; codes past the last level (when |Y| is not a power of two)
    /// decode to the top level.
    public var codeLevels: [Double] {
        (0..<(1 << codeBits)).map { levels.levels[min($0, levels.levels.count - 1)] }
    }
    /// `alpha`: the least-squares output scale; `beta`: the §4.1 input scale 5p/(4q);
    /// `initialAlpha`: the paper's training start 1/β.
    public var parameterNames: [String] { ["alpha", "beta", "initialAlpha"] }
    /// α scales with the data, β = 5p/4q inversely.
    public var parameterScaleExponents: [Int]? { [1, -1, 1] }

    /// Picks levels with the §4.1-initialised hard function, then refits α = Σw·Y/ΣY². If the
    /// initialisation fails, every code is the level nearest 0 and all parameters are 0.
    public func quantizeChannel(_ values: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt32>) -> ChannelFit {
        // Initialisation can fail on real data (a channel so small that β = 5p/4q is not finite).
        guard let function = try? QuantizationNetworkFunction.initialized(levels: levels, values: values) else {
            for index in codes.indices { codes[index] = UInt32(levels.nearestIndex(to: 0)) }
            return ChannelFit(scale: 0, parameters: [0, 0, 0])
        }
        var cross = 0.0, squares = 0.0
        // initialized(levels:values:) leaves the biases non-decreasing, so the level is a binary
        // search away (levelIndex scans every bias: n·L for L levels).
        let biases = function.biases
        for index in values.indices {
            let z = function.beta * Double(values[index])
            var low = 0, high = biases.count
            while low < high {
                let mid = (low + high) / 2
                if z - biases[mid] >= 0 { low = mid + 1 } else { high = mid }
            }
            let level = low
            codes[index] = UInt32(level)
            let y = levels.levels[level]
            cross += y * Double(values[index])
            squares += y * y
        }
        let alpha = squares > 0 ? cross / squares : 0
        return ChannelFit(scale: alpha, parameters: [alpha, function.beta, function.alpha])
    }
}
