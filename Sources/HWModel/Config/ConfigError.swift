import Foundation
import Quantizers

/// A problem in a config file, located by file and JSON path (e.g. `layers[3].kernel`).
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file as the user named it.
    public let file: String
    /// JSON path of the offending field; empty when the problem is the file itself.
    public let path: String
    /// What is wrong and, where it helps, what to write instead.
    public let message: String

    /// Creates an error.
    public init(file: String, path: String, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }

    /// One line: `file: path: message`.
    public var description: String {
        path.isEmpty ? "\(file): \(message)" : "\(file): \(path): \(message)"
    }
}

/// Typed access to a JSON object's fields that remembers which were read, so that unknown or
/// misspelled fields are reported instead of silently ignored.
struct FieldReader {
    let fields: [String: JSONValue]
    let path: String
    let file: String
    private(set) var consumed: Set<String> = []

    init(_ value: JSONValue, path: String, file: String) throws(ConfigError) {
        guard case .object(let fields) = value else {
            throw ConfigError(file: file, path: path, message: "expected an object, got \(value.typeName)")
        }
        self.fields = fields
        self.path = path
        self.file = file
    }

    func error(_ key: String?, _ message: String) -> ConfigError {
        ConfigError(file: file, path: key.map { Self.join(path, $0) } ?? path, message: message)
    }

    /// `path.key`, the key escaped and cut (``MessageText/escaped(_:limit:)``) because paths
    /// are printed: a megabyte-long or control-character key stays one short line.
    static func join(_ path: String, _ key: String) -> String {
        let shown = MessageText.escaped(key)
        return path.isEmpty ? shown : "\(path).\(shown)"
    }

    mutating func value(_ key: String) -> JSONValue? {
        consumed.insert(key)
        return fields[key]
    }

    mutating func requiredValue(_ key: String) throws(ConfigError) -> JSONValue {
        guard let value = value(key) else { throw missing(key) }
        return value
    }

    /// The error for a required `key` that is absent; when the object holds an unread field
    /// within two edits of it (`kernal`), the message asks whether that was meant.
    func missing(_ key: String, _ message: String = "is required") -> ConfigError {
        let near = fields.keys.filter { !consumed.contains($0) && editDistance($0, key) <= 2 }
        guard let typo = near.min(by: { (editDistance($0, key), $0) < (editDistance($1, key), $1) }) else { return error(key, message) }
        return error(key, "\(message); the object has \(MessageText.quoted(typo)): did you mean \(MessageText.quoted(key))?")
    }

    mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw error(key, "expected a string, got \(value)") }
        return text
    }

    mutating func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let text = try string(key) else { throw missing(key) }
        return text
    }

    mutating func bool(_ key: String, default defaultValue: Bool) throws(ConfigError) -> Bool {
        guard let value = value(key) else { return defaultValue }
        guard case .bool(let flag) = value else { throw error(key, "expected true or false, got \(value)") }
        return flag
    }

    /// A whole number in `minimum...maximum` (either bound optional); a value outside is an
    /// error saying the range, so a size of 10^20 or −5 never reaches arithmetic.
    mutating func int(_ key: String, minimum: Int? = nil, maximum: Int? = nil) throws(ConfigError) -> Int? {
        guard let value = value(key) else { return nil }
        return try Self.int(value, minimum: minimum, maximum: maximum, at: Self.join(path, key), file: file)
    }

    mutating func requiredInt(_ key: String, minimum: Int? = nil, maximum: Int? = nil) throws(ConfigError) -> Int {
        guard let number = try int(key, minimum: minimum, maximum: maximum) else { throw missing(key) }
        return number
    }

    /// A whole number or a list of them; a single number is repeated `count` times.
    mutating func ints(_ key: String, count: Int, minimum: Int? = nil, maximum: Int? = nil) throws(ConfigError) -> [Int]? {
        guard let value = value(key) else { return nil }
        let location = Self.join(path, key)
        if case .array(let items) = value {
            guard items.count == count else {
                throw ConfigError(file: file, path: location, message: "expected \(count) value(s), got \(items.count)")
            }
            var result: [Int] = []
            for (index, item) in items.enumerated() {
                result.append(try Self.int(item, minimum: minimum, maximum: maximum, at: "\(location)[\(index)]", file: file))
            }
            return result
        }
        let single = try Self.int(value, minimum: minimum, maximum: maximum, at: location, file: file)
        return Array(repeating: single, count: count)
    }

    static func int(_ value: JSONValue, minimum: Int?, maximum: Int? = nil, at path: String, file: String) throws(ConfigError) -> Int {
        let number: Int
        switch value {
        case .integer(let whole) where whole >= Int64(Int.min) && whole <= Int64(Int.max):
            number = Int(whole)
        case .number(let real) where real == real.rounded() && abs(real) < 9.0e15:
            number = Int(real)
        default:
            throw ConfigError(file: file, path: path, message: "expected a whole number\(rangeText(minimum, maximum)), got \(value)")
        }
        if let minimum, number < minimum {
            if maximum == nil {
                let what = minimum == 1 ? "a positive whole number" : "a whole number ≥ \(minimum)"
                throw ConfigError(file: file, path: path, message: "must be \(what), got \(number)")
            }
            let what = minimum == 1 ? "a positive whole number" : "a whole number"
            throw ConfigError(file: file, path: path, message: "must be \(what)\(rangeText(minimum, maximum)), got \(number)")
        }
        if let maximum, number > maximum {
            throw ConfigError(file: file, path: path, message: "must be a whole number\(rangeText(minimum, maximum)), got \(number)")
        }
        return number
    }

    /// ` in 1…2147483647`, ` ≥ 0`, ` ≤ 64` or nothing: the range an error states.
    static func rangeText(_ minimum: Int?, _ maximum: Int?) -> String {
        switch (minimum, maximum) {
        case let (low?, high?): " in \(low)…\(high)"
        case let (low?, nil): " ≥ \(low)"
        case let (nil, high?): " ≤ \(high)"
        case (nil, nil): ""
        }
    }

    /// A finite number (whole or not).
    mutating func double(_ key: String) throws(ConfigError) -> Double? {
        guard let value = value(key) else { return nil }
        switch value {
        case .integer(let whole): return Double(whole)
        case .number(let real) where real.isFinite: return real
        default: throw error(key, "expected a number, got \(value)")
        }
    }

    /// A finite number within `range`; `openBelow` excludes the lower end (a clock or a
    /// fraction that must be above zero). `what` names the quantity without an article
    /// (`clock in MHz`); the error says it and the range (``outOfRange(_:_:openBelow:what:)``).
    mutating func double(_ key: String, in range: ClosedRange<Double>, openBelow: Bool = false, what: String) throws(ConfigError) -> Double? {
        guard let number = try double(key) else { return nil }
        guard Self.contains(range, number, openBelow: openBelow) else {
            throw error(key, Self.outOfRange(number, range, openBelow: openBelow, what: what))
        }
        return number
    }

    /// A whole number in `range`, or `nil` when absent.
    mutating func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        try int(key, minimum: range.lowerBound, maximum: range.upperBound)
    }

    static func contains(_ range: ClosedRange<Double>, _ number: Double, openBelow: Bool) -> Bool {
        range.contains(number) && !(openBelow && number == range.lowerBound)
    }

    /// `must be a positive bandwidth in GB/s (at most 10000), got 0.0`, `must be a fraction of
    /// the device's LUT in (0, 1], got 2.0`, `must be a clock in MHz in [1, 2000], got 1e-06`.
    static func outOfRange(_ number: Double, _ range: ClosedRange<Double>, openBelow: Bool, what: String) -> String {
        let high = formatted(range.upperBound)
        if range.lowerBound == 0 && range.upperBound != 1 {
            return "must be \(openBelow ? "a" : "zero or a") positive \(what) (at most \(high)), got \(number)"
        }
        return "must be a \(what) in \(openBelow ? "(" : "[")\(formatted(range.lowerBound)), \(high)], got \(number)"
    }

    /// Reports the first field that was never read, suggesting the closest known one.
    func rejectUnknownFields(known extra: [String] = []) throws(ConfigError) {
        let known = consumed.union(extra)
        for key in fields.keys.sorted() where !known.contains(key) {
            let suggestion = known.min { editDistance(key, $0) < editDistance(key, $1) }
            var message = "unknown field \(MessageText.quoted(key))"
            if let suggestion, editDistance(key, suggestion) <= 2 { message += "; did you mean \(MessageText.quoted(suggestion))?" }
            throw error(key, message)
        }
    }
}

/// The file-level steps every config reader shares, so that network, hardware and device files
/// report a missing file or malformed JSON in the same words.
enum ConfigText {
    /// The bytes of `path`; a missing, directory or unreadable file is an error naming it.
    static func read(_ path: String) throws(ConfigError) -> Data {
        do {
            return try InputFile.read(path)
        } catch {
            throw ConfigError(file: path, path: "", message: error.message)
        }
    }

    /// The JSON document in `data`; malformed text is an error naming `file` and the position.
    static func root(_ data: Data, file: String) throws(ConfigError) -> JSONValue {
        do {
            return try JSONValue.parse(data)
        } catch {
            throw ConfigError(file: file, path: "", message: "malformed JSON: \(error.message)")
        }
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    // The length difference is a lower bound; past a few edits no suggestion is made, so a
    // megabyte-long key is not compared letter by letter with every known field.
    let gap = abs(a.count - b.count)
    if gap > 8 { return gap }
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
