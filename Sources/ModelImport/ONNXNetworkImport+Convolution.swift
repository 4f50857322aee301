import Foundation
import HWModel
import Quantizers

/// Sliding-window ops: Conv, MaxPool/AveragePool, and the global poolings (GlobalAveragePool,
/// GlobalMaxPool, and ReduceMean/ReduceMax over the spatial axes).
extension NetworkImportBuilder {
    /// Window padding from `pads`/`auto_pad`.
    func padding(_ node: ONNXNode, rank: Int, input spatial: [Int], kernel: [Int], stride: [Int], dilation: [Int]) throws(ONNXImportError) -> Padding {
        let zero = [Int](repeating: 0, count: rank)
        let autoPad = try node.string("auto_pad", default: "NOTSET").uppercased()
        switch autoPad {
        case "NOTSET", "":
            let pads = try node.ints("pads", default: zero + zero)
            guard pads.count == 2 * rank, pads.allSatisfy({ $0 >= 0 && $0 <= ONNXTensor.maximumDimension }) else {
                throw unsupported(node, "pads \(MessageText.escaped(pads.description)) must hold \(2 * rank) values from 0 to \(ONNXTensor.maximumDimension)")
            }
            return .explicit(begin: Array(pads[..<rank]), end: Array(pads[rank...]))
        case "VALID":
            return .explicit(begin: zero, end: zero)
        case "SAME_UPPER":
            return .same
        case "SAME_LOWER":
            let zeros = Padding.sameZeros(input: spatial, kernel: kernel, stride: stride, dilation: dilation, oddZero: .begin)
            return .explicit(begin: zeros.begin, end: zeros.end)
        default:
            throw unsupported(node, "auto_pad '\(autoPad)' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER")
        }
    }

    func window(_ node: ONNXNode, _ name: String, rank: Int, default value: Int) throws(ONNXImportError) -> [Int] {
        let values = try node.ints(name, default: [Int](repeating: value, count: rank))
        guard values.count == rank, values.allSatisfy({ $0 >= 1 && $0 <= ONNXTensor.maximumDimension }) else {
            throw unsupported(node, "\(name) \(MessageText.escaped(values.description)) must hold \(rank) values from 1 to \(ONNXTensor.maximumDimension)")
        }
        return values
    }

