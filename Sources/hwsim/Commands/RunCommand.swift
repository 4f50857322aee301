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
        if arch == .systolic {
            _ = try systolicArray()
        } else if array != nil {
            throw ValidationError("--array applies to --arch systolic; size tile arrays in the hardware config, or sweep them with `hwsim compare --array`")
        }
        if arch != .dataflow && dataflowFlags.anyGiven {
            throw ValidationError("--folding, --target-fps, --fit, --write-folding, --out-of-context, --resource-model and --input-bits apply to --arch dataflow")
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
            let (result, origin) = try dataflowFlags.simulate(network: loaded.network, plan: resolvedPlan, template: template, batch: batch, label: config)
            print(RunReport.make(result.simulation, dataflow: (result, origin)).render(output.format), terminator: "")
            try writePlot(result.simulation)
            return
        }
        let simulation: NetworkSimulation
        do {
            switch arch {
            case .tile:
                simulation = try Simulator.run(network: loaded.network, plan: resolvedPlan, template: template, batch: batch)
            case .systolic:
                simulation = try Simulator.runSystolic(network: loaded.network, plan: resolvedPlan, template: template,
                                                       array: try systolicArray(), batch: batch)
            case .dataflow:
                preconditionFailure("the dataflow architecture returned above")
            }
        } catch let error as SimulationError {
            throw CommandFailure("\(config): \(error.description)")
        }
        print(RunReport.make(simulation).render(output.format), terminator: "")
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

