import CycleSim
import Foundation
import HWModel

/// `swift run -c release sim-bench [network] [hw]`: the time of one tile-level simulation of
/// a network (default ResNet-50 on configs/hw/vu9p.json) after loading, median of several runs.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let arguments = CommandLine.arguments
let networkName = arguments.count > 1 ? arguments[1] : "resnet50"
let hardwareName = arguments.count > 2 ? arguments[2] : "vu9p"

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

do {
    let config = try NetworkConfig.load(path: root.appendingPathComponent("configs/\(networkName).json").path)
    let template = try HardwareConfig.load(path: root.appendingPathComponent("configs/hw/\(hardwareName).json").path)
    let bound = try BoundNetwork(network: config.network, plan: config.plan)
    let workloads = try Simulator.workloads(of: bound, batch: 1)
    let built = try Simulator.build(template: template, network: bound, workloads: workloads, batch: 1)
    let architecture = try built.architecture()
    var simulation = try architecture.simulate(bound, workloads: workloads, arrayOfLayer: built.arrayOfLayer, batch: 1)
    let runs = 31
    var times: [Double] = []
    for _ in 0..<runs {
        times.append(try milliseconds { simulation = try architecture.simulate(bound, workloads: workloads, arrayOfLayer: built.arrayOfLayer, batch: 1) })
    }
    var buildTimes: [Double] = []
    for _ in 0..<5 {
        buildTimes.append(try milliseconds { _ = try Simulator.run(network: config.network, plan: config.plan, template: template) })
    }
    let tiles = simulation.layers.reduce(Int64(0)) { $0 + $1.tiles }
    print("\(networkName) on \(hardwareName): \(simulation.layers.count) layers, \(tiles) tiles, \(simulation.cycles) cycles")
    print(String(format: "simulation after loading: median %.3f ms (min %.3f, max %.3f) over %d runs", median(times), times.min() ?? 0, times.max() ?? 0, runs))
    print(String(format: "with auto-sizing the arrays (shape search): median %.3f ms over %d runs", median(buildTimes), buildTimes.count))
} catch {
    print("sim-bench: \(error)")
    exit(1)
}
