import ArgumentParser
import CycleSim
import Explore
import Foundation
import HWModel
import Quantizers

/// What `compare` and `report compare` sweep: the network, the axes, the front's objectives and
/// the results file.
struct SweepOptions: ParsableArguments {
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

    @Option(help: "Hardware configs, comma-separated: files or shipped names such as vu9p,zu9eg (default: the shipped vu9p). Results name each by its config name.")
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

    @OptionGroup var front: FrontOptions

    @Option(help: "Append each finished point to this CSV file; when the sweep ends its rows are put in point order with the Pareto column filled in.")
    var output: String?

    @Flag(help: "Continue the sweep in --output, skipping the points it already holds (a missing file starts the sweep).")
    var resume = false

    @Option(help: "Run only the i-th of n disjoint slices of the sweep (1-based), e.g. 3/8.")
    var shard: String?

    @Option(help: "Points simulated at once (default: the number of cores).")
    var jobs: Int?

    func validate() throws {
        try HardwareLoader.checkBatch(batch)
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if resume && output == nil { throw ValidationError("--resume needs --output FILE: the results file to continue") }
        _ = try basePlanSettings()
        _ = try architecture()
        do {
            _ = try axes(defaultWeights: .fp32, defaultActivations: .fp32)
            _ = try objectives()
            if let shard { _ = try Shard(parsing: shard) }
        } catch let error as SweepSpecError {
            throw ValidationError(error.description)
        }
    }

    /// The objectives given, or the architecture's default (frame-time,lut for a dataflow sweep).
    func objectives() throws -> (objectives: [Objective], tolerance: Double) {
        try front.parsed(defaultObjectives: arch == .dataflow ? "frame-time,lut" : "latency,size")
    }

