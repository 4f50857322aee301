import ArgumentParser
import CycleSim
import Explore
import Foundation
import HWModel
import ModelImport
import Quantizers

/// `hwsim search`: per-layer weight and activation schemes under hardware budgets.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Choose each weight layer's weight and activation scheme from given sets, under hardware budgets, minimising the network's quantization-error proxy (or latency or LUTs under an error budget).",
        discussion: """
        Every candidate plan is simulated on the hardware config (tile arrays, steady state; or with --arch dataflow a FINN-style pipeline folded per plan). The error proxy adds up each searched layer's quantization noise-to-signal ratio (or VecQ's Jo), measured with hwsim's quantizers on the model's real weights (ONNX initializers, or --weights-dir with one .npy per layer), else on a Gaussian model; it is a proxy, not accuracy. Up to --exhaustive-limit assignments are all simulated (the optimum); above, candidates come from an estimate and are refined by simulated moves. Designs must fit the device. See docs/compare.md.
        """)

    @Argument(help: "Network: a JSON config or an ONNX/QONNX model (its initializers are the weights).")
    var config: String

    @Option(help: "Weight schemes each layer chooses from, e.g. binary,ternary,post:3,post:4,uniform:4,uniform:8.")
    var weights: String = "binary,ternary,post:3,post:4,uniform:4,uniform:8"

    @Option(help: "Activation schemes (or bare widths: 4,8 = uniform:4,uniform:8) each layer chooses from.")
    var activations: String = "uniform:4,uniform:8"

    @Option(help: "Hardware config (JSON); default: configs/hw/vu9p.json.")
    var hw: String?

    @Option(help: "Board of the hardware config's device, e.g. aws-f1 or vcu118.")
    var board: String?

    @Option(help: "Clock in MHz replacing the hardware config's.")
    var clock: Double?

    @Option(help: "Peak DDR bandwidth in GB/s replacing the board's.")
    var bandwidth: Double?

    @Option(help: "Batch size.")
    var batch: Int = 1

    @Option(name: .customLong("max-latency-ms"), help: "Budget: steady-state latency of the batch at most this many ms.")
    var maxLatencyMs: Double?

    @Option(name: .customLong("min-fps"), help: "Budget: at least this many frames per second.")
    var minFPS: Double?

    @Option(name: .customLong("max-lut"), help: "Budget: LUTs at most this percentage of the device.")
    var maxLUT: Double?

    @Option(name: .customLong("max-size-mib"), help: "Budget: model size at most this many MiB.")
    var maxSizeMiB: Double?

    @Option(name: .customLong("max-error"), help: "Budget: the error proxy at most this value (needed with --objective latency or lut).")
    var maxError: Double?

    @Option(help: "What to minimise: error, latency or lut.")
    var objective: String = "error"

    @Option(name: .customLong("error-metric"), help: "Per-layer error the proxy adds up: nsr (noise-to-signal power, 10^(-SQNR/10)) or orientation (VecQ's Jo).")
    var errorMetric: String = "nsr"

    @Option(name: .customLong("weights-dir"), help: "A folder with one <layer>.npy weight tensor per layer ('/' in names as '_').")
    var weightsDirectory: String?

    @Option(name: .customLong("first-last"), help: "First/last weight layer policy: quantize (searched like the others), keep-8bit or keep-fp32 (kept, not searched); default: the config's.")
    var firstLast: String?

    @Option(help: "Architecture: tile (the hardware config's arrays; layers in sequence) or dataflow (a FINN-style pipeline per plan, the fastest folding that fits, or with --min-fps the cheapest reaching it; its frame rate is the slowest layer's).")
    var arch: RunCommand.Architecture = .tile

    @OptionGroup var dataflowFlags: DataflowFlags

    @Option(name: .customLong("exhaustive-limit"), help: "Simulate every assignment when there are at most this many.")
    var exhaustiveLimit: Int = 4096

    @Option(name: .shortAndLong, help: "Write the whole network config with the chosen plan to this file (hwsim run reproduces it).")
    var output: String?

    @Option(help: "Write every simulated plan (error, latency, LUT, size, front membership) to this CSV file.")
    var front: String?

    @Option(help: "Write the error-against-latency front to this SVG file.")
    var plot: String?

    @OptionGroup var format: FormatOptions

    func validate() throws {
        try HardwareLoader.checkBatch(batch)
        guard (0...MixedPrecisionSearch.maximumExhaustiveLimit).contains(exhaustiveLimit) else {
            throw ValidationError("--exhaustive-limit must be 0 to \(MixedPrecisionSearch.maximumExhaustiveLimit) assignments (more would not end in reasonable time), got \(exhaustiveLimit)")
        }
        for (flag, value) in [("max-latency-ms", maxLatencyMs), ("min-fps", minFPS), ("max-lut", maxLUT), ("max-size-mib", maxSizeMiB), ("max-error", maxError)] {
            if let value, !(value.isFinite && value > 0) { throw ValidationError("--\(flag) must be a positive number, got \(value)") }
        }
        let goal = try parsedObjective()
        if goal != .error && maxError == nil { throw ValidationError("--objective \(goal.rawValue) needs --max-error: the error budget it is minimised under") }
        _ = try parsedMetric()
        _ = try choices()
        _ = try PlanFlags.firstLast(firstLast)
        if arch == .systolic { throw ValidationError("--arch: search simulates tile or dataflow designs") }
        if arch != .dataflow && dataflowFlags.anyGiven {
            throw ValidationError("--out-of-context, --resource-model and --input-bits apply to --arch dataflow")
        }
        if dataflowFlags.folding != nil || dataflowFlags.writeFolding != nil {
            throw ValidationError("--folding and --write-folding apply to hwsim run: each plan the search tries is folded anew")
        }
    }

    func parsedObjective() throws -> SearchObjective {
        guard let value = SearchObjective(rawValue: objective.lowercased()) else {
            throw ValidationError("--objective: expected error, latency or lut, got \(MessageText.quoted(objective))")
        }
        return value
    }

    func parsedMetric() throws -> ErrorMetric {
        guard let value = ErrorMetric(rawValue: errorMetric.lowercased()) else {
            throw ValidationError("--error-metric: expected nsr or orientation, got \(MessageText.quoted(errorMetric))")
        }
        return value
    }

    /// The weight and activation sets, and every (weight, activation) pair a layer can take.
    func choices() throws -> (weights: [QuantScheme], activations: [QuantScheme], pairs: [SchemeChoice]) {
        do {
            let w = try SweepAxes.schemes(weights, axis: "weights")
            let a = try SweepAxes.schemes(activations, axis: "activations", bareBitsFamily: "uniform")
            return (w, a, w.flatMap { weight in a.map { SchemeChoice(weights: weight, activations: $0) } })
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The budgets the flags give; fitting the device is always one.
    var budgets: [SearchBudget] {
        var result: [SearchBudget] = [.fitsDevice]
        if let maxLatencyMs { result.append(.maxLatencyMs(maxLatencyMs)) }
        if let minFPS { result.append(.minFramesPerSecond(minFPS)) }
        if let maxLUT { result.append(.maxLUTPercent(maxLUT)) }
        if let maxSizeMiB { result.append(.maxSizeMiB(maxSizeMiB)) }
        if let maxError { result.append(.maxError(maxError)) }
        return result
    }

    func run() throws {
        for path in [output, front, plot] { try WrittenFile.checkWritable(path) }
        let loaded = try Loader.network(config)
        let template = try HardwareLoader.overriding(try HardwareLoader.template(hw, board: board), clock: clock, bandwidth: bandwidth)
        let basePlan = loaded.plan.replacing(firstLast: try PlanFlags.firstLast(firstLast))
        let network = loaded.network
        var layers = network.weightLayers.map(\.name)
        if case .keep = basePlan.firstLast, layers.count > 2 { layers = Array(layers.dropFirst().dropLast()) }
        let sets = try choices()
        let tensors = try SearchWeights.load(config, layers: layers, directory: weightsDirectory)
        let table: QuantizationErrorTable
        do {
            table = try QuantizationErrorTable(network: network, plan: basePlan, layers: layers, weightSchemes: sets.weights,
                                               activationSchemes: sets.activations, tensors: tensors)
        } catch {
            throw CommandFailure("\(config): \(error.description)")
        }
        if !table.allMeasured {
            let missing = layers.filter { table.sources[$0] != .measured }
            let what = missing.count == layers.count ? "holds no weights" : "has no weights for \(missing.count) of \(layers.count) layers (\(missing.prefix(3).joined(separator: ", "))\(missing.count > 3 ? ", …" : ""))"
            FileHandle.standardError.write(Data(("note: \(config): \(what); the error proxy uses a Gaussian model of the weights there, alike in every layer; "
                + "give an ONNX model with initializers or --weights-dir with one <layer>.npy per layer to measure them\n").utf8))
        }
        let dataflow = arch == .dataflow
        let evaluate = dataflow
            ? MixedPrecisionSearch.dataflowEvaluator(network: network, template: template, batch: batch, targetFPS: minFPS, options: dataflowFlags.options)
            : MixedPrecisionSearch.tileEvaluator(network: network, template: template, batch: batch)
        let search = MixedPrecisionSearch(network: network, basePlan: basePlan, layers: layers, choices: sets.pairs, errors: table,
                                          metric: try parsedMetric(), budgets: budgets, objective: try parsedObjective(),
                                          aggregation: dataflow ? .max : .sum, evaluate: evaluate)
        var configured = search
        configured.exhaustiveLimit = exhaustiveLimit
        let result: PrecisionSearchResult
        do {
            result = try configured.run()
        } catch {
            throw CommandFailure("\(config): \(error.description)")
        }
        let report: Report
        if dataflow {
            let (simulated, origin) = try dataflowFlags.simulate(network: network, plan: result.best.plan, template: template, batch: batch,
                                                                 targetFPS: minFPS, label: config)
            report = RunReport.make(simulated.simulation, dataflow: (simulated, origin))
        } else {
            do {
                report = RunReport.make(try Simulator.run(network: network, plan: result.best.plan, template: template, batch: batch))
            } catch {
                throw CommandFailure("\(config): \(error.description)")
            }
        }
        print(SearchReport.make(result, search: configured, table: table).render(format.format), terminator: "")
        if format.format == .table || format.format == .md {
            print("")
            print(NetworkConfig.quantizationJSON(for: result.best.plan), terminator: "")
            print("")
            print(report.render(format.format), terminator: "")
        }
        try write(output, NetworkConfig.json(for: network, plan: result.best.plan,
                                             description: "Per-layer plan chosen by hwsim search from \(URL(fileURLWithPath: config).lastPathComponent) (\(budgets.map(\.description).joined(separator: ", ")), minimising \(configured.objective.rawValue))."), what: "network config with the chosen plan")
        try write(front, SearchReport.frontCSV(result, search: configured), what: "search front")
        try write(plot, SearchReport.chart(result, search: configured, title: "Per-layer search of \(network.name)"), what: "search plot")
    }

    private func write(_ path: String?, _ text: String, what: String) throws {
        guard let path else { return }
        try WrittenFile.save(text, to: path, what: what)
    }
}

/// Loading the real weights of the searched layers.
enum SearchWeights {
    /// The weights of `layers` by layer name: from `directory` (`<layer>.npy`) when given, else
    /// from an ONNX model's initializers; none for a JSON config.
    static func load(_ file: String, layers: [String], directory: String?) throws -> [String: (tensor: Tensor, channelAxis: Int)] {
        var result: [String: (tensor: Tensor, channelAxis: Int)] = [:]
        if let directory {
            for layer in layers {
                let path = URL(fileURLWithPath: directory).appendingPathComponent(layer.replacingOccurrences(of: "/", with: "_") + ".npy").path
                guard FileManager.default.fileExists(atPath: path) else { continue }
                let array = try Loader.npy(path)
                do {
                    result[layer] = (try array.tensor(), 0)
                } catch {
                    throw CommandFailure("\(path): \(error)")
                }
            }
            return result
        }
        guard file.lowercased().hasSuffix(".onnx") else { return [:] }
        let wanted = Set(layers)
        let weights: [ONNXWeight]
        do {
            weights = try ONNXModel.load(contentsOf: URL(fileURLWithPath: file)).computeWeights()
        } catch {
            throw CommandFailure(error.description)
        }
        // Compute layers are named after their nodes (ImportedNetwork).
        for weight in weights where weight.tensor.hasPayload && wanted.contains(weight.node.displayName) {
            do {
                let values = try weight.tensor.values().map(Float.init)
                result[weight.node.displayName] = (try Tensor(values: values, shape: weight.tensor.dims), weight.outputChannelAxis)
            } catch {
                throw CommandFailure("\(file): weight \(MessageText.quoted(weight.tensor.name)) of node '\(weight.node.displayName)': \(error)")
            }
        }
        return result
    }
}
