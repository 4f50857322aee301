import CycleSim
import Explore
import Foundation
import HWModel

/// The table and plot of a design-space sweep.
enum SweepReport {
    static func emit(_ results: [DesignResult], objectives: [Objective], title: String, format: OutputFormat, plot: String?) throws {
        let front = DesignSpace.paretoFront(results, objectives: objectives)
        print(make(results, front: front, objectives: objectives, title: title).render(format), terminator: "")
        if let plot {
            let svg = chart(results, front: front, objectives: objectives, title: title)
            guard FileManager.default.createFile(atPath: plot, contents: Data(svg.utf8)) else {
                throw CommandFailure("\(plot): cannot be written")
            }
        }
    }

    static func make(_ results: [DesignResult], front: Set<Int>, objectives: [Objective], title: String) -> Report {
        // A dataflow sweep's points carry the frame rate their folding was searched for.
        let targets = results.contains { $0.point.targetFPS != nil }
        let targetColumn: [Report.Column] = targets ? [.init(key: "target_fps", title: "target fps", alignRight: true)] : []
        var report = Report(title: title, columns: targetColumn + [
            .init(key: "index", title: "#", alignRight: true),
            .init(key: "weights", title: "W", alignRight: false),
            .init(key: "activations", title: "A", alignRight: false),
            .init(key: "hardware", title: "hw", alignRight: false),
            .init(key: "array", title: "array", alignRight: false),
            .init(key: "bandwidth_gbps", title: "GB/s", alignRight: true),
            .init(key: "clock_mhz", title: "MHz", alignRight: true),
            .init(key: "latency_ms", title: "latency ms", alignRight: true),
            .init(key: "fps", title: "frames/s", alignRight: true),
            .init(key: "size_mib", title: "size MiB", alignRight: true),
            .init(key: "lut_pct", title: "LUT %", alignRight: true),
            .init(key: "dsp_pct", title: "DSP %", alignRight: true),
            .init(key: "bram_pct", title: "BRAM %", alignRight: true),
            .init(key: "uram_pct", title: "URAM %", alignRight: true),
            .init(key: "fits", title: "fits", alignRight: false),
            .init(key: "qops", title: "QOPS", alignRight: true),
            .init(key: "bops", title: "BOPs", alignRight: true),
            .init(key: "pareto", title: "pareto", alignRight: false),
            .init(key: "failure", title: "note", alignRight: false),
        ])
        for (offset, result) in results.enumerated() {
            let point = result.point
            func number(_ value: Double, _ decimals: Int) -> Report.Cell { value.isFinite ? .number(value, decimals: decimals) : .empty }
            func percent(_ kind: ResourceKind) -> Report.Cell { result.resourcePercent[kind].map { .number($0, decimals: 1) } ?? .empty }
            let ok = result.failure == nil
            let targetCell: [Report.Cell] = targets ? [point.targetFPS.map { .number($0, decimals: 1) } ?? .text("fit")] : []
            report.add(targetCell + [
                .integer(Int64(point.index)), .text(point.weights.description), .text(point.activations.description),
                .text(point.hardware), .text(point.array.description),
                point.bandwidthGBps.map { .number($0, decimals: 1) } ?? .text("board"),
                point.clockMHz.map { .number($0, decimals: 0) } ?? .text("config"),
                number(result.latencyMs, 4), number(result.framesPerSecond, 1), number(result.modelSizeMiB, 3),
                percent(.lut), percent(.dsp), percent(.bram36), percent(.uram), ok ? .flag(result.fits) : .empty,
                number(result.qops, 0), ok ? .integer(result.bops) : .empty, .flag(front.contains(offset)),
                .text(result.failure ?? ""),
            ])
        }
        let failed = results.filter { $0.failure != nil }.count
        let unfit = results.filter { $0.failure == nil && !$0.fits }.count
        report.footer = [
            "Pareto front (minimising \(objectives.map(\.rawValue).joined(separator: ", "))): \(front.count) of \(results.count) points; points that do not fit the budget or failed are never on it",
            "\(unfit) point(s) do not fit the utilisation budget; \(failed) could not be simulated (see note)",
        ]
        return report
    }

    /// Scatter of the first two objectives (log axes), one series per weight scheme.
    static func chart(_ results: [DesignResult], front: Set<Int>, objectives: [Objective], title: String) -> String {
        let xObjective = objectives.first ?? .latency
        let yObjective = objectives.count > 1 ? objectives[1] : (xObjective == .size ? .latency : .size)
        var seriesNames: [String] = []
        var byName: [String: [(x: Double, y: Double, label: String)]] = [:]
        for result in results where result.failure == nil {
            let x = result.metric(xObjective), y = result.metric(yObjective)
            guard x.isFinite, y.isFinite else { continue }
            let name = result.fits ? "W \(result.point.weights)" : "does not fit"
            if byName[name] == nil { seriesNames.append(name) }
            let point = result.point
            let label = "#\(point.index) W \(point.weights) A \(point.activations) \(point.hardware) \(point.array): \(Report.fixed(x, 4)), \(Report.fixed(y, 4))"
            byName[name, default: []].append((x, y, label))
        }
        // Fitting schemes first in sweep order; "does not fit" last.
        seriesNames.sort { ($0 == "does not fit" ? 1 : 0) < ($1 == "does not fit" ? 1 : 0) }
        let frontPoints = results.indices.filter { front.contains($0) }
            .map { (x: results[$0].metric(xObjective), y: results[$0].metric(yObjective)) }
            .sorted { $0.x < $1.x }
        return SVGChart.scatter(title: title, x: .init(title: xObjective.title, logarithmic: true),
                                y: .init(title: yObjective.title, logarithmic: true),
                                series: seriesNames.map { SVGChart.Series(name: $0, points: byName[$0] ?? []) }, front: frontPoints)
    }
}

/// A one-line progress report on standard error, shown only on a terminal and only once a
/// sweep has run for a second.
struct Progress {
    let total: Int
    let label: String
    private var done = 0
    private let start = Date()
    private var lastPrint = Date.distantPast
    private let enabled = isatty(STDERR_FILENO) == 1
    private var printed = false

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    mutating func advance() {
        done += 1
        guard enabled else { return }
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        guard elapsed > 1, now.timeIntervalSince(lastPrint) > 0.2 || done == total else { return }
        lastPrint = now
        let rate = Double(done) / elapsed
        let left = rate > 0 ? Double(total - done) / rate : 0
        FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) points, \(Int(rate)) points/s, \(Int(left.rounded())) s left   ".utf8))
        printed = true
    }

    func finish() {
        if printed { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
