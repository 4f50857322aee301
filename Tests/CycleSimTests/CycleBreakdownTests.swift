import Testing
import HWModel
@testable import CycleSim

@Suite struct CycleBreakdownTests {
    @Test(arguments: ["resnet18", "mobilenetv2", "imdb-lstm"])
    func partsAddUpToTheLayersCycles(network: String) throws {
        let config = try shippedNetwork(network)
        let simulation = try Simulator.run(network: config.network, plan: config.plan, template: try shippedHardware("vu9p"))
        for layer in simulation.layers {
            let parts = layer.cycleBreakdown
            #expect(parts.allSatisfy { $0.cycles >= 0 })
            #expect(parts.reduce(0) { $0 + $1.cycles } == layer.cycles, "\(layer.layer)")
        }
    }
}
