import Explore
import Foundation
import HWModel
import Quantizers

/// Why a sweep axis or shard specification was rejected.
enum SweepSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An axis flag with no values (carries the axis name).
    case emptyAxis(String)
    /// A value the axis cannot use; `reason` says why.
    case badItem(axis: String, item: String, reason: String)
    /// A `low...high` range whose low end is above its high end.
    case backwardsRange(axis: String, item: String)
    /// A `--shard` value that is not `i/n` with 1 ≤ i ≤ n.
    case badShard(String)

    /// A message that starts with the offending flag (`--<axis>`).
    var description: String {
        switch self {
        case .emptyAxis(let axis): "--\(axis): the axis is empty; give at least one value"
        case .badItem(let axis, let item, let reason): "--\(axis): \(MessageText.quoted(item)): \(reason)"
        case .backwardsRange(let axis, let item): "--\(axis): range \(MessageText.quoted(item)) runs backwards; write it low...high"
        case .badShard(let reason): "--shard: \(reason)"
        }
    }
}

/// Parsing of the comma-separated axes of `hwsim compare`.
enum SweepAxes {
    /// Schemes such as `binary,ternary,pot:3,uniform:2...8,fp32`; `family:lo...hi` expands to
    /// every bitwidth in the range. With `bareBitsFamily`, a bare number `k` means
    /// `bareBitsFamily:k` (and 32 means fp32), so `--activations 2,4,8,32` works; `lo...hi`
    /// ranges of bare numbers expand the same way.
    static func schemes(_ text: String, axis: String, bareBitsFamily: String? = nil) throws(SweepSpecError) -> [QuantScheme] {
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
    static func numbers(_ text: String, axis: String) throws(SweepSpecError) -> [Double] {
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
    static func words(_ text: String, axis: String) throws(SweepSpecError) -> [String] {
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

extension Shard {
    /// Parses `--shard i/n` with 1 ≤ i ≤ n.
    init(parsing text: String) throws(SweepSpecError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw .badShard("expected i/n, e.g. 3/8, got \(MessageText.quoted(text))")
        }
        guard count >= 1 else { throw .badShard("the number of shards must be at least 1, got \(count)") }
        guard let shard = Shard(index: index, count: count) else {
            throw .badShard("shard \(index) is out of range: shards are numbered 1 to \(count)")
        }
        self = shard
    }
}

extension ArrayChoice {
    /// Parses an `--array` item: `auto`, `config` or `RxC` (e.g. `32x32`).
    init(parsing text: String) throws(SweepSpecError) {
        guard let choice = ArrayChoice(spelling: text) else {
            let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
            if parts.count == 2, let rows = Int(parts[0]), let cols = Int(parts[1]), rows <= 0 || cols <= 0 {
                throw .badItem(axis: "array", item: text, reason: "rows and columns must be positive")
            }
            throw .badItem(axis: "array", item: text, reason: "expected ROWSxCOLS (e.g. 32x32), auto or config")
        }
        if case .fixed(let rows, let cols) = choice,
           !HardwareLimits.arrayDimension.contains(rows) || !HardwareLimits.arrayDimension.contains(cols) {
            throw .badItem(axis: "array", item: text, reason: "rows and columns must be \(HardwareLimits.arrayDimension.lowerBound) to \(HardwareLimits.arrayDimension.upperBound), as in a hardware config")
        }
        self = choice
    }
}

extension Objective {
    /// Parses a comma-separated list such as `latency,size`. `energy` is refused: hwsim has no
    /// energy model yet.
    static func list(_ text: String) throws(SweepSpecError) -> [Objective] {
        var result: [Objective] = []
        for item in try SweepAxes.words(text, axis: "objectives") {
            guard let objective = Objective(rawValue: item.lowercased()) else {
                let reason = item.lowercased() == "energy"
                    ? "hwsim has no energy model yet; choose from \(allCases.map(\.rawValue).joined(separator: ", "))"
                    : "unknown objective; choose from \(allCases.map(\.rawValue).joined(separator: ", "))"
                throw .badItem(axis: "objectives", item: item, reason: reason)
            }
            result.append(objective)
        }
        return result
    }
}
