import Foundation
import Testing
import HWModel
import ModelImport
@testable import CycleSim

@Suite struct SystolicSimulatorTests {
    /// A SCALE-Sim topology through the whole simulator: each conv layer's compute cycles are
    /// those of SCALE-Sim's per-fold walk over the CSV row (an independent reference), the
    /// tiles' compute adds up to them, and the layer's cycles are that plus its stalls.
    @Test(arguments: SystolicDataflow.allCases)
    func layerComputeIsScaleSimsAndStallsComeFromThePipeline(dataflow: SystolicDataflow) throws {
        let input = try SCALESimInput.load(contentsOf: SCALESimFixtures.directory.appendingPathComponent("alexnet.csv"))
        let array = try SystolicArray(rows: 32, columns: 32, dataflow: dataflow)
        let simulation = try Simulator.runSystolic(network: try input.network(), plan: QuantizationPlan(weights: .uniform(bits: 8), activations: .uniform(bits: 8)),
                                                   template: try shippedHardware("vu9p"), array: array)
        var checked = 0
        for row in input.convLayers {
            let layer = try #require(simulation.layers.first { $0.layer == row.name })
            let compute = try #require(layer.systolic)
            #expect(compute.computeCycles == ReferenceModel(row, rows: 32, columns: 32, dataflow: dataflow.rawValue).cycles, "\(row.name)")
            #expect(layer.busyCycles == Int64(compute.computeCycles))
            #expect(layer.stalls.ports == 0 && layer.stalls.fill == 0)
            #expect(layer.cycles == layer.busyCycles + layer.stalls.total)
            checked += 1
        }
        #expect(checked == input.convLayers.count)
        #expect(simulation.cycles == simulation.layers.reduce(0) { $0 + $1.cycles })
        #expect(simulation.architecture == .systolic(array))
    }

    @Test func everyArrayHasTheSystolicShape() throws {
        let config = try shippedNetwork("lenet5")
        let simulation = try Simulator.runSystolic(network: config.network, plan: QuantizationPlan(weights: .uniform(bits: 8), activations: .uniform(bits: 8)),
                                                   template: try shippedHardware("vu9p"), array: try SystolicArray(rows: 16, columns: 8, dataflow: .weightStationary))
        let arrays = try #require(simulation.accelerator).arrays
        #expect(!arrays.isEmpty)
        for array in arrays { #expect(array.lanes == 16 * 8) }
    }
}
