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
        case empty

        var plain: String {
            switch self {
            case .text(let value): value
            case .integer(let value): String(value)
            case .number(let value, let decimals): Report.fixed(value, decimals)
            case .flag(let value): value ? "yes" : "no"
            case .empty: ""
            }
        }

        /// Human rendering: thousands separators for integers.
        var readable: String {
            switch self {
            case .integer(let value): Report.grouped(value)
            case .number(let value, let decimals) where value.isFinite && abs(value) >= 10_000:
                Report.groupedDecimal(Report.fixed(value, decimals))
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
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
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
        if !footer.isEmpty { out += [""] + footer }
        return out.joined(separator: "\n") + "\n"
    }
}
