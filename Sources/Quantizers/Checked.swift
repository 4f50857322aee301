/// A count (MACs, bits, bytes, cycles) that does not fit 64 bits, or a real number that has no
/// count (infinite, NaN, negative where a count is meant).
public struct CountOverflow: Error, Equatable, Sendable, CustomStringConvertible {
    /// The quantity being counted, e.g. `MACs of layer 'conv1'`.
    public let quantity: String

    /// Creates the error for `quantity`.
    public init(quantity: String) { self.quantity = quantity }

    /// `<quantity> does not fit in a 64-bit count`.
    public var description: String { "\(quantity) does not fit in a 64-bit count" }
}

/// Checked 64-bit arithmetic: the one place hwsim multiplies, adds and converts counts. It lives
/// in the lowest module so that every target (tensor readers, cost model, simulator) shares it.
///
/// Every operation either returns the exact result or throws ``CountOverflow`` naming the
/// quantity, so no count in hwsim wraps around or traps. `quantity` is an autoclosure: the
/// message is built only when the check fails.
public enum Checked {
    /// a × b.
    @inlinable
    public static func mul(_ a: Int64, _ b: Int64, _ quantity: @autoclosure () -> String) throws(CountOverflow) -> Int64 {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw CountOverflow(quantity: quantity()) }
        return value
    }

    /// a + b.
    @inlinable
    public static func add(_ a: Int64, _ b: Int64, _ quantity: @autoclosure () -> String) throws(CountOverflow) -> Int64 {
        let (value, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw CountOverflow(quantity: quantity()) }
        return value
    }

    /// a − b.
    @inlinable
    public static func sub(_ a: Int64, _ b: Int64, _ quantity: @autoclosure () -> String) throws(CountOverflow) -> Int64 {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        guard !overflow else { throw CountOverflow(quantity: quantity()) }
        return value
    }

    /// The product of the factors.
    @inlinable
    public static func product<S: Sequence>(_ factors: S, _ quantity: @autoclosure () -> String) throws(CountOverflow) -> Int64 where S.Element == Int64 {
        var total: Int64 = 1
        for factor in factors {
            let (value, overflow) = total.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw CountOverflow(quantity: quantity()) }
            total = value
        }
        return total
    }

    /// The sum of the terms.
    @inlinable
    public static func sum<S: Sequence>(_ terms: S, _ quantity: @autoclosure () -> String) throws(CountOverflow) -> Int64 where S.Element == Int64 {
        var total: Int64 = 0
        for term in terms {
            let (value, overflow) = total.addingReportingOverflow(term)
            guard !overflow else { throw CountOverflow(quantity: quantity()) }
            total = value
        }
        return total
    }

    /// ⌈a / b⌉ for a ≥ 0 and b > 0, without the overflow of `(a + b − 1) / b`.
    @inlinable
    public static func divUp(_ a: Int64, _ b: Int64) -> Int64 {
        precondition(b > 0 && a >= 0, "divUp needs a ≥ 0 and b > 0")
        let (quotient, remainder) = a.quotientAndRemainder(dividingBy: b)
        return remainder == 0 ? quotient : quotient + 1
    }

    /// Largest real value converted to a count: below 2^63 with room for rounding.
    public static let largestConvertible = 9.0e18

    /// A non-negative real number rounded by `rule` to a count; infinite, NaN, negative or
    /// too-large values throw.
    @inlinable
    public static func count(_ value: Double, rounding rule: FloatingPointRoundingRule = .up,
                             _ quantity: @autoclosure () -> String) throws(CountOverflow) -> Int64 {
        let rounded = value.rounded(rule)
        guard rounded.isFinite, rounded >= 0, rounded < largestConvertible else { throw CountOverflow(quantity: quantity()) }
        return Int64(rounded)
    }
}
