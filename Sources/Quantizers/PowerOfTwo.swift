import Foundation

/// The logarithmic level families: powers of two (POT, ASQ Eq. 3), powers of √2 (POST, ASQ
/// Eq. 17) and additive powers of two (APoT, Li et al. 2019).
public enum PowerFamily: String, Sendable, Hashable, CaseIterable {
    /// Powers of two (POT), powers of √2 (POST) and additive powers of two (APoT).
    case pot, post, apot

    /// Bitwidths supported: one sign bit plus at least one magnitude bit, and at most 8 bits
    /// (beyond that POT's smallest level is below 2^−127 and no longer a useful weight).
    public static let bitRange = QuantScheme.powerOfTwoBitRange

    /// The level set exactly as the paper's formula writes it, with unit clipping threshold:
    /// {0, ±base^(−2^(b−1)+1), …, ±base^(−1), ±1} with base 2 (Eq. 3) or √2 (Eq. 17). That is
    /// 2^b + 1 levels — one more than b bits can index; see `PowerQuantizer` for the stored subset.
    /// APoT has no such closed form and returns its representable set.
    public func formulaLevels(bits: Int) throws(QuantizerError) -> LevelSet {
        guard Self.bitRange.contains(bits) else { throw .unsupportedBits(scheme: rawValue, bits: bits, allowed: Self.bitRange) }
        if self == .apot { return try PowerQuantizer(family: .apot, bits: bits).levelSet }
        let magnitudes = (0..<(1 << (bits - 1))).map { exponentMagnitude(-$0) }
        let levels = magnitudes.map { -$0 } + [0] + magnitudes.reversed()
        do { return try LevelSet(levels) } catch { throw .invalidLevelSet(error.description) }
    }

    /// base^e for POT (base 2) and POST (base √2), computed exactly as a power of two where possible.
    func exponentMagnitude(_ e: Int) -> Double {
        switch self {
        case .pot: return Foundation.scalbn(1.0, e)
        case .post, .apot:
            // √2^e = 2^(e/2): exact for even e, one rounding for odd e.
            return e % 2 == 0 ? Foundation.scalbn(1.0, e / 2) : Foundation.scalbn(2.0.squareRoot(), (e - 1) / 2)
        }
    }

    /// Non-negative magnitudes indexed by the (b−1)-bit magnitude field of a code, normalised so the
    /// largest is 1, and the field value that means zero.
    ///
    /// POT/POST: field W stores exponent −W (the shift amount of ASQ Eq. 18) for W = 0 … 2^(b−1)−2,
    /// and the all-ones field means zero. Eq. 3/17's smallest magnitude base^(−2^(b−1)+1) is the one
    /// that gives way to zero, so the code width stays b bits.
    /// APoT: field m indexes the 2^(b−1) sums in ascending order; field 0 is the empty sum, zero.
    public func fieldMagnitudes(bits: Int) throws(QuantizerError) -> (magnitudes: [Double], zeroField: Int) {
        guard Self.bitRange.contains(bits) else { throw .unsupportedBits(scheme: rawValue, bits: bits, allowed: Self.bitRange) }
        let fields = 1 << (bits - 1)
        switch self {
        case .pot, .post:
            var magnitudes = (0..<(fields - 1)).map { exponentMagnitude(-$0) }
            magnitudes.append(0)
            return (magnitudes, fields - 1)
        case .apot:
            return (Self.additiveMagnitudes(magnitudeBits: bits - 1), 0)
        }
    }

    /// APoT magnitudes for `m` magnitude bits (Li et al. 2019, Eq. 5 with base bitwidth k = 2):
    /// n = ⌈m/2⌉ additive terms; term i chooses 0 or one of its own powers of two, the terms' powers
    /// interleaved (term i owns 2^−(i+1), 2^−(i+1+n), …) so all sums are distinct. With m even every
    /// term has 2^2 − 1 = 3 powers (Li et al.'s formula); with m odd the last term has 1 power.
    /// Sums are normalised so the largest is 1. Ascending, starting with 0; 2^m values.
    static func additiveMagnitudes(magnitudeBits m: Int) -> [Double] {
        let terms = (m + 1) / 2
        // Number of nonzero choices per term: 3 for a 2-bit term, 1 for the 1-bit term when m is odd.
        let capacities = (0..<terms).map { i in (m % 2 == 1 && i == terms - 1) ? 1 : 3 }
        var powers = [[Double]](repeating: [], count: terms)
        var exponent = 1
        // Deal exponents 1, 2, 3, … round-robin to the terms that still have room.
        while powers.enumerated().contains(where: { $0.element.count < capacities[$0.offset] }) {
            for i in 0..<terms where powers[i].count < capacities[i] {
                powers[i].append(Foundation.scalbn(1.0, -exponent))
                exponent += 1
            }
        }
        var sums: [Double] = [0]
        for term in powers {
            var next: [Double] = []
            for partial in sums {
                next.append(partial)
                for power in term { next.append(partial + power) }
            }
            sums = next
        }
        let largest = sums.max() ?? 1
        return sums.map { $0 / largest }.sorted()
    }
}

