import ArgumentParser
import Foundation
import HWModel

/// `hwsim convert`: the JSON config equivalent to an ONNX/QONNX model or a SCALE-Sim CSV.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write the JSON network config equivalent to an ONNX/QONNX model or a SCALE-Sim topology.",
        discussion: "The config (docs/config-format.md) holds the layers with their hyper-parameters and the model's quantization plan: for QONNX, the Quant/BipolarQuant bitwidths per layer. Plan flags replace the file's quantization as in 'hwsim cost'.")

    @Argument(help: "The model: .onnx (ONNX or QONNX), .csv (SCALE-Sim topology or GEMM) or .json.")
    var model: String

    @Option(name: .shortAndLong, help: "The config file to write; standard output when absent.")
    var output: String?

    @OptionGroup var plan: PlanOptions

    func run() throws {
        try WrittenFile.checkWritable(output)
        let loaded = try Loader.network(model)
        let quantization = try plan.apply(to: loaded.plan)
        // Bound as `run` and `cost` bind it (plan resolved, every count checked), so that a
        // config `convert` writes is one those commands accept.
        do {
            _ = try BoundNetwork(network: loaded.network, plan: quantization)
        } catch {
            throw CommandFailure("\(model): \(error.description)")
        }
        let source = URL(fileURLWithPath: model).lastPathComponent
        let text = NetworkConfig.json(
            for: loaded.network, plan: quantization, description: "Converted from \(source) by hwsim convert.")
        guard let output else {
            print(text, terminator: "")
            return
        }
        try WrittenFile.save(text, to: output, what: "network config")
    }
}
