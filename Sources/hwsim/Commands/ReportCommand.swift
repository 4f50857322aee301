import ArgumentParser
import CycleSim
import Explore
import Foundation

/// `hwsim report`: one self-contained HTML file for a run or a sweep, to keep or to mail.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML report (summary, resources, cycle plot, per-layer table; for a sweep also the Pareto front) that opens offline.",
        discussion: "`hwsim report run` takes the flags of `hwsim run`, `hwsim report compare` those of `hwsim compare`. The file has its CSS and SVG plots inline and loads nothing from anywhere else.",
        subcommands: [RunHTMLReportCommand.self, SweepHTMLReportCommand.self])
}

/// `-o`/`--html`: where a report goes.
struct HTMLOutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .customLong("html")], help: "The HTML file to write (an existing one is replaced).")
    var html: String
}

/// `hwsim report run`.
struct RunHTMLReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "An HTML report of one simulation (the flags of `hwsim run`).")

    @OptionGroup var options: RunOptions
    @OptionGroup var output: HTMLOutputOptions

    func run() throws {
        try WrittenFile.checkWritable(output.html)
        let outcome = try options.simulate()
        let page = HTMLReport.run(outcome.simulation, report: options.report(outcome), command: HTMLReport.commandLine(Array(CommandLine.arguments.dropFirst())))
        try WrittenFile.save(page, to: output.html, what: "HTML report")
    }
}

/// `hwsim report compare`.
struct SweepHTMLReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "An HTML report of a design-space sweep (the flags of `hwsim compare`): the front and one design in full.")

    @OptionGroup var sweep: SweepOptions
    @OptionGroup var output: HTMLOutputOptions

    @Option(help: "The point (its # in the sweep) shown in full; default: the front's point best in the first objective.")
    var detail: Int?

    func run() async throws {
        try WrittenFile.checkWritable(output.html)
        let outcome = try await sweep.run()
        let results = outcome.sweep.results
        var chosen: DesignResult?
        if let detail {
            guard let point = results.first(where: { $0.point.index == detail }) else {
                throw CommandFailure("--detail: the sweep has no point #\(detail); points are numbered 0 to \(max(outcome.space.count - 1, 0))")
            }
            chosen = point
        } else {
            let objective = outcome.sweep.objectives.first ?? .latency
            chosen = outcome.sweep.front.sorted().map { results[$0] }.min { $0.value(of: objective) < $1.value(of: objective) }
                ?? results.first { $0.failure == nil }
        }
        var detailed: (point: DesignPoint, simulation: NetworkSimulation)?
        if let chosen, chosen.failure == nil {
            do {
                detailed = (chosen.point, try outcome.space.simulate(chosen.point, cache: outcome.cache))
            } catch {
                throw CommandFailure("point #\(chosen.point.index): \(error)")
            }
        }
        let page = HTMLReport.sweep(outcome.sweep, detail: detailed, command: HTMLReport.commandLine(Array(CommandLine.arguments.dropFirst())))
        try WrittenFile.save(page, to: output.html, what: "HTML report")
    }
}
