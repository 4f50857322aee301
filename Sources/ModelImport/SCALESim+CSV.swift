import Foundation
import HWModel
import Quantizers

/// SCALE-Sim CSV text (records from ``CSV``, cells trimmed) split into a header and data rows
/// with 1-based line numbers.
struct CSVText {
    struct Column {
        let index: Int
        let title: String
    }

    struct Row {
        let line: Int
        let cells: [String]
        let sourceFile: String

        func text(_ column: Column) throws(SCALESimError) -> String {
            guard column.index < cells.count, !cells[column.index].isEmpty else {
                throw .missingCell(file: sourceFile, line: line, column: column.title)
            }
            return cells[column.index]
        }

        func positive(_ column: Column) throws(SCALESimError) -> Int {
            let cell = try text(column)
            guard let value = Int(cell) else {
                // All digits but no Int: beyond 64 bits, which is a size problem, not a typo.
                if cell.drop(while: { $0 == "+" }).allSatisfy({ $0.isASCII && $0.isNumber }), !cell.isEmpty {
                    throw .cellTooLarge(file: sourceFile, line: line, column: column.title, text: cell)
                }
                throw .nonNumericCell(file: sourceFile, line: line, column: column.title, text: cell)
            }
            guard value >= 1 else {
                throw .nonPositiveCell(file: sourceFile, line: line, column: column.title, value: value)
            }
            guard value <= SCALESimTopology.maximumCellValue else {
                throw .cellTooLarge(file: sourceFile, line: line, column: column.title, text: cell)
            }
            return value
        }
    }

    /// Throws when the product of `sizes` (each at most 2^31 − 1) exceeds 2^40 elements.
    static func checkElements(_ sizes: [Int], _ what: String, _ row: Row) throws(SCALESimError) {
        if ONNXTensor.shapeProblem(sizes) != nil {
            throw .invalidLayer(
                file: row.sourceFile, line: row.line,
                reason: "\(what) would hold \(sizes.map(String.init).joined(separator: " × ")) elements, more than 2^40")
        }
    }

    let sourceFile: String
    let headerLine: Int
    let headerText: String
    let header: [String]
    let rows: [Row]

    static func read(_ url: URL) throws(SCALESimError) -> (String, String) {
        let path = url.isFileURL ? url.path : url.absoluteString
        let data = try readInputFile(path, as: SCALESimError.self)
        guard let text = String(data: data, encoding: .utf8) else { throw .notText(file: path) }
        return (text, path)
    }

    static func normalize(_ title: String) -> String {
        String(title.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    init(_ text: String, sourceFile: String) throws(SCALESimError) {
        self.sourceFile = sourceFile
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        let records: [CSV.Record]
        do {
            records = try CSV.parse(String(body))
        } catch {
            switch error {
            case .unterminatedQuote(let line): throw .unterminatedQuote(file: sourceFile, line: line)
            }
        }
        var header: (line: Int, text: String, cells: [String])?
        var rows = [Row]()
        for record in records {
            let cells = record.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if cells.allSatisfy(\.isEmpty) { continue }
            if header == nil {
                header = (record.line, record.text.trimmingCharacters(in: .whitespaces), cells)
            } else {
                rows.append(Row(line: record.line, cells: cells, sourceFile: sourceFile))
            }
        }
        guard let header else { throw .empty(file: sourceFile) }
        headerLine = header.line
        headerText = header.text
        self.header = header.cells.map(Self.normalize)
        self.rows = rows
    }

    /// The first header column whose normalized title is one of `names`.
    func column(named names: [String]) -> Column? {
        guard let index = header.firstIndex(where: { names.contains($0) }) else { return nil }
        return Column(index: index, title: header[index])
    }

    /// Required columns in order, titled as in `required`, or an error naming the first missing one.
    func locate(_ required: [(title: String, names: [String])], expectedHeader: String) throws(SCALESimError) -> [Column] {
        var columns = [Column]()
        for (title, names) in required {
            guard let found = column(named: names) else {
                throw .missingHeaderColumn(file: sourceFile, line: headerLine, column: title, expectedHeader: expectedHeader)
            }
            columns.append(Column(index: found.index, title: title))
        }
        return columns
    }
}