    mutating func convolution(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "X")
        try requireBatchFirst(x, node)
        let weight = try requireStaticShape(node, 1, role: "W")
        let rank = weight.count - 2
        guard rank == 1 || rank == 2 else {
            throw unsupported(node, "weight shape \(weight) describes a \(max(rank, 0))-D convolution; hwsim models 1-D and 2-D convolutions")
        }
        let input = hwShape(x)
        guard input.count == rank + 1 else {
            throw unsupported(node, "input shape \(onnxShape(x)) does not fit its \(rank)-D weight \(weight)")
        }
        let group = try node.int("group", default: 1)
        guard group >= 1 else { throw unsupported(node, "group=\(group) must be at least 1") }
        // weight[1] ≤ 2^31 − 1 (requireStaticShape), but group is any int64 from the file.
        let (expectedChannels, overflow) = weight[1].multipliedReportingOverflow(by: group)
        guard !overflow, expectedChannels == input[0] else {
            let expected = overflow ? "more than 2^63" : "\(expectedChannels)"
            throw unsupported(node, "weight \(weight) with group=\(group) expects \(expected) input channels, but the input \(onnxShape(x)) has \(input[0])")
        }
        let kernel = try window(node, "kernel_shape", rank: rank, default: 1)
        if node.hasAttribute("kernel_shape"), kernel != Array(weight[2...]) {
            throw unsupported(node, "kernel_shape \(kernel) disagrees with the weight's spatial dims \(Array(weight[2...]))")
        }
        let spatialKernel = Array(weight[2...])
        let stride = try window(node, "strides", rank: rank, default: 1)
        let dilation = try window(node, "dilations", rank: rank, default: 1)
        if let bias = node.input(2), isDynamic(bias) {
            throw unsupported(node, "its bias '\(bias)' is computed from the graph input; hwsim needs a constant bias")
        }
        let conv = Convolution(
            outChannels: weight[0], kernel: spatialKernel, stride: stride,
            padding: try padding(node, rank: rank, input: Array(input.dropFirst()), kernel: spatialKernel, stride: stride, dilation: dilation),
            dilation: dilation, groups: group, bias: node.input(2) != nil)
        let name = try emit(node, kind: .convolution(conv), inputs: [x], output: node.outputs.first, batchAxis: 0)
        layerForNode[node.index] = name
    }

    mutating func pool(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "X")
        try requireBatchFirst(x, node)
        if node.outputs.count > 1, !node.outputs[1].isEmpty, !graph.consumers(of: node.outputs[1]).isEmpty {
            throw unsupported(node, "its Indices output is used; hwsim models the pooled values only")
        }
        let kernel = try node.ints("kernel_shape")
        let rank = kernel.count
        guard rank == 1 || rank == 2, kernel.allSatisfy({ $0 >= 1 && $0 <= ONNXTensor.maximumDimension }) else {
            throw unsupported(node, "kernel_shape \(MessageText.escaped(kernel.description)): hwsim models 1-D and 2-D pooling with kernels from 1 to \(ONNXTensor.maximumDimension)")
        }
        let input = hwShape(x)
        guard input.count == rank + 1 else {
            throw unsupported(node, "input \(onnxShape(x)) does not fit its \(rank)-D kernel")
        }
        let stride = try window(node, "strides", rank: rank, default: 1)
        let dilation = try window(node, "dilations", rank: rank, default: 1)
        guard dilation.allSatisfy({ $0 == 1 }) else {
            throw unsupported(node, "dilated pooling (dilations \(dilation)) is not modelled")
        }
        let pooling = Pooling(
            mode: node.opType == "MaxPool" ? .max : .average, kernel: kernel, stride: stride,
            padding: try padding(node, rank: rank, input: Array(input.dropFirst()), kernel: kernel, stride: stride, dilation: dilation),
            ceilMode: try node.int("ceil_mode", default: 0) != 0)
        try emit(node, kind: .pool(pooling), inputs: [x], output: node.outputs.first, batchAxis: 0)
    }


    mutating func globalPool(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "X")
        try requireBatchFirst(x, node)
        try emit(node, kind: .globalPool(node.opType == "GlobalMaxPool" ? .max : .average), inputs: [x], output: node.outputs.first, batchAxis: 0)
    }

    mutating func reduce(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "data")
        try requireBatchFirst(x, node)
        let rank = onnxShape(x).count
        var axes: [Int]?
        if node.hasAttribute("axes") {
            axes = try node.ints("axes")
        } else {
            axes = try constantInts(node, 1, role: "axes")
        }
        let keepDims = try node.int("keepdims", default: 1) != 0
        guard let given = axes, !given.isEmpty else {
            throw unsupported(node, "it reduces over every axis, the batch included; hwsim maps \(node.opType) over the spatial axes only (global pooling)")
        }
        var normalized = [Int]()
        for axis in given { normalized.append(try normalizedAxis(axis, rank: rank, node)) }
        guard rank >= 3, Set(normalized) == Set(2..<rank) else {
            throw unsupported(node, "axes \(given) of a rank-\(rank) input are not exactly the spatial axes \(Array(2..<max(rank, 2))); hwsim maps \(node.opType) as global pooling only")
        }
        let mode: PoolingMode = node.opType == "ReduceMax" ? .max : .average
        if keepDims {
            try emit(node, kind: .globalPool(mode), inputs: [x], output: node.outputs.first, batchAxis: 0)
        } else {
            let pooled = try emit(node, kind: .globalPool(mode), inputs: [x], output: nil, batchAxis: 0)
            try emit(
                node, name: "\(pooled)/squeeze", kind: .flatten(startAxis: 0),
                inputs: [ImportedTensor(layer: pooled, batchAxis: 0)], output: node.outputs.first, batchAxis: 0)
        }
    }
}
