import ArgumentParser
import CycleSim
import Foundation
import HWModel
import Testing
@testable import hwsim

/// `hwsim search` end to end: the written config reproduces the chosen plan under its budget.
@Suite(.serialized) struct SearchCommandTests {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theWrittenConfigRunsTheChosenPlanWithinItsBudget() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hwsim-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("chosen.json").path, front = directory.appendingPathComponent("front.csv").path
        let plot = directory.appendingPathComponent("front.svg").path
        let hardware = root.appendingPathComponent("configs/hw/vu9p.json").path
        // LeNet-5's four weight layers, two weight schemes at 8-bit activations: 16 assignments, all simulated.
        let command = try SearchCommand.parse([root.appendingPathComponent("configs/lenet5.json").path, "--weights", "binary,uniform:8",
                                               "--activations", "8", "--first-last", "quantize", "--max-latency-ms", "0.02", "--hw", hardware,
                                               "-o", output, "--front", front, "--plot", plot, "--format", "csv"])
        try command.run()
        let chosen = try NetworkConfig.load(path: output)
        #expect(chosen.plan.overrides.count == 4)
        let simulation = try Simulator.run(network: chosen.network, plan: chosen.plan, template: try HardwareConfig.load(path: hardware))
        #expect(simulation.latencySeconds * 1e3 <= 0.02)
        #expect(simulation.hardware.usage.fitsBudget)
        let rows = try String(contentsOfFile: front, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1 + 16)
        #expect(rows.filter { $0.contains(",yes,ok,") }.count == 1)  // one chosen plan
        #expect(try String(contentsOfFile: plot, encoding: .utf8).hasPrefix("<?xml"))
    }

    @Test func theONNXModelsInitializersAreItsWeights() throws {
        let model = root.appendingPathComponent("Tests/ModelImportTests/Fixtures/onnx/resnet20_cifar_fp32.onnx").path
        let loaded = try Loader.network(model)
        let layers = loaded.network.weightLayers.map(\.name)
        let weights = try SearchWeights.load(model, layers: layers, directory: nil)
        #expect(layers.count == 22 && weights.count == 22)
        #expect(weights["/stem/stem.0/Conv"]?.tensor.shape == [16, 3, 3, 3])
    }

    @Test func minimisingLatencyNeedsAnErrorBudget() {
        #expect {
            _ = try SearchCommand.parse([root.appendingPathComponent("configs/lenet5.json").path, "--objective", "latency"])
        } throws: { error in
            SearchCommand.message(for: error).contains("--objective latency needs --max-error")
        }
    }
}
