import Foundation
import HWModel
import Quantizers

/// The CSV file a sweep appends its results to, one line per finished point, so that an
/// interrupted sweep loses nothing and `--resume` can skip what is done.
///
/// Every row carries the sweep's fingerprint; a file from a different sweep is refused rather
/// than mixed. While a sweep runs the file is only appended to, never truncated; when it
/// finishes, `compare` replaces it in one rename by the same rows in point order with the
/// Pareto column filled in (``replace(path:with:)``).
public enum SweepResultsFile {
    /// Column names, in order. `compare --format csv`, `compare --output` and `merge -o` all
    /// write these columns; numeric columns hold numbers only (`bandwidth_source` and
    /// `clock_source` say where the bandwidth and clock came from).
    public static let columns = [
        "sweep", "index", "key", "weights", "activations", "hardware", "array", "bandwidth_gbps", "bandwidth_source",
        "clock_mhz", "clock_source", "target_fps", "status", "cycles", "latency_ms", "fps", "size_mib", "lut_pct", "ff_pct", "dsp_pct",
        "bram_pct", "uram_pct", "fits", "qops", "bops", "peak_pct", "error_nsr", "pareto", "failure",
    ]

    /// The header line.
    public static var header: String { columns.joined(separator: ",") }

    /// `bandwidth_source`/`clock_source` of a value the sweep set (an axis of `compare`).
    public static let sweepSource = "sweep"
    /// `bandwidth_source` of the board's own bandwidth.
    public static let boardSource = "board"
    /// `clock_source` of the hardware config's own clock.
    public static let configSource = "config"

    /// A cell of a results row, typed so that every writer keeps numbers as numbers.
    public enum Value: Hashable, Sendable {
        /// Text.
        case text(String)
        /// A whole number.
        case integer(Int64)
        /// A number, written in its shortest round-trip form (never rounded twice).
        case number(Double)
        /// `yes` or `no`.
        case flag(Bool)
        /// Nothing: a value the point lacks (a failed point's latency, an unknown Pareto flag).
        case empty

        /// The CSV text of the value.
        public var text: String {
            switch self {
            case .text(let value): value
            case .integer(let value): String(value)
            case .number(let value): value.isFinite ? DesignSpace.number(value) : ""
            case .flag(let value): value ? "yes" : "no"
            case .empty: ""
            }
        }
    }

    /// One result's cells, in ``columns`` order. `pareto` is `nil` while a sweep is still
    /// appending (the front is known only at the end).
    public static func row(_ result: DesignResult, fingerprint: SweepFingerprint, pareto: Bool?) -> [Value] {
        let point = result.point
        let ok = result.failure == nil
        func number(_ value: Double) -> Value { value.isFinite ? .number(value) : .empty }
        func percent(_ kind: ResourceKind) -> Value { result.resourcePercent[kind].map(number) ?? .empty }
        return [
            .text(fingerprint.description), .integer(Int64(point.index)), .text(point.key), .text(point.weights.description),
            .text(point.activations.description), .text(point.hardware), .text(point.array.description),
            number(result.bandwidthGBps), .text(point.bandwidthGBps == nil ? boardSource : sweepSource),
            number(result.clockMHz), .text(point.clockMHz == nil ? configSource : sweepSource), point.targetFPS.map(number) ?? .empty,
            .text(ok ? "ok" : "failed"), ok ? .integer(result.cycles) : .empty,
            number(result.latencyMs), number(result.framesPerSecond), number(result.modelSizeMiB),
            percent(.lut), percent(.ff), percent(.dsp), percent(.bram36), percent(.uram), ok ? .flag(result.fits) : .empty,
            number(result.qops), ok ? .integer(result.bops) : .empty, number(100 * result.peakFraction), number(result.quantizationError),
            pareto.map { .flag($0) } ?? .empty, .text((result.failure ?? "").replacingOccurrences(of: "\n", with: " ")),
        ]
    }

    /// One result as a CSV line (without the newline).
    public static func line(_ result: DesignResult, fingerprint: SweepFingerprint, pareto: Bool? = nil) -> String {
        CSV.format(row(result, fingerprint: fingerprint, pareto: pareto).map(\.text))
    }

