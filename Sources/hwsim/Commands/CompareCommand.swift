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

    @Argument(help: "Network: a JSON config, an ONNX/QONNX model or a SCALE-Sim topology CSV.")
    var config: String

    @Option(help: "Weight schemes, e.g. binary,ternary,pot:3,post:3,post:4,uniform:2...8,fp32 (default: the config's).")
    var weights: String?

    @Option(help: "Activation schemes or bare widths, e.g. 2,4,8,32 or asq:2...8 (default: the config's).")
    var activations: String?

    @Option(name: .customLong("first-last"), help: "First/last weight layer policy for every point: quantize, keep-8bit (any keep-<k>bit) or keep-fp32 (default: the config's).")
    var firstLast: String?

    @Option(help: "Weight scale factors per 'tensor' or per output 'channel' for every point (default: the config's).")
    var scales: String?

    @Option(help: "Hardware configs, comma-separated (default: configs/hw/vu9p.json).")
    var hw: String?

    @Option(help: "Board of the hardware configs' device, e.g. aws-f1 or vcu118.")
    var board: String?

    @Option(help: "Array sizes: ROWSxCOLS, auto or config, comma-separated (default: config; with --arch systolic, ROWSxCOLS sizes only).")
    var array: String?

    @Option(help: "Architecture of every point: tile (the hardware config's arrays), systolic (a SCALE-Sim R×C array per --array size) or dataflow (a FINN-style pipeline, folded per --target-fps).")
    var arch: RunCommand.Architecture = .tile

    @Option(help: "Systolic dataflow: os, ws or is (with --arch systolic).")
    var dataflow: String = "os"

    @Option(help: "DDR bandwidths in GB/s replacing the board's, comma-separated.")
    var bandwidth: String?

    @Option(help: "Clocks in MHz replacing the config's, comma-separated.")
    var clock: String?

    @Option(name: .customLong("target-fps"), help: "With --arch dataflow: frame rates to fold each point for, comma-separated (each point's folding is the cheapest reaching it); default: the fastest folding that fits.")
    var targetFPS: String?

    @Option(help: "Batch size.")
    var batch: Int = 1

    @Option(help: "Objectives to minimise for the Pareto front: latency, size, lut, dsp, bram, frame-time (default: latency,size; frame-time,lut with --arch dataflow).")
    var objectives: String?

    /// The objectives given, or the architecture's default.
    var chosenObjectives: String { objectives ?? (arch == .dataflow ? "frame-time,lut" : "latency,size") }

    @Option(help: "Append each finished point to this CSV file.")
    var output: String?

    @Flag(help: "Continue the sweep in --output, skipping the points it already holds (a missing file starts the sweep).")
    var resume = false

    @Option(help: "Run only the i-th of n disjoint slices of the sweep (1-based), e.g. 3/8.")
    var shard: String?

    @Option(help: "Points simulated at once (default: the number of cores).")
    var jobs: Int?

    @Option(help: "Write a scatter plot of the points and the Pareto front to this SVG file.")
    var plot: String?

    @OptionGroup var format: FormatOptions

    func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be a positive whole number, got \(batch)") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if resume && output == nil { throw ValidationError("--resume needs --output FILE: the results file to continue") }
        _ = try basePlanSettings()
        _ = try architecture()
        do {
            _ = try axes(defaultWeights: .fp32, defaultActivations: .fp32)
            _ = try Objective.list(chosenObjectives)
            if let shard { _ = try Shard(parsing: shard) }
        } catch let error as SweepSpecError {
            throw ValidationError(error.description)
        }
    }

    /// The architecture of every point; a systolic sweep needs ROWSxCOLS array sizes.
    func architecture() throws -> SweepArchitecture {
        if targetFPS != nil && arch != .dataflow { throw ValidationError("--target-fps applies to --arch dataflow") }
        switch arch {
        case .tile:
            return .tile
        case .systolic:
            guard let flow = SystolicDataflow(rawValue: dataflow.lowercased()) else {
                throw ValidationError("--dataflow: expected os, ws or is, got '\(dataflow)'")
            }
            guard let array else { throw ValidationError("--arch systolic needs --array ROWSxCOLS sizes, e.g. --array 16x16,32x32") }
            for item in try SweepAxes.words(array, axis: "array") {
                guard case .fixed = try ArrayChoice(parsing: item) else {
                    throw ValidationError("--array: '\(item)': a systolic array needs ROWSxCOLS, e.g. 32x32")
                }
            }
            return .systolic(flow)
        case .dataflow:
            if array != nil { throw ValidationError("--array applies to tile and systolic arrays; a dataflow point is folded per --target-fps") }
            do {
                let targets = try targetFPS.map { try SweepAxes.numbers($0, axis: "target-fps") } ?? []
                return .dataflow(targetFPS: targets, options: DataflowOptions())
            } catch let error as SweepSpecError {
                throw ValidationError(error.description)
            }
        }
    }

    /// `--first-last` and `--scales`, parsed.
    func basePlanSettings() throws -> (firstLast: FirstLastPolicy?, scales: ScaleGranularity?) {
        (try PlanFlags.firstLast(firstLast), try PlanFlags.scales(scales))
    }

    /// The parsed axes; the defaults stand in for axes the user left out.
    func axes(defaultWeights: QuantScheme, defaultActivations: QuantScheme) throws -> (weights: [QuantScheme], activations: [QuantScheme], hardware: [String], arrays: [ArrayChoice], bandwidths: [Double?], clocks: [Double?]) {
        let weightAxis = try weights.map { try SweepAxes.schemes($0, axis: "weights") } ?? [defaultWeights]
        let activationAxis = try activations.map { try SweepAxes.schemes($0, axis: "activations", bareBitsFamily: "uniform") } ?? [defaultActivations]
        let hardwareAxis = try hw.map { try SweepAxes.words($0, axis: "hw") } ?? []
        var arrayAxis: [ArrayChoice] = [.configured]
        if let array {
            arrayAxis = []
            for item in try SweepAxes.words(array, axis: "array") { arrayAxis.append(try ArrayChoice(parsing: item)) }
        }
        let bandwidthAxis: [Double?] = try bandwidth.map { try SweepAxes.numbers($0, axis: "bandwidth") } ?? [nil]
        let clockAxis: [Double?] = try clock.map { try SweepAxes.numbers($0, axis: "clock") } ?? [nil]
        return (weightAxis, activationAxis, hardwareAxis, arrayAxis, bandwidthAxis, clockAxis)
    }

    func run() async throws {
        let loaded = try Loader.network(config)
        let axes = try self.axes(defaultWeights: loaded.plan.weights, defaultActivations: loaded.plan.activations)
        var hardware: [(name: String, template: AcceleratorTemplate)] = []
        if axes.hardware.isEmpty {
            hardware.append(("vu9p.json", try HardwareLoader.template(nil, board: board)))
        } else {
            for path in axes.hardware { hardware.append((path, try HardwareLoader.template(path, board: board))) }
        }
        let settings = try basePlanSettings()
        let basePlan = loaded.plan.replacing(firstLast: settings.firstLast, scales: settings.scales)
        let space = DesignSpace(network: loaded.network, basePlan: basePlan, hardware: hardware, weights: axes.weights,
                                activations: axes.activations, arrays: axes.arrays, bandwidths: axes.bandwidths,
                                clocks: axes.clocks, batch: batch, architecture: try architecture())
        let slice = try shard.map { try Shard(parsing: $0) } ?? .all
        let points = space.points.filter { slice.contains(pointIndex: $0.index) }
        let fingerprint = space.fingerprint

        var finished: [DesignResult] = []
        var handle: FileHandle?
        if let output {
            do {
                let opened = try SweepResultsFile.openForAppend(path: output, fingerprint: fingerprint, resume: resume)
                handle = opened.handle
                finished = points.compactMap { opened.done[$0.key] }
            } catch {
                throw CommandFailure(error.description)
            }
        }
        defer { try? handle?.close() }
        let doneKeys = Set(finished.map(\.point.key))
        let pending = points.filter { !doneKeys.contains($0.key) }

        let cache = SweepCache(network: loaded.network, batch: batch)
        var progress = Progress(total: pending.count, label: "compare")
        let fresh = try await ParallelSweep.map(pending, maxConcurrency: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                                evaluate: { space.evaluate($0, cache: cache) },
                                                onResult: { (_: Int, result: DesignResult) throws in
            if let handle, let output {
                do {
                    try SweepResultsFile.append(result, fingerprint: fingerprint, to: handle, path: output)
                } catch {
                    throw CommandFailure("\(error)")
                }
            }
            progress.advance()
        })
        progress.finish()

        let results = (finished + fresh).sorted { $0.point.index < $1.point.index }
        let chosen = try Objective.list(chosenObjectives)
        let title = "Design space of \(loaded.network.name): \(results.count) point(s)" + (slice.count > 1 ? ", shard \(slice)" : "")
            + (finished.isEmpty ? "" : " (\(finished.count) resumed from \(output ?? ""))")
        try SweepReport.emit(results, objectives: chosen, title: title, format: format.format, plot: plot)
    }
}

