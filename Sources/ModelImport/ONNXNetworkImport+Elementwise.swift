import Foundation
import HWModel

/// Element-wise ops: activations (Relu, Clip, Sigmoid, ...), BatchNormalization, Softmax, and
/// Add/Sub/Mul/Div on activations or with constants.
extension NetworkImportBuilder {
    mutating func elementwise(_ node: ONNXNode, _ kind: LayerKind) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "X")
        try emit(node, kind: kind, inputs: [x], output: node.outputs.first, batchAxis: x.batchAxis)
    }


    mutating func batchNorm(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "X")
        try requireBatchFirst(x, node)
        try emit(node, kind: .batchNorm(BatchNorm(affine: true)), inputs: [x], output: node.outputs.first, batchAxis: 0)
    }

    mutating func clip(_ node: ONNXNode) throws(ONNXImportError) {
        func bound(_ position: Int, attribute: String, role: String) throws(ONNXImportError) -> Double? {
            if let name = node.input(position) {
                if isDynamic(name) { throw unsupported(node, "its \(role) '\(name)' is computed at run time; hwsim needs a constant bound") }
                guard let constant = try graph.constant(name) else {
                    throw unsupported(node, "its \(role) '\(name)' is not a constant (initializer or Constant node)")
                }
                return try constant.scalarValue()
            }
            if node.hasAttribute(attribute) { return Double(try node.float(attribute)) }
            return nil
        }
        let low = try bound(1, attribute: "min", role: "min")
        let high = try bound(2, attribute: "max", role: "max")
        let kind: LayerKind
        switch (low, high) {
        case (nil, nil): kind = .identity
        case (0?, 6?): kind = .activation(.relu6)
        case (0?, nil): kind = .activation(.relu)
        case (0?, let h?) where h.isInfinite || h >= Double(Float.greatestFiniteMagnitude): kind = .activation(.relu)
        default: kind = .activation(.hardtanh)
        }
        try elementwise(node, kind)
    }

    mutating func softmax(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "input")
        let rank = onnxShape(x).count
        let axis = try normalizedAxis(try node.int("axis", default: opset < 13 ? 1 : -1), rank: rank, node)
        if opset < 13 && axis != rank - 1 {
            throw unsupported(node, "opset \(opset) Softmax over axis \(axis) flattens the trailing dimensions; hwsim maps softmax over the last axis only for opsets below 13")
        }
        let hw = try hwAxis(axis, of: x, node)
        try emit(node, kind: .softmax(axis: hw), inputs: [x], output: node.outputs.first, batchAxis: x.batchAxis)
    }

    mutating func arithmetic(_ node: ONNXNode) throws(ONNXImportError) {
        let a = try node.requireInput(0, role: "A")
        let b = try node.requireInput(1, role: "B")
        let output = node.outputs.first
        if isDynamic(a) && isDynamic(b) {
            let x = try activation(node, 0, role: "A")
            let y = try activation(node, 1, role: "B")
            guard x.batchAxis == y.batchAxis else {
                throw unsupported(node, "its operands hold the batch in different dimensions")
            }
            // Element-wise on two activations of equal shape (broadcasting is not modelled):
            // Add/Sub cost one addition per element, Mul/Div one multiplication.
            let kind: LayerKind = (node.opType == "Add" || node.opType == "Sub") ? .add : .multiply
            try emit(node, kind: kind, inputs: [x, y], output: output, batchAxis: x.batchAxis)
            return
        }
        // One operand is a constant: an element-wise op with a constant, one vector op per element.
        let position = isDynamic(a) ? 0 : 1
        let x = try activation(node, position, role: position == 0 ? "A" : "B")
        let constantName = position == 0 ? b : a
        if let constantShape = staticShape(constantName) {
            let shape = onnxShape(x)
            guard constantShape.count <= shape.count,
                  zip(constantShape.reversed(), shape.reversed()).allSatisfy({ $0 == 1 || $0 == $1 }) else {
                throw unsupported(node, "constant '\(constantName)' \(constantShape) broadcasts the activation \(shape) to a larger shape")
            }
        }
        try emit(node, kind: .multiply, inputs: [x], output: output, batchAxis: x.batchAxis)
    }
}
