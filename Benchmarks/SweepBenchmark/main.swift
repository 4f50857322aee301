import CycleSim
import Explore
import Foundation
import HWModel
import Quantizers

/// `swift run -c release sweep-bench [network]`: a design-space sweep of at least 10,000
/// points (default ResNet-18) on all cores, the way `hwsim compare` runs it (with its
/// ``SweepCache``); prints points/s and how often the cache answered.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let networkName = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "resnet18"

do {
    let config = try NetworkConfig.load(path: root.appendingPathComponent("configs/\(networkName).json").path)
    var hardware: [(name: String, template: AcceleratorTemplate)] = []
    for name in ["vu9p", "vu9p-vcu118"] {
        hardware.append(("\(name).json", try HardwareConfig.load(path: root.appendingPathComponent("configs/hw/\(name).json").path)))
    }
    let space = DesignSpace(
        network: config.network, basePlan: config.plan, hardware: hardware,
        weights: [.binary, .ternary, .pot(bits: 3), .post(bits: 3), .post(bits: 4)] + (2...8).map { QuantScheme.uniform(bits: $0) } + [.fp32],
        activations: (2...8).map { QuantScheme.uniform(bits: $0) } + [.fp32],
        arrays: [.configured, .auto, .fixed(rows: 32, cols: 32)],
        bandwidths: [9.6, 19.2, 38.4, 68.3, 77.0], clocks: [150, 200, 250, 300])
    let points = space.points
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let cache = SweepCache(network: config.network, batch: 1)
    let start = DispatchTime.now().uptimeNanoseconds
    let results = try await ParallelSweep.map(points, maxConcurrency: cores, evaluate: { space.evaluate($0, cache: cache) })
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let front = DesignSpace.paretoFront(results, objectives: [.latency, .size])
    let failed = results.filter { $0.failure != nil }.count
    print("network \(networkName): \(points.count) points on \(cores) core(s) in \(String(format: "%.2f", seconds)) s = \(String(format: "%.0f", Double(points.count) / seconds)) points/s")
    let statistics = cache.statistics
    print("Pareto front (latency, size): \(front.count) points; \(failed) points could not be simulated")
    print("cache: \(statistics.hits) of \(statistics.points) points answered from it (hit rate \(String(format: "%.1f", statistics.hitRate * 100)) %); \(statistics.simulations) simulated on \(statistics.preparedBuilds) prepared builds")
} catch {
    print("sweep-bench: \(error)")
    exit(1)
}
