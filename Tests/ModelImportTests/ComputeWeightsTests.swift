import Testing
@testable import ModelImport

@Suite struct ComputeWeightsTests {
    @Test func lenetWeightsAndTheirOutputChannelAxes() throws {
        let weights = try Fixture.model("lenet5_w4a4.onnx").computeWeights()
        #expect(weights.map(\.node.opType) == ["Conv", "Conv", "MatMul", "MatMul"])
        #expect(weights.map(\.tensor.dims) == [[32, 1, 5, 5], [64, 32, 5, 5], [1024, 512], [512, 10]])
        // Conv weights are [out, in, kh, kw]; MatMul weights are [in, out].
        #expect(weights.map(\.outputChannelAxis) == [0, 0, 1, 1])
        #expect(weights.allSatisfy { $0.tensor.hasPayload })
        #expect(try weights[0].tensor.values().count == 800)
    }

    @Test func gemmWithTransposedWeightsUsesAxisZero() throws {
        let weights = try Fixture.model("resnet20_cifar_fp32.onnx").computeWeights()
        let gemm = try #require(weights.last)
        #expect(gemm.node.opType == "Gemm")
        #expect(gemm.tensor.dims == [10, 64])
        #expect(gemm.outputChannelAxis == 0)
    }

    @Test func externalWeightsAreListedButHaveNoValues() throws {
        let weights = try Fixture.model("alexnet_fp32.noweights.onnx").computeWeights()
        #expect(weights.count == 8)
        #expect(weights.contains { !$0.tensor.hasPayload })
    }
}
