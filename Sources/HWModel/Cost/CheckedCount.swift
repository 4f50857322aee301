/// A count (MACs, bits, bytes) that overflowed 64 bits.
public struct CountOverflow: Error, Equatable, Sendable, CustomStringConvertible {
    /// The quantity being counted, e.g. `MACs of layer 'conv1'`.
    public let quantity: String

    /// `<quantity> does not fit in a 64-bit count`.
    public var description: String { "\(quantity) does not fit in a 64-bit count" }
}

/// Checked 64-bit arithmetic for counts that can grow large; `quantity` names what overflowed.
public enum CheckedCount {
    /// The product of the factors, or an error naming `quantity` when it overflows.
    public static func product(_ factors: [Int64], _ quantity: @autoclosure () -> String) throws(CountOverflow) -> Int64 {
        var total: Int64 = 1
        for factor in factors {
            let (result, overflow) = total.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw CountOverflow(quantity: quantity()) }
            total = result
        }
        return total
    }

    /// The sum of the terms, or an error naming `quantity` when it overflows.
    public static func sum(_ terms: [Int64], _ quantity: @autoclosure () -> String) throws(CountOverflow) -> Int64 {
        var total: Int64 = 0
        for term in terms {
            let (result, overflow) = total.addingReportingOverflow(term)
            guard !overflow else { throw CountOverflow(quantity: quantity()) }
            total = result
        }
        return total
    }
}
