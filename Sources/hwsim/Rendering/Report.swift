import Explore
import Foundation
import HWModel

/// A rectangular report: what every command prints, in any output format.
///
/// Cells carry typed values so that CSV and JSON keep numbers as numbers, while the text and
/// Markdown renderings format them for reading. Formatting is fixed-precision, so the same
/// input always gives byte-identical output.
struct Report {
    struct Column {
        var key: String
        var title: String
        var alignRight: Bool
    }

    enum Cell {
        case text(String)
        case integer(Int64)
        case number(Double, decimals: Int)
        case flag(Bool)
        /// A number in its shortest round-trip form (a results-file value, never rounded twice).
        case real(Double)
        /// A time in milliseconds: plain text is the number of ms; people read µs below 0.1 ms.
        case duration(milliseconds: Double)
        case empty

        var plain: String {
            switch self {
            case .text(let value): value
            case .integer(let value): String(value)
            case .number(let value, let decimals): Report.fixed(value, decimals)
            case .flag(let value): value ? "yes" : "no"
            case .real(let value): value.isFinite ? DesignSpace.number(value) : ""
            case .duration(let milliseconds): Report.fixed(milliseconds, 6)
            case .empty: ""
            }
        }

        /// Human rendering: thousands separators for integers, units on durations.
        var readable: String {
            switch self {
            case .integer(let value): Report.grouped(value)
            case .number(let value, let decimals) where value.isFinite && abs(value) >= 10_000:
                Report.groupedDecimal(Report.fixed(value, decimals))
            case .duration(let milliseconds): Report.duration(milliseconds: milliseconds)
            default: plain
            }
        }

        /// The cell as a JSON value: numbers keep the report's fixed decimals.
        var json: JSONOutput {
            switch self {
            case .text(let value): .string(value)
            case .integer(let value): .integer(value)
            case .number(let value, let decimals): value.isFinite ? .numberText(Report.fixed(value, decimals)) : .null
            case .flag(let value): .bool(value)
            case .real(let value): value.isFinite ? .numberText(DesignSpace.number(value)) : .null
            case .duration(let milliseconds): milliseconds.isFinite ? .numberText(Report.fixed(milliseconds, 6)) : .null
            case .empty: .null
            }
        }
    }

    var title: String
    var columns: [Column]
    var rows: [[Cell]] = []
    /// Lines printed under the text and Markdown tables (totals, notes); not part of CSV/JSON.
    var footer: [String] = []
    /// Named totals; with any, JSON is one object `{"rows": [...], "summary": {...}}` whose rows
    /// key is `rowsKey`, so that scripts read the totals without parsing the footer.
    var summary: [(key: String, value: Cell)] = []
    /// The JSON key of the rows when there is a summary.
    var rowsKey = "rows"

    mutating func add(_ row: [Cell]) { rows.append(row) }

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        let text = String(format: "%.\(decimals)f", value)
        return text == "-" + String(format: "%.\(decimals)f", 0.0) ? String(format: "%.\(decimals)f", 0.0) : text
    }

    /// A time for people: `12.345 ms`, or `45.6 µs` below 0.1 ms (`1,234.568 ms` past a second).
    static func duration(milliseconds: Double) -> String {
        guard milliseconds.isFinite else { return "" }
        if abs(milliseconds) < 0.1 { return fixed(milliseconds * 1000, 1) + " µs" }
        return groupedDecimal(fixed(milliseconds, 3)) + " ms"
    }

    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// Inserts thousands separators into the integer part of a formatted decimal.
    static func groupedDecimal(_ text: String) -> String {
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let integer = body.prefix { $0 != "." }
        let fraction = body.dropFirst(integer.count)
        var out = ""
        for (index, character) in integer.enumerated() {
            if index > 0, (integer.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (negative ? "-" : "") + out + fraction
    }

}

/// Output formats every command offers.
enum OutputFormat: String, CaseIterable {
    case table, csv, json, md
}

extension Report {
    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: renderText()
        case .csv: renderCSV()
        case .json: renderJSON()
        case .md: renderMarkdown()
        }
    }

    /// The widest line of the table in `format` (text or Markdown), title and footer excluded.
    func tableWidth(_ format: OutputFormat) -> Int {
        let lines = render(format).split(separator: "\n", omittingEmptySubsequences: false)
        let table = format == .md ? lines.filter { $0.hasPrefix("|") } : Array(lines.dropFirst().prefix(rows.count + 2))
        return table.map(\.count).max() ?? 0
    }

    /// `text` broken at spaces into lines of at most `width` characters, continuation lines
    /// starting with `indent` (a word longer than a line stays whole).
    static func wrap(_ text: String, width: Int, indent: String) -> [String] {
        let leading = String(text.prefix { $0 == " " })
        var lines: [String] = []
        var current = leading
        for word in text.dropFirst(leading.count).split(separator: " ") {
            let fresh = current == leading || current == indent
            let candidate = fresh ? current + word : current + " " + word
            if candidate.count > width, !fresh {
                lines.append(current)
                current = indent + word
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines
    }

    private func renderText() -> String {
        let cells = rows.map { $0.map(\.readable) }
        var widths = columns.map { $0.title.count }
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { index, value in
                let padding = String(repeating: " ", count: max(widths[index] - value.count, 0))
                return columns[index].alignRight ? padding + value : value + padding
            }.joined(separator: "  ").trimmingTrailingWhitespace()
        }
        var out = [title, line(columns.map(\.title)), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += cells.map(line)
        if !footer.isEmpty { out += [""] + footer }
        return out.joined(separator: "\n") + "\n"
    }

    private func renderCSV() -> String {
        CSV.format(rows: [columns.map(\.key)] + rows.map { $0.map(\.plain) })
    }

    private func renderJSON() -> String {
        let objects = JSONOutput.array(rows.map { row in .oneLine(.object(zip(columns, row).map { ($0.key, $1.json) })) })
        guard !summary.isEmpty else { return objects.rendered(pretty: true) + "\n" }
        return JSONOutput.object([(rowsKey, objects), ("summary", .object(summary.map { ($0.key, $0.value.json) }))]).rendered(pretty: true) + "\n"
    }

    private func renderMarkdown() -> String {
        func escape(_ value: String) -> String { value.replacingOccurrences(of: "|", with: "\\|") }
        var out = ["### " + title, "", "| " + columns.map { escape($0.title) }.joined(separator: " | ") + " |",
                   "|" + columns.map { $0.alignRight ? "---:|" : "---|" }.joined()]
        out += rows.map { "| " + $0.map { escape($0.readable) }.joined(separator: " | ") + " |" }
        // The summary as a list: bare lines would run together into one Markdown paragraph.
        if !footer.isEmpty { out += [""] + footer.map { $0.hasPrefix("  ") ? "  - " + $0.drop { $0 == " " } : "- " + $0 } }
        return out.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The text without trailing spaces and tabs; linear in the length (a regular expression
    /// anchored at the end backtracks from every run of spaces, quadratic on a long cell).
    func trimmingTrailingWhitespace() -> String {
        var end = endIndex
        while end > startIndex {
            let before = index(before: end)
            guard self[before] == " " || self[before] == "\t" else { break }
            end = before
        }
        return String(self[..<end])
    }
}
