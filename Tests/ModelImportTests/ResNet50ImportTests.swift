import Foundation
import HWModel
import Testing

@testable import ModelImport

/// resnet50_fp32.noweights.onnx: ResNet-50 v1.5 with batch norm folded into conv biases, written by
/// scripts/make-resnet50-onnx.py (shapes only; see Fixtures/README.md).
@Suite("ResNet-50 ONNX (generated, shapes only)")
struct ResNet50ImportTests {
    static let file = "resnet50_fp32.noweights.onnx"

    /// The repository root, found from this file's location, for configs/.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Conv + Gemm parameters of torchvision ResNet-50 with every BatchNorm folded into its conv
    /// as a bias, counted here from the architecture alone:
    ///
    ///   stem conv1 7×7, 3 → 64:                       64·3·49 = 9,408 weights + 64 biases
    ///   stage (blocks n, width w, input c, output 4w):
    ///     first block  conv1 c·w + conv2 9w² + conv3 4w² + downsample 4cw, biases 10w
    ///     other blocks conv1 4w² + conv2 9w² + conv3 4w²,                    biases 6w
    ///   layer1 (3, 64, c 64):    73,728 + 2·69,632      =    212,992 +  1,408
    ///   layer2 (4, 128, c 256):  376,832 + 3·278,528    =  1,212,416 +  3,584
    ///   layer3 (6, 256, c 512):  1,507,328 + 5·1,114,112 = 7,077,888 + 10,240
    ///   layer4 (3, 512, c 1024): 6,029,312 + 2·4,456,448 = 14,942,208 + 11,264
    ///   convs: 23,454,912 weights + 26,560 biases; fc 2048·1000 + 1000 = 2,049,000
    ///   total 23,454,912 + 26,560 + 2,049,000 = 25,530,472
    ///
    /// Check against torchvision's published 25,557,032: that count has no conv biases but 53 BN
    /// layers with weight + bias over 26,560 channels (53,120 parameters), so
    /// 25,557,032 − 53,120 + 26,560 = 25,530,472.
    static var expectedFoldedParameters: Int64 {
        var weights: Int64 = 64 * 3 * 7 * 7
        var biases: Int64 = 64
        var channels: Int64 = 64
        for (blocks, width) in [(3, 64), (4, 128), (6, 256), (3, 512)] as [(Int64, Int64)] {
            let out = 4 * width
            for block in 0..<blocks {
                let input = block == 0 ? channels : out
                weights += input * width + 9 * width * width + width * out
                biases += width + width + out
                if block == 0 {
                    weights += input * out  // downsample.0
                    biases += out
                }
            }
            channels = out
        }
        return weights + biases + channels * 1000 + 1000  // + fc
    }

    @Test("the architecture's folded parameter count is the documented one")
    func arithmetic() {
        #expect(Self.expectedFoldedParameters == 25_530_472)
        #expect(Self.expectedFoldedParameters == 25_557_032 - 53_120 + 26_560)
    }

    @Test("graph facts: 53 Conv + Gemm, every initializer external without payload")
    func graphFacts() throws {
        let model = try Fixture.model(Self.file)
        let graph = model.graph
        #expect(model.irVersion == 7)
        // stem Conv, Relu, MaxPool; 16 bottlenecks × (3 Conv, 3 Relu, Add) + 4 downsample Conv;
        // GlobalAveragePool, Flatten, Gemm.
        #expect(graph.nodes.count == 3 + 16 * 7 + 4 + 3)
        #expect(graph.nodes.filter { $0.opType == "Conv" }.count == 53)
        #expect(graph.initializers.count == 2 * 54)  // weight + bias per Conv and for fc
        #expect(graph.initializers.allSatisfy { $0.isExternal })
        let proto = try Fixture.proto(Self.file)
        #expect(proto.graph.initializer.allSatisfy { $0.rawData.isEmpty && $0.floatData.isEmpty })
    }

    @Test("inferred shapes equal every value_info in the file")
    func shapesMatchValueInfo() throws {
        let model = try Fixture.model(Self.file)
        let imported = try model.importNetwork()
        // The generator infers every intermediate activation: one value_info per node output
        // except the graph output.
        #expect(model.graph.valueInfo.count == 121)
        for info in model.graph.valueInfo + model.graph.outputs {
            let expected = try #require(info.concreteShape, "tensor '\(info.name)' has no concrete shape")
            // No Identity aliases or constant-side entries here: every one is an activation.
            #expect(imported.onnxShape(of: info.name) == expected, "tensor '\(info.name)'")
        }
        #expect(imported.onnxShape(of: "output") == [1, 1000])
    }

    @Test("Conv + Gemm parameters equal torchvision ResNet-50 with BN folded")
    func parameters() throws {
        let imported = try ImportedNetwork.load(contentsOf: Fixture.onnx(Self.file))
        #expect(imported.plan == QuantizationPlan())
        let cost = try CostModel.evaluate(imported.network, plan: imported.plan)
        let computeLayers = Set(imported.network.layers.filter {
            if case .convolution = $0.kind { return true }
            if case .linear = $0.kind { return true }
            return false
        }.map(\.name))
        #expect(computeLayers.count == 53 + 1)  // 49 convs + 4 downsample convs, fc
        let total = cost.layers.filter { computeLayers.contains($0.layer) }.reduce(Int64(0)) { $0 + $1.weights + $1.biases }
        #expect(total == Self.expectedFoldedParameters)
        #expect(cost.parameters == Self.expectedFoldedParameters)  // nothing else carries parameters
    }

    @Test("MACs equal the shipped configs/resnet50.json network's")
    func macsMatchShippedConfig() throws {
        let imported = try ImportedNetwork.load(contentsOf: Fixture.onnx(Self.file))
        let importedCost = try CostModel.evaluate(imported.network, plan: imported.plan)
        let config = try NetworkConfig.load(path: Self.repositoryRoot.appendingPathComponent("configs/resnet50.json").path)
        let configCost = try CostModel.evaluate(config.network, plan: config.plan)
        #expect(importedCost.macs == configCost.macs)
        #expect(importedCost.macs > 4_000_000_000)  // ~4.1 G MACs at 224×224
    }
}
