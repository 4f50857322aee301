import Foundation
import Quantizers

/// Why a sweep axis or shard specification was rejected.
public enum SweepSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An axis flag with no values (carries the axis name).
    case emptyAxis(String)
    /// A value the axis cannot use; `reason` says why.
    case badItem(axis: String, item: String, reason: String)
    /// A `low...high` range whose low end is above its high end.
    case backwardsRange(axis: String, item: String)
    /// A `--shard` value that is not `i/n` with 1 ≤ i ≤ n.
    case badShard(String)

    /// A message that starts with the offending flag (`--<axis>`).
    public var description: String {
        switch self {
        case .emptyAxis(let axis): "--\(axis): the axis is empty; give at least one value"
        case .badItem(let axis, let item, let reason): "--\(axis): '\(item)': \(reason)"
        case .backwardsRange(let axis, let item): "--\(axis): range '\(item)' runs backwards; write it low...high"
        case .badShard(let reason): "--shard: \(reason)"
        }
    }
}

/// Parsing of the comma-separated axes of `hwsim compare`.
public enum SweepAxes {
    /// Schemes such as `binary,ternary,pot:3,uniform:2...8,fp32`; `family:lo...hi` expands to
    /// every bitwidth in the range. With `bareBitsFamily`, a bare number `k` means
    /// `bareBitsFamily:k` (and 32 means fp32), so `--activations 2,4,8,32` works; `lo...hi`
    /// ranges of bare numbers expand the same way.
    public static func schemes(_ text: String, axis: String, bareBitsFamily: String? = nil) throws(SweepSpecError) -> [QuantScheme] {
        var result: [QuantScheme] = []
        for rawItem in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = rawItem.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { throw .emptyAxis(axis) }
            var family: String?
            var bitsPart = item
            if let colon = item.firstIndex(of: ":") {
                family = String(item[..<colon])
                bitsPart = String(item[item.index(after: colon)...])
            }
            if let range = try bitRange(bitsPart, axis: axis, item: item) {
                guard let prefix = family ?? bareBitsFamily else {
                    throw .badItem(axis: axis, item: item, reason: "a range needs a scheme family, e.g. uniform:\(bitsPart)")
                }
                for bits in range { result.append(try scheme(bits == 32 && family == nil ? "fp32" : "\(prefix):\(bits)", axis: axis, item: item)) }
                continue
            }
            if family == nil, let bareFamily = bareBitsFamily, let bits = Int(item) {
                result.append(try scheme(bits == 32 ? "fp32" : "\(bareFamily):\(bits)", axis: axis, item: item))
                continue
            }
            result.append(try scheme(item, axis: axis, item: item))
        }
        guard !result.isEmpty else { throw .emptyAxis(axis) }
        return deduplicated(result)
    }

    /// Positive numbers such as `19.2,38.4` or `200,250,300`.
    public static func numbers(_ text: String, axis: String) throws(SweepSpecError) -> [Double] {
        var result: [Double] = []
        for rawItem in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = rawItem.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { throw .emptyAxis(axis) }
            guard let value = Double(item), value.isFinite, value > 0 else {
                throw .badItem(axis: axis, item: item, reason: "expected a positive number")
            }
            result.append(value)
        }
        guard !result.isEmpty else { throw .emptyAxis(axis) }
        return deduplicated(result)
    }

    /// Plain comma-separated words (file names, array shapes), in order, without repeats.
    public static func words(_ text: String, axis: String) throws(SweepSpecError) -> [String] {
        var result: [String] = []
        for rawItem in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = rawItem.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { throw .emptyAxis(axis) }
            result.append(item)
        }
        guard !result.isEmpty else { throw .emptyAxis(axis) }
        return deduplicated(result)
    }

    private static func bitRange(_ text: String, axis: String, item: String) throws(SweepSpecError) -> ClosedRange<Int>? {
        guard let separator = text.range(of: "...") else { return nil }
        guard let low = Int(text[..<separator.lowerBound].trimmingCharacters(in: .whitespaces)),
              let high = Int(text[separator.upperBound...].trimmingCharacters(in: .whitespaces)) else {
            throw .badItem(axis: axis, item: item, reason: "a range is written low...high with whole numbers")
        }
        guard low <= high else { throw .backwardsRange(axis: axis, item: item) }
        return low...high
    }

    private static func scheme(_ text: String, axis: String, item: String) throws(SweepSpecError) -> QuantScheme {
        do {
            return try QuantScheme(parsing: text)
        } catch {
            throw .badItem(axis: axis, item: item, reason: error.description)
        }
    }

    private static func deduplicated<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }
}

/// One of n disjoint slices of a sweep, for spreading it over machines (`--shard i/n`).
///
/// Points are dealt round-robin (point k goes to slice k mod n), so every slice gets a mix of
/// cheap and expensive points.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    /// 1-based slice number, as job-array task ids usually are.
    public let index: Int
    /// Number of slices n the sweep is split into.
    public let count: Int

    /// Parses `i/n` with 1 ≤ i ≤ n.
    public init(parsing text: String) throws(SweepSpecError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw .badShard("expected i/n, e.g. 3/8, got '\(text)'")
        }
        guard count >= 1 else { throw .badShard("the number of shards must be at least 1, got \(count)") }
        guard (1...count).contains(index) else { throw .badShard("shard \(index) is out of range: shards are numbered 1 to \(count)") }
        self.index = index
        self.count = count
    }

    private init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// The whole sweep as one shard.
    public static let all = Shard(index: 1, count: 1)

    /// Whether the point with this 0-based index belongs to the slice.
    public func contains(pointIndex: Int) -> Bool { pointIndex % count == index - 1 }

    /// `i/n`, as `--shard` takes it.
    public var description: String { "\(index)/\(count)" }
}
