import ArgumentParser
import CycleSim
import Explore
import Foundation
import HWModel
import Quantizers

/// `hwsim run`: simulate a network on an accelerator, layer by layer.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Simulate a quantized network on an FPGA accelerator: cycles, stalls, bytes, throughput and resources per layer.",
        discussion: """
        Each weight layer runs on the array its unit needs (binary XNOR, ternary, INT-k on LUTs or DSPs, POT shift-add, POST shift + LUT, FP32); pooling and residual adds run on the vector unit; BatchNorm and activations fold into the producing layer. Arrays marked auto are sized to the device's utilisation budget. See docs/simulation.md. In csv and json the rows are the layers and a total row; the summary (latency, frames/s, resources, fits) is printed under the table — `hwsim compare` with the same flags gives it as one csv/json row.

        Networks and hardware configs are files or the names of shipped ones (`hwsim run resnet18 --hw zu9eg`); a name's file is named on standard error.

        \(RunReport.cyclePlotLegend)
        """)

    @OptionGroup var options: RunOptions

    @Option(help: "Write per-layer stacked bars of where the cycles go to this SVG file (legend: see below).")
    var plot: String?

    @Flag(name: .customLong("require-fit"), help: "Exit with status 2 when the design does not fit the utilisation budget (by default the report says \"fits: NO\" and the status is 0).")
    var requireFit = false

    @OptionGroup var output: FormatOptions

    func run() throws {
        try WrittenFile.checkWritable(plot)
        let outcome = try options.simulate()
        let simulation = outcome.simulation
        print(options.report(outcome).render(output.format), terminator: "")
        if let plot { try WrittenFile.save(RunReport.chart(simulation), to: plot, what: "cycle plot") }
        if requireFit && !simulation.hardware.usage.fitsBudget {
            ConfigLocator.notice("hwsim: the design does not fit the utilisation budget (--require-fit)")
            throw ExitCode(2)
        }
    }
}

/// What `run` and `report run` simulate: the network, the hardware and the flags that change
/// either.
struct RunOptions: ParsableArguments {
    @Argument(help: "Network: a JSON config, an ONNX/QONNX model, a SCALE-Sim topology CSV, or a shipped network's name (resnet18).")
    var config: String

    @Option(help: "Hardware config: a file or a shipped config's name (zu9eg); default: the shipped vu9p.")
    var hw: String?

    @Option(help: "Board of the hardware config's device, e.g. aws-f1 or vcu118.")
    var board: String?

    @Option(help: "Batch size.")
    var batch: Int = 1

    @Option(help: "Clock in MHz replacing the hardware config's (published builds often close timing below their target).")
    var clock: Double?

    @Option(help: "Peak DDR bandwidth in GB/s replacing the board's.")
    var bandwidth: Double?

    @Option(name: .customLong("target-fps"), help: "Size the design to the fewest LUTs that reach this many frames/s in the steady state (instead of the fastest within the budget); with --arch dataflow, the cheapest folding reaching it.")
    var targetFPS: Double?

    @Option(name: .customLong("max-latency-ms"), help: "Size the design to the fewest LUTs whose steady-state latency of the batch is at most this many ms.")
    var maxLatencyMs: Double?

    @Option(help: "Architecture: tile (hwsim's arrays from the hardware config), systolic (a SCALE-Sim R×C PE array) or dataflow (a FINN-style pipeline, one unit per layer; docs/dataflow.md).")
    var arch: RunCommand.Architecture = .tile

    @Option(help: "Array size: ROWSxCOLS (every tile array becomes that size, one copy; the systolic array's size with --arch systolic), auto (tile: every array sized to the budget) or config.")
    var array: String?

    @Option(help: "Systolic dataflow: os, ws or is (with --arch systolic).")
    var dataflow: String = "os"

    @OptionGroup var plan: PlanOptions
    @OptionGroup var dataflowFlags: DataflowFlags

    func validate() throws {
        try HardwareLoader.checkBatch(batch)
        if targetFPS != nil && maxLatencyMs != nil { throw ValidationError("give --target-fps or --max-latency-ms, not both") }
        if let targetFPS, !(targetFPS.isFinite && targetFPS > 0) { throw ValidationError("--target-fps must be a positive number of frames/s, got \(targetFPS)") }
        if let maxLatencyMs, !(maxLatencyMs.isFinite && maxLatencyMs > 0) { throw ValidationError("--max-latency-ms must be a positive number of ms, got \(maxLatencyMs)") }
        switch arch {
        case .systolic:
            _ = try systolicArray()
        case .tile:
            _ = try tileArrays()
        case .dataflow:
            if array != nil { throw ValidationError("--array applies to tile and systolic arrays; a dataflow pipeline is folded (--folding, --fit, --target-fps)") }
        }
        if arch != .dataflow && dataflowFlags.anyGiven {
            throw ValidationError("--folding, --fit, --write-folding, --out-of-context, --resource-model and --input-bits apply to --arch dataflow")
        }
        if arch == .dataflow {
            if targetFPS != nil && dataflowFlags.fit { throw ValidationError("--target-fps and --fit are two searches; give one") }
            if maxLatencyMs != nil { throw ValidationError("--max-latency-ms applies to --arch tile; a dataflow folding is searched by --target-fps") }
        }
    }

