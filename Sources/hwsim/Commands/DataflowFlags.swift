import ArgumentParser
import CycleSim
import Explore
import Foundation
import HWModel
import Quantizers

/// The flags of `--arch dataflow`, shared by `run` (and the tables): where the folding comes
/// from, the resource model, the shell.
struct DataflowFlags: ParsableArguments {
    @Option(help: "FINN folding_config.json to apply (any FINN generation's node names, or layer names), with --arch dataflow.")
    var folding: String?

    @Flag(help: "With --arch dataflow, find the fastest folding within the device's utilisation budget (the default when no --folding or --target-fps is given).")
    var fit = false

    @Option(name: .customLong("write-folding"), help: "Write the folding used to this file in FINN's folding_config.json format.")
    var writeFolding: String?

    @Flag(name: .customLong("out-of-context"), help: "Leave out the board's shell (DMA, interconnect), as FINN's out-of-context synthesis reports the accelerator alone.")
    var outOfContext = false

    @Option(name: .customLong("resource-model"), help: "Resources reported: structural (hwsim's count) or finn (FINN's estimators); both are printed in the footer.")
    var resourceModel: ResourceModel = .structural

    @Option(name: .customLong("input-bits"), help: "Bits per input element as the host sends it, when not the width the first layer reads (finn-examples send 8-bit pixels to an input quantizer).")
    var inputBits: Int?

    /// Whether any dataflow-only flag was given.
    var anyGiven: Bool {
        folding != nil || fit || writeFolding != nil || outOfContext || resourceModel != .structural || inputBits != nil
    }

    func validate() throws {
        if let inputBits, !(1...32).contains(inputBits) { throw ValidationError("--input-bits must be 1 to 32, got \(inputBits)") }
    }

    var options: DataflowOptions { DataflowOptions(resourceModel: resourceModel, outOfContext: outOfContext, inputBits: inputBits) }

    /// How the folding was chosen, for the report.
    enum Origin {
        case file(String), target(Double), fit
    }

    /// Runs the dataflow architecture: reads or searches the folding (`targetFPS` is `run`'s
    /// `--target-fps`), simulates, writes the folding if asked. Warnings about unmodelled folding entries go to stderr.
    func simulate(network: Network, plan: QuantizationPlan, template: AcceleratorTemplate, batch: Int, targetFPS: Double?,
                  label: String) throws -> (DataflowSimulation, Origin) {
        let architecture = DataflowArchitecture(template: template, options: options)
        do {
            let bound = try BoundNetwork(network: network, plan: plan)
            let graph = try architecture.graph(of: bound)
            var base = Folding()
            if let folding {
                let file = try FoldingFile.load(path: folding)
                let applied = try file.folding(for: graph)
                for warning in applied.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
                base = applied.folding
            }
            var origin = Origin.fit
            let chosen: Folding
            if let targetFPS {
                chosen = try FoldingSearch(architecture: architecture, graph: graph, base: base).reaching(framesPerSecond: targetFPS).folding
                origin = .target(targetFPS)
            } else if let folding, !fit {
                chosen = base
                origin = .file(folding)
            } else {
                let search = try FoldingSearch(architecture: architecture, graph: graph, base: base)
                guard let found = try search.fastestFitting(bound, batch: batch) else {
                    throw CommandFailure("\(label): no folding of \(network.name) fits \(template.device.name)'s utilisation budget, not even the fully folded one")
                }
                chosen = found.folding
            }
            let result = try architecture.simulate(bound, graph: graph, folding: chosen, batch: batch)
            if let writeFolding {
                let text = FoldingFile.render(chosen, graph: graph)
                try WrittenFile.save(text, to: writeFolding, what: "folding")
            }
            return (result, origin)
        } catch let error as BindingError {
            throw CommandFailure("\(label): \(error.description)")
        } catch let error as SimulationError {
            throw CommandFailure("\(label): \(error.description)")
        } catch let error as DataflowError {
            throw CommandFailure(error.description)
        }
    }
}

extension ResourceModel: ExpressibleByArgument {}
