import CycleSim
import Foundation
import HWModel
import Quantizers

// Scratch driver (replaced by the benchmark later).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let args = CommandLine.arguments
let netName = args.count > 1 ? args[1] : "resnet18"
let hwName = args.count > 2 ? args[2] : "vu9p"
do {
    let config = try NetworkConfig.load(path: root.appendingPathComponent("configs/\(netName).json").path)
    let template = try HardwareConfig.load(path: root.appendingPathComponent("configs/hw/\(hwName).json").path)
    for (w, a) in [("binary", "binary"), ("ternary", "uniform:2"), ("fp32", "fp32")] {
        let plan = QuantizationPlan(weights: try QuantScheme(parsing: w), activations: try QuantScheme(parsing: a), firstLast: .quantizeAll)
        let start = Date()
        let sim = try Simulator.run(network: config.network, plan: plan, template: template, batch: Int(args.count > 3 ? args[3] : "1") ?? 1)
        let t = Date().timeIntervalSince(start)
        print(w, sim.cycles, sim.accelerator.arrays.map { "\($0.name) \($0.geometry) lanes \($0.lanes)" }, "fits", sim.accelerator.fitsBudget, "stalls", sim.stalls, "busy", sim.busyCycles, "MiB", sim.cost.modelSizeMiB, String(format: "%.3fs", t))
        print("   res", sim.accelerator.resources.roundedUp)
    }
} catch {
    print("error:", error)
}
do {
    let config = try NetworkConfig.load(path: root.appendingPathComponent("configs/\(netName).json").path)
    let template = try HardwareConfig.load(path: root.appendingPathComponent("configs/hw/\(hwName).json").path)
    let plan = QuantizationPlan(weights: args.count > 4 && args[4] == "t" ? .ternary : .binary, activations: args.count > 4 && args[4] == "t" ? .uniform(bits: 2) : .binary, firstLast: .quantizeAll)
    let sim = try Simulator.run(network: config.network, plan: plan, template: template)
    for l in sim.layers where l.cycles > 0 {
        print(l.layer, l.placement, l.gemm ?? "", "cyc", l.cycles, "ideal", l.idealCycles, "busy", l.busyCycles, l.stalls, "tiles", l.tiles, "B", l.bytesLoaded, l.bytesStored, l.bound)
    }
}
