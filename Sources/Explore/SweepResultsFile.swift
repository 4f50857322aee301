import Foundation
import HWModel
import Quantizers

/// The CSV file a sweep appends its results to, one line per finished point, so that an
/// interrupted sweep loses nothing and `--resume` can skip what is done.
///
/// Every row carries the sweep's fingerprint; a file from a different sweep is refused rather
/// than mixed. The file is only ever appended to: never truncated, never rewritten.
public enum SweepResultsFile {
    /// Column names, in order.
    public static let columns = [
        "sweep", "index", "key", "weights", "activations", "hardware", "array", "bandwidth_gbps", "clock_mhz",
        "status", "cycles", "latency_ms", "fps", "size_mib", "lut_pct", "ff_pct", "dsp_pct", "bram_pct", "uram_pct",
        "fits", "qops", "bops", "peak_pct", "failure",
    ]

    /// The header line.
    public static var header: String { columns.joined(separator: ",") }

    /// One result as a CSV line (without the newline).
    public static func line(_ result: DesignResult, fingerprint: SweepFingerprint) -> String {
        let point = result.point
        // Shortest round-trip form: a merged or resumed report prints exactly what a fresh
        // run prints, with no second rounding.
        func number(_ value: Double) -> String {
            value.isFinite ? String(value) : ""
        }
        func percent(_ kind: ResourceKind) -> String { result.resourcePercent[kind].map { number($0) } ?? "" }
        let fields = [
            fingerprint.description, String(point.index), point.key, point.weights.description, point.activations.description,
            point.hardware, point.array.description, point.bandwidthGBps.map(DesignSpace.number) ?? "",
            point.clockMHz.map(DesignSpace.number) ?? "", result.failure == nil ? "ok" : "failed", String(result.cycles),
            number(result.latencyMs), number(result.framesPerSecond), number(result.modelSizeMiB),
            percent(.lut), percent(.ff), percent(.dsp), percent(.bram36), percent(.uram), result.fits ? "yes" : "no",
            number(result.qops), String(result.bops), number(100 * result.peakFraction),
            (result.failure ?? "").replacingOccurrences(of: "\n", with: " "),
        ]
        return CSV.format(fields)
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
            throw .notResults(path, reason: "its header is not that of an hwsim sweep results file")
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
            guard manager.createFile(atPath: path, contents: Data((header + "\n").utf8)) else { throw .unwritable(path) }
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else { throw .unwritable(path) }
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
            throw .unwritable(path)
        }
        return (handle, done)
    }

    /// Appends one result as a single write, so a crash leaves at most one partial line.
    public static func append(_ result: DesignResult, fingerprint: SweepFingerprint, to handle: FileHandle, path: String) throws(SweepFileError) {
        do {
            try handle.write(contentsOf: Data((line(result, fingerprint: fingerprint) + "\n").utf8))
        } catch {
            throw .unwritable(path)
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
                                bandwidthGBps: Double(column("bandwidth_gbps")), clockMHz: Double(column("clock_mhz")),
                                targetFPS: DesignPoint.targetFPS(inKey: column("key")))
        guard point.key == column("key") else { return nil }
        var result = DesignResult(point: point, failure: column("status") == "ok" ? nil : column("failure"))
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
    /// The file cannot be created or opened for appending.
    case unwritable(String)

    /// A message starting with the path (and line) that says what to do instead.
    public var description: String {
        switch self {
        case .exists(let path): "\(path): the results file exists; pass --resume to continue that sweep, or choose another --output (it is never overwritten)"
        case .differentSweep(let path, let differences):
            "\(path): the results file belongs to a different sweep: its \(Self.list(differences)) \(differences.count == 1 ? "differs" : "differ") from this one's; resume with the same inputs or choose another --output"
        case .mixedSweeps(let path, let line): "\(path):\(line): rows from different sweeps in one file"
        case .notResults(let path, let reason): "\(path): not a sweep results file: \(reason)"
        case .unreadable(let path): "\(path): cannot be read"
        case .unwritable(let path): "\(path): cannot be written"
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
