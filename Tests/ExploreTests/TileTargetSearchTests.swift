import Testing
import CycleSim
import HWModel
import Quantizers
@testable import Explore

/// `--target-fps`: the smallest tile design meeting a target (docs/simulation.md §4).
@Suite struct TileTargetSearchTests {
    @Test(arguments: ["lenet5", "resnet18"])
    func aLowerTargetNeverCostsMoreLUTs(name: String) throws {
        let config = try shippedNetwork(name)
        let template = try shippedHardware("vu9p")
        let bound = try BoundNetwork(network: config.network, plan: config.plan)
        let workloads = try Simulator.workloads(of: bound, batch: 1)
        let fastest = try Simulator.run(network: config.network, plan: config.plan, template: template).framesPerSecond
        var previousLUT = 0.0
        for fraction in [0.05, 0.2, 0.5, 0.9] {
            let target = fraction * fastest
            let found = try TileTargetSearch.smallest(meeting: .framesPerSecond(target), network: bound, workloads: workloads,
                                                      template: template, batch: 1)
            #expect(found.simulation.framesPerSecond >= target)
            #expect(found.simulation.hardware.usage.fitsBudget)
            let lut = found.simulation.hardware.usage.used.lut
            #expect(lut >= previousLUT, "\(name): \(fraction) of the fastest")
            previousLUT = lut
        }
    }

    @Test func anUnreachableTargetSaysWhatTheFastestReaches() throws {
        let config = try shippedNetwork("lenet5")
        let bound = try BoundNetwork(network: config.network, plan: config.plan)
        let workloads = try Simulator.workloads(of: bound, batch: 1)
        #expect {
            _ = try TileTargetSearch.smallest(meeting: .framesPerSecond(1e12), network: bound, workloads: workloads,
                                              template: try shippedHardware("vu9p"), batch: 1)
        } throws: { error in
            (error as? TargetSearchError)?.description.contains("the fastest reaches") == true
        }
    }
}
