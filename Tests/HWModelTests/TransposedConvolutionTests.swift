import Foundation
import Testing
@testable import HWModel

/// `conv_transpose2d`: shapes, cost, config reading and writing (U-Net's 4×4 stride-2 decoder upsampling).
@Suite struct TransposedConvolutionTests {
    private func config(_ layer: String, input: String = "[2048, 8, 8]") -> String {
        #"{"name": "t", "input": {"shape": \#(input)}, "layers": [\#(layer)]}"#
    }

    @Test func outputExtentsFollowPyTorchAndKeras() throws {
        // PyTorch: (8 − 1)·2 − 2·1 + (4 − 1) + 0 + 1 = 16; Keras 'same': 8·2.
        let pytorch = try parseConfig(config(#"{"name": "up", "type": "conv_transpose2d", "out_channels": 256, "kernel": 4, "stride": 2, "padding": 1, "bias": false}"#), file: "t.json")
        #expect(pytorch.network.outputShapes["up"] == TensorShape([256, 16, 16]))
        let keras = try parseConfig(config(#"{"name": "up", "type": "conv_transpose2d", "out_channels": 256, "kernel": 4, "stride": 2, "padding": "same", "bias": false}"#), file: "t.json")
        #expect(keras.network.outputShapes["up"] == TensorShape([256, 16, 16]))
        // 3×3, stride 2, padding 1, output_padding 1: (8 − 1)·2 − 2 + 2 + 1 + 1 = 16.
        let odd = try parseConfig(config(#"{"name": "up", "type": "conv_transpose2d", "out_channels": 8, "kernel": 3, "stride": 2, "padding": 1, "output_padding": 1}"#), file: "t.json")
        #expect(odd.network.outputShapes["up"] == TensorShape([8, 16, 16]))
    }

    @Test func weightsAndMACsCountEveryInputAgainstEveryTap() throws {
        let loaded = try parseConfig(config(#"{"name": "up", "type": "conv_transpose2d", "out_channels": 256, "kernel": 4, "stride": 2, "padding": "same", "bias": false}"#), file: "t.json")
        let cost = try CostModel.evaluate(loaded.network, plan: QuantizationPlan())
        let layer = try #require(cost.layers.first { $0.layer == "up" })
        // U-Net's decoder_stage0_upsample: 2048 × 256 × 16 = 8,388,608 weights (Keras' count).
        #expect(layer.weights == 8_388_608 && layer.biases == 0)
        #expect(layer.macs == 8_388_608 * 64)
        let grouped = try parseConfig(config(#"{"name": "up", "type": "conv_transpose2d", "out_channels": 8, "kernel": 2, "stride": 2, "groups": 4}"#, input: "[8, 4, 4]"), file: "t.json")
        let groupedCost = try CostModel.evaluate(grouped.network, plan: QuantizationPlan())
        #expect(groupedCost.layers.last?.weights == 8 * 2 * 4 && groupedCost.layers.last?.biases == 8)
    }

    @Test func badFieldsNameTheField() {
        func message(_ layer: String) -> String {
            do {
                _ = try parseConfig(config(layer), file: "t.json")
                return ""
            } catch {
                return error.description
            }
        }
        #expect(message(#"{"name": "up", "type": "conv_transpose2d", "out_channels": 8, "kernal": 4}"#)
                == "t.json: layers[0].kernel: is required; the object has 'kernal': did you mean 'kernel'?")
        #expect(message(#"{"name": "up", "type": "conv_transpose2d", "out_channels": 8, "kernel": 4, "stride": 2, "output_padding": 2}"#)
            .contains("output_padding"))
        #expect(message(#"{"name": "up", "type": "conv_transpose2d", "out_channels": 8, "kernel": 1, "padding": 5}"#).contains("crops the whole output"))
    }

    @Test func writingRoundTrips() throws {
        let text = config(#"{"name": "up", "type": "conv_transpose2d", "out_channels": 16, "kernel": [4, 2], "stride": [2, 1], "padding": [1, 0], "output_padding": [1, 0], "dilation": 1, "groups": 2, "bias": false}"#, input: "[8, 5, 5]")
        let loaded = try parseConfig(text, file: "t.json")
        let written = NetworkConfig.json(for: loaded.network, plan: loaded.plan)
        #expect(written.contains(#"{"name": "up", "type": "conv_transpose2d", "out_channels": 16, "kernel": [4, 2], "stride": [2, 1], "padding": [1, 0], "output_padding": [1, 0], "dilation": [1, 1], "groups": 2, "bias": false}"#))
        let again = try parseConfig(written, file: "written.json")
        #expect(again.network.layers == loaded.network.layers)
    }
}
