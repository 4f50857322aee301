import Foundation

/// Comma-separated values as RFC 4180 defines them: the one CSV reader and writer in hwsim, so
/// that every file it reads (reference tables, SCALE-Sim topologies) and writes (reports, sweep
/// results) quotes and splits fields the same way.
///
/// Reading: records end at LF or CRLF; a field that starts with `"` is quoted and may hold commas,
/// line breaks and doubled quotes (`""` is one `"`). Beyond the RFC, and like most readers, a quote
/// inside an unquoted field is an ordinary character, and text after a closing quote (before the
/// next comma) is kept as written. Fields are not trimmed: callers decide what spaces mean.
///
/// Writing: fields are joined with commas and quoted only when they hold a comma, a quote, CR or
/// LF, so a written row reads back to the same fields.
public enum CSV {
    /// One record (a row, or a comment line) of a CSV text.
    public struct Record: Equatable, Sendable {
        /// The fields, unquoted, in order; a blank line is one empty field, a comment line none.
        public var fields: [String]
        /// The 1-based line the record starts on (a quoted line break makes a record span lines).
        public var line: Int
        /// The record as written, quotes kept and the line ending dropped, for messages.
        public var text: String
        /// Whether the line starts with the comment prefix given to ``CSV/parse(_:commentPrefix:)``.
        public var isComment: Bool

        /// Creates a record.
        public init(fields: [String], line: Int, text: String, isComment: Bool = false) {
            self.fields = fields
            self.line = line
            self.text = text
            self.isComment = isComment
        }
    }

    /// Splits `text` into records.
    /// - Parameters:
    ///   - text: the CSV text; a final line ending is optional.
    ///   - commentPrefix: when given (a single Unicode scalar such as `#`), a line that starts with
    ///     it, outside a quoted field, is a comment: it comes back with ``Record/isComment`` set
    ///     and no fields, never split.
    /// - Throws: ``CSVError/unterminatedQuote(line:)`` when a quoted field runs to the end.
    public static func parse(_ text: String, commentPrefix: Character? = nil) throws(CSVError) -> [Record] {
        let scalars = Array(text.unicodeScalars)
        let comment = commentPrefix.map { prefix in
            precondition(prefix.unicodeScalars.count == 1, "a CSV comment prefix is one Unicode scalar, not '\(prefix)'")
            return prefix.unicodeScalars[prefix.unicodeScalars.startIndex]
        }
        var records: [Record] = []
        var position = 0
        var line = 1
        while position < scalars.count {
            let start = position
            let startLine = line
            if let comment, scalars[position] == comment {
                while position < scalars.count, !isLineEnd(scalars, position) { position += 1 }
                records.append(Record(fields: [], line: startLine, text: string(scalars[start..<position]), isComment: true))
                position = skipLineEnd(scalars, position, line: &line)
                continue
            }
            var fields: [String] = []
            var field = String.UnicodeScalarView()
            var atFieldStart = true
            while position < scalars.count, !isLineEnd(scalars, position) {
                let scalar = scalars[position]
                if atFieldStart, scalar == "\"" {
                    let quoteLine = line
                    position += 1
                    while true {
                        guard position < scalars.count else { throw .unterminatedQuote(line: quoteLine) }
                        let inner = scalars[position]
                        if inner == "\"" {
                            if position + 1 < scalars.count, scalars[position + 1] == "\"" {
                                field.append("\"")
                                position += 2
                                continue
                            }
                            position += 1
                            break
                        }
                        if inner == "\n" { line += 1 }
                        field.append(inner)
                        position += 1
                    }
                    atFieldStart = false
                    continue
                }
                atFieldStart = false
                if scalar == "," {
                    fields.append(String(field))
                    field = String.UnicodeScalarView()
                    atFieldStart = true
                } else {
                    field.append(scalar)
                }
                position += 1
            }
            fields.append(String(field))
            records.append(Record(fields: fields, line: startLine, text: string(scalars[start..<position])))
            position = skipLineEnd(scalars, position, line: &line)
        }
        return records
    }

    /// One field as written: in quotes, with its quotes doubled, when it holds a comma, a quote,
    /// CR or LF; otherwise unchanged.
    public static func field(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One row: its fields (see ``field(_:)``) joined by commas, without a line ending.
    public static func format(_ row: [String]) -> String {
        row.map(field).joined(separator: ",")
    }

    /// Rows as CSV text, each row ended by `lineEnding` (LF by default; RFC 4180 says CRLF).
    public static func format(rows: [[String]], lineEnding: String = "\n") -> String {
        rows.map { format($0) + lineEnding }.joined()
    }

    private static func isLineEnd(_ scalars: [Unicode.Scalar], _ position: Int) -> Bool {
        scalars[position] == "\n" || (scalars[position] == "\r" && position + 1 < scalars.count && scalars[position + 1] == "\n")
    }

    /// The position after the line ending at `position` (LF or CRLF), counting the line.
    private static func skipLineEnd(_ scalars: [Unicode.Scalar], _ position: Int, line: inout Int) -> Int {
        guard position < scalars.count else { return position }
        line += 1
        return scalars[position] == "\r" ? position + 2 : position + 1
    }

    private static func string(_ slice: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: slice)
        return String(view)
    }
}

/// CSV text that cannot be split into records.
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A quoted field opened on `line` is never closed.
    case unterminatedQuote(line: Int)

    /// The line and what to fix.
    public var description: String {
        switch self {
        case .unterminatedQuote(let line): "line \(line): a quoted field is never closed; add the missing \""
        }
    }
}