/// POT, POST or APoT weights: sign-magnitude codes of `bits` bits (sign bit on top, then the
/// (b−1)-bit magnitude field of `PowerFamily.fieldMagnitudes`), levels α·{0, ±magnitudes}.
///
/// α is chosen to minimise the L2 error ‖w − ŵ‖²: a 256-point grid over α ∈ (0, max|w|] and then
/// Lloyd refinement (α ← Σ ℓ|w| / Σ ℓ², re-project), both evaluated on a 2048-bin histogram of |w|
/// (count, Σ|w|, Σw² per bin), so the search costs one pass over the data whatever its size.
public struct PowerQuantizer: TensorQuantizer {
    /// Which logarithmic level family the codes index.
    public let family: PowerFamily
    /// Code width b (2…8): one sign bit plus a (b−1)-bit magnitude field.
    public let bits: Int
    /// Magnitude of each field value (0 for the zero field).
    public let fieldMagnitudes: [Double]
    /// Field value that encodes zero.
    public let zeroField: Int

    /// Magnitudes ascending (the first is 0) and the field storing each.
    let sortedMagnitudes: [Double]
    let sortedFields: [UInt32]
    /// Decision thresholds between consecutive sorted magnitudes, then +∞.
    let thresholds: [Float]
    /// Where the projection starts looking for each value (see `ProjectionTable`).
    let projection: ProjectionTable

    /// Bins of the |w| histogram the α search evaluates errors on, so the search costs one pass over the data.
    public static let histogramBins = 2048
    /// Grid candidates α = max|w|·i/256 tried before Lloyd refinement.
    public static let gridPoints = 256

    /// Precomputes the field magnitudes, decision thresholds and projection table; throws outside 2…8 bits.
    public init(family: PowerFamily, bits: Int) throws(QuantizerError) {
        self.family = family
        self.bits = bits
        let (magnitudes, zero) = try family.fieldMagnitudes(bits: bits)
        fieldMagnitudes = magnitudes
        zeroField = zero
        let order = magnitudes.indices.sorted { magnitudes[$0] < magnitudes[$1] }
        let sorted = order.map { magnitudes[$0] }
        sortedMagnitudes = sorted
        sortedFields = order.map { UInt32($0) }
        var thresholds = (0..<(sorted.count - 1)).map { Float((sorted[$0] + sorted[$0 + 1]) / 2) }
        thresholds.append(.infinity)
        self.thresholds = thresholds
        projection = ProjectionTable(thresholds: thresholds)
    }

    /// `pot:b`, `post:b` or `apot:b`, following `family`.
    public var scheme: QuantScheme {
        switch family {
        case .pot: .pot(bits: bits)
        case .post: .post(bits: bits)
        case .apot: .apot(bits: bits)
        }
    }
    /// b: the sign bit plus the magnitude field.
    public var codeBits: Int { bits }
    /// The 2^b − 1 stored levels {0, ±magnitudes} with the largest at ±1; for POT/POST one fewer than
    /// `PowerFamily.formulaLevels(bits:)`, whose smallest magnitude gives way to zero.
    public var levelSet: LevelSet {
        // The family's magnitudes are distinct and finite with at least one above zero (bits ≥ 2).
        let positive = sortedMagnitudes.filter { $0 > 0 }
        return LevelSet(validated: positive.reversed().map { -$0 } + [0] + positive)
    }
    /// Sign-magnitude decoding; the never-emitted "negative zero" code decodes to 0.
    public var codeLevels: [Double] {
        let signBit = 1 << (bits - 1)
        return (0..<(1 << bits)).map { code in
            let magnitude = fieldMagnitudes[code & (signBit - 1)]
            return code & signBit != 0 && magnitude != 0 ? -magnitude : magnitude
        }
    }
    /// `alpha`: the L2-optimal clipping threshold, which is also the scale.
    public var parameterNames: [String] { ["alpha"] }
    /// α scales with the data.
    public var parameterScaleExponents: [Int]? { [1] }

