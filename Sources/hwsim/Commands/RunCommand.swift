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
        discussion: "Each weight layer runs on the array its unit needs (binary XNOR, ternary, INT-k on LUTs or DSPs, POT shift-add, POST shift + LUT, FP32); pooling and residual adds run on the vector unit; BatchNorm and activations fold into the producing layer. Arrays marked auto are sized to the device's utilisation budget. See docs/simulation.md. In csv and json the rows are the layers and a total row; the summary (latency, frames/s, resources, fits) is printed under the table — `hwsim compare` with the same flags gives it as one csv/json row.")

    @Argument(help: "Network config (JSON).")
    var config: String

    @Option(help: "Hardware config (JSON); default: configs/hw/vu9p.json.")
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
    var arch: Architecture = .tile

    @Option(help: "Systolic array size ROWSxCOLS, e.g. 32x32 (with --arch systolic).")
    var array: String?

    @Option(help: "Systolic dataflow: os, ws or is (with --arch systolic).")
    var dataflow: String = "os"

    @Option(help: "Write per-layer stacked bars of compute and stall cycles to this SVG file.")
    var plot: String?

    @OptionGroup var plan: PlanOptions
    @OptionGroup var dataflowFlags: DataflowFlags
    @OptionGroup var output: FormatOptions

    enum Architecture: String, ExpressibleByArgument, CaseIterable {
        case tile, systolic, dataflow
    }

    func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be a positive whole number, got \(batch)") }
        if targetFPS != nil && maxLatencyMs != nil { throw ValidationError("give --target-fps or --max-latency-ms, not both") }
        if let targetFPS, !(targetFPS.isFinite && targetFPS > 0) { throw ValidationError("--target-fps must be a positive number of frames/s, got \(targetFPS)") }
        if let maxLatencyMs, !(maxLatencyMs.isFinite && maxLatencyMs > 0) { throw ValidationError("--max-latency-ms must be a positive number of ms, got \(maxLatencyMs)") }
        if arch == .systolic {
            _ = try systolicArray()
        } else if array != nil {
            throw ValidationError("--array applies to --arch systolic; size tile arrays in the hardware config, or sweep them with `hwsim compare --array`")
        }
        if arch != .dataflow && dataflowFlags.anyGiven {
            throw ValidationError("--folding, --fit, --write-folding, --out-of-context, --resource-model and --input-bits apply to --arch dataflow")
        }
        if arch == .dataflow {
            if targetFPS != nil && dataflowFlags.fit { throw ValidationError("--target-fps and --fit are two searches; give one") }
            if maxLatencyMs != nil { throw ValidationError("--max-latency-ms applies to --arch tile; a dataflow folding is searched by --target-fps") }
        }
    }

    /// The systolic array the flags describe.
    func systolicArray() throws -> SystolicArray {
        guard let array else { throw ValidationError("--arch systolic needs --array ROWSxCOLS, e.g. --array 32x32") }
        guard let flow = SystolicDataflow(rawValue: dataflow.lowercased()) else {
            throw ValidationError("--dataflow: expected os, ws or is, got '\(dataflow)'")
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

    func run() throws {
        let loaded = try Loader.network(config)
        var template = try HardwareLoader.template(hw, board: board)
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
        let resolvedPlan = try plan.apply(to: loaded.plan)
        if arch == .dataflow {
            let (result, origin) = try dataflowFlags.simulate(network: loaded.network, plan: resolvedPlan, template: template, batch: batch,
                                                              targetFPS: targetFPS, label: config)
            print(RunReport.make(result.simulation, dataflow: (result, origin)).render(output.format), terminator: "")
            try writePlot(result.simulation)
            return
        }
        let simulation: NetworkSimulation
        do {
            switch arch {
            case .tile:
                if let target = designTarget {
                    simulation = try smallestDesign(meeting: target, network: loaded.network, plan: resolvedPlan, template: template)
                } else {
                    simulation = try Simulator.run(network: loaded.network, plan: resolvedPlan, template: template, batch: batch)
                }
            case .systolic:
                simulation = try Simulator.runSystolic(network: loaded.network, plan: resolvedPlan, template: template,
                                                       array: try systolicArray(), batch: batch)
            case .dataflow:
                preconditionFailure("the dataflow architecture returned above")
            }
        } catch let error as SimulationError {
            throw CommandFailure("\(config): \(error.description)")
        }
        var report = RunReport.make(simulation)
        if let target = designTarget {
            report.footer.insert("sized to the fewest LUTs reaching \(target) (docs/simulation.md §4)", at: 0)
        }
        print(report.render(output.format), terminator: "")
        try writePlot(simulation)
    }

    func writePlot(_ simulation: NetworkSimulation) throws {
        if let plot {
            guard FileManager.default.createFile(atPath: plot, contents: Data(RunReport.chart(simulation).utf8)) else {
                throw CommandFailure("\(plot): cannot be written")
            }
        }
    }
}

extension RunCommand {
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

/// Finding and reading hardware configs.
enum HardwareLoader {
    /// The named hardware config, or the shipped configs/hw/vu9p.json.
    static func template(_ path: String?, board: String?) throws -> AcceleratorTemplate {
        let resolved: String
        if let path {
            resolved = path
        } else {
            resolved = try Loader.configsDirectory(nil).appendingPathComponent("hw/vu9p.json").path
        }
        do {
            return try HardwareConfig.load(path: resolved, board: board)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

