import Foundation
import Quantizers
import Testing
@testable import HWModel

/// Inputs past ``NetworkLimits`` are one error naming the file and the JSON path — never a
/// trap, a hang or a multi-megabyte message.
@Suite struct NetworkLimitsTests {
    private func expectError(_ text: String, path: String? = nil, mentioning fragments: String...,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try parseConfig(text, file: "net.json")
            Issue.record("expected an error", sourceLocation: sourceLocation)
        } catch {
            if let path { #expect(error.path == path, "\(error)", sourceLocation: sourceLocation) }
            for fragment in fragments {
                #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
            }
            #expect(error.description.hasPrefix("net.json: "), sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
            #expect(error.description.count < 400, "\(error.description.count) characters", sourceLocation: sourceLocation)
        }
    }

    private func config(input: String = "[3, 32, 32]", layers: String, templates: String = "") -> String {
        """
        {"name": "t", "input": {"shape": \(input)}, \(templates.isEmpty ? "" : "\"templates\": {\(templates)}, ")"layers": [\(layers)]}
        """
    }

    @Test func strictJSONErrorsNameTheFile() {
        expectError(config(layers: #"{"name": "c", "type": "conv2d", "out_channels": 8, "kernel": 3, "kernel": 5}"#),
                    path: "", mentioning: "malformed JSON: duplicate key 'kernel' (at layers[0].kernel)", "line 1")
        expectError(config(layers: #"{"name": "r", "type": "relu"},"#), path: "", mentioning: "trailing comma before ']'")
        do {
            _ = try HardwareConfig.parse(Data(#"{"name": "x", "clock_mhz": 1e400}"#.utf8), file: "hw.json", directory: "/nonexistent")
            Issue.record("1e400 was accepted")
        } catch {
            #expect(error.description.hasPrefix("hw.json: malformed JSON: number 1e400 is too large"), "\(error)")
        }
    }

    @Test func hugeRepeatIsRefusedBeforeExpanding() {
        let template = #""b": {"layers": [{"name": "r", "type": "relu"}]}"#
        expectError(config(layers: #"{"name": "x", "template": "b", "repeat": 1000000000}"#, templates: template),
                    path: "layers[0].repeat", mentioning: "in 1…\(NetworkLimits.maximumRepeat)", "1000000000")
        // Within the repeat cap but over the layer cap once each copy's size is known.
        let wide = #""b": {"layers": [{"name": "r", "type": "relu"}, {"name": "s", "type": "relu"}]}"#
        expectError(config(layers: #"{"name": "x", "template": "b", "repeat": 12000}"#, templates: wide),
                    path: "layers[0].repeat", mentioning: "12000 copies", "2 layers each", "more than \(NetworkLimits.maximumLayers) layers")
    }

    @Test func templateFanOutBombIsAnErrorQuickly() {
        // t0 is one layer; t(k) repeats t(k−1) four times: t12 would be 4^12 = 16.7M layers.
        var templates = [#""t0": {"layers": [{"name": "r", "type": "relu"}]}"#]
        for level in 1...12 {
            templates.append(#""t\#(level)": {"layers": [{"name": "x", "template": "t\#(level - 1)", "repeat": 4}]}"#)
        }
        // Refused after at most the layer limit's worth of expansion, not 16.7M layers.
        expectError(config(layers: #"{"name": "top", "template": "t12"}"#, templates: templates.joined(separator: ", ")),
                    mentioning: "more than \(NetworkLimits.maximumLayers) layers")
    }

    @Test func sizesPastTheLimitAreRefusedAtTheirField() {
        expectError(config(layers: #"{"name": "c", "type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 9223372036854775807}"#),
                    path: "layers[0].padding", mentioning: "in 0…2147483647")
        expectError(config(layers: #"{"name": "c", "type": "conv2d", "out_channels": 8, "kernel": 3, "dilation": [1, 1e12]}"#),
                    path: "layers[0].dilation[1]", mentioning: "in 1…2147483647")
        expectError(config(input: "[3, 2147483648]", layers: #"{"name": "r", "type": "relu"}"#),
                    path: "input.shape[1]", mentioning: "in 1…2147483647")
        expectError(config(layers: #"{"name": "l", "type": "lstm", "hidden_size": 4611686018427387904}"#),
                    path: "layers[0].hidden_size")
        expectError(config(layers: #"{"name": "s", "type": "softmax", "axis": -9223372036854775808}"#),
                    path: "layers[0].axis")
        expectError(config(layers: #"{"name": "x", "template": "b", "first_index": 9223372036854775807}"#,
                           templates: #""b": {"layers": [{"name": "r", "type": "relu"}]}"#),
                    path: "layers[0].first_index")
    }

    @Test func tensorsPastTwoToTheFortyAreRefusedNamingTheLayer() {
        // 2^31−1 on every axis is allowed per field; the tensor is not.
        expectError(config(input: "[2147483647, 2147483647]", layers: #"{"name": "r", "type": "relu"}"#),
                    path: "input", mentioning: "layer 'input'", "more than the limit of 2^40")
        expectError(config(input: "[1024, 1024, 1024]", layers: #"{"name": "up", "type": "upsample", "scale": 2147483647}"#),
                    path: "layers[0]", mentioning: "layer 'up'", "more than the limit of 2^40")
    }

    @Test func transposedConvolutionExtentOverflowIsAnError() {
        // Each field is within 2^31 − 1, but a reshaped extent of ~2^40 times a stride of 2^31 − 1 is not.
        let big = "2147483647"
        expectError(config(input: "[512, \(big)]", layers: """
            {"name": "r", "type": "reshape", "shape": [1, -1, 1]},
            {"name": "t", "type": "conv_transpose2d", "out_channels": 1, "kernel": 1, "stride": [\(big), 1]}
            """), path: "layers[1]", mentioning: "layer 't'", "does not fit in 64 bits")
    }

    @Test func programmaticLayersAreHeldToTheSameLimits() {
        let input = Layer(name: "in", kind: .input(TensorShape([3, 8, 8])), inputs: [])
        let conv = Layer(name: "c", kind: .convolution(Convolution(outChannels: 4, kernel: [3, 3], stride: [1, 1],
                                                                 padding: .explicit(begin: [Int.max, 0], end: [Int.max, 0]),
                                                                 dilation: [1, 1], groups: 1, bias: false)), inputs: ["in"])
        #expect(throws: GraphError.invalidParameter(layer: "c", field: "padding", detail: "must be at most 2147483647 (docs/limits.md), got \(Int.max)")) {
            try Network(name: "n", layers: [input, conv])
        }
        let huge = Layer(name: "in", kind: .input(TensorShape([Int.max])), inputs: [])
        #expect(throws: GraphError.self) { try Network(name: "n", layers: [huge]) }
        let zeros = Padding.sameZeros(input: [8], kernel: [Int.max], stride: [Int.max], dilation: [Int.max])
        #expect(zeros.begin[0] >= 0)
    }

    @Test func aTwoToTheFortyMACLayerStillCosts() throws {
        let text = config(input: "[1024, 1024, 1024]", layers: #"{"name": "c", "type": "conv2d", "out_channels": 1024, "kernel": 1}"#)
        let network = try parseConfig(text).network
        let cost = try CostModel.evaluate(network, plan: QuantizationPlan(weights: .uniform(bits: 8), activations: .uniform(bits: 8)))
        #expect(cost.macs == 1 << 40)
        #expect(cost.bops == (1 << 40) * 64)
    }

    @Test func networkTotalsOverflowIsAnErrorNotATrap() throws {
        // Each layer's BOPs fit 64 bits; the sum of several does not.
        // 2^40 MACs × 32 × 32 bits = 2^50 BOPs a layer; 8192 of them reach 2^63.
        var layers: [String] = []
        for index in 0..<8200 {
            layers.append(#"{"name": "c\#(index)", "type": "conv2d", "out_channels": 1024, "kernel": 1}"#)
        }
        let network = try parseConfig(config(input: "[1024, 1024, 1024]", layers: layers.joined(separator: ", "))).network
        let plan = QuantizationPlan(weights: .fp32, activations: .fp32)
        do {
            _ = try CostModel.evaluate(network, plan: plan)
            Issue.record("expected the network total to overflow")
        } catch {
            #expect(error.description.contains("network total BOPs"), "\(error)")
        }
    }

    /// A 20,000-level `qn:` set: the cost model and the unit choice stay near-linear in the
    /// level count (the slowness `hwsim cost` shows with one is in the text rendering).
    @Test func aTwentyThousandLevelSetCostsQuickly() throws {
        let levels = try LevelSet((-10_000..<10_000).map(Double.init))
        let plan = QuantizationPlan(weights: .qn(levels), activations: .uniform(bits: 8))
        let network = try shippedConfig("lenet5").network
        let cost = try CostModel.evaluate(network, plan: plan)
        #expect(cost.macs > 0)
        let unit = UnitSelection.unit(weights: .qn(levels), activations: .uniform(bits: 8))
        #expect(unit.weightBits == 15)
    }

    @Test func longValuesAreCutInMessages() {
        let values = Array(repeating: "1", count: 200_000).joined(separator: ", ")
        expectError(config(layers: #"{"name": "l", "type": "linear", "out_features": [\#(values)]}"#),
                    path: "layers[0].out_features", mentioning: "(200000 elements)")
        expectError(config(layers: #"{"name": "a", "type": "activation", "function": "re\u001b[31mlu"}"#),
                    path: "layers[0].function", mentioning: #"\u{1b}"#)
        let key = String(repeating: "k", count: 1_000_000)
        expectError(config(layers: #"{"name": "r", "type": "relu", "\#(key)": 1}"#), mentioning: "unknown field", "(1000000 characters)")
    }
}
