import Testing
import HWModel
@testable import CycleSim

@Suite struct SystolicSimulatorTests {
    @Test(arguments: SystolicDataflow.allCases)
    func layerCyclesAreScaleSimComputePlusMemoryStalls(dataflow: SystolicDataflow) throws {
        let config = try shippedNetwork("resnet20")
        let array = try SystolicArray(rows: 32, columns: 32, dataflow: dataflow)
        let run = try SystolicSimulator.run(network: config.network, plan: QuantizationPlan(weights: .uniform(bits: 8), activations: .uniform(bits: 8)),
                                            template: try shippedHardware("vu9p"), array: array)
        let convolutions = config.network.layers.filter { if case .convolution = $0.kind { true } else { false } }
        #expect(run.layers.filter { $0.compute != nil }.count == convolutions.count + 1)  // + the classifier
        for layer in run.layers {
            guard let compute = layer.compute, let source = config.network.layer(named: layer.layer),
                  let workload = SystolicWorkload(layer: source, in: config.network) else { continue }
            #expect(compute == SystolicCompute.run(workload, on: array))
            #expect(layer.cycles == Int64(compute.computeCycles) + layer.tile.stalls.load + layer.tile.stalls.store)
        }
        #expect(run.cycles == run.layers.reduce(0) { $0 + $1.cycles })
        #expect(run.computeCycles > 0 && run.latencySeconds > 0)
    }

    @Test func theTileSimulationRunsOnAnArrayOfTheSameShape() throws {
        let config = try shippedNetwork("lenet5")
        let run = try SystolicSimulator.run(network: config.network, plan: QuantizationPlan(weights: .uniform(bits: 8), activations: .uniform(bits: 8)),
                                            template: try shippedHardware("vu9p"), array: try SystolicArray(rows: 16, columns: 8, dataflow: .weightStationary))
        for array in run.tileSimulation.accelerator.arrays { #expect(array.lanes == 16 * 8) }
    }
}
