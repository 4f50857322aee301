import Foundation
import Quantizers
import Testing

@testable import HWModel

@Suite("Config writing")
struct ConfigWritingTests {
    /// Writes `config`, reads the text back and checks that nothing changed.
    func roundTrip(_ network: Network, _ plan: QuantizationPlan, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let text = NetworkConfig.json(for: network, plan: plan, description: "round trip")
        let reread = try NetworkConfig.parse(Data(text.utf8), file: "written.json")
        #expect(reread.network.name == network.name, sourceLocation: sourceLocation)
        #expect(reread.network.layers == network.layers, sourceLocation: sourceLocation)
        #expect(reread.network.outputShapes == network.outputShapes, sourceLocation: sourceLocation)
        #expect(reread.plan == plan, sourceLocation: sourceLocation)
        #expect(NetworkConfig.json(for: reread.network, plan: reread.plan, description: "round trip") == text, "output is not deterministic", sourceLocation: sourceLocation)
        return text
    }

    @Test("every shipped config survives write → parse", arguments: [
        "alexnet-bn", "imdb-lstm", "lenet5", "mobilenetv2", "resnet18", "resnet20", "resnet34", "resnet50",
        "thucnews-lstm", "vgg-like", "unet-resnet50", "fpn-resnet50", "linknet-resnet50", "unetpp-resnet50",
    ])
    func shippedConfigs(name: String) throws {
        let config = try shippedConfig(name)
        _ = try roundTrip(config.network, config.plan)
    }

    /// A network and plan with the layer kinds and plan fields the shipped configs do not use.
    static func unusual() throws -> (Network, QuantizationPlan) {
        let layers = [
            Layer(name: "a", kind: .input(TensorShape([4, 16])), inputs: []),
            Layer(name: "b \"quoted\"/x", kind: .input(TensorShape([4, 16])), inputs: []),
            Layer(name: "conv", kind: .convolution(Convolution(outChannels: 8, kernel: [3], stride: [2], padding: .explicit(begin: [1], end: [0]), dilation: [1], groups: 2, bias: false)), inputs: ["a"]),
            Layer(name: "pool", kind: .pool(Pooling(mode: .average, kernel: [2], stride: [1], padding: .same, ceilMode: true)), inputs: ["conv"]),
            Layer(name: "conv2", kind: .convolution(Convolution(outChannels: 8, kernel: [1], stride: [1], padding: .same, dilation: [1], groups: 1, bias: true)), inputs: ["b \"quoted\"/x"]),
            Layer(name: "up", kind: .upsample(scale: 2, mode: .bilinear), inputs: ["conv2"]),
            Layer(name: "down", kind: .pool(Pooling(mode: .max, kernel: [2], stride: [2], padding: .explicit(begin: [0], end: [0]), ceilMode: false)), inputs: ["up"]),
            Layer(name: "join", kind: .concat(axis: -1), inputs: ["pool", "down"]),
            Layer(name: "t", kind: .transpose([1, 0]), inputs: ["join"]),
            Layer(name: "r", kind: .reshape([-1, 4]), inputs: ["t"]),
            Layer(name: "s", kind: .softmax(axis: 0), inputs: ["r"]),
            Layer(name: "m", kind: .multiply, inputs: ["s"]),
            Layer(name: "fc", kind: .linear(Linear(outFeatures: 3, bias: false)), inputs: ["m"]),
        ]
        let network = try Network(name: "odd", layers: layers)
        var plan = QuantizationPlan(weights: .pot(bits: 4), activations: .asq(bits: 4), firstLast: .keep(bits: 8), scales: .perChannel)
        plan.overrides = ["fc": LayerOverride(weights: .qn(try LevelSet(parsing: "{-4,-2,-1,0,1,2,4}")), scales: .perTensor)]
        plan.adapter = AdapterSpec(statistic: .channelMeanAndStd, hiddenWidths: [], parameterBits: 16, operationsPerMAC: 1, countsStatisticOperations: true, placement: .allLayers)
        return (network, plan)
    }

    @Test("kinds and fields the shipped configs do not use")
    func unusualLayers() throws {
        let (network, plan) = try Self.unusual()
        let text = try roundTrip(network, plan)
        #expect(text.contains("\"inputs\": ["))
        #expect(text.contains("\"type\": \"avgpool1d\""))
    }

    @Test("the written text, byte for byte (what hwsim convert prints)")
    func exactText() throws {
        let (network, unusualPlan) = try Self.unusual()
        var plan = unusualPlan
        plan.overrides["conv"] = LayerOverride(activations: .uniform(bits: 2))
        let expected = #"""
            {
              "name": "odd",
              "description": "odd \"one\"\n\ttabbed",
              "inputs": [
                {"name": "a", "shape": [4, 16]},
                {"name": "b \"quoted\"/x", "shape": [4, 16]}
              ],
              "layers": [
                {"name": "conv", "inputs": ["a"], "type": "conv1d", "out_channels": 8, "kernel": [3], "stride": [2], "padding": [1, 0], "dilation": [1], "groups": 2, "bias": false},
                {"name": "pool", "type": "avgpool1d", "kernel": [2], "stride": [1], "padding": "same", "ceil_mode": true},
                {"name": "conv2", "inputs": ["b \"quoted\"/x"], "type": "conv1d", "out_channels": 8, "kernel": [1], "stride": [1], "padding": "same", "dilation": [1], "groups": 1, "bias": true},
                {"name": "up", "type": "upsample", "scale": 2, "mode": "bilinear"},
                {"name": "down", "type": "maxpool1d", "kernel": [2], "stride": [2], "padding": [0], "ceil_mode": false},
                {"name": "join", "inputs": ["pool", "down"], "type": "concat", "axis": -1},
                {"name": "t", "type": "transpose", "perm": [1, 0]},
                {"name": "r", "type": "reshape", "shape": [-1, 4]},
                {"name": "s", "type": "softmax", "axis": 0},
                {"name": "m", "type": "mul"},
                {"name": "fc", "type": "linear", "out_features": 3, "bias": false}
              ],
              "quantization": {
                "weights": "pot:4",
                "activations": "asq:4",
                "first_last": "keep-8bit",
                "scales": "channel",
                "overrides": {
                  "conv": {"activations": "uniform:2"},
                  "fc": {"weights": "qn:3bit-pm4", "scales": "tensor"}
                },
                "adapter": {"statistic": "channel-mean-std", "hidden": [], "parameter_bits": 16, "ops_per_mac": 1, "count_statistic_ops": true, "placement": "all"}
              }
            }
            """#
        #expect(NetworkConfig.json(for: network, plan: plan, description: "odd \"one\"\n\ttabbed") == expected + "\n")
    }
}
