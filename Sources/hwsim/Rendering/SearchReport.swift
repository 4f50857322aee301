import CycleSim
import Explore
import Foundation
import HWModel
import Quantizers

/// The tables, CSV and plot of `hwsim search`.
enum SearchReport {
    /// The chosen plan, one row per searched layer, and the summary under it.
    static func make(_ result: PrecisionSearchResult, search: MixedPrecisionSearch, table: QuantizationErrorTable) -> Report {
        var report = Report(title: "Per-layer plan for \(search.network.name): \(result.best.assignment.count) layer(s) searched", columns: [
            .init(key: "layer", title: "layer", alignRight: false),
            .init(key: "weights", title: "W", alignRight: false),
            .init(key: "activations", title: "A", alignRight: false),
            .init(key: "weight_sqnr_db", title: "W SQNR dB", alignRight: true),
            .init(key: "weight_jo", title: "W Jo", alignRight: true),
            .init(key: "activation_sqnr_db", title: "A SQNR dB", alignRight: true),
            .init(key: "error", title: "error", alignRight: true),
            .init(key: "weights_from", title: "weights", alignRight: false),
            .init(key: "cycles", title: "cycles", alignRight: true),
        ])
        for (layer, choiceIndex) in zip(search.layers, result.best.assignment) {
            let choice = search.choices[choiceIndex]
            let weight = table.weights[layer]?[choice.weights], activation = table.activations[choice.activations]
            func db(_ value: Double?) -> Report.Cell { value.map { $0.isFinite ? .number($0, decimals: 2) : .text("lossless") } ?? .empty }
            report.add([
                .text(layer), .text(choice.weights.description), .text(choice.activations.description),
                db(weight?.sqnrDecibels), weight.map { .number($0.orientation, decimals: 6) } ?? .empty, db(activation?.sqnrDecibels),
                .number(table.error(layer: layer, weights: choice.weights, activations: choice.activations, metric: search.metric), decimals: 6),
                .text(table.sources[layer] == .measured ? "measured" : "gaussian"),
                result.best.metrics?.layerCycles[layer].map { .integer($0) } ?? .empty,
            ])
        }
        let best = result.best
        var footer = [
            "\(result.method)",
            "budgets: \(search.budgets.map(\.description).joined(separator: ", ")); minimising \(search.objective.rawValue)",
            "error proxy (\(search.metric == .nsr ? "sum of noise-to-signal ratios" : "sum of VecQ orientation losses")): \(String(format: "%.6g", best.error))"
                + (search.metric == .nsr && best.error > 0 ? " = \(Report.fixed(-10 * Foundation.log10(best.error), 2)) dB network SQNR proxy" : "")
                + "; a proxy of quantization error, not accuracy (docs/compare.md)",
        ]
        if let metrics = best.metrics {
            footer.append("latency \(Report.fixed(metrics.latencyMs, 4)) ms, \(Report.fixed(metrics.framesPerSecond, 1)) frames/s, LUT \(Report.fixed(metrics.lutPercent, 1)) %, "
                + "model \(Report.fixed(metrics.sizeMiB, 3)) MiB, \(metrics.fits ? "fits" : "does not fit") the budget")
        }
        footer.append("front of error against latency: \(result.front(against: .latency).count) of \(result.evaluated.count) simulated plans")
        report.footer = footer
        return report
    }

    /// Every simulated plan as CSV, in assignment order, with its front membership.
    static func frontCSV(_ result: PrecisionSearchResult, search: MixedPrecisionSearch) -> String {
        let byLatency = result.front(against: .latency), byLUT = result.front(against: .lut)
        var rows = [["error", "latency_ms", "fps", "lut_pct", "size_mib", "fits", "meets_budgets", "front_latency", "front_lut", "chosen", "status", "plan"]]
        for (index, plan) in result.evaluated.enumerated() {
            let metrics = plan.metrics
            func number(_ value: Double?, _ decimals: Int) -> String { value.map { Report.fixed($0, decimals) } ?? "" }
            let assignment = zip(search.layers, plan.assignment).map { "\($0)=\(search.choices[$1].weights)/\(search.choices[$1].activations)" }
            rows.append([
                String(format: "%.9g", plan.error), number(metrics?.latencyMs, 6), number(metrics?.framesPerSecond, 3), number(metrics?.lutPercent, 3),
                number(metrics?.sizeMiB, 6), metrics.map { $0.fits ? "yes" : "no" } ?? "", search.meetsBudgets(plan) ? "yes" : "no",
                byLatency.contains(index) ? "yes" : "no", byLUT.contains(index) ? "yes" : "no", plan.assignment == result.best.assignment ? "yes" : "no",
                plan.failure ?? "ok", assignment.joined(separator: ";"),
            ])
        }
        return CSV.format(rows: rows)
    }

    /// Error against latency (log axes): plans meeting the budgets, the others, the chosen one,
    /// and the front as a step line.
    static func chart(_ result: PrecisionSearchResult, search: MixedPrecisionSearch, title: String) -> String {
        let front = result.front(against: .latency)
        var points: [SVGChart.Point] = []
        for (index, plan) in result.evaluated.enumerated() {
            guard let metrics = plan.metrics, metrics.latencyMs > 0, plan.error > 0 else { continue }
            let label = "error \(String(format: "%.4g", plan.error)), \(Report.fixed(metrics.latencyMs, 4)) ms, LUT \(Report.fixed(metrics.lutPercent, 1)) %"
            let style = plan.assignment == result.best.assignment ? chosenStyle : (search.meetsBudgets(plan) ? meetingStyle : missingStyle)
            points.append(SVGChart.Point(x: metrics.latencyMs, y: plan.error, label: label, series: style.name, colour: style.colour,
                                         marker: style.marker, hollow: style.hollow, onFront: front.contains(index)))
        }
        // The chosen plan last, so that it is drawn on top.
        points.sort { ($0.series == chosenStyle.name ? 1 : 0) < ($1.series == chosenStyle.name ? 1 : 0) }
        let frontPoints = result.evaluated.indices.filter { front.contains($0) }.compactMap { index -> (x: Double, y: Double)? in
            guard let metrics = result.evaluated[index].metrics, metrics.latencyMs > 0, result.evaluated[index].error > 0 else { return nil }
            return (metrics.latencyMs, result.evaluated[index].error)
        }.sorted { $0.x < $1.x }
        let legend: [SVGChart.LegendItem] = [meetingStyle, missingStyle, chosenStyle].map { .marker($0.name, colour: $0.colour, $0.marker, hollow: $0.hollow) }
            + (frontPoints.isEmpty ? [] : [.line("Pareto front")])
        return SVGChart.scatter(title: title, x: .init(title: "latency (ms)", logarithmic: true),
                                y: .init(title: "error proxy (\(search.metric.rawValue))", logarithmic: true),
                                points: points, front: frontPoints, legend: legend)
    }

    /// How the search plot draws each kind of plan.
    private typealias Style = (name: String, colour: String, marker: ChartStyle.Marker, hollow: Bool)
    private static let meetingStyle: Style = ("meets the budgets", "#0072B2", .circle, false)
    private static let missingStyle: Style = ("misses a budget", "#7F7F7F", .circle, true)
    private static let chosenStyle: Style = ("chosen", "#D55E00", .star, false)
}
