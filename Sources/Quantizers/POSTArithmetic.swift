import Foundation

/// The integer product of a POST weight code and an unsigned integer activation, exactly as ASQ
/// Eq. 18 computes it: √2^(−W)·A is A shifted right by W/2 for even W and a look-up table entry
/// for odd W. This is the bit-exact reference a hardware model's multiplier must reproduce.
///
/// Results are fixed-point numbers with `fractionBits` fractional bits (the paper's literal form
/// is `fractionBits = 0`): the even case is (A ≪ F) ≫ (W/2), the odd case LUT[A][W] =
/// round(A·2^F·√2^(−W)). Weight codes are those of `PowerQuantizer(family: .post, …)`: a sign bit
/// above a (b−1)-bit exponent field W, whose all-ones value means zero.
public struct POSTArithmetic: Sendable {
    /// POST weight code width b_W: a sign bit plus a (b_W−1)-bit exponent field W.
    public let weightBits: Int
    /// Width b_A of the unsigned activations; the table has 2^b_A rows.
    public let activationBits: Int
    /// Fractional bits F kept in every product; 0 is the paper's literal integer form.
    public let fractionBits: Int

    /// Exponent field values that encode a nonzero magnitude: 0 … 2^(b−1)−2.
    public var exponents: ClosedRange<Int> { 0...((1 << (weightBits - 1)) - 2) }
    /// The odd exponents, which need the table (one column each).
    public var oddExponents: [Int] { exponents.filter { $0 % 2 == 1 } }
    /// The field value meaning "weight is zero".
    public var zeroField: Int { (1 << (weightBits - 1)) - 1 }

    /// The table, row-major: `table[A · columns + j]` is the product for activation A and the j-th
    /// odd exponent.
    public let table: [UInt64]

    /// Allowed `fractionBits`: up to 15 keeps the integer square root's radicand 4A²·2^(2F) below 2^64.
    public static let fractionBitRange = 0...15
    /// Allowed `activationBits`: at most 16, i.e. a table of at most 65,536 rows.
    public static let activationBitRange = 1...16

    /// Builds the odd-exponent table eagerly (2^b_A rows); throws for widths or F outside their ranges.
    public init(weightBits: Int, activationBits: Int, fractionBits: Int = 0) throws(QuantizerError) {
        guard PowerFamily.bitRange.contains(weightBits) else {
            throw .unsupportedBits(scheme: "post weights", bits: weightBits, allowed: PowerFamily.bitRange)
        }
        guard Self.activationBitRange.contains(activationBits) else {
            throw .unsupportedBits(scheme: "post activations", bits: activationBits, allowed: Self.activationBitRange)
        }
        guard Self.fractionBitRange.contains(fractionBits) else {
            throw .invalidParameter(name: "fractionBits", value: Double(fractionBits), reason: "use 0…15 fractional bits")
        }
        self.weightBits = weightBits
        self.activationBits = activationBits
        self.fractionBits = fractionBits
        let odd = (0...((1 << (weightBits - 1)) - 2)).filter { $0 % 2 == 1 }
        var table = [UInt64](repeating: 0, count: (1 << activationBits) * odd.count)
        for a in 0..<(1 << activationBits) {
            for (column, w) in odd.enumerated() {
                table[a * odd.count + column] = Self.roundedProduct(activation: UInt64(a), exponent: w, fractionBits: fractionBits)
            }
        }
        self.table = table
    }

    /// round(A·2^F·2^(−W/2)) in integer arithmetic only: with y = ⌊√(4A²·2^(2F−W))⌋ (an integer
    /// square root), the rounded value is ⌊(y+1)/2⌋. No floating point, so the table is bit-exact.
    static func roundedProduct(activation a: UInt64, exponent w: Int, fractionBits f: Int) -> UInt64 {
        let shift = 2 * f - w
        let base = 4 * a * a // < 2^34 for 16-bit activations
        let radicand = shift >= 0 ? base << UInt64(shift) : (-shift >= 64 ? 0 : base >> UInt64(-shift))
        return (integerSquareRoot(radicand) + 1) >> 1
    }

    /// ⌊√n⌋ for any 64-bit n, corrected from the floating-point estimate with integer checks.
    /// r² > n is tested as r > ⌊n / r⌋ (the same for r > 0), which no 64-bit n can overflow.
    static func integerSquareRoot(_ n: UInt64) -> UInt64 {
        var root = UInt64(Double(n).squareRoot())
        while root > 0 && root > n / root { root -= 1 }
        while true {
            let next = root + 1
            if next > n / next { break }
            root = next
        }
        return root
    }