    /// `--array` for the tile architecture.
    func tileArrays() throws -> ArrayChoice {
        guard let array else { return .configured }
        do {
            return try ArrayChoice(parsing: array)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The systolic array the flags describe.
    func systolicArray() throws -> SystolicArray {
        guard let array else { throw ValidationError("--arch systolic needs --array ROWSxCOLS, e.g. --array 32x32") }
        guard let flow = SystolicDataflow(rawValue: dataflow.lowercased()) else {
            throw ValidationError("--dataflow: expected os, ws or is, got \(MessageText.quoted(dataflow))")
        }
        let choice: ArrayChoice
        do {
            choice = try ArrayChoice(parsing: array)
        } catch {
            throw ValidationError(error.description)
        }
        guard case .fixed(let rows, let cols) = choice else { throw ValidationError("--array: give ROWSxCOLS, e.g. 32x32") }
        do {
            return try SystolicArray(rows: rows, columns: cols, dataflow: flow)
        } catch {
            throw ValidationError("--array: \(error.description)")
        }
    }

    /// The hardware config with the flags that replace parts of it applied.
    func template() throws -> AcceleratorTemplate {
        var template = try HardwareLoader.template(hw, board: board)
        if arch == .tile { template = try tileArrays().applied(to: template) }
        return try HardwareLoader.overriding(template, clock: clock, bandwidth: bandwidth)
    }

    /// A simulation, and for a dataflow pipeline its stages and how the folding was chosen.
    struct Outcome {
        var simulation: NetworkSimulation
        var dataflow: (DataflowSimulation, DataflowFlags.Origin)?
    }

    /// Loads, builds and simulates.
    func simulate() throws -> Outcome {
        let loaded = try Loader.network(config)
        let template = try self.template()
        let resolvedPlan = try plan.apply(to: loaded.plan)
        if arch == .dataflow {
            let (result, origin) = try dataflowFlags.simulate(network: loaded.network, plan: resolvedPlan, template: template, batch: batch,
                                                              targetFPS: targetFPS, label: config)
            return Outcome(simulation: result.simulation, dataflow: (result, origin))
        }
        do {
            switch arch {
            case .tile:
                if let target = designTarget {
                    return Outcome(simulation: try smallestDesign(meeting: target, network: loaded.network, plan: resolvedPlan, template: template))
                }
                return Outcome(simulation: try Simulator.run(network: loaded.network, plan: resolvedPlan, template: template, batch: batch))
            case .systolic:
                return Outcome(simulation: try Simulator.runSystolic(network: loaded.network, plan: resolvedPlan, template: template,
                                                                     array: try systolicArray(), batch: batch))
            case .dataflow:
                preconditionFailure("the dataflow architecture returned above")
            }
        } catch let error as SimulationError {
            throw CommandFailure("\(config): \(error.description)")
        }
    }

    /// The run report of `outcome`, saying how the design was sized.
    func report(_ outcome: Outcome) -> Report {
        var report = RunReport.make(outcome.simulation, dataflow: outcome.dataflow)
        if outcome.dataflow == nil, let target = designTarget {
            report.footer.insert("sized to the fewest LUTs reaching \(target) (docs/simulation.md §4)", at: 0)
        }
        return report
    }

    /// `--target-fps` or `--max-latency-ms`.
    var designTarget: DesignTarget? {
        if let targetFPS { return .framesPerSecond(targetFPS) }
        if let maxLatencyMs { return .latencyMs(maxLatencyMs) }
        return nil
    }

    /// The smallest tile design meeting `target`, simulated.
    func smallestDesign(meeting target: DesignTarget, network: Network, plan: QuantizationPlan, template: AcceleratorTemplate) throws -> NetworkSimulation {
        let bound: BoundNetwork
        do {
            bound = try BoundNetwork(network: network, plan: plan)
        } catch {
            throw CommandFailure("\(config): \(error.description)")
        }
        let workloads = try Simulator.workloads(of: bound, batch: batch)
        do {
            return try TileTargetSearch.smallest(meeting: target, network: bound, workloads: workloads, template: template, batch: batch).simulation
        } catch {
            throw CommandFailure("\(config): \(error.description)")
        }
    }
}

extension RunCommand {
    /// `--arch`.
    enum Architecture: String, ExpressibleByArgument, CaseIterable {
        case tile, systolic, dataflow
    }
}

/// Finding and reading hardware configs.
enum HardwareLoader {
    /// The hardware config `name` names (a file, or a shipped config such as `zu9eg`), or the
    /// shipped configs/hw/vu9p.json. Its device file is looked up beside it, then among the
    /// shipped devices.
    static func template(_ name: String?, board: String?) throws -> AcceleratorTemplate {
        let resolved: String
        if let name {
            resolved = try ConfigLocator.resolve(name, as: .hardware)
        } else {
            resolved = try ConfigLocator.directory(explicit: nil).appendingPathComponent("hw/vu9p.json").path
        }
        do {
            return try HardwareConfig.load(path: resolved, board: board, deviceFallbacks: ConfigLocator.deviceFallbacks())
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// `template` with `--clock` and `--bandwidth` replacing its clock and the board's bandwidth;
    /// a value out of range is an error naming its flag.
    static func overriding(_ template: AcceleratorTemplate, clock: Double?, bandwidth: Double?) throws -> AcceleratorTemplate {
        var template = template
        do {
            if let clock { template = try template.withClock(clock) }
        } catch {
            throw CommandFailure("--clock: \(error.description)")
        }
        do {
            if let bandwidth { template = try template.withBandwidth(bandwidth) }
        } catch {
            throw CommandFailure("--bandwidth: \(error.description)")
        }
        return template
    }

    /// The one check of `--batch` every command with one makes.
    static func checkBatch(_ batch: Int) throws {
        guard batch > 0 else { throw ValidationError("--batch must be a positive whole number, got \(batch)") }
    }
}
