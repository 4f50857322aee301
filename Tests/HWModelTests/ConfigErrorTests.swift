import Foundation
import Testing
@testable import HWModel

/// Every kind of bad input gets one error naming the file and the JSON path, never a trap.
@Suite struct ConfigErrorTests {
    private func expectError(_ text: String, path: String, mentioning fragment: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try parseConfig(text, file: "net.json")
            Issue.record("expected an error at \(path)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.file == "net.json", sourceLocation: sourceLocation)
            #expect(error.path == path, "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("net.json: "), sourceLocation: sourceLocation)
        }
    }

    private func config(layers: String, quantization: String? = nil) -> String {
        """
        {"name": "t", "input": {"shape": [3, 32, 32]}, "layers": [\(layers)]\(quantization.map { ", \"quantization\": \($0)" } ?? "")}
        """
    }

    @Test func malformedJSON() {
        expectError("{\"name\": \"t\", \"layers\": [", path: "", mentioning: "malformed JSON")
        expectError("[1, 2]", path: "", mentioning: "expected an object")
    }

    @Test func unknownLayerTypeSuggestsTheClosest() {
        expectError(config(layers: #"{"name": "c", "type": "conv2", "out_channels": 8, "kernel": 3}"#),
                    path: "layers[0].type", mentioning: "did you mean 'conv2d'")
    }

    @Test func unknownFieldSuggestsTheClosest() {
        expectError(config(layers: #"{"name": "c", "type": "conv2d", "out_channels": 8, "kernal": 3}"#),
                    path: "layers[0].kernel", mentioning: "is required; the object has 'kernal': did you mean 'kernel'?")
        expectError(config(layers: #"{"name": "c", "type": "linear", "out_feature": 8}"#),
                    path: "layers[0].out_features", mentioning: "did you mean 'out_features'?")
        // Nothing close: the plain message.
        expectError(config(layers: #"{"name": "c", "type": "conv2d", "out_channels": 8}"#),
                    path: "layers[0].kernel", mentioning: "kernel: is required")
        expectError(config(layers: #"{"name": "c", "type": "conv2d", "out_channels": 8, "kernel": 3, "strides": 2}"#),
                    path: "layers[0].strides", mentioning: "did you mean 'stride'")
    }

    @Test func missingInputAndCycle() {
        expectError(config(layers: #"{"name": "r", "type": "relu", "inputs": ["nowhere"]}"#),
                    path: "layers[0]", mentioning: "'nowhere' is not the name of any layer")
        expectError(config(layers: #"{"name": "a", "type": "add", "inputs": ["input", "b"]}, {"name": "b", "type": "relu", "inputs": ["a"]}"#),
                    path: "layers[1]", mentioning: "cycle")
    }

    @Test func zeroAndNegativeSizes() {
        expectError(config(layers: #"{"name": "c", "type": "conv2d", "out_channels": 0, "kernel": 3}"#),
                    path: "layers[0].out_channels", mentioning: "positive")
        expectError(config(layers: #"{"name": "c", "type": "conv2d", "out_channels": 8, "kernel": [3, -1]}"#),
                    path: "layers[0].kernel[1]", mentioning: "positive")
        expectError(#"{"input": {"shape": [3, 0, 32]}, "layers": [{"name": "r", "type": "relu"}]}"#,
                    path: "input.shape[1]", mentioning: "positive")
        expectError(config(layers: #"{"name": "fc", "type": "linear", "out_features": 2.5}"#),
                    path: "layers[0].out_features", mentioning: "whole number")
    }

    @Test func shapeMismatchPointsAtTheLayer() {
        expectError(config(layers: #"{"name": "flat", "type": "flatten"}, {"name": "c", "type": "conv2d", "out_channels": 8, "kernel": 3}"#),
                    path: "layers[1]", mentioning: "[3072]")
    }

    @Test(arguments: [#""uniform:0""#, #""uniform:33""#, #""uniform:four""#, #""int""#, #""post:9""#])
    func unsupportedBitwidths(scheme: String) {
        expectError(config(layers: #"{"name": "fc", "type": "linear", "out_features": 4}"#, quantization: #"{"weights": \#(scheme)}"#),
                    path: "quantization.weights", mentioning: "scheme")
    }

    @Test func overrideOfAnUnknownLayer() {
        expectError(config(layers: #"{"name": "flat", "type": "flatten"}, {"name": "fc", "type": "linear", "out_features": 4}"#,
                           quantization: #"{"overrides": {"fc1": {"weights": "binary"}}}"#),
                    path: "quantization.overrides", mentioning: "did you mean 'fc'")
    }

    @Test func templateErrorsNameTheTemplate() {
        let text = """
        {"input": {"shape": [3, 8, 8]},
         "templates": {"block": {"parameters": ["c"], "layers": [{"name": "conv", "type": "conv2d", "out_channels": "$c", "kernel": 3, "padding": "$p"}]}},
         "layers": [{"name": "b", "template": "block", "with": {"c": 4}}]}
        """
        expectError(text, path: "templates.block.layers[0].padding", mentioning: "'$p' is not a parameter")
        expectError(text.replacingOccurrences(of: "\"with\": {\"c\": 4}", with: "\"with\": {\"d\": 4}"),
                    path: "layers[0].with.d", mentioning: "has no parameter 'd'")
        expectError(text.replacingOccurrences(of: "\"template\": \"block\"", with: "\"template\": \"blok\""),
                    path: "layers[0].template", mentioning: "unknown template 'blok'")
    }

    @Test func fileThatDoesNotExist() {
        #expect(throws: ConfigError(file: "/no/such/net.json", path: "", message: "no such file")) {
            try NetworkConfig.load(path: "/no/such/net.json")
        }
    }

    @Test func templatesExpandWithPrefixedNames() throws {
        let config = try shippedConfig("resnet50")
        #expect(config.network.layer(named: "layer3.5.conv3") != nil)
        #expect(config.network.layer(named: "layer1.0.downsample.0")?.inputs == ["maxpool"])
        #expect(config.network.layer(named: "layer2.1.add")?.inputs == ["layer2.1.bn3", "layer2.0.relu3"])
        #expect(config.network.weightLayers.count == 54)
    }
}
