import ArgumentParser
import CycleSim
import Foundation
import HWModel
import Explore
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

    /// A little-endian float32 .npy file (format 1.0) holding `values` in `shape`.
    private func npy(_ values: [Float], shape: [Int]) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", ")),), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(Data(header.utf8))
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    @Test func weightsFromADirectoryAreMeasuredAndTheRestModelled() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hwsim-search-npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = root.appendingPathComponent("configs/lenet5.json").path
        let loaded = try Loader.network(config)
        let first = try #require(loaded.network.weightLayers.first)
        let count = 32 * 1 * 5 * 5  // conv1: 32 filters of 1 × 5 × 5
        let values = (0..<count).map { Float(($0 * 37) % 19) / 9 - 1 }
        try npy(values, shape: [32, 1, 5, 5]).write(to: directory.appendingPathComponent("\(first.name).npy"))
        let weights = try SearchWeights.load(config, layers: loaded.network.weightLayers.map(\.name), directory: directory.path)
        #expect(weights.count == 1 && weights[first.name]?.tensor.values == values)
        let table = try QuantizationErrorTable(network: loaded.network, plan: loaded.plan, layers: loaded.network.weightLayers.map(\.name),
                                               weightSchemes: [.binary], activationSchemes: [.uniform(bits: 8)], tensors: weights)
        #expect(table.sources[first.name] == .measured && table.sources.values.filter { $0 == .gaussian }.count == 3)
        // A tensor of the wrong size names the layer and both counts.
        try npy(Array(values.prefix(10)), shape: [10]).write(to: directory.appendingPathComponent("\(first.name).npy"))
        let wrong = try SearchWeights.load(config, layers: [first.name], directory: directory.path)
        #expect(throws: QuantizationErrorTableError.shapeMismatch(layer: first.name, expected: Int64(count), actual: 10)) {
            try QuantizationErrorTable(network: loaded.network, plan: loaded.plan, layers: [first.name], weightSchemes: [.binary],
                                       activationSchemes: [.uniform(bits: 8)], tensors: wrong)
        }
    }

    @Test func minimisingLatencyNeedsAnErrorBudget() {
        #expect {
            _ = try SearchCommand.parse([root.appendingPathComponent("configs/lenet5.json").path, "--objective", "latency"])
        } throws: { error in
            SearchCommand.message(for: error).contains("--objective latency needs --max-error")
        }
    }
}
