import Foundation
import Quantizers

/// A parsed JSON value. Configs are read into this form first so that templates can substitute
/// parameters before layers are decoded, and so that every error can name its JSON path.
public enum JSONValue: Hashable, Sendable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without a fraction or exponent that fits 64 bits, kept exact so large
    /// counts and sizes do not round.
    case integer(Int64)
    /// Any other number (always finite).
    case number(Double)
    /// A string; `$name` strings are template parameters until substituted.
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// An object; key order is not kept, and a key appears once (duplicates are a parse error).
    case object([String: JSONValue])

    /// Deepest nesting of arrays and objects a document may have. Real configs nest fewer than
    /// ten levels; the limit keeps a `[[[[…` bomb from exhausting the stack of the recursive
    /// parser and of every recursive walk over the value afterwards.
    public static let maximumDepth = 256

    /// Parses JSON text strictly per RFC 8259: no comments, trailing commas, duplicate keys,
    /// leading zeros, NaN/Infinity, unescaped control characters, lone surrogates or invalid
    /// UTF-8. Errors give the line and column (and, for duplicate keys, the JSON path).
    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: [UInt8](data))
        return try parser.document()
    }

    /// A short name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue {
    /// `text` as a JSON string literal, escaping quotes, backslashes and control characters.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20: out += String(format: "\\u%04x", control.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON-like rendering for error messages, cut to about
    /// ``MessageText/maximumQuotedLength`` characters with the element count said
    /// (`[1, 2, 3, …] (200000 elements)`), strings escaped, so an error stays one short line
    /// whatever the input held. Work is bounded by the cut, not by the value's size.
    public var description: String {
        var out = ""
        render(into: &out, budget: MessageText.maximumQuotedLength)
        switch self {
        case .array(let items) where out.hasSuffix("…"): return out + " (\(items.count) elements)"
        case .object(let fields) where out.hasSuffix("…"): return out + " (\(fields.count) fields)"
        default: return out
        }
    }

    /// Appends the rendering to `out`, stopping with `…` once `out` holds `budget` characters.
    private func render(into out: inout String, budget: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += String(value)
        case .integer(let value): out += String(value)
        case .number(let value): out += String(value)
        case .string(let value): out += "\"" + MessageText.escaped(value, limit: max(budget - out.count, 8)) + "\""
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                guard out.count < budget else { out += "…"; return }
                item.render(into: &out, budget: budget)
                if out.hasSuffix("…") { return }
            }
            out += "]"
        case .object(let fields):
            out += "{"
            // Sorted so messages are the same on every run; only objects this small are sorted whole.
            let keys = fields.count <= 64 ? fields.keys.sorted() : Array(fields.keys.prefix(8))
            for (index, key) in keys.enumerated() {
                if index > 0 { out += ", " }
                guard out.count < budget, let value = fields[key] else { out += "…"; return }
                out += "\"" + MessageText.escaped(key, limit: 40) + "\": "
                value.render(into: &out, budget: budget)
                if out.hasSuffix("…") { return }
            }
            if keys.count < fields.count { out += ", …"; return }
            out += "}"
        }
    }
}

/// Malformed JSON text.
public struct JSONParseError: Error, Equatable, Sendable {
    /// What is wrong and where: `… at line L, column C` (columns count characters from 1).
    public let message: String

    /// Creates an error with its whole message.
    public init(message: String) { self.message = message }
}
