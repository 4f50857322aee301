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
        "thucnews-lstm", "vgg-like",
    ])
    func shippedConfigs(name: String) throws {
        let config = try shippedConfig(name)
        _ = try roundTrip(config.network, config.plan)
    }

    @Test("kinds and fields the shipped configs do not use")
    func unusualLayers() throws {
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
        let text = try roundTrip(network, plan)
        #expect(text.contains("\"inputs\": ["))
        #expect(text.contains("\"type\": \"avgpool1d\""))
    }
}
