import ArgumentParser
import CycleSim
import Foundation
import HWModel
import Reference

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
        try HardwareLoader.checkBatch(batch)
    }

    func run() throws {
        let path = try network ?? ConfigLocator.directory(explicit: options.configs).appendingPathComponent("resnet18.json").path
        let loaded = try Loader.network(path)
        let hwPath = try hw ?? ConfigLocator.directory(explicit: options.configs).appendingPathComponent("hw/vu9p.json").path
        let template = try HardwareLoader.template(hwPath, board: nil)
        let reference = try PaperTableReport.reference(.qnComplexity)
        let simulations: [NetworkSimulation]
        do {
            simulations = try ComplexityTable.simulations(network: loaded.network, template: template, batch: batch)
        } catch {
            throw CommandFailure("\(path): \(error.description)")
        }
        let rows = ComplexityTable.rows(reference: reference, simulations: simulations)
        var report = try PaperTableReport.make(title: "Quantization Networks Table 8: time and space relative to binary, \(loaded.network.name) on \(template.name) (batch \(batch))",
                                           rows: rows, decimals: 3, table: .qnComplexity)
        for (setting, simulation) in zip(ComplexityTable.settings, simulations) {
            let arrays = (simulation.accelerator?.arrays ?? []).map { "\($0.unit.name) \($0.geometry) = \(Report.grouped($0.lanes)) lanes" }.joined(separator: ", ")
            report.footer.append("\(setting.name): \(Report.grouped(simulation.cycles)) cycles (\(Report.duration(milliseconds: simulation.latencySeconds * 1e3))), model \(Report.fixed(simulation.cost.modelSizeMiB, 3)) MiB; \(arrays)\(simulation.hardware.usage.fitsBudget ? "" : " — does not fit")")
        }
        report.footer.append("assumptions: " + Self.assumptions(of: template) + "; time = simulated cycles, space = model size (docs/hardware-model.md §6)")
        print(report.render(options.output.format), terminator: "")
    }

    /// The unit-cost assumptions of the hardware config actually used, in the footer's words.
    static func assumptions(of template: AcceleratorTemplate) -> String {
        let ternary = ArithmeticUnit(multiplier: .ternary, weightBits: 2, activationBits: 2)
        let dsp = template.device.dspType.rawValue.uppercased()
        var parts: [String] = []
        for spec in template.arrays {
            let prefix = template.arrays.count > 1 ? "\(spec.name): " : ""
            let lanes = "FINN-R LUT lanes (c0 = \(Report.fixed(UnitCostConstants.finnFixedLUTPerMatrixUnit, 0)), c1 = \(Report.fixed(UnitCostConstants.finnLUTScale, 1)))"
                + (spec.weightDepth > 0 ? " with \(spec.weightDepth) weights per lane in LUTRAM" : ", weights read from the weight buffer")
            let packing = ternary.macsPerDSP(template.device.dspType).map { Report.fixed($0, 0) } ?? "?"
            let dspLanes: String = switch spec.realization {
            case .lut: "no DSP lanes"
            case .dsp: "integer and ternary lanes on \(dsp) only (ternary \(packing) MACs/DSP)"
            case .both: "ternary also on \(dsp) at \(packing) MACs/DSP"
            }
            let adderDSP = spec.fp32Adder == .dsp ? "\(Report.fixed(UnitCostConstants.fp32DSPAdderDSP, 0))-DSP fadd" : "fabric fadd"
            parts.append(prefix + lanes + "; " + dspLanes + "; FP32 = \(Report.fixed(UnitCostConstants.fp32MultiplierDSP, 0))-DSP fmul + " + adderDSP)
        }
        if template.dataflow == .outputStationary { parts.append("output-stationary arrays (an accumulator per lane)") }
        let finn = ResourceVector(lut: 0.7, ff: 0.5, dsp: 0.8, bram36: 0.8, uram: 0.8)
        parts.append(template.device.budget == finn ? "FINN utilisation budget"
                     : "utilisation budget " + ResourceKind.allCases.map { "\($0.title) \(Report.fixed(100 * template.device.budget[$0], 0)) %" }.joined(separator: ", "))
        parts.append("same clock")
        return parts.joined(separator: "; ")
    }
}
