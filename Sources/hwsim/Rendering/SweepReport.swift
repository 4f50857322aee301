import CycleSim
import Explore
import Foundation
import HWModel
import Quantizers

/// The table and plot of a design-space sweep.
enum SweepReport {
    /// A sweep's results with the front marked, as every sweep output needs them.
    struct Sweep {
        var results: [DesignResult]
        var front: Set<Int>
        var objectives: [Objective]
        var tolerance: Double
        var title: String
        /// The fingerprint the rows carry (nil for merged files that hold no rows).
        var fingerprint: SweepFingerprint?

        init(results: [DesignResult], objectives: [Objective], tolerance: Double, title: String, fingerprint: SweepFingerprint?) {
            self.results = results
            self.objectives = objectives
            self.tolerance = tolerance
            self.title = title
            self.fingerprint = fingerprint
            front = DesignSpace.paretoFront(results, objectives: objectives, tolerance: tolerance)
        }
    }

    static func emit(_ sweep: Sweep, format: OutputFormat, plot: String?) throws {
        if format == .csv {
            // Exactly the results file's columns and numbers (SweepResultsFile).
            print(SweepResultsFile.text(sweep.results, fingerprint: sweep.fingerprint, front: sweep.front), terminator: "")
        } else {
            print((format == .json ? machineReport(sweep) : make(sweep)).render(format), terminator: "")
        }
        if let plot { try WrittenFile.save(chart(sweep), to: plot, what: "sweep plot") }
    }

    /// The results file's columns with typed cells, for `--format json`, and the summary.
    static func machineReport(_ sweep: Sweep) -> Report {
        var report = Report(title: sweep.title, columns: SweepResultsFile.columns.map { .init(key: $0, title: $0, alignRight: false) })
        if let fingerprint = sweep.fingerprint {
            for (offset, result) in sweep.results.enumerated() {
                report.add(SweepResultsFile.row(result, fingerprint: fingerprint, pareto: sweep.front.contains(offset)).map(cell))
            }
        }
        report.rowsKey = "points"
        report.summary = [
            ("points", .integer(Int64(sweep.results.count))), ("pareto_points", .integer(Int64(sweep.front.count))),
            ("objectives", .text(sweep.objectives.map(\.rawValue).joined(separator: ","))),
            ("pareto_tolerance_pct", .real(100 * sweep.tolerance)),
            ("unfit_points", .integer(Int64(sweep.results.filter { $0.failure == nil && !$0.fits }.count))),
            ("failed_points", .integer(Int64(sweep.results.filter { $0.failure != nil }.count))),
        ]
        return report
    }

    static func cell(_ value: SweepResultsFile.Value) -> Report.Cell {
        switch value {
        case .text(let text): .text(text)
        case .integer(let number): .integer(number)
        case .number(let number): .real(number)
        case .flag(let flag): .flag(flag)
        case .empty: .empty
        }
    }

    /// The table people read: the results file's values, fewer columns, units in the titles.
    static func make(_ sweep: Sweep) -> Report {
        // A dataflow sweep's points carry the frame rate their folding was searched for.
        let targets = sweep.results.contains { $0.point.targetFPS != nil }
        let targetColumn: [Report.Column] = targets ? [.init(key: "target_fps", title: "target fps", alignRight: true)] : []
        // The error proxy, when the sweep measured it (the `error` objective).
        let errors = sweep.results.contains { $0.quantizationError.isFinite }
        let errorColumn: [Report.Column] = errors ? [.init(key: "error_nsr", title: "error (Σ NSR)", alignRight: true)] : []
        var report = Report(title: sweep.title, columns: targetColumn + [
            .init(key: "index", title: "#", alignRight: true),
            .init(key: "weights", title: "W", alignRight: false),
            .init(key: "activations", title: "A", alignRight: false),
            .init(key: "hardware", title: "hw", alignRight: false),
            .init(key: "array", title: "array", alignRight: false),
            .init(key: "bandwidth_gbps", title: "GB/s", alignRight: true),
            .init(key: "clock_mhz", title: "MHz", alignRight: true),
            .init(key: "latency_ms", title: "latency", alignRight: true),
            .init(key: "fps", title: "frames/s", alignRight: true),
            .init(key: "size_mib", title: "size MiB", alignRight: true),
            .init(key: "lut_pct", title: "LUT %", alignRight: true),
            .init(key: "dsp_pct", title: "DSP %", alignRight: true),
            .init(key: "bram_pct", title: "BRAM %", alignRight: true),
            .init(key: "uram_pct", title: "URAM %", alignRight: true),
            .init(key: "fits", title: "fits", alignRight: false),
            .init(key: "qops", title: "QOPS", alignRight: true),
            .init(key: "bops", title: "BOPs", alignRight: true),
        ] + errorColumn + [
            .init(key: "pareto", title: "pareto", alignRight: false),
            .init(key: "failure", title: "note", alignRight: false),
        ])
        for (offset, result) in sweep.results.enumerated() {
            let point = result.point
            func number(_ value: Double, _ decimals: Int) -> Report.Cell { value.isFinite ? .number(value, decimals: decimals) : .empty }
            func percent(_ kind: ResourceKind) -> Report.Cell { result.resourcePercent[kind].map { .number($0, decimals: 1) } ?? .empty }
            let ok = result.failure == nil
            let targetCell: [Report.Cell] = targets ? [point.targetFPS.map { .number($0, decimals: 1) } ?? .text("fit")] : []
            report.add(targetCell + [
                .integer(Int64(point.index)), .text(point.weights.description), .text(point.activations.description),
                .text(point.hardware), .text(point.array.description), number(result.bandwidthGBps, 1), number(result.clockMHz, 0),
                result.latencyMs.isFinite ? .duration(milliseconds: result.latencyMs) : .empty, number(result.framesPerSecond, 1),
                number(result.modelSizeMiB, 3), percent(.lut), percent(.dsp), percent(.bram36), percent(.uram), ok ? .flag(result.fits) : .empty,
                number(result.qops, 0), ok ? .integer(result.bops) : .empty,
            ] + (errors ? [number(result.quantizationError, 4)] : []) + [
                .flag(sweep.front.contains(offset)),
                .text(result.failure ?? ""),
            ])
        }
        report.footer = footer(sweep)
        return report
    }

