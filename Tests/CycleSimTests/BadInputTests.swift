import Testing
import HWModel
import Quantizers
@testable import CycleSim

@Suite struct BadInputTests {
    /// An array bigger than the device is built, simulated and reported as not fitting, with
    /// the resources over budget — not a crash.
    @Test func arrayThatDoesNotFitIsReported() throws {
        let template = try testHardware(array: #"{"name": "huge", "rows": 64, "cols": 64, "copies": 8, "realization": "dsp", "weight_depth": 0}"#)
        let simulation = try Simulator.run(network: try shippedNetwork("lenet5").network, plan: try plan("fp32", "fp32"), template: template)
        #expect(!simulation.hardware.usage.fitsBudget)
        #expect(!simulation.hardware.usage.fitsDevice)
        let over = simulation.hardware.usage.overBudget
        #expect(over.contains { $0.kind == .dsp && $0.used == 64 * 64 * 8 * 3 + 3 * 3 })
        #expect(simulation.cycles > 0)
    }

    /// Auto arrays that cannot get a single copy fall back to the smallest array, reported
    /// as not fitting.
    @Test func autoArrayWithNoRoomIsReported() throws {
        let template = try testHardware(array: #"{"name": "a", "realization": "dsp"}"#, extra: ", \"budget\": {\"dsp\": 0.0001}")
        let simulation = try Simulator.run(network: try shippedNetwork("lenet5").network, plan: try plan("fp32", "fp32"), template: template)
        #expect(!simulation.hardware.usage.fitsBudget)
        #expect((simulation.accelerator?.arrays ?? []).first?.lanes == 1)
    }

    /// A weight tile that cannot fit the weight buffer is a typed error naming the layer,
    /// the buffer and the bits.
    @Test func tileThatDoesNotFitIsAnError() throws {
        // One URAM holds 147,456 bits per half; a 64 × 128 FP32 weight tile needs 262,144.
        let template = try testHardware(array: #"{"name": "a", "rows": 64, "cols": 128, "copies": 1, "realization": "dsp"}"#, buffers: (1, 400, 400))
        #expect {
            try Simulator.run(network: try shippedNetwork("lenet5").network, plan: try plan("fp32", "fp32"), template: template)
        } throws: { error in
            guard case .tileDoesNotFit(_, let buffer, let needed, let half, let file) = error as? SimulationError else { return false }
            return buffer == .weights && needed > half && file == "test.json"
        }
        let message = SimulationError.tileDoesNotFit(layer: "conv1", buffer: .weights, neededBits: 10, halfCapacityBits: 5, file: "hw.json").description
        #expect(message.contains("conv1") && message.contains("buffers.weights.blocks") && message.contains("hw.json"))
    }

    @Test func inputTileThatDoesNotFitIsAnError() throws {
        // FP32 inputs of a 4,608-long reduction need more than one BRAM half per column.
        let template = try testHardware(array: #"{"name": "a", "rows": 64, "cols": 64, "copies": 1, "realization": "dsp"}"#, buffers: (700, 1, 400))
        #expect(throws: SimulationError.self) {
            try Simulator.run(network: try shippedNetwork("resnet18").network, plan: try plan("fp32", "fp32"), template: template)
        }
    }

    @Test func arrayServingNoLayerIsAnError() throws {
        let template = try testHardware(array: #"{"name": "a", "serves": ["int"]}"#)
        #expect(throws: SimulationError.hardware(.noArrayServes(layer: "conv1", unit: "fp32", file: "test.json"))) {
            try Simulator.run(network: try shippedNetwork("lenet5").network, plan: try plan("fp32", "fp32"), template: template)
        }
    }

    @Test func unsupportedRealizationIsAnError() throws {
        let template = try testHardware(array: #"{"name": "a", "realization": "dsp"}"#)
        #expect(throws: SimulationError.self) {
            try Simulator.run(network: try shippedNetwork("lenet5").network, plan: try plan("binary", "binary"), template: template)
        }
    }
}
