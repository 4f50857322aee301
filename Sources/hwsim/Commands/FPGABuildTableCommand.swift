import ArgumentParser
import CycleSim
import Foundation
import HWModel
import Reference

/// `hwsim table fpga-builds`: published FPGA builds recomputed by the dataflow architecture.
struct FPGABuildTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fpga-builds",
        abstract: "Published FINN-style FPGA builds (BNN-PYNQ CNV/LFC; with --validation other networks and boards) recomputed by --arch dataflow beside the measured frame rates and resources.",
        discussion: "Each build runs its network config (configs/finn/), board (configs/hw/), clock, batch and published folding. Frames/s are held to 10 % where the model finds the build compute-bound, LUT and BRAM to 15 %, FF to 25 %; the FINN estimator's LUT and BRAM are shown beside hwsim's structural count. See docs/dataflow.md.")

    @Flag(help: "The validation builds (not used for calibration) instead of BNN-PYNQ's.")
    var validation = false

    @OptionGroup var options: TableOptions

    func run() throws {
        let configs = try Loader.configsDirectory(options.configs)
        let set: FPGABuildTable.Set = validation ? .validation : .calibration
        let builds: [FPGABuildTable.Build]
        do {
            builds = try FPGABuildTable.builds(set)
        } catch {
            throw CommandFailure(error.description)
        }
        var rows: [PaperComparison] = []
        var notes: [String] = []
        for build in builds {
            let evaluation: FPGABuildTable.Evaluation
            do {
                evaluation = try FPGABuildTable.evaluate(build, configs: configs)
            } catch {
                throw CommandFailure("\(build.name): \(error.description)")
            }
            rows += evaluation.rows
            notes.append(Self.note(evaluation))
        }
        var report = PaperTableReport.make(title: validation ? "Published FINN-style builds for validation, recomputed by --arch dataflow"
                                                             : "BNN-PYNQ builds (calibration), recomputed by --arch dataflow", rows: rows, decimals: 1, paperDecimals: 1, publishedTitle: "published")
        report.footer += notes
        print(report.render(options.output.format), terminator: "")
    }

    /// One line per build: interval, bottleneck, and why the frame rate is or is not held to 10 %.
    static func note(_ evaluation: FPGABuildTable.Evaluation) -> String {
        let result = evaluation.result
        let pipeline = result.pipeline
        let stage = result.stages[pipeline.bottleneck]
        let own = result.stages.indices.map { pipeline.timings[$0].cycles }.max() ?? 0
        var text = "\(evaluation.build.name): II \(Report.grouped(pipeline.initiationInterval)) cycles at \(Report.fixed(evaluation.build.clockMHz, 0)) MHz, set by \(stage.name) (\(stage.layer))"
        if evaluation.computeBound {
            text += "; compute-bound"
        } else if let coupled = pipeline.links.first(where: { $0.coupledCycles == pipeline.initiationInterval }) {
            text += "; not compute-bound: the \(coupled.depth)-word FIFO before \(result.stages[coupled.consumer].name) is shallower than its burst read, so the producer stalls (slowest unit alone: \(Report.grouped(own)) cycles; docs/dataflow.md §3.2)"
        } else {
            text += "; not compute-bound: the DMA through the \(result.simulation.hardware.template.board.portBits)-bit port sets the interval"
        }
        if !evaluation.warnings.isEmpty { text += "; folding entries hwsim does not model were ignored" }
        return text
    }
}