    /// The summary under the table: the front, what does not fit, where the numbers came from.
    static func footer(_ sweep: Sweep) -> [String] {
        let results = sweep.results
        let failed = results.filter { $0.failure != nil }.count
        let unfit = results.filter { $0.failure == nil && !$0.fits }.count
        var lines = [
            "Pareto front (minimising \(sweep.objectives.map(\.rawValue).joined(separator: ", ")); values within \(Report.fixed(100 * sweep.tolerance, 1)) % count as equal): \(sweep.front.count) of \(results.count) points; points that do not fit the budget or failed are never on it",
            "\(unfit) point(s) do not fit the utilisation budget; \(failed) could not be simulated (see note)",
        ]
        let swept = results.contains { $0.point.bandwidthGBps != nil } || results.contains { $0.point.clockMHz != nil }
        lines.append("GB/s and MHz are the board's and the hardware config's unless the sweep set them\(swept ? " (bandwidth_source, clock_source in csv and json)" : "")")
        return lines
    }

    /// Scatter of the first two objectives (log axes): colour = weight scheme, marker =
    /// activation width, hollow = does not fit the budget; the front circled and joined.
    static func chart(_ sweep: Sweep) -> String {
        let objectives = sweep.objectives
        let xObjective = objectives.first ?? .latency
        let yObjective = objectives.count > 1 ? objectives[1] : (xObjective == .size ? .latency : .size)
        var points: [SVGChart.Point] = []
        var schemes: [QuantScheme] = []
        var widths: [Int: QuantScheme] = [:]
        var anyUnfit = false
        for (offset, result) in sweep.results.enumerated() where result.failure == nil {
            let x = result.metric(xObjective), y = result.metric(yObjective)
            guard x.isFinite, y.isFinite, x > 0, y > 0 else { continue }
            let point = result.point
            if !schemes.contains(point.weights) { schemes.append(point.weights) }
            if widths[point.activations.bits] == nil { widths[point.activations.bits] = point.activations }
            anyUnfit = anyUnfit || !result.fits
            let label = "#\(point.index) W \(point.weights) A \(point.activations) \(point.hardware) \(point.array)\(result.fits ? "" : " (does not fit)"): \(Report.fixed(x, 4)), \(Report.fixed(y, 4))"
            points.append(SVGChart.Point(x: x, y: y, label: label, series: "W \(point.weights)", colour: ChartStyle.colour(point.weights),
                                         marker: ChartStyle.marker(activationBits: point.activations.bits), hollow: !result.fits,
                                         onFront: sweep.front.contains(offset)))
        }
        var legend: [SVGChart.LegendItem] = [.heading("weights (colour)")]
        legend += schemes.map { .marker("W \($0)", colour: ChartStyle.colour($0), .circle, hollow: false) }
        legend.append(.heading("activations (marker)"))
        legend += widths.keys.sorted().map { bits in
            .marker(bits >= 32 ? "A fp32" : "A \(bits)-bit", colour: "#444444", ChartStyle.marker(activationBits: bits), hollow: false)
        }
        if anyUnfit { legend.append(.marker("hollow: does not fit", colour: "#444444", .circle, hollow: true)) }
        let frontPoints = sweep.results.indices.filter { sweep.front.contains($0) }
            .map { (x: sweep.results[$0].metric(xObjective), y: sweep.results[$0].metric(yObjective)) }
            .sorted { $0.x < $1.x }
        if !frontPoints.isEmpty { legend.append(.line("Pareto front")) }
        return SVGChart.scatter(title: sweep.title, x: .init(title: xObjective.title, logarithmic: true),
                                y: .init(title: yObjective.title, logarithmic: true), points: points, front: frontPoints, legend: legend)
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