    /// The sign-magnitude code of a level index into `sortedMagnitudes`.
    func code(sortedIndex: Int, negative: Bool) -> UInt32 {
        let field = sortedFields[sortedIndex]
        return negative && sortedMagnitudes[sortedIndex] != 0 ? field | (UInt32(1) << UInt32(bits - 1)) : field
    }

    /// Searches the L2-optimal α for the channel (`fitScale`) and codes every value as its nearest level.
    public func quantizeChannel(_ values: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt32>) -> ChannelFit {
        let alpha = fitScale(values)
        encode(values, codes: codes, alpha: alpha)
        return ChannelFit(scale: alpha, parameters: [alpha])
    }

    /// Writes the code of the level nearest each value for clipping threshold `alpha` (ties go to
    /// the smaller magnitude; values beyond α clip to ±1).
    public func encode(_ values: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt32>, alpha: Double) {
        // codeTable[2·i + s]: code of sorted magnitude i with sign bit s (zero is always unsigned).
        let codeTable = sortedMagnitudes.indices.flatMap { [code(sortedIndex: $0, negative: false), code(sortedIndex: $0, negative: true)] }
        guard alpha > 0 else {
            for index in codes.indices { codes[index] = codeTable[0] }
            return
        }
        let inverse = Float(1 / alpha)
        let shift = UInt32(23 - projection.mantissaBits)
        let last = sortedMagnitudes.count - 1
        let exact = projection.atMostOneThresholdPerCell
        projection.start.withUnsafeBufferPointer { start in
            thresholds.withUnsafeBufferPointer { thresholds in
                codeTable.withUnsafeBufferPointer { codeTable in
                    for index in values.indices {
                        let bits = values[index].bitPattern
                        let m = Float(bitPattern: bits & 0x7FFF_FFFF) * inverse
                        // The cell of m (its exponent and top mantissa bits) gives the number of
                        // thresholds below the cell; at most one more can lie inside it when `exact`.
                        var sorted = Int(start[Int(m.bitPattern >> shift)])
                        if exact {
                            sorted += m > thresholds[sorted] ? 1 : 0
                        } else {
                            while sorted < last && m > thresholds[sorted] { sorted += 1 }
                        }
                        codes[index] = codeTable[2 * sorted + Int(bits >> 31)]
                    }
                }
            }
        }
    }

    /// The L2-minimising clipping threshold α for `values` (see the type's documentation).
    public func fitScale(_ values: UnsafeBufferPointer<Float>) -> Double {
        let histogram = MagnitudeHistogram(values, bins: Self.histogramBins)
        guard histogram.maximum > 0 else { return 0 }
        var best = (alpha: histogram.maximum, error: Double.infinity)
        for point in 1...Self.gridPoints {
            let alpha = histogram.maximum * Double(point) / Double(Self.gridPoints)
            let error = histogram.squaredError(alpha: alpha, magnitudes: sortedMagnitudes)
            if error < best.error { best = (alpha, error) }
        }
        // Lloyd refinement: with the assignment fixed, the L2-optimal α is Σ ℓ·Σ|w| / Σ ℓ²·count.
        for _ in 0..<50 {
            let alpha = histogram.leastSquaresAlpha(assignmentAlpha: best.alpha, magnitudes: sortedMagnitudes)
            guard alpha > 0 else { break }
            let error = histogram.squaredError(alpha: alpha, magnitudes: sortedMagnitudes)
            guard error < best.error * (1 - 1e-12) else { break }
            best = (alpha, error)
        }
        return best.alpha
    }
}

/// A table indexed by the top bits of a non-negative Float (exponent and the first few mantissa
/// bits) holding how many decision thresholds lie below each cell. Logarithmic level sets have a
/// bounded number of thresholds per octave, so with enough mantissa bits every cell holds at most
/// one, and projection costs one table load and one comparison instead of a binary search.
struct ProjectionTable: Sendable {
    let mantissaBits: Int
    let start: [UInt8]
    let atMostOneThresholdPerCell: Bool

