import Foundation
import HWModel
import Quantizers

/// Matrix products onto `linear` layers: Gemm, and MatMul with a constant weight (with the bias
/// Add of a TorchScript Linear folded in).
extension NetworkImportBuilder {
    mutating func gemm(_ node: ONNXNode) throws(ONNXImportError) {
        let aName = try node.requireInput(0, role: "A")
        if !isDynamic(aName) {
            throw unsupported(node, "its constant operand is A; hwsim maps Gemm(activation, weight) only")
        }
        let a = try activation(node, 0, role: "A")
        let transA = try node.int("transA", default: 0) != 0
        let transB = try node.int("transB", default: 0) != 0
        guard onnxShape(a).count == 2 else {
            throw unsupported(node, "input A has shape \(onnxShape(a)); Gemm takes a 2-D A")
        }
        // With batch 1, A = [1, K] (transA=0) or [K, 1] (transA=1): the batch is A's M dimension.
        guard a.batchAxis == (transA ? 1 : 0) else {
            throw unsupported(node, "A's batch dimension is not its M dimension (transA=\(transA ? 1 : 0))")
        }
        let weight = try requireStaticShape(node, 1, role: "B")
        guard weight.count == 2 else { throw unsupported(node, "weight B has shape \(weight); Gemm takes a 2-D B") }
        let (k, n) = transB ? (weight[1], weight[0]) : (weight[0], weight[1])
        let features = hwShape(a).last ?? 0
        guard k == features else {
            throw unsupported(node, "weight B \(weight) (transB=\(transB ? 1 : 0)) expects \(k) input features, but A has \(features)")
        }
        if let c = node.input(2), isDynamic(c) {
            throw unsupported(node, "its bias C '\(c)' is computed from the graph input; hwsim needs a constant bias")
        }
        let name = try emit(
            node, kind: .linear(Linear(outFeatures: n, bias: node.input(2) != nil)), inputs: [a],
            output: node.outputs.first, batchAxis: 0)
        layerForNode[node.index] = name
    }

    mutating func matMul(_ node: ONNXNode) throws(ONNXImportError) {
        let aName = try node.requireInput(0, role: "A")
        let bName = try node.requireInput(1, role: "B")
        switch (isDynamic(aName), isDynamic(bName)) {
        case (true, true):
            throw unsupported(node, "both operands are computed tensors (e.g. attention scores); hwsim maps MatMul with a constant weight B only")
        case (false, true):
            throw unsupported(node, "its constant operand is A (weight × activation); hwsim maps MatMul(activation, weight) only")
        default: break
        }
        let a = try activation(node, 0, role: "A")
        let weight = try requireStaticShape(node, 1, role: "B")
        guard weight.count == 2 else {
            throw unsupported(node, "weight B has shape \(weight); hwsim maps MatMul with a 2-D weight [K, N]")
        }
        let aShape = onnxShape(a)
        guard aShape.count >= 2, a.batchAxis < aShape.count - 1 else {
            throw unsupported(node, "input A \(aShape) has its batch in the last dimension")
        }
        let features = hwShape(a).last ?? 0
        guard weight[0] == features else {
            throw unsupported(node, "weight B \(weight) expects \(weight[0]) input features, but A \(aShape) has \(features)")
        }
        let output = node.outputs.first
        // TorchScript exports Linear as MatMul + Add(bias): fold the Add into the layer, whose
        // output is then both the MatMul's and the Add's output tensor.
        if let out = output, let add = biasAdd(after: node, output: out, features: weight[1]) {
            fused.insert(add.index)
            for extra in add.outputs where !extra.isEmpty { dynamicTensors.insert(extra) }
            try emitLinear(node, a: a, outFeatures: weight[1], bias: true, output: out)
            if let sum = add.outputs.first, !sum.isEmpty { tensors[sum] = tensors[out] }
            return
        }
        try emitLinear(node, a: a, outFeatures: weight[1], bias: false, output: output)
    }

    mutating func emitLinear(_ node: ONNXNode, a: ImportedTensor, outFeatures: Int, bias: Bool, output: String?) throws(ONNXImportError) {
        let name = try emit(node, kind: .linear(Linear(outFeatures: outFeatures, bias: bias)), inputs: [a], output: output, batchAxis: a.batchAxis)
        layerForNode[node.index] = name
    }

    /// The `Add` that adds a constant bias of `features` values to a MatMul's output, when that
    /// Add is the output's only consumer and the output is not a graph output.
    func biasAdd(after node: ONNXNode, output: String, features: Int) -> ONNXNode? {
        let consumers = graph.consumers(of: output)
        guard consumers.count == 1, let add = consumers.first, add.isDefaultDomain, add.opType == "Add",
              add.inputs.count == 2, !graph.outputs.contains(where: { $0.name == output }) else { return nil }
        guard let other = add.inputs.first(where: { $0 != output }), !other.isEmpty, !isDynamic(other),
              graph.producer(of: other)?.inputs.contains(where: isDynamic) != true,
              let shape = staticShape(other), shape.last == features,
              // A shape whose element count overflows is not a bias vector.
              (try? Checked.product(shape.map(Int64.init), "elements of \(shape)")) == Int64(features) else { return nil }
        return add
    }
}
