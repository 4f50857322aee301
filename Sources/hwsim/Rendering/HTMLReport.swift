import CycleSim
import Explore
import Foundation
import HWModel

/// One self-contained HTML page for a run or a sweep: inline CSS and SVG, no script, no font,
/// image or style sheet from anywhere else, so the file opens offline and can be mailed.
/// Well-formed XML as well as HTML (tests read it back as XML); deterministic like every output.
enum HTMLReport {
    /// The page of one simulation: summary, resources by part, where the cycles go, per layer.
    static func run(_ simulation: NetworkSimulation, report: Report, command: String) -> String {
        page(title: report.title, command: command, sections: [
            section("Summary", summaryCards(simulation) + list(report.footer, className: "details")),
        ] + designSections(simulation, report: report))
    }

    /// The page of a sweep: its summary, the front plot and points, every point, and one design
    /// (`detail`) in full.
    static func sweep(_ sweep: SweepReport.Sweep, detail: (point: DesignPoint, simulation: NetworkSimulation)?, command: String) -> String {
        let table = SweepReport.make(sweep)
        var front = table
        front.rows = table.rows.enumerated().filter { sweep.front.contains($0.offset) }.map(\.element)
        let failed = sweep.results.filter { $0.failure != nil }.count
        let unfit = sweep.results.filter { $0.failure == nil && !$0.fits }.count
        let cards = "<div class=\"cards\">" + [
            card("points", String(sweep.results.count)), card("on the Pareto front", String(sweep.front.count)),
            card("objectives", sweep.objectives.map(\.rawValue).joined(separator: ", ")),
            card("tie tolerance", Report.fixed(100 * sweep.tolerance, 1) + " %"),
            card("do not fit", String(unfit)), card("failed", String(failed)),
        ].joined() + "</div>"
        var sections = [
            section("Summary", cards + list(table.footer, className: "details")),
            section("Pareto front", figure(SweepReport.chart(sweep), caption: "Colour: weight scheme (its family's hue, darker with more bits); marker: activation width; hollow: does not fit the utilisation budget; circled and joined: the Pareto front.")
                + htmlTable(front, className: "points")),
            section("All points", "<details><summary>\(sweep.results.count) point(s) in sweep order</summary>" + htmlTable(table, className: "points") + "</details>"),
        ]
        if let detail {
            let report = RunReport.make(detail.simulation)
            let point = detail.point
            sections.append(section("Design #\(point.index) in detail: W \(point.weights), A \(point.activations), \(point.hardware), array \(point.array)",
                                     summaryCards(detail.simulation) + list(report.footer, className: "details")))
            sections += designSections(detail.simulation, report: report)
        }
        return page(title: sweep.title, command: command, sections: sections)
    }

    // MARK: - Sections

    private static func designSections(_ simulation: NetworkSimulation, report: Report) -> [String] {
        let legend = "<dl class=\"legend\">" + CycleCategory.allCases.map { category in
            "<dt><span class=\"swatch\" style=\"background:\(ChartStyle.colour(category))\"></span>\(escape(ChartStyle.name(category)))</dt><dd>\(escape(ChartStyle.meaning(category)))</dd>"
        }.joined() + "</dl>"
        return [
            section("Resources", resourceTable(simulation)),
            section("Where the cycles go", figure(RunReport.chart(simulation), caption: "Each layer's cycles stacked by cause; the parts add up to the layer's cycles.") + legend),
            section("Per layer", htmlTable(report, className: "layers")),
        ]
    }

    private static func summaryCards(_ simulation: NetworkSimulation) -> String {
        let usage = simulation.hardware.usage
        var cards = [
            card("latency (batch \(simulation.batch))", Report.duration(milliseconds: simulation.latencySeconds * 1e3)),
            card("frames/s", Report.groupedDecimal(Report.fixed(simulation.framesPerSecond, 1))),
            card("cycles", Report.grouped(simulation.cycles)),
            card("effective GOPS", Report.fixed(simulation.effectiveOpsPerSecond / 1e9, 1) + " (\(Report.fixed(100 * simulation.peakFraction, 1)) % of peak)"),
            card("model size", Report.fixed(simulation.cost.modelSizeMiB, 3) + " MiB"),
            card("fits the budget", usage.fitsBudget ? "yes" : "NO", className: usage.fitsBudget ? "fit-yes" : "fit-no"),
        ]
        if let limiting = usage.limitingResource { cards.append(card("limiting resource", limiting.title)) }
        if let slowest = simulation.slowestLayer { cards.append(card("slowest layer", slowest)) }
        return "<div class=\"cards\">" + cards.joined() + "</div>"
    }