    init(thresholds: [Float]) {
        let finite = thresholds.filter(\.isFinite)
        var bits = 4
        var start: [UInt8] = []
        var exact = false
        while true {
            let cells = 256 << bits
            start = [UInt8](repeating: 0, count: cells)
            var perCell = [UInt8](repeating: 0, count: cells)
            var below = 0
            for cell in 0..<cells {
                let lowerBound = Float(bitPattern: UInt32(cell) << UInt32(23 - bits))
                while below < finite.count && finite[below] < lowerBound { below += 1 }
                start[cell] = UInt8(below)
            }
            for threshold in finite { perCell[Int(threshold.bitPattern >> UInt32(23 - bits))] += 1 }
            exact = perCell.allSatisfy { $0 <= 1 }
            if exact || bits == 12 { break }
            bits += 1
        }
        mantissaBits = bits
        self.start = start
        atMostOneThresholdPerCell = exact
    }
}

/// Per-bin count, Σ|w| and Σw² of |w| over [0, max|w|]: enough to evaluate the L2 error of any
/// scale exactly, up to bins that straddle a decision threshold.
struct MagnitudeHistogram {
    let maximum: Double
    var counts: [Double]
    var sums: [Double]
    var squares: [Double]
    /// The bins with a count, ascending: the grid search visits only these, so a small channel
    /// (per-channel fits of a many-channel tensor) costs its size, not the bin count, per α.
    var occupied: [Int] = []

    init(_ values: UnsafeBufferPointer<Float>, bins: Int) {
        var maximum: Float = 0
        for value in values { maximum = max(maximum, abs(value)) }
        self.maximum = Double(maximum)
        var counts = [Double](repeating: 0, count: bins)
        var sums = [Double](repeating: 0, count: bins)
        var squares = [Double](repeating: 0, count: bins)
        if maximum > 0 {
            // In Double: bins / maximum overflows Float for a denormal maximum.
            let toBin = Double(bins) / Double(maximum)
            let last = bins - 1
            counts.withUnsafeMutableBufferPointer { counts in
                sums.withUnsafeMutableBufferPointer { sums in
                    squares.withUnsafeMutableBufferPointer { squares in
                        for value in values {
                            let magnitude = abs(value)
                            let position = Double(magnitude) * toBin
                            let bin = position < Double(last) ? Int(position) : last // NaN → last
                            counts[bin] += 1
                            sums[bin] += Double(magnitude)
                            squares[bin] += Double(magnitude) * Double(magnitude)
                        }
                    }
                }
            }
        }
        self.counts = counts
        self.sums = sums
        self.squares = squares
        occupied = counts.indices.filter { counts[$0] > 0 }
    }

    /// Index of the magnitude nearest `m` in ascending `magnitudes` (ties to the smaller).
    private func nearest(_ m: Double, _ magnitudes: [Double]) -> Int {
        var low = 0, high = magnitudes.count
        while low < high {
            let mid = (low + high) / 2
            if magnitudes[mid] < m { low = mid + 1 } else { high = mid }
        }
        if low == 0 { return 0 }
        if low == magnitudes.count { return magnitudes.count - 1 }
        return m - magnitudes[low - 1] <= magnitudes[low] - m ? low - 1 : low
    }

    /// Σ (|w| − αℓ)² with each bin assigned by its mean magnitude.
    func squaredError(alpha: Double, magnitudes: [Double]) -> Double {
        var error = 0.0
        for bin in occupied {
            let level = magnitudes[nearest(sums[bin] / counts[bin] / alpha, magnitudes)]
            error += squares[bin] - 2 * alpha * level * sums[bin] + alpha * alpha * level * level * counts[bin]
        }
        return error
    }

    /// The least-squares α for the assignment that `assignmentAlpha` induces.
    func leastSquaresAlpha(assignmentAlpha: Double, magnitudes: [Double]) -> Double {
        var numerator = 0.0, denominator = 0.0
        for bin in occupied {
            let level = magnitudes[nearest(sums[bin] / counts[bin] / assignmentAlpha, magnitudes)]
            numerator += level * sums[bin]
            denominator += level * level * counts[bin]
        }
        return denominator > 0 ? numerator / denominator : 0
    }
}
