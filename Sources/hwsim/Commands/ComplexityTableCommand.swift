import ArgumentParser
import CycleSim
import Foundation
import HWModel

/// `hwsim table complexity`: Quantization Networks Table 8.
struct ComplexityTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complexity",
        abstract: "Quantization Networks Table 8: time and space of binary, ternary and FP32 networks on a VU9P, relative to binary.",
        discussion: "The same network is simulated three times on the same hardware config, arrays auto-sized to the utilisation budget each time. Time = simulated cycles, space = model size; no factor is applied to any ratio. The assumption set is documented in docs/hardware-model.md section 6.")

    @Option(help: "Network config (default: the shipped resnet18).")
    var network: String?

    @Option(help: "Hardware config; default: configs/hw/vu9p.json.")
    var hw: String?

    @Option(help: "Batch size.")
    var batch: Int = 1

    @OptionGroup var options: TableOptions

    func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be a positive whole number, got \(batch)") }
    }

    func run() throws {
        let path = try network ?? Loader.configsDirectory(options.configs).appendingPathComponent("resnet18.json").path
        let loaded = try Loader.network(path)
        let hwPath = try hw ?? Loader.configsDirectory(options.configs).appendingPathComponent("hw/vu9p.json").path
        let template = try HardwareLoader.template(hwPath, board: nil)
        let reference = try PaperTableReport.reference(.qnComplexity)
        let simulations: [NetworkSimulation]
        do {
            simulations = try ComplexityTable.simulations(network: loaded.network, template: template, batch: batch)
        } catch {
            throw CommandFailure("\(path): \(error.description)")
        }
        let rows = ComplexityTable.rows(reference: reference, simulations: simulations)
        var report = PaperTableReport.make(title: "Quantization Networks Table 8: time and space relative to binary, \(loaded.network.name) on \(template.name) (batch \(batch))",
                                           rows: rows, decimals: 3)
        for (setting, simulation) in zip(ComplexityTable.settings, simulations) {
            let arrays = simulation.accelerator.arrays.map { "\($0.unit.name) \($0.geometry) = \(Report.grouped($0.lanes)) lanes" }.joined(separator: ", ")
            report.footer.append("\(setting.name): \(Report.grouped(simulation.cycles)) cycles (\(Report.fixed(simulation.latencySeconds * 1e3, 3)) ms), model \(Report.fixed(simulation.cost.modelSizeMiB, 3)) MiB; \(arrays)\(simulation.accelerator.fitsBudget ? "" : " — does not fit")")
        }
        report.footer.append("assumptions: FINN-R LUT lanes (c0 = 300, c1 = 1.1) with 256 weights per lane in LUTRAM; ternary also on DSP48E2 at 4 MACs/DSP; FP32 = 3-DSP fmul + fabric fadd; FINN utilisation budget; same clock; time = simulated cycles, space = model size (docs/hardware-model.md §6)")
        print(report.render(options.output.format), terminator: "")
    }
}
