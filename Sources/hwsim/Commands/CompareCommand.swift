import ArgumentParser
import CycleSim
import Explore
import Foundation
import HWModel
import Quantizers

/// `hwsim compare`: sweep bitwidths, quantizers and hardware, and mark the Pareto front.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Simulate every combination of weight and activation schemes, hardware configs, array sizes, bandwidths and clocks; mark the Pareto-optimal designs.",
        discussion: """
        Axes are comma-separated; `family:lo...hi` expands a bitwidth range (uniform:2...8), and bare activation widths mean uniform:k (32 means fp32). Points run in parallel on all cores; results are printed in a fixed order. With --output, each finished point is appended to a CSV file at once, so an interrupted sweep loses nothing; --resume skips the points already there. --shard i/n runs the i-th of n disjoint slices (for job arrays); `hwsim merge` joins the shard files. See docs/compare.md.
        """)

    @OptionGroup var sweep: SweepOptions

    @Option(help: "Write a scatter plot of the points and the Pareto front to this SVG file (colour: weight scheme, marker: activation width, hollow: does not fit).")
    var plot: String?

    @OptionGroup var format: FormatOptions

    func run() async throws {
        try WrittenFile.checkWritable(plot)
        let outcome = try await sweep.run()
        try SweepReport.emit(outcome.sweep, format: format.format, plot: plot)
    }
}

/// `hwsim merge`: join the results files of a sharded sweep and recompute the Pareto front.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the results files of `hwsim compare --shard` runs into one report, recomputing the Pareto front.")

    @Argument(help: "Results files written by `hwsim compare --output`.")
    var files: [String]

    @OptionGroup var front: FrontOptions

    @Option(name: .shortAndLong, help: "Also write the merged results to this new CSV file (never overwritten), the Pareto column filled in.")
    var output: String?

    @Option(help: "Write a scatter plot of the points and the Pareto front to this SVG file.")
    var plot: String?

    @OptionGroup var format: FormatOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give the results files to merge") }
    }

    func run() throws {
        var fingerprint: SweepFingerprint?
        var byKey: [String: DesignResult] = [:]
        for file in files {
            let contents: SweepResultsFile.Contents
            do {
                contents = try SweepResultsFile.read(path: file)
            } catch {
                throw CommandFailure(error.description)
            }
            if !contents.unreadableLines.isEmpty {
                FileHandle.standardError.write(Data("warning: \(file): skipped unreadable line(s) \(contents.unreadableLines.map(String.init).joined(separator: ", "))\n".utf8))
            }
            if let own = contents.fingerprint {
                if let fingerprint, fingerprint != own {
                    throw CommandFailure("\(file): belongs to a different sweep than \(files[0]); merge only shards of one sweep")
                }
                fingerprint = own
            }
            for result in contents.results where byKey[result.point.key] == nil { byKey[result.point.key] = result }
        }
        let results = byKey.values.sorted { $0.point.index < $1.point.index }
        let chosen = try front.parsed()
        let sweep = SweepReport.Sweep(results: results, objectives: chosen.objectives, tolerance: chosen.tolerance,
                                      title: "Merged design space: \(results.count) point(s) from \(files.count) file(s)", fingerprint: fingerprint)
        if let output {
            guard !FileManager.default.fileExists(atPath: output) else {
                throw CommandFailure("\(output): exists; merge never overwrites a file, choose another -o")
            }
            // Rows carry their sweep's fingerprint; files without rows have none and add none.
            try WrittenFile.save(SweepResultsFile.text(results, fingerprint: fingerprint, front: sweep.front), to: output, what: "merged results")
        }
        try SweepReport.emit(sweep, format: format.format, plot: plot)
    }
}
