import Foundation
import HWModel

/// Ops that move or relabel data without computing: Concat, Flatten, Reshape, Squeeze/Unsqueeze
/// and Transpose (Identity and Dropout map through `elementwise(_:_:)` as `identity` layers).
extension NetworkImportBuilder {
    mutating func concat(_ node: ONNXNode) throws(ONNXImportError) {
        var inputs = [ImportedTensor]()
        for position in node.inputs.indices {
            inputs.append(try activation(node, position, role: "inputs[\(position)]"))
        }
        guard let first = inputs.first else { throw unsupported(node, "it has no inputs") }
        guard inputs.allSatisfy({ $0.batchAxis == first.batchAxis }) else {
            throw unsupported(node, "its inputs hold the batch in different dimensions")
        }
        let axis = try normalizedAxis(try node.int("axis"), rank: onnxShape(first).count, node)
        let hw = try hwAxis(axis, of: first, node)
        try emit(node, kind: .concat(axis: hw), inputs: inputs, output: node.outputs.first, batchAxis: first.batchAxis)
    }

    mutating func flatten(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "input")
        try requireBatchFirst(x, node)
        let rank = onnxShape(x).count
        let axis = try node.int("axis", default: 1)
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved <= rank else { throw unsupported(node, "axis \(axis) is outside its rank-\(rank) input") }
        // Flatten gives [d0·…·d(axis−1), d(axis)·…]; with the batch first, only axis 0 or 1 keeps
        // the batch as the leading dimension of the result.
        guard resolved <= 1 else {
            throw unsupported(node, "axis \(axis) merges feature dimensions into the batch dimension; hwsim maps Flatten with axis 0 or 1")
        }
        try emit(node, kind: .flatten(startAxis: 0), inputs: [x], output: node.outputs.first, batchAxis: 0)
    }

    /// Emits a reshape (or identity when the hwsim shape is unchanged) from `x` to ONNX shape
    /// `target` whose batch sits at `batchAxis`.
    mutating func reshapeLayer(_ node: ONNXNode, _ x: ImportedTensor, target: [Int], batchAxis: Int) throws(ONNXImportError) {
        var dims = target
        dims.remove(at: batchAxis)
        guard !dims.isEmpty else {
            throw unsupported(node, "its result \(target) has no dimension besides the batch")
        }
        let kind: LayerKind = dims == hwShape(x) ? .identity : .reshape(dims)
        try emit(node, kind: kind, inputs: [x], output: node.outputs.first, batchAxis: batchAxis)
    }

    mutating func reshape(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "data")
        let input = onnxShape(x)
        let shapeName = try node.requireInput(1, role: "shape")
        if isDynamic(shapeName) {
            throw unsupported(node, "its target shape '\(shapeName)' is computed at run time; hwsim needs a constant shape")
        }
        let allowZero = try node.int("allowzero", default: 0) != 0
        var target: [Int]
        var copiedBatch = false
        if let constant = try graph.constant(shapeName), constant.hasPayload {
            let requested = try integers(try constant.values(), node, role: "target shape")
            target = []
            for (index, value) in requested.enumerated() {
                if value == 0 && !allowZero {
                    guard index < input.count else { throw unsupported(node, "shape \(requested) copies dimension \(index), which the input \(input) lacks") }
                    target.append(input[index])
                    if index == x.batchAxis { copiedBatch = true }
                } else {
                    target.append(value)
                }
            }
            let total = try elementCount(input, node)
            let inferred = target.filter { $0 == -1 }.count
            guard inferred <= 1, target.allSatisfy({ $0 > 0 || $0 == -1 }) else {
                throw unsupported(node, "shape \(requested) must hold positive sizes, 0 (copy) and at most one -1")
            }
            let known = try elementCount(target.filter { $0 != -1 }, node)
            if let slot = target.firstIndex(of: -1) {
                guard known > 0, total % known == 0 else {
                    throw unsupported(node, "cannot reshape \(input) (\(total) elements) to \(requested)")
                }
                target[slot] = total / known
            } else if known != total {
                throw unsupported(node, "cannot reshape \(input) (\(total) elements) to \(requested)")
            }
        } else if let shape = graph.valueInfo(for: node.outputs.first ?? "")?.shape {
            // Target values not in the file: fall back on the output's recorded shape.
            target = []
            for (index, dim) in shape.enumerated() {
                switch dim {
                case .value(let v): target.append(v)
                default:
                    guard index == 0 else { throw .unknownShape(file: file, tensor: node.outputs.first ?? "", neededBy: "node '\(node.displayName)' (Reshape)") }
                    target.append(1)
                }
            }
        } else {
            throw .unknownShape(file: file, tensor: shapeName, neededBy: "target shape of node '\(node.displayName)' (Reshape)")
        }
        let batchAxis: Int
        if copiedBatch {
            batchAxis = x.batchAxis
        } else if target.first == 1 && x.batchAxis == 0 {
            batchAxis = 0
        } else if x.batchAxis < target.count, target[x.batchAxis] == 1,
                  try elementCount(target[..<x.batchAxis], node) == elementCount(input[..<x.batchAxis], node) {
            batchAxis = x.batchAxis
        } else {
            throw unsupported(node, "reshaping \(input) to \(target) merges the batch dimension with other dimensions")
        }
        try reshapeLayer(node, x, target: target, batchAxis: batchAxis)
    }

    mutating func squeeze(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "data")
        let input = onnxShape(x)
        let axes: [Int]?
        if node.hasAttribute("axes") {
            axes = try node.ints("axes")
        } else {
            axes = try constantInts(node, 1, role: "axes")
        }
        guard let axes, !axes.isEmpty else {
            throw unsupported(node, "it has no axes, so it would also remove the batch dimension; hwsim needs explicit axes")
        }
        var target = input
        var batchAxis = x.batchAxis
        if node.opType == "Squeeze" {
            var normalized = [Int]()
            for axis in axes { normalized.append(try normalizedAxis(axis, rank: input.count, node)) }
            for axis in Set(normalized).sorted(by: >) {
                guard axis != x.batchAxis else { throw unsupported(node, "it removes the batch dimension (axis \(axis))") }
                guard input[axis] == 1 else { throw unsupported(node, "axis \(axis) of \(input) has size \(input[axis]), not 1") }
                target.remove(at: axis)
                if axis < batchAxis { batchAxis -= 1 }
            }
        } else {
            let outRank = input.count + axes.count
            var normalized = [Int]()
            for axis in axes { normalized.append(try normalizedAxis(axis, rank: outRank, node)) }
            for axis in Set(normalized).sorted() {
                target.insert(1, at: axis)
                if axis <= batchAxis { batchAxis += 1 }
            }
        }
        try reshapeLayer(node, x, target: target, batchAxis: batchAxis)
    }

    mutating func transpose(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "data")
        let rank = onnxShape(x).count
        let perm = try node.ints("perm", default: Array((0..<rank).reversed()))
        guard perm.sorted() == Array(0..<rank) else {
            throw unsupported(node, "perm \(perm) is not a permutation of 0..<\(rank)")
        }
        guard let batchAxis = perm.firstIndex(of: x.batchAxis) else {
            throw unsupported(node, "perm \(perm) drops the batch dimension")
        }
        // With a batch of 1, moving the batch dimension does not move data: only the relative
        // order of the other dimensions matters.
        var hwPerm = [Int]()
        for (position, source) in perm.enumerated() where position != batchAxis {
            hwPerm.append(source < x.batchAxis ? source : source - 1)
        }
        let kind: LayerKind = hwPerm == Array(0..<hwPerm.count) ? .identity : .transpose(hwPerm)
        try emit(node, kind: kind, inputs: [x], output: node.outputs.first, batchAxis: batchAxis)
    }
}
