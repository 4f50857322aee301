import HWModel
import Foundation

/// A table of values published in one of the papers, read from the CSV copies shipped with
/// the library (Resources/reference, copied from the project's shared reference data).
///
/// These are what reports print *beside* computed values; the model never reads them to
/// produce a result.
public struct ReferenceTable: Sendable {
    /// Column names from the header row.
    public let columns: [String]
    /// Data rows, as text cells.
    public let rows: [[String]]
    /// The `#` comment lines above the header: the table's caption and source.
    public let notes: [String]

    /// The shipped reference tables.
    public enum Name: String, CaseIterable, Sendable {
        /// VecQ Table 5: model size in MiB of the image networks per weight/activation bitwidth.
        case vecqModelSizes = "vecq-table5-sizes"
        /// VecQ Table 6: model size in MiB of the IMDB and THUCNews LSTM models.
        case vecqLSTMSizes = "vecq-table6-lstm-sizes"
        /// VecQ Table 1: the optimal interval λ*(k) for φ ∼ N(0, 1).
        case vecqLambda = "vecq-table1-lambda"
        /// VecQ Table 11: salient-object-detection models, FP32 and 2-bit sizes.
        case vecqSalientObjectSizes = "vecq-table11-sod"
        /// ASQ Table 1: adapter Param % and Compute % on ResNet-18.
        case asqOverhead = "asq-table1-overhead"
        /// Quantization Networks Table 8: time and space of binary, ternary and FP32 on a VU9P, as ratios.
        case qnComplexity = "qn-table8-complexity"
        /// BNN-PYNQ's CNV and LFC builds: measured frames/s and post-implementation resources.
        case fpgaBuilds = "fpga-builds"
        /// Other published FINN-style builds, for validation.
        case fpgaValidation = "fpga-validation"
    }

    /// Loads a shipped table.
    public static func load(_ name: Name) throws(ReferenceError) -> ReferenceTable {
        guard let url = Bundle.module.url(forResource: name.rawValue, withExtension: "csv", subdirectory: "reference") else {
            throw .missing(name.rawValue)
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .missing(name.rawValue)
        }
        return try parse(text, name: name.rawValue)
    }

    /// Parses CSV text (``CSV``) with `#` comment lines and a header row; cells are trimmed and
    /// blank lines skipped.
    public static func parse(_ text: String, name: String) throws(ReferenceError) -> ReferenceTable {
        let records: [CSV.Record]
        do {
            records = try CSV.parse(text, commentPrefix: "#")
        } catch {
            switch error {
            case .unterminatedQuote(let line): throw .malformed(name, line: line)
            }
        }
        var notes: [String] = []
        var header: [String]?
        var rows: [[String]] = []
        for record in records {
            if record.isComment {
                notes.append(String(record.text.dropFirst()).trimmingCharacters(in: .whitespaces))
                continue
            }
            if record.text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let cells = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if let header {
                guard cells.count == header.count else { throw .malformed(name, line: record.line) }
                rows.append(cells)
            } else {
                header = cells
            }
        }
        guard let header else { throw .malformed(name, line: 0) }
        return ReferenceTable(columns: header, rows: rows, notes: notes)
    }

    /// The numeric value in `column` of the first row whose cells match `key` (column → text).
    public func value(_ column: String, where key: [String: String]) -> Double? {
        guard let target = columns.firstIndex(of: column) else { return nil }
        let keyIndices = key.compactMap { entry in columns.firstIndex(of: entry.key).map { ($0, entry.value) } }
        guard keyIndices.count == key.count else { return nil }
        return rows.first { row in keyIndices.allSatisfy { row[$0.0] == $0.1 } }.flatMap { Double($0[target]) }
    }

    /// All cells of a column, in row order.
    public func column(_ name: String) -> [String] {
        guard let index = columns.firstIndex(of: name) else { return [] }
        return rows.map { $0[index] }
    }
}

/// A shipped reference table is missing or unreadable: the installation is incomplete.
public enum ReferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The CSV is not in the bundle or is not UTF-8 text.
    case missing(String)
    /// A row whose cell count differs from the header's, or a quoted cell never closed (line 0: no
    /// header at all).
    case malformed(String, line: Int)

    /// A message naming the table and, for a missing one, telling the user to reinstall.
    public var description: String {
        switch self {
        case .missing(let name): "reference table '\(name).csv' is missing from the HWModel resources; reinstall hwsim"
        case .malformed(let name, let line): "reference table '\(name).csv' is malformed at line \(line)"
        }
    }
}