/// `hwsim merge`: join the results files of a sharded sweep and recompute the Pareto front.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the results files of `hwsim compare --shard` runs into one report, recomputing the Pareto front.")

    @Argument(help: "Results files written by `hwsim compare --output`.")
    var files: [String]

    @Option(help: "Objectives to minimise for the Pareto front: latency, size, lut, dsp, bram.")
    var objectives: String = "latency,size"

    @Option(name: .shortAndLong, help: "Also write the merged results to this new CSV file (never overwritten).")
    var output: String?

    @Option(help: "Write a scatter plot of the points and the Pareto front to this SVG file.")
    var plot: String?

    @OptionGroup var format: FormatOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give the results files to merge") }
        do {
            _ = try Objective.list(objectives)
        } catch {
            throw ValidationError(error.description)
        }
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
        if let output {
            guard !FileManager.default.fileExists(atPath: output) else {
                throw CommandFailure("\(output): exists; merge never overwrites a file, choose another -o")
            }
            // Rows carry their sweep's fingerprint; files without rows have none and add none.
            let lines = fingerprint.map { own in results.map { SweepResultsFile.line($0, fingerprint: own) } } ?? []
            let text = ([SweepResultsFile.header] + lines).joined(separator: "\n") + "\n"
            guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
                throw CommandFailure("\(output): cannot be written")
            }
        }
        try SweepReport.emit(results, objectives: try Objective.list(objectives),
                             title: "Merged design space: \(results.count) point(s) from \(files.count) file(s)", format: format.format, plot: plot)
    }
}