    /// The whole file for `results`: the header and one line per result, in the given order.
    public static func text(_ results: [DesignResult], fingerprint: SweepFingerprint?, front: Set<Int>?) -> String {
        let lines = fingerprint.map { own in
            results.enumerated().map { offset, result in line(result, fingerprint: own, pareto: front.map { $0.contains(offset) }) }
        } ?? []
        return ([header] + lines).joined(separator: "\n") + "\n"
    }

    /// Replaces `path` by `text` in one rename, so that a crash leaves the old file or the new
    /// one, never a mix: how a finished sweep fills in its Pareto column.
    public static func replace(path: String, with text: String) throws(SweepFileError) {
        do {
            try OutputFile.write(Data(text.utf8), to: path)
        } catch {
            throw .unwritable(path, reason: error.message)
        }
    }

    /// What a results file holds.
    public struct Contents: Sendable {
        /// The sweep fingerprint every row carries; nil for a file with no rows.
        public var fingerprint: SweepFingerprint?
        /// The readable rows, in file order.
        public var results: [DesignResult]
        /// Lines that could not be read (e.g. cut short by a crash), by line number.
        public var unreadableLines: [Int]
    }

    /// Reads a results file written by `line(_:fingerprint:)`.
    public static func read(path: String) throws(SweepFileError) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        guard let text = String(data: data, encoding: .utf8) else { throw .notResults(path, reason: "not UTF-8 text") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first else { return Contents(fingerprint: nil, results: [], unreadableLines: []) }
        guard first == header else {
            let reason = first.hasPrefix("sweep,index,key,")
                ? "it was written by an older hwsim with other columns; rerun that sweep into a new file"
                : "its header is not that of an hwsim sweep results file"
            throw .notResults(path, reason: reason)
        }
        var contents = Contents(fingerprint: nil, results: [], unreadableLines: [])
        for (offset, line) in lines.enumerated().dropFirst() {
            guard let fields = split(line), fields.count == columns.count, let result = parse(fields),
                  let fingerprint = SweepFingerprint(spelling: fields[0]) else {
                contents.unreadableLines.append(offset + 1)
                continue
            }
            if let known = contents.fingerprint, known != fingerprint {
                throw .mixedSweeps(path, line: offset + 1)
            }
            contents.fingerprint = fingerprint
            contents.results.append(result)
        }
        return contents
    }

