import CycleSim
import Foundation
import HWModel
@_exported import TestSupport
import Quantizers

/// A test hardware config on the shipped VU9P device file.
func testHardware(array: String, buffers: (weights: Int, inputs: Int, outputs: Int) = (200, 400, 400), bandwidth: Double? = nil,
                  extra: String = "") throws -> AcceleratorTemplate {
    var template = try HardwareConfig.parse(Data("""
        {"name": "test", "device": "devices/xcvu9p.json", "arrays": [\(array)],
         "buffers": {"weights": {"memory": "uram", "blocks": \(buffers.weights)}, "inputs": {"memory": "bram", "blocks": \(buffers.inputs)},
                     "outputs": {"memory": "bram", "blocks": \(buffers.outputs)}} \(extra)}
        """.utf8), file: "test.json", directory: repositoryRoot.appendingPathComponent("configs/hw").path)
    if let bandwidth { template.board.bandwidthGBps = bandwidth }
    return template
}

func plan(_ weights: String, _ activations: String) throws -> QuantizationPlan {
    QuantizationPlan(weights: try QuantScheme(parsing: weights), activations: try QuantScheme(parsing: activations), firstLast: .quantizeAll)
}

/// input [16, 8, 8] → 1×1 conv to 32 channels → BatchNorm → ReLU.
func pointwiseNetwork() throws -> Network {
    try Network(name: "pointwise", layers: [
        Layer(name: "input", kind: .input(TensorShape([16, 8, 8])), inputs: []),
        Layer(name: "conv", kind: .convolution(Convolution(outChannels: 32, kernel: [1, 1], stride: [1, 1], padding: .explicit(begin: [0, 0], end: [0, 0]),
                                                           dilation: [1, 1], groups: 1, bias: false)), inputs: ["input"]),
        Layer(name: "bn", kind: .batchNorm(BatchNorm()), inputs: ["conv"]),
        Layer(name: "relu", kind: .activation(.relu), inputs: ["bn"]),
    ])
}

/// Schemes the invariants are checked under.
let schemeGrid: [(String, String)] = [
    ("binary", "binary"), ("ternary", "uniform:2"), ("uniform:4", "uniform:4"), ("uniform:8", "uniform:8"),
    ("pot:4", "uniform:4"), ("post:4", "asq:4"), ("fp32", "fp32"),
]

let shippedNetworkNames = ["lenet5", "vgg-like", "alexnet-bn", "resnet18", "resnet20", "resnet50", "mobilenetv2", "imdb-lstm", "thucnews-lstm"]
