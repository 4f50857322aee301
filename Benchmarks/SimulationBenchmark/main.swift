import CycleSim
import Explore
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
    try dataflowSearch()
} catch {
    print("sim-bench: \(error)")
    exit(1)
}

/// The dataflow folding searches on ResNet-50 (configs/finn/resnet50-w1a2.json on an Alveo U250):
/// scoring every layer's candidates, the cheapest folding reaching a frame rate, and the fastest
/// folding that fits, each with the final simulation; median of several runs.
func dataflowSearch() throws {
    let config = try NetworkConfig.load(path: root.appendingPathComponent("configs/finn/resnet50-w1a2.json").path)
    let template = try HardwareConfig.load(path: root.appendingPathComponent("configs/hw/u250.json").path)
    let bound = try BoundNetwork(network: config.network, plan: config.plan)
    let architecture = DataflowArchitecture(template: template)
    var candidates = 0, fitted = 0.0
    var scoring: [Double] = [], target: [Double] = [], fit: [Double] = []
    for _ in 0..<5 {
        var search: FoldingSearch?
        scoring.append(try milliseconds {
            let graph = try architecture.graph(of: bound)
            search = try FoldingSearch(architecture: architecture, graph: graph)
        })
        guard let search else { continue }
        candidates = search.candidateCount
        target.append(try milliseconds {
            let folding = search.reaching(framesPerSecond: 3000).folding
            _ = try architecture.simulate(bound, graph: search.graph, folding: folding, batch: 1)
        })
        fit.append(try milliseconds {
            fitted = try search.fastestFitting(bound)?.simulation.simulation.framesPerSecond ?? 0
        })
    }
    print("dataflow folding search, resnet50-w1a2 on u250: \(candidates) candidate foldings scored")
    print(String(format: "  scoring every layer's candidates: median %.1f ms over %d runs", median(scoring), scoring.count))
    print(String(format: "  + cheapest folding reaching 3000 frames/s and its simulation: median %.1f ms", median(target)))
    print(String(format: "  + fastest folding within the budget (--fit, %.0f frames/s) with its checks: median %.1f ms", fitted, median(fit)))
    print(String(format: "  a whole search (scoring + --fit): %.1f ms", median(scoring) + median(fit)))
}
