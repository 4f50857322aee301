import ArgumentParser
import CycleSim
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

    @Option(help: "Architecture: tile (hwsim's arrays from the hardware config) or systolic (a SCALE-Sim R×C PE array).")
    var arch: Architecture = .tile

    @Option(help: "Systolic array size ROWSxCOLS, e.g. 32x32 (with --arch systolic).")
    var array: String?

    @Option(help: "Systolic dataflow: os, ws or is (with --arch systolic).")
    var dataflow: String = "os"

    @Option(help: "Write per-layer stacked bars of compute and stall cycles to this SVG file.")
    var plot: String?

    @OptionGroup var plan: PlanOptions
    @OptionGroup var output: FormatOptions

    enum Architecture: String, ExpressibleByArgument, CaseIterable {
        case tile, systolic
    }

    func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be a positive whole number, got \(batch)") }
        if arch == .systolic {
            _ = try systolicArray()
        } else if array != nil {
            throw ValidationError("--array applies to --arch systolic; size tile arrays in the hardware config, or sweep them with `hwsim compare --array`")
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
        let template = try HardwareLoader.template(hw, board: board)
        let resolvedPlan = try plan.apply(to: loaded.plan)
        if arch == .systolic {
            let run: SystolicRun
            do {
                run = try SystolicSimulator.run(network: loaded.network, plan: resolvedPlan, template: template,
                                                array: try systolicArray(), batch: batch)
            } catch let error as SimulationError {
                throw CommandFailure("\(config): \(error.description)")
            }
            print(SystolicReport.make(run).render(output.format), terminator: "")
            return
        }
        let simulation: NetworkSimulation
        do {
            simulation = try Simulator.run(network: loaded.network, plan: resolvedPlan, template: template, batch: batch)
        } catch {
            throw CommandFailure("\(config): \(error.description)")
        }
        print(RunReport.make(simulation).render(output.format), terminator: "")
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

/// The `run` report: one row per layer with work, a total row, and a summary footer.
enum RunReport {
    /// Per-layer stacked bars of `cycleBreakdown`.
    static func chart(_ simulation: NetworkSimulation) -> String {
        let layers = simulation.layers.filter { $0.cycles > 0 }
        guard let first = layers.first else {
            return SVGChart.stackedBars(title: "Cycles per layer: \(simulation.network)", yTitle: "cycles", categories: [], stacks: [])
        }
        let stacks = first.cycleBreakdown.map(\.name).enumerated().map { index, name in
            (name: name, values: layers.map { Double($0.cycleBreakdown[index].cycles) })
        }.filter { stack in stack.values.contains { $0 > 0 } }
        let template = simulation.accelerator.template
        return SVGChart.stackedBars(title: "Cycles per layer: \(simulation.network) on \(template.name), \(Report.fixed(template.clockMHz, 0)) MHz, batch \(simulation.batch)",
                                    yTitle: "cycles", categories: layers.map(\.layer), stacks: stacks)
    }

    static func make(_ simulation: NetworkSimulation) -> Report {
        let accelerator = simulation.accelerator
        let template = accelerator.template
        var report = Report(title: "Simulation of \(simulation.network) on \(template.name) (\(template.device.name), \(template.board.name), \(Report.fixed(template.clockMHz, 0)) MHz, batch \(simulation.batch))", columns: [
            .init(key: "layer", title: "layer", alignRight: false),
            .init(key: "type", title: "type", alignRight: false),
            .init(key: "engine", title: "on", alignRight: false),
            .init(key: "unit", title: "unit", alignRight: false),
            .init(key: "gemm", title: "GEMM m×k×n", alignRight: false),
            .init(key: "macs", title: "MACs", alignRight: true),
            .init(key: "cycles", title: "cycles", alignRight: true),
            .init(key: "ideal_cycles", title: "ideal", alignRight: true),
            .init(key: "utilization_pct", title: "util %", alignRight: true),
            .init(key: "stall_load", title: "stall load", alignRight: true),
            .init(key: "stall_store", title: "stall store", alignRight: true),
            .init(key: "stall_other", title: "stall other", alignRight: true),
            .init(key: "bytes_loaded", title: "loaded B", alignRight: true),
            .init(key: "bytes_stored", title: "stored B", alignRight: true),
            .init(key: "bound", title: "bound", alignRight: false),
        ])
        for layer in simulation.layers where layer.cycles > 0 {
            report.add([
                .text(layer.layer), .text(layer.type), .text(layer.placement.description), layer.unit.map { .text($0) } ?? .empty,
                layer.gemm.map { .text($0) } ?? .empty, .integer(layer.macs), .integer(layer.cycles), .integer(layer.idealCycles),
                .number(100 * layer.utilization, decimals: 1), .integer(layer.stalls.load), .integer(layer.stalls.store),
                .integer(layer.stalls.ports + layer.stalls.fill + layer.stalls.adapter), .integer(layer.bytesLoaded),
                .integer(layer.bytesStored), .text(layer.bound.rawValue),
            ])
        }
        let stalls = simulation.stalls
        let idealTotal = simulation.layers.reduce(Int64(0)) { $0 &+ $1.idealCycles }
        let peakMACs = Double(accelerator.peakMACsPerCycle)
        report.add([
            .text("total"), .empty, .empty, .empty, .empty, .integer(simulation.macs), .integer(simulation.cycles), .integer(idealTotal),
            .number(peakMACs > 0 && simulation.cycles > 0 ? 100 * Double(simulation.macs) / (peakMACs * Double(simulation.cycles)) : 0, decimals: 1),
            .integer(stalls.load), .integer(stalls.store), .integer(stalls.ports + stalls.fill + stalls.adapter),
            .integer(simulation.bytesLoaded), .integer(simulation.bytesStored), .empty,
        ])

        var footer: [String] = []
        footer.append("cycles \(Report.grouped(simulation.cycles)); latency \(Report.fixed(simulation.latencySeconds * 1e3, 3)) ms at \(Report.fixed(template.clockMHz, 0)) MHz; \(Report.fixed(simulation.framesPerSecond, 1)) frames/s")
        footer.append("effective \(Report.fixed(simulation.effectiveOpsPerSecond / 1e9, 1)) GOPS (2 ops per MAC) = \(Report.fixed(100 * simulation.peakFraction, 1)) % of the arrays' peak \(Report.fixed(accelerator.peakOpsPerSecond / 1e9, 1)) GOPS")
        footer.append("stalls: load \(Report.grouped(stalls.load)), store \(Report.grouped(stalls.store)), buffer ports \(Report.grouped(stalls.ports)), pipeline fill \(Report.grouped(stalls.fill)), ASQ adapter \(Report.grouped(stalls.adapter)) cycles")
        footer.append("DRAM traffic: \(Report.fixed(Double(simulation.bytesLoaded) / 1e6, 3)) MB loaded (weights \(Report.fixed(Double(simulation.weightBytesLoaded) / 1e6, 3)) MB), \(Report.fixed(Double(simulation.bytesStored) / 1e6, 3)) MB stored; DMA \(Report.fixed(template.board.bandwidthGBps * template.dmaEfficiency, 1)) GB/s (\(Report.fixed(template.board.bandwidthGBps, 1)) GB/s × \(Report.fixed(template.dmaEfficiency, 2)))")
        footer.append("model size \(Report.fixed(simulation.cost.modelSizeMiB, 3)) MiB (cost model: packed weight codes + FP32 biases, BatchNorm values and scales)")
        for array in accelerator.arrays {
            footer.append("array \(array.name): \(array.unit.name), \(array.geometry) = \(Report.grouped(array.lanes)) lanes, \(array.dataflow.rawValue)")
        }
        footer.append("vector unit: \(accelerator.vectorLanes) lanes of \(accelerator.vectorBits >= 32 ? "FP32" : "\(accelerator.vectorBits) bits")" + (accelerator.adapterLanes > 0 ? "; ASQ adapter unit: \(accelerator.adapterLanes) FP32 lanes" : ""))
        footer.append("buffers: " + accelerator.buffers.map { "\($0.role.rawValue) \($0.blocks) \($0.memory.rawValue.uppercased()) (\(Report.fixed(Double($0.capacityBits) / 8 / 1_048_576, 2)) MiB)" }.joined(separator: ", "))
        let used = accelerator.resources.roundedUp
        let device = template.device.resources
        footer.append("resources: " + ResourceKind.allCases.map { kind in
            "\(kind.title) \(Report.grouped(Int64(used[kind]))) (\(Report.fixed(device[kind] > 0 ? 100 * used[kind] / device[kind] : 0, 1)) % of \(Report.grouped(Int64(device[kind]))))"
        }.joined(separator: ", "))
        if accelerator.fitsBudget {
            footer.append("fits: yes, within the utilisation budget (" + ResourceKind.allCases.map { "\($0.title) \(Report.fixed(100 * template.device.budget[$0], 0)) %" }.joined(separator: ", ") + ")")
        } else {
            let over = accelerator.overBudget.map { "\($0.kind.title) \(Report.grouped(Int64(($0.used - 1e-6).rounded(.up)))) > \(Report.grouped(Int64($0.limit.rounded(.down)))) allowed" }
            footer.append("fits: NO — does not fit the utilisation budget: \(over.joined(separator: "; "))" + (accelerator.fitsDevice ? " (it would fit the bare device)" : "; it exceeds the device itself"))
        }
        report.footer = footer
        return report
    }
}