    /// Opens `path` for appending results of the sweep `fingerprint`.
    ///
    /// A new file gets the header (with `resume` too, so that a job array can pass `--resume`
    /// on every submission). An existing file is refused unless `resume` is set, and then must
    /// belong to the same sweep; the returned dictionary holds the points already done.
    public static func openForAppend(path: String, fingerprint: SweepFingerprint, resume: Bool) throws(SweepFileError) -> (handle: FileHandle, done: [String: DesignResult]) {
        let manager = FileManager.default
        var done: [String: DesignResult] = [:]
        if manager.fileExists(atPath: path) {
            guard resume else { throw .exists(path) }
            let contents = try read(path: path)
            if let existing = contents.fingerprint, existing != fingerprint {
                throw .differentSweep(path, differences: fingerprint.differences(from: existing))
            }
            for result in contents.results { done[result.point.key] = result }
        } else {
            if let problem = OutputFile.problem(path) { throw .unwritable(path, reason: problem.message) }
            guard manager.createFile(atPath: path, contents: Data((header + "\n").utf8)) else {
                throw .unwritable(path, reason: "cannot be created")
            }
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else { throw .unwritable(path, reason: "cannot be opened for appending") }
        do {
            let end = try handle.seekToEnd()
            // A line cut short by an earlier crash must not run into the next one.
            if end > 0 {
                try handle.seek(toOffset: end - 1)
                let last = try handle.read(upToCount: 1)
                try handle.seekToEnd()
                if last != Data("\n".utf8) { try handle.write(contentsOf: Data("\n".utf8)) }
            }
        } catch {
            throw .unwritable(path, reason: "cannot be appended to: \(error.localizedDescription)")
        }
        return (handle, done)
    }

    /// Appends one result as a single write, so a crash leaves at most one partial line.
    public static func append(_ result: DesignResult, fingerprint: SweepFingerprint, to handle: FileHandle, path: String) throws(SweepFileError) {
        do {
            try handle.write(contentsOf: Data((line(result, fingerprint: fingerprint) + "\n").utf8))
        } catch {
            throw .unwritable(path, reason: "cannot be appended to: \(error.localizedDescription)")
        }
    }

    /// One CSV line's fields; `nil` for a line cut short inside a quote or holding a line break.
    static func split(_ line: String) -> [String]? {
        // A line that does not parse was cut short by a crash: it is reported, never fatal.
        guard let records = try? CSV.parse(line), records.count == 1 else { return nil }
        return records[0].fields
    }

    /// The result a row holds; `nil` (an unreadable line) when a coordinate does not parse.
    private static func parse(_ fields: [String]) -> DesignResult? {
        func column(_ name: String) -> String { fields[columns.firstIndex(of: name) ?? 0] }
        func double(_ name: String) -> Double { Double(column(name)) ?? .nan }
        guard let index = Int(column("index")),
              let weights = try? QuantScheme(parsing: column("weights")),
              let activations = try? QuantScheme(parsing: column("activations")),
              let array = ArrayChoice(spelling: column("array")) else { return nil }
        let point = DesignPoint(index: index, weights: weights, activations: activations, hardware: column("hardware"), array: array,
                                bandwidthGBps: column("bandwidth_source") == sweepSource ? Double(column("bandwidth_gbps")) : nil,
                                clockMHz: column("clock_source") == sweepSource ? Double(column("clock_mhz")) : nil,
                                targetFPS: Double(column("target_fps")))
        guard point.key == column("key") else { return nil }
        var result = DesignResult(point: point, failure: column("status") == "ok" ? nil : column("failure"))
        result.bandwidthGBps = double("bandwidth_gbps")
        result.clockMHz = double("clock_mhz")
        result.cycles = Int64(column("cycles")) ?? 0
        result.latencyMs = double("latency_ms")
        result.framesPerSecond = double("fps")
        result.modelSizeMiB = double("size_mib")
        let percentColumns: [(ResourceKind, String)] = [(.lut, "lut_pct"), (.ff, "ff_pct"), (.dsp, "dsp_pct"), (.bram36, "bram_pct"), (.uram, "uram_pct")]
        for (kind, name) in percentColumns { if let value = Double(column(name)) { result.resourcePercent[kind] = value } }
        result.fits = column("fits") == "yes"
        result.qops = double("qops")
        result.bops = Int64(column("bops")) ?? 0
        result.peakFraction = double("peak_pct") / 100
        result.quantizationError = double("error_nsr")
        return result
    }
}

/// Problems with a sweep results file. The file itself is never changed when one is raised.
public enum SweepFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The output file exists and `--resume` was not given; it is never overwritten.
    case exists(String)
    /// The file holds results of another sweep; `differences` names the inputs that differ
    /// (network, plan, hardware, axes).
    case differentSweep(String, differences: [String])
    /// Rows with different fingerprints in one file; `line` is the first row that differs from the first.
    case mixedSweeps(String, line: Int)
    /// The file's header or encoding is not that of a results file.
    case notResults(String, reason: String)
    /// The file cannot be read.
    case unreadable(String)
    /// The file cannot be created or opened for appending; `reason` says why in words.
    case unwritable(String, reason: String)

    /// A message starting with the path (and line) that says what to do instead.
    public var description: String {
        switch self {
        case .exists(let path): "\(path): the results file exists; pass --resume to continue that sweep, or choose another --output (it is never overwritten)"
        case .differentSweep(let path, let differences):
            "\(path): the results file belongs to a different sweep: its \(Self.list(differences)) \(differences.count == 1 ? "differs" : "differ") from this one's; resume with the same inputs or choose another --output"
        case .mixedSweeps(let path, let line): "\(path):\(line): rows from different sweeps in one file"
        case .notResults(let path, let reason): "\(path): not a sweep results file: \(reason)"
        case .unreadable(let path): "\(path): cannot be read"
        case .unwritable(let path, let reason): "\(path): \(reason)"
        }
    }

    static func list(_ words: [String]) -> String {
        switch words.count {
        case 0: "inputs"
        case 1: words[0]
        default: words.dropLast().joined(separator: ", ") + " and " + (words.last ?? "")
        }
    }
}
