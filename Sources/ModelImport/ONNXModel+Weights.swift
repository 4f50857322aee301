/// A compute layer's weight tensor, as `hwsim quantize` reads it from a model.
public struct ONNXWeight: Sendable {
    /// The Conv/Gemm/MatMul node.
    public let node: ONNXNode
    /// The initializer holding the weights (Identity aliases followed).
    public let tensor: ONNXTensor
    /// The axis of the tensor that indexes output channels: 0 for Conv and for Gemm with
    /// transB = 1 (`[N, K]`), 1 for MatMul and Gemm without it (`[K, N]`).
    public let outputChannelAxis: Int
}

extension ONNXModel {
    /// The weight initializer of every Conv, Gemm and MatMul node, in graph order. Weights whose
    /// payload is absent (external data not present) are included; reading their values fails
    /// with an error naming the tensor.
    public func computeWeights() throws(ONNXImportError) -> [ONNXWeight] {
        var result: [ONNXWeight] = []
        for layer in try layerQuantization() {
            guard let name = layer.weightTensor, let tensor = graph.resolvedInitializer(name) else { continue }
            // Gemm and MatMul compute A·B; the weight is B unless the activation feeds input 1
            // (possibly through a Quant node, so compare with the activation, not the weight).
            let weightIsB = layer.node.input(0) == layer.inputTensor
            let axis: Int
            switch layer.node.opType {
            case "Conv": axis = 0
            case "Gemm":
                let transposed = try layer.node.int(weightIsB ? "transB" : "transA", default: 0) == 1
                axis = weightIsB ? (transposed ? 0 : 1) : (transposed ? 1 : 0)
            default:
                axis = weightIsB ? 1 : 0
            }
            result.append(ONNXWeight(node: layer.node, tensor: tensor, outputChannelAxis: axis))
        }
        return result
    }
}