    /// The table's dimensions: one row per activation value (2^bA) and one column per odd exponent
    /// — the entries the hardware really needs.
    public var tableShape: (rows: Int, columns: Int) { (1 << activationBits, oddExponents.count) }

    /// The table as the paper sizes it: rows for every activation value, a column for every value of
    /// the (b−1)-bit exponent field, i.e. [2^bA, 2^(bW−1)] — [8, 4] for 3-bit weights and activations.
    public static func paperTableShape(weightBits: Int, activationBits: Int) -> (rows: Int, columns: Int) {
        (1 << activationBits, 1 << (weightBits - 1))
    }

    /// Bits per table entry: enough for the largest entry, round((2^bA − 1)·2^F/√2).
    public var tableEntryBits: Int {
        let largest = table.max() ?? 0
        return largest == 0 ? 1 : 64 - largest.leadingZeroBitCount
    }

    /// Total table storage in bits (entries × entry width).
    public var tableBits: Int { table.count * tableEntryBits }

    /// √2^(−W)·A for a weight code and an activation in [0, 2^bA), in units of 2^(−F).
    public func multiply(weightCode: UInt32, activation: Int) throws(QuantizerError) -> Int {
        guard weightCode < (UInt32(1) << UInt32(weightBits)) else {
            throw .invalidParameter(name: "weightCode", value: Double(weightCode), reason: "does not fit in \(weightBits) bits")
        }
        guard activation >= 0, activation < (1 << activationBits) else {
            throw .invalidParameter(name: "activation", value: Double(activation), reason: "must be in 0..<\(1 << activationBits) for \(activationBits)-bit activations")
        }
        let signBit = UInt32(1) << UInt32(weightBits - 1)
        let w = Int(weightCode & (signBit - 1))
        if w == zeroField { return 0 }
        let magnitude: Int
        if w % 2 == 0 {
            magnitude = (activation << fractionBits) >> (w / 2)  // Eq. 18: A ≫ W/2 (W = 0 included)
        } else {
            magnitude = Int(table[activation * oddExponents.count + (w - 1) / 2]) // Eq. 18: LUT(W, A)
        }
        return weightCode & signBit != 0 ? -magnitude : magnitude
    }

    /// Largest |integer result·2^(−F) − A·√2^(−W)| over all activations for exponent field W:
    /// 0 for zero weights and for even W/2 ≤ F (exact shift), just under 2^(−F) for a truncating
    /// shift, and 2^(−F)/2 for a rounded table entry.
    public func errorBound(weightCode: UInt32) -> Double {
        let w = Int(weightCode & ((UInt32(1) << UInt32(weightBits - 1)) - 1))
        if w == zeroField { return 0 }
        let ulp = Foundation.scalbn(1.0, -fractionBits)
        if w % 2 == 1 { return ulp / 2 }
        return w / 2 <= fractionBits ? 0 : ulp
    }
}

extension QuantScheme {
    /// Size of the POST look-up table the hardware needs for these weight and activation bitwidths
    /// (ASQ Eq. 18), or nil for schemes that need none. `fractionBits` is the fixed-point precision
    /// kept in the products.
    public static func postLookUpTable(weightBits: Int, activationBits: Int, fractionBits: Int = 0) throws(QuantizerError) -> POSTTableSize {
        let arithmetic = try POSTArithmetic(weightBits: weightBits, activationBits: activationBits, fractionBits: fractionBits)
        return POSTTableSize(
            rows: arithmetic.tableShape.rows, columns: arithmetic.tableShape.columns,
            entryBits: arithmetic.tableEntryBits,
            paperRows: POSTArithmetic.paperTableShape(weightBits: weightBits, activationBits: activationBits).rows,
            paperColumns: POSTArithmetic.paperTableShape(weightBits: weightBits, activationBits: activationBits).columns
        )
    }
}

/// The POST table's dimensions for a pair of bitwidths.
public struct POSTTableSize: Sendable, Hashable {
    /// Activation values (2^bA).
    public let rows: Int
    /// Odd exponents actually looked up.
    public let columns: Int
    /// Bits per entry.
    public let entryBits: Int
    /// The paper's sizing [2^bA, 2^(bW−1)] (one column per exponent field value).
    public let paperRows: Int
    /// 2^(b_W−1): one column per value of the exponent field, as the paper counts them.
    public let paperColumns: Int

    /// Entries × entry width.
    public var totalBits: Int { rows * columns * entryBits }
}