    private static func resourceTable(_ simulation: NetworkSimulation) -> String {
        let kinds = ResourceKind.allCases
        let usage = simulation.hardware.usage
        var rows: [String] = []
        func row(_ name: String, _ values: [String], className: String = "") -> String {
            "<tr\(className.isEmpty ? "" : " class=\"\(className)\"")><td>\(escape(name))</td>" + values.map { "<td class=\"num\">\($0)</td>" }.joined() + "</tr>"
        }
        func count(_ value: Double) -> String { Report.grouped(Int64((value - 1e-6).rounded(.up))) }
        if let accelerator = simulation.accelerator {
            for part in accelerator.resourcesByPart {
                rows.append(row(RunReport.partName(part.part, accelerator), kinds.map { count(part.resources[$0]) }))
            }
        }
        rows.append(row("total", kinds.map { count(usage.exact[$0]) }, className: "total"))
        rows.append(row("budget", kinds.map { Report.grouped(Int64(usage.budget[$0].rounded(.down))) }))
        rows.append(row("device", kinds.map { Report.grouped(Int64(usage.device[$0])) }))
        let meters = kinds.map { kind -> String in
            let device = max(usage.device[kind], 1e-9)
            let used = min(100 * usage.exact[kind] / device, 100), budget = min(100 * usage.budget[kind] / device, 100)
            return "<div class=\"meter\" title=\"\(Report.fixed(used, 1)) % of the device; budget \(Report.fixed(budget, 0)) %\"><span style=\"width:\(Report.fixed(used, 1))%\"></span><i style=\"left:\(Report.fixed(budget, 1))%\"></i></div>"
        }
        rows.append("<tr><td>% of device (| = budget)</td>" + meters.map { "<td>\($0)</td>" }.joined() + "</tr>")
        let head = "<tr><th>part</th>" + kinds.map { "<th class=\"num\">\(escape($0.title))</th>" }.joined() + "</tr>"
        return "<div class=\"scroll\"><table class=\"resources\"><thead>\(head)</thead><tbody>\(rows.joined())</tbody></table></div>"
    }

    // MARK: - Pieces

    /// A report's rows as an HTML table, numbers right-aligned as the text table has them.
    static func htmlTable(_ report: Report, className: String) -> String {
        let head = "<tr>" + report.columns.map { "<th\($0.alignRight ? " class=\"num\"" : "")>\(escape($0.title))</th>" }.joined() + "</tr>"
        let body = report.rows.map { row in
            let total = row.first?.plain == "total"
            return "<tr\(total ? " class=\"total\"" : "")>" + zip(report.columns, row).map { column, cell in
                "<td\(column.alignRight ? " class=\"num\"" : "")>\(escape(cell.readable))</td>"
            }.joined() + "</tr>"
        }.joined()
        return "<div class=\"scroll\"><table class=\"\(className)\"><thead>\(head)</thead><tbody>\(body)</tbody></table></div>"
    }

    private static func figure(_ svg: String, caption: String) -> String {
        "<figure>" + SVGChart.element(svg) + "<figcaption>\(escape(caption))</figcaption></figure>"
    }

    private static func card(_ label: String, _ value: String, className: String = "") -> String {
        "<div class=\"card\"><div class=\"value \(className)\">\(escape(value))</div><div class=\"label\">\(escape(label))</div></div>"
    }

    private static func list(_ lines: [String], className: String) -> String {
        lines.isEmpty ? "" : "<ul class=\"\(className)\">" + lines.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
    }

    private static func section(_ title: String, _ body: String) -> String {
        "<section><h2>\(escape(title))</h2>\(body)</section>"
    }

    private static func page(title: String, command: String, sections: [String]) -> String {
        ["<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\"/>",
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>",
         "<title>\(escape(title))</title>", "<style>\(style)</style>", "</head>", "<body>",
         "<header><h1>\(escape(title))</h1><p class=\"command\">\(escape(command))</p></header>"]
            .joined(separator: "\n") + "\n" + sections.joined(separator: "\n")
            + "\n<footer>Written by hwsim \(HWSim.configuration.version): cycle-approximate estimates; the assumptions and their sources are in the docs/ folder of hwsim.</footer>\n</body>\n</html>\n"
    }

    static func escape(_ text: String) -> String { SVGChart.escape(text) }

    /// The command line as a user could type it again.
    static func commandLine(_ arguments: [String]) -> String {
        (["hwsim"] + arguments).map { argument in
            argument.isEmpty || argument.contains(where: { " \"'$\\".contains($0) }) ? "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'" : argument
        }.joined(separator: " ")
    }

    static let style = """
        body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:1.5em auto;max-width:1280px;padding:0 1em;color:#222;line-height:1.4}\
        h1{font-size:1.45em;margin-bottom:.2em}h2{font-size:1.15em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.8em}\
        .command{font-family:Menlo,Consolas,monospace;font-size:12px;color:#555;word-break:break-all}\
        table{border-collapse:collapse;font-size:12px;margin:.4em 0}th,td{padding:2px 7px;border-bottom:1px solid #eee;white-space:nowrap;text-align:left}\
        th{background:#f3f3f3;position:sticky;top:0}.num{text-align:right;font-variant-numeric:tabular-nums}\
        tr.total td{font-weight:bold;border-top:2px solid #999}.scroll{overflow:auto;max-height:42em;border:1px solid #eee}\
        .cards{display:flex;flex-wrap:wrap;gap:.6em;margin:.6em 0}.card{border:1px solid #ddd;border-radius:6px;padding:.45em .8em;min-width:8.5em}\
        .card .value{font-size:1.25em;font-weight:bold}.card .label{font-size:.8em;color:#666}.fit-no{color:#b00020}.fit-yes{color:#1a7f37}\
        ul.details{font-size:12px;color:#333;padding-left:1.2em}figure{margin:.5em 0}figcaption{font-size:12px;color:#555}\
        svg{max-width:100%;height:auto}dl.legend{display:grid;grid-template-columns:max-content auto;gap:.15em 1em;font-size:12px}\
        dl.legend dt{font-weight:bold}dl.legend dd{margin:0}.swatch{display:inline-block;width:10px;height:10px;margin-right:.4em;vertical-align:middle}\
        .meter{background:#eee;height:10px;width:8em;position:relative;border-radius:2px}.meter span{display:block;height:100%;background:#0072B2}\
        .meter i{position:absolute;top:-3px;bottom:-3px;width:2px;background:#D55E00}footer{margin-top:2.5em;font-size:11px;color:#777}\
        details summary{cursor:pointer;margin:.4em 0}@media print{.scroll{max-height:none;overflow:visible}th{position:static}}
        """
}
