import CycleSim
import Explore
import Foundation
import HWModel
import Quantizers

/// `swift run -c release search-bench [network ...]`: the per-layer mixed-precision search on
/// ResNet-18 and ResNet-50 (default), 6 weight schemes per layer at 8-bit activations, under a
/// latency budget of three quarters of the uniform 8-bit plan's, on configs/hw/vu9p.json; prints the time.
/// The configs hold no weights, so the error proxy uses the Gaussian model.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let names = CommandLine.arguments.count > 1 ? Array(CommandLine.arguments.dropFirst()) : ["resnet18", "resnet50"]
let weightSchemes: [QuantScheme] = [.binary, .ternary, .post(bits: 3), .post(bits: 4), .uniform(bits: 4), .uniform(bits: 8)]

do {
    let template = try HardwareConfig.load(path: root.appendingPathComponent("configs/hw/vu9p.json").path)
    for name in names {
        let config = try NetworkConfig.load(path: root.appendingPathComponent("configs/\(name).json").path)
        let basePlan = config.plan.replacing(firstLast: .quantizeAll)
        let layers = config.network.weightLayers.map(\.name)
        let start = DispatchTime.now().uptimeNanoseconds
        let table = try QuantizationErrorTable(network: config.network, plan: basePlan, layers: layers, weightSchemes: weightSchemes,
                                               activationSchemes: [.uniform(bits: 8)], tensors: [:])
        let evaluate = MixedPrecisionSearch.tileEvaluator(network: config.network, template: template, batch: 1)
        let reference = try Simulator.run(network: config.network, plan: basePlan.replacing(weights: .uniform(bits: 8), activations: .uniform(bits: 8)),
                                          template: template)
        let budget = reference.latencySeconds * 1e3 * 0.75
        let search = MixedPrecisionSearch(network: config.network, basePlan: basePlan, layers: layers,
                                          choices: weightSchemes.map { SchemeChoice(weights: $0, activations: .uniform(bits: 8)) }, errors: table,
                                          budgets: [.fitsDevice, .maxLatencyMs(budget)], evaluate: evaluate)
        let result = try search.run()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let metrics = result.best.metrics
        print("\(name): \(layers.count) layers × \(weightSchemes.count) schemes, latency ≤ \(String(format: "%.4f", budget)) ms: "
              + "\(result.evaluated.count) plans simulated in \(String(format: "%.2f", seconds)) s; "
              + "chosen: error \(String(format: "%.4g", result.best.error)), \(String(format: "%.4f", metrics?.latencyMs ?? .nan)) ms")
    }
} catch {
    print("search-bench: \(error)")
    exit(1)
}