    /// The architecture of every point; a systolic sweep needs ROWSxCOLS array sizes.
    func architecture() throws -> SweepArchitecture {
        if targetFPS != nil && arch != .dataflow { throw ValidationError("--target-fps applies to --arch dataflow") }
        switch arch {
        case .tile:
            return .tile
        case .systolic:
            guard let flow = SystolicDataflow(rawValue: dataflow.lowercased()) else {
                throw ValidationError("--dataflow: expected os, ws or is, got \(MessageText.quoted(dataflow))")
            }
            guard let array else { throw ValidationError("--arch systolic needs --array ROWSxCOLS sizes, e.g. --array 16x16,32x32") }
            for item in try SweepAxes.words(array, axis: "array") {
                guard case .fixed = try ArrayChoice(parsing: item) else {
                    throw ValidationError("--array: \(MessageText.quoted(item)): a systolic array needs ROWSxCOLS, e.g. 32x32")
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

    /// Runs the sweep the flags describe: every point of the slice, resumed from and appended
    /// to `--output`, which is finished (point order, Pareto column) at the end.
    func run() async throws -> SweepOutcome {
        try WrittenFile.checkWritable(output)
        let loaded = try Loader.network(config)
        let axes = try self.axes(defaultWeights: loaded.plan.weights, defaultActivations: loaded.plan.activations)
        var templates: [(given: String, template: AcceleratorTemplate)] = []
        if axes.hardware.isEmpty {
            templates.append(("vu9p", try HardwareLoader.template(nil, board: board)))
        } else {
            for path in axes.hardware { templates.append((path, try HardwareLoader.template(path, board: board))) }
        }
        let hardware = Self.named(templates)
        let settings = try basePlanSettings()
        let basePlan = loaded.plan.replacing(firstLast: settings.firstLast, scales: settings.scales)
        var configured = DesignSpace(network: loaded.network, basePlan: basePlan, hardware: hardware, weights: axes.weights,
                                     activations: axes.activations, arrays: axes.arrays, bandwidths: axes.bandwidths,
                                     clocks: axes.clocks, batch: batch, architecture: try architecture())
        if try objectives().objectives.contains(.error) { configured.errors = try errorTable(for: configured) }
        let space = configured
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
        let chosen = try objectives()
        let title = "Design space of \(loaded.network.name): \(results.count) point(s)" + (slice.count > 1 ? ", shard \(slice)" : "")
            + (finished.isEmpty ? "" : " (\(finished.count) resumed from \(output ?? ""))")
        if let output { try Self.finish(output, objectives: chosen) }
        return SweepOutcome(space: space, cache: cache,
                            sweep: SweepReport.Sweep(results: results, objectives: chosen.objectives, tolerance: chosen.tolerance, title: title,
                                                     fingerprint: fingerprint))
    }

    /// The error proxy's table for `space`: the model's own weights where an ONNX file has them,
    /// the Gaussian model elsewhere (said on standard error), as `hwsim search` measures them.
    func errorTable(for space: DesignSpace) throws -> QuantizationErrorTable {
        let layers = space.network.weightLayers.map(\.name)
        let tensors = try SearchWeights.load(config, layers: layers, directory: nil)
        if tensors.count < layers.count {
            ConfigLocator.notice("note: \(config): the error proxy measures the weights of \(tensors.count) of \(layers.count) layers; the others on a Gaussian model, alike in every layer (docs/compare.md, \"The error proxy\")")
        }
        do {
            return try space.errorTable(tensors: tensors)
        } catch {
            throw CommandFailure("\(config): \(error.description)")
        }
    }

    /// Hardware axis entries named by their configs' names (`vu9p`, not a path); entries whose
    /// names collide keep what the user typed, so that every point stays distinct.
    static func named(_ templates: [(given: String, template: AcceleratorTemplate)]) -> [(name: String, template: AcceleratorTemplate)] {
        let names = templates.map(\.template.name)
        return templates.map { entry in
            (names.filter { $0 == entry.template.name }.count > 1 ? entry.given : entry.template.name, entry.template)
        }
    }

    /// Puts a finished sweep's results file in point order with the Pareto column filled in,
    /// replacing it in one rename (a crash leaves the appended file as it was).
    static func finish(_ path: String, objectives: (objectives: [Objective], tolerance: Double)) throws {
        do {
            let contents = try SweepResultsFile.read(path: path)
            let rows = contents.results.sorted { $0.point.index < $1.point.index }
            let front = DesignSpace.paretoFront(rows, objectives: objectives.objectives, tolerance: objectives.tolerance)
            try SweepResultsFile.replace(path: path, with: SweepResultsFile.text(rows, fingerprint: contents.fingerprint, front: front))
        } catch {
            throw CommandFailure(error.description)
        }
        ConfigLocator.notice("hwsim: wrote results \(path)")
    }
}

/// A finished sweep: its space (to simulate any point again), the shared bound networks and the results.
struct SweepOutcome {
    var space: DesignSpace
    var cache: SweepCache
    var sweep: SweepReport.Sweep
}

/// `--objectives` and `--pareto-tolerance`, shared by `compare`, `merge` and `report`.
struct FrontOptions: ParsableArguments {
    @Option(help: "Objectives to minimise for the Pareto front: latency, size, lut, dsp, bram, bops, qops, frame-time (default: latency,size; frame-time,lut with --arch dataflow).")
    var objectives: String?

    @Option(name: .customLong("pareto-tolerance"), help: "Percent within which two values count as equal for the front, so that a much slower point is not optimal for a negligibly smaller one (default 1).")
    var paretoTolerance: Double = 100 * Pareto.defaultTolerance

    func validate() throws { _ = try parsed() }

    /// The objectives (or `defaultObjectives` when none are given) and the tolerance as a fraction.
    func parsed(defaultObjectives: String = "latency,size") throws -> (objectives: [Objective], tolerance: Double) {
        guard paretoTolerance.isFinite, paretoTolerance >= 0, paretoTolerance < 100 else {
            throw ValidationError("--pareto-tolerance: expected a percentage from 0 to below 100, got \(paretoTolerance)")
        }
        do {
            return (try Objective.list(objectives ?? defaultObjectives), paretoTolerance / 100)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

