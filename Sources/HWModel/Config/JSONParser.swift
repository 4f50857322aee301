import Quantizers

/// The strict recursive-descent JSON reader behind ``JSONValue/parse(_:)``.
///
/// Hand-written rather than Foundation's so that it can refuse what Foundation accepts
/// (duplicate keys silently keep one value, so a config could say two things at once) and say
/// exactly where the text went wrong. One pass over the bytes; recursion is bounded by
/// ``JSONValue/maximumDepth``; line and column are worked out only when there is an error.
struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    /// Keys and indices from the root to the value being read, for duplicate-key messages.
    private var path: [PathComponent] = []

    private enum PathComponent {
        case key(String)
        case index(Int)
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The one value the text holds, with nothing but whitespace after it.
    mutating func document() throws(JSONParseError) -> JSONValue {
        if let bad = Self.firstInvalidUTF8(bytes) {
            throw error("invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)))", at: bad)
        }
        // A byte-order mark is not JSON, but editors write one; RFC 8259 §8.1 lets a reader skip it.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        skipWhitespace()
        let value = try self.value()
        skipWhitespace()
        guard index == bytes.count else { throw unexpected("after the document's value") }
        return value
    }

    // MARK: - Values

    private mutating func value() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input, expected a value", at: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw unexpected("where a value should start")
        }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= JSONValue.maximumDepth else {
            throw error("arrays and objects nest deeper than \(JSONValue.maximumDepth) levels", at: index)
        }
    }

    private mutating func object() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1
        var fields: [String: JSONValue] = [:]
        skipWhitespace()
        if peek(UInt8(ascii: "}")) { index += 1; depth -= 1; return .object(fields) }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else {
                throw peek(UInt8(ascii: "}")) ? error("trailing comma before '}'", at: index) : unexpected("where an object key (a string) should be")
            }
            let keyStart = index
            let key = try string()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw unexpected("after an object key, expected ':'") }
            index += 1
            skipWhitespace()
            path.append(.key(key))
            let item = try value()
            path.removeLast()
            if fields.updateValue(item, forKey: key) != nil {
                path.append(.key(key))
                let location = renderedPath()
                path.removeLast()
                throw error("duplicate key \(MessageText.quoted(key)) (at \(location))", at: keyStart)
            }
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an object, expected ',' or '}'", at: index) }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw unexpected("in an object, expected ',' or '}'")
        }
        depth -= 1
        return .object(fields)
    }

    private mutating func array() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) { index += 1; depth -= 1; return .array(items) }
        path.append(.index(0))
        while true {
            skipWhitespace()
            if peek(UInt8(ascii: "]")) { throw error("trailing comma before ']'", at: index) }
            path[path.count - 1] = .index(items.count)
            items.append(try value())
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an array, expected ',' or ']'", at: index) }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw unexpected("in an array, expected ',' or ']'")
        }
        path.removeLast()
        depth -= 1
        return .array(items)
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let start = index
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in expected {
            guard index < bytes.count, bytes[index] == byte else {
                index = start
                throw unexpected("where a value should start")
            }
            index += 1
        }
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. Integers that fit
    /// Int64 stay exact; others become a Double, which must be finite.
    private mutating func number() throws(JSONParseError) -> JSONValue {
        let start = index
        let negative = peek(UInt8(ascii: "-"))
        if negative { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw unexpected("after '-', expected a digit") }
        if bytes[index] == UInt8(ascii: "0"), index + 1 < bytes.count, isDigit(bytes[index + 1]) {
            throw error("a number may not have a leading zero", at: start)
        }
        var exact: Int64? = 0
        while index < bytes.count, isDigit(bytes[index]) {
            let digit = Int64(bytes[index] - UInt8(ascii: "0"))
            // Accumulated negatively so that Int64.min is reachable.
            if let value = exact {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = times.subtractingReportingOverflow(digit)
                exact = o1 || o2 ? nil : next
            }
            index += 1
        }
        var integral = true
        if peek(UInt8(ascii: ".")) {
            integral = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw unexpected("after '.', expected a digit") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            integral = false
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw unexpected("in an exponent, expected a digit") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if integral, let value = exact {
            if negative { return .integer(value) }
            if value != Int64.min { return .integer(-value) }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let real = Double(text), real.isFinite else {
            throw error("number \(MessageText.escaped(text)) is too large for a 64-bit floating-point value", at: start)
        }
        return .number(real)
    }

    /// A string token; the input is already known to be valid UTF-8.
    private mutating func string() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacter(byte) }
            index += 1
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: String(decoding: bytes[start..<index], as: UTF8.self).unicodeScalars)
        var pendingStart = index
        func flush(_ scalars: inout String.UnicodeScalarView, to end: Int) {
            if end > pendingStart { scalars.append(contentsOf: String(decoding: bytes[pendingStart..<end], as: UTF8.self).unicodeScalars) }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flush(&scalars, to: index)
                index += 1
                return String(scalars)
            }
            if byte < 0x20 { throw controlCharacter(byte) }
            guard byte == UInt8(ascii: "\\") else { index += 1; continue }
            flush(&scalars, to: index)
            let escapeStart = index
            index += 1
            guard index < bytes.count else { break }
            let code = bytes[index]
            index += 1
            switch code {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                let first = try hex4(escapeStart)
                var value = first
                if (0xD800...0xDBFF).contains(first) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("lone surrogate \\u\(String(first, radix: 16, uppercase: true)) in a string", at: escapeStart)
                    }
                    index += 2
                    let second = try hex4(escapeStart)
                    guard (0xDC00...0xDFFF).contains(second) else {
                        throw error("lone surrogate \\u\(String(first, radix: 16, uppercase: true)) in a string", at: escapeStart)
                    }
                    value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(first) {
                    throw error("lone surrogate \\u\(String(first, radix: 16, uppercase: true)) in a string", at: escapeStart)
                }
                guard let scalar = Unicode.Scalar(value) else { throw error("invalid \\u escape", at: escapeStart) }
                scalars.append(scalar)
            default:
                throw error("invalid escape '\\\(MessageText.escaped(String(decoding: [code], as: UTF8.self)))' in a string", at: escapeStart)
            }
            pendingStart = index
        }
        throw error("unterminated string", at: start - 1)
    }

    private mutating func hex4(_ escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw error("\\u needs four hex digits", at: escapeStart) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("\\u needs four hex digits", at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    // MARK: - Helpers

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }
    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func controlCharacter(_ byte: UInt8) -> JSONParseError {
        error("unescaped control character U+\(String(format: "%04X", byte)) in a string; write it as \\u\(String(format: "%04x", byte))", at: index)
    }

    /// The error for the byte at `index`, saying what was found and `context`.
    private func unexpected(_ context: String) -> JSONParseError {
        guard index < bytes.count else { return error("unexpected end of input \(context)", at: index) }
        let byte = bytes[index]
        let found: String
        switch byte {
        case UInt8(ascii: "/"): found = "'/' (comments are not JSON)"
        case UInt8(ascii: "N"), UInt8(ascii: "I"): found = "'\(Character(Unicode.Scalar(byte)))' (NaN and Infinity are not JSON numbers)"
        case 0x21...0x7E: found = "'\(Character(Unicode.Scalar(byte)))'"
        default:
            // A multi-byte character: show the whole scalar, escaped if invisible.
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            found = MessageText.quoted(String(decoding: bytes[index..<end], as: UTF8.self))
        }
        return error("unexpected \(found) \(context)", at: index)
    }

    /// `message at line L, column C` for byte `offset`; columns count characters, not bytes.
    private func error(_ message: String, at offset: Int) -> JSONParseError {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONParseError(message: "\(message) at line \(line), column \(column)")
    }

    /// The path as config errors spell it: `layers[3].kernel`; `(top level)` for the root.
    private func renderedPath() -> String {
        var out = ""
        for component in path {
            switch component {
            case .key(let key): out += (out.isEmpty ? "" : ".") + MessageText.escaped(key, limit: 40)
            case .index(let position): out += "[\(position)]"
            }
        }
        return out.isEmpty ? "(top level)" : out
    }

    /// The offset of the first byte that does not belong to well-formed UTF-8 (Unicode Table
    /// 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or `nil`.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 { i += 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            guard i + length <= n else { return i }
            guard bytes[i + 1] >= low, bytes[i + 1] <= high else { return i }
            for k in 2..<length {
                guard bytes[i + k] & 0xC0 == 0x80 else { return i }
            }
            i += length
        }
        return nil
    }
}
