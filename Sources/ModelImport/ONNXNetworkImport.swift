import Foundation
import HWModel

/// Where an ONNX tensor lives in the imported hwsim network.
public struct ImportedTensor: Hashable, Sendable {
    /// The hwsim layer whose output the tensor is.
    public let layer: String
    /// Position of the (size-1) batch dimension in the ONNX tensor. hwsim shapes leave it out,
    /// so the ONNX shape is the layer's output shape with a 1 inserted here. Usually 0; an
    /// LSTM's sequence-major tensors carry it at 1 (or 2 for `Y`).
    public let batchAxis: Int

    /// Creates a tensor mapping.
    public init(layer: String, batchAxis: Int) {
        self.layer = layer
        self.batchAxis = batchAxis
    }
}

/// An ONNX or QONNX model mapped onto an hwsim ``Network`` and ``QuantizationPlan``.
///
/// Produced by ``ONNXModel/importNetwork(name:)``. Compute layers (conv, linear, embedding,
/// LSTM) are named after their ONNX nodes; QONNX quantizer nodes on activations become
/// `identity` layers named after the quantizer and their bitwidths go into ``plan``.
public struct ImportedNetwork: Sendable {
    /// The validated network, shapes inferred by hwsim.
    public let network: Network
    /// The model's own quantization: FP32 for plain ONNX; for QONNX, defaults taken from the
    /// most common per-layer setting and per-layer overrides for the rest.
    public let plan: QuantizationPlan
    /// The file the model came from, for messages.
    public let sourceFile: String
    /// Every computed (activation) ONNX tensor, by name: the layer that produces it and where
    /// its batch dimension is. Weight-side tensors (initializers, weight quantizers) are absent.
    public let tensors: [String: ImportedTensor]
    /// The QONNX view of each Conv/Gemm/MatMul node, from ``ONNXModel/layerQuantization()``.
    public let layerQuantization: [QONNXLayerQuantization]

    /// The ONNX shape (batch dimension included, as 1) hwsim infers for `tensor`, or `nil` when
    /// the tensor is not an imported activation.
    public func onnxShape(of tensor: String) -> [Int]? {
        guard let mapping = tensors[tensor], let shape = network.outputShapes[mapping.layer] else { return nil }
        var dims = shape.dims
        guard mapping.batchAxis <= dims.count else { return nil }
        dims.insert(1, at: mapping.batchAxis)
        return dims
    }

    /// Reads a `.onnx` file and imports it.
    /// - Throws: ``ONNXImportError`` naming the file (and the node, for node problems).
    public static func load(contentsOf url: URL, name: String? = nil) throws(ONNXImportError) -> ImportedNetwork {
        try ONNXModel.load(contentsOf: url).importNetwork(name: name)
    }
}

extension ONNXModel {
    /// Default-domain opsets the importer accepts.
    public static let supportedOpsets = 11...20

    /// Default-domain ops the network import maps (QONNX `Quant`, `IntQuant`, `BipolarQuant` and
    /// `Trunc` are accepted in addition, in the QONNX domains).
    public static let supportedOps: Set<String> = [
        "Conv", "Gemm", "MatMul", "BatchNormalization", "Relu", "LeakyRelu", "Clip", "Sigmoid", "Tanh",
        "HardSwish", "Gelu", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "ReduceMean",
        "ReduceMax", "Add", "Sub", "Mul", "Div", "Concat", "Flatten", "Reshape", "Squeeze", "Unsqueeze",
        "Transpose", "Identity", "Dropout", "Constant", "Gather", "LSTM", "Softmax",
    ]

    /// Maps the graph onto an hwsim network and the file's quantization plan.
    ///
    /// The batch dimension of every graph input must be 1 or symbolic; it is dropped. Nodes
    /// computed from constants only (weight quantizers, `Identity` aliases of initializers,
    /// `Constant`) fold away. Shapes never need weight payloads: weights are described by their
    /// `dims` (or `value_info`).
    /// - Parameter name: the network's name; the file name without extension by default.
    /// - Throws: ``ONNXImportError`` naming the file, and the node and op where one is at fault.
    public func importNetwork(name: String? = nil) throws(ONNXImportError) -> ImportedNetwork {
        if let version = opsetVersion(domain: ""), !Self.supportedOpsets.contains(version) {
            throw .unsupportedOpset(file: sourceFile, version: version)
        }
        let networkName = name ?? URL(fileURLWithPath: sourceFile).deletingPathExtension().lastPathComponent
        var builder = NetworkImportBuilder(model: self)
        try builder.run()
        let network: Network
        do {
            network = try Network(name: networkName, layers: builder.layers)
        } catch {
            throw builder.networkError(error)
        }
        let quantization = try layerQuantization()
        let plan = try QONNXPlanBuilder.plan(
            network: network, quantization: quantization, layerForNode: builder.layerForNode, file: sourceFile)
        return ImportedNetwork(
            network: network, plan: plan, sourceFile: sourceFile, tensors: builder.tensors,
            layerQuantization: quantization)
    }
}

/// The node-by-node translation behind ``ONNXModel/importNetwork(name:)``.
struct NetworkImportBuilder {
    let model: ONNXModel
    let graph: ONNXGraph
    let file: String
    let opset: Int

    /// Layers in creation order.
    var layers: [Layer] = []
    /// Output shape of each created layer.
    var shapes: [String: TensorShape] = [:]
    /// Activation tensors mapped so far.
    var tensors: [String: ImportedTensor] = [:]
    /// Outputs of nodes that read an activation, mapped or not.
    var dynamicTensors: Set<String> = []
    /// Compute layer of each Conv/Gemm/MatMul/Gather/LSTM node, by node index.
    var layerForNode: [Int: String] = [:]
    /// The node each layer came from, for error messages.
    var nodeForLayer: [String: ONNXNode] = [:]
    /// Nodes absorbed into another layer (a MatMul's bias Add).
    var fused: Set<Int> = []
    var usedNames: Set<String> = []

    init(model: ONNXModel) {
        self.model = model
        graph = model.graph
        file = model.sourceFile
        opset = model.opsetVersion(domain: "") ?? 13
    }

    // MARK: Driver

    mutating func run() throws(ONNXImportError) {
        for input in graph.dataInputs {
            try addGraphInput(input)
        }
        if layers.isEmpty {
            throw .invalidNetwork(file: file, node: nil, op: nil, reason: "the graph has no data input (every graph input is an initializer)")
        }
        for index in try topologicalOrder() where !fused.contains(index) {
            try translate(graph.nodes[index])
        }
    }

    private mutating func addGraphInput(_ input: ONNXValueInfo) throws(ONNXImportError) {
        guard let shape = input.shape else {
            throw .unsupportedInput(file: file, input: input.name, reason: "the file gives no shape; hwsim needs its extents")
        }
        guard let batch = shape.first, shape.count >= 2 else {
            throw .unsupportedInput(
                file: file, input: input.name,
                reason: "shape \(shape.map(\.description)) has no dimension besides the batch; hwsim needs [batch, ...]")
        }
        if case .value(let b) = batch, b != 1 {
            throw .unsupportedInput(file: file, input: input.name, reason: "batch dimension is \(b); hwsim models batch 1 (or a symbolic batch)")
        }
        var dims = [Int]()
        for (axis, dim) in shape.enumerated().dropFirst() {
            guard case .value(let v) = dim, v > 0 else {
                throw .unsupportedInput(
                    file: file, input: input.name,
                    reason: "dimension \(axis) is '\(dim)'; every dimension but the batch must be a fixed positive size")
            }
            dims.append(v)
        }
        let name = uniqueName(input.name)
        let layer = Layer(name: name, kind: .input(TensorShape(dims)), inputs: [])
        layers.append(layer)
        shapes[name] = TensorShape(dims)
        tensors[input.name] = ImportedTensor(layer: name, batchAxis: 0)
        dynamicTensors.insert(input.name)
    }

    /// Node indices in a topological order (file order wherever it is already valid).
    private func topologicalOrder() throws(ONNXImportError) -> [Int] {
        let nodes = graph.nodes
        var pending = [Int](repeating: 0, count: nodes.count)
        var consumers = [[Int]](repeating: [], count: nodes.count)
        for node in nodes {
            var producers = Set<Int>()
            for input in node.inputs where !input.isEmpty {
                if graph.initializer(named: input) == nil, let producer = graph.producer(of: input), producer.index != node.index {
                    producers.insert(producer.index)
                }
            }
            pending[node.index] = producers.count
            for producer in producers { consumers[producer].append(node.index) }
        }
        var ready = nodes.indices.filter { pending[$0] == 0 }.reversed().map { $0 }
        var order = [Int]()
        order.reserveCapacity(nodes.count)
        while let next = ready.popLast() {
            order.append(next)
            var released = [Int]()
            for consumer in consumers[next] {
                pending[consumer] -= 1
                if pending[consumer] == 0 { released.append(consumer) }
            }
            // Keep the smallest index on top so file order wins.
            ready.append(contentsOf: released)
            ready.sort(by: >)
        }
        guard order.count == nodes.count else {
            let stuck = nodes.indices.first { pending[$0] > 0 }.map { nodes[$0] }
            throw .invalidNetwork(
                file: file, node: stuck?.displayName, op: stuck?.opType, reason: "the graph has a cycle through this node")
        }
        return order
    }

    // MARK: Helpers

    private mutating func uniqueName(_ proposed: String) -> String {
        var name = proposed.isEmpty ? "layer" : proposed
        var suffix = 2
        while usedNames.contains(name) {
            name = "\(proposed)#\(suffix)"
            suffix += 1
        }
        usedNames.insert(name)
        return name
    }

    private func unsupported(_ node: ONNXNode, _ reason: String) -> ONNXImportError {
        .unsupportedNode(file: file, node: node.displayName, op: node.opType, reason: reason)
    }

    /// The activation behind input `position` of `node`.
    private func activation(_ node: ONNXNode, _ position: Int, role: String) throws(ONNXImportError) -> ImportedTensor {
        let name = try node.requireInput(position, role: role)
        if let mapped = tensors[name] { return mapped }
        if dynamicTensors.contains(name) {
            let producer = graph.producer(of: name)
            throw unsupported(node, "input \(position) (\(role)) is '\(name)', an output of node '\(producer?.displayName ?? "?")' (\(producer?.opType ?? "?")) that hwsim does not model")
        }
        throw unsupported(node, "input \(position) (\(role)) '\(name)' is a constant; hwsim expects an activation computed from the graph input here")
    }

    private func isDynamic(_ tensor: String?) -> Bool {
        guard let tensor, !tensor.isEmpty else { return false }
        return dynamicTensors.contains(tensor)
    }

    /// The ONNX shape of a mapped activation (batch included as 1).
    private func onnxShape(_ tensor: ImportedTensor) -> [Int] {
        var dims = shapes[tensor.layer]?.dims ?? []
        dims.insert(1, at: min(tensor.batchAxis, dims.count))
        return dims
    }

    private func hwShape(_ tensor: ImportedTensor) -> [Int] { shapes[tensor.layer]?.dims ?? [] }

    /// Shape of a constant-side tensor: its initializer/Constant dims or value_info, else traced
    /// back through QONNX quantizers and Identity (which keep the shape).
    private func staticShape(_ tensor: String) -> [Int]? {
        var name = tensor
        var seen = Set<String>()
        while seen.insert(name).inserted {
            if let shape = graph.shape(of: name) { return shape }
            guard let producer = graph.producer(of: name),
                  producer.qonnxQuantizerKind != nil || (producer.isDefaultDomain && producer.opType == "Identity"),
                  let source = producer.input(0) else { return nil }
            name = source
        }
        return nil
    }

    private func requireStaticShape(_ node: ONNXNode, _ position: Int, role: String) throws(ONNXImportError) -> [Int] {
        let name = try node.requireInput(position, role: role)
        if isDynamic(name) {
            throw unsupported(node, "its \(role) '\(name)' is computed from the graph input; hwsim needs a constant \(role)")
        }
        guard let shape = staticShape(name) else {
            throw .unknownShape(file: file, tensor: name, neededBy: "\(role) of node '\(node.displayName)' (\(node.opType))")
        }
        return shape
    }

    /// Integer values of a constant input (Reshape shape, Squeeze axes, ...).
    private func constantInts(_ node: ONNXNode, _ position: Int, role: String) throws(ONNXImportError) -> [Int]? {
        guard let name = node.input(position) else { return nil }
        guard let constant = try graph.constant(name) else {
            throw unsupported(node, "its \(role) '\(name)' is computed at run time; hwsim needs a constant (initializer or Constant node)")
        }
        return try constant.values().map { Int($0) }
    }

    /// A normalized ONNX axis of a rank-`rank` tensor.
    private func normalizedAxis(_ axis: Int, rank: Int, _ node: ONNXNode) throws(ONNXImportError) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < rank else {
            throw unsupported(node, "axis \(axis) is outside its rank-\(rank) input")
        }
        return resolved
    }

    /// The hwsim axis of ONNX axis `axis` (normalized) of `tensor`; the batch axis itself is an error.
    private func hwAxis(_ axis: Int, of tensor: ImportedTensor, _ node: ONNXNode) throws(ONNXImportError) -> Int {
        if axis == tensor.batchAxis {
            throw unsupported(node, "it operates along the batch dimension (axis \(axis)), which hwsim does not model")
        }
        return axis < tensor.batchAxis ? axis : axis - 1
    }

    private func requireBatchFirst(_ tensor: ImportedTensor, _ node: ONNXNode) throws(ONNXImportError) {
        guard tensor.batchAxis == 0 else {
            throw unsupported(node, "its input has the batch in dimension \(tensor.batchAxis); hwsim needs batch-first (NCHW) activations here")
        }
    }

    /// Appends a layer made from `node`, infers its shape and maps `output` to it.
    @discardableResult
    private mutating func emit(
        _ node: ONNXNode, name proposed: String? = nil, kind: LayerKind, inputs: [ImportedTensor],
        output: String?, batchAxis: Int
    ) throws(ONNXImportError) -> String {
        let name = uniqueName(proposed ?? node.displayName)
        let layer = Layer(name: name, kind: kind, inputs: inputs.map(\.layer))
        do {
            try layer.checkParameters()
            shapes[name] = try layer.outputShape(for: inputs.map { shapes[$0.layer] ?? TensorShape([]) })
        } catch {
            throw .invalidNetwork(file: file, node: node.displayName, op: node.opType, reason: error.description)
        }
        layers.append(layer)
        nodeForLayer[name] = node
        if let output, !output.isEmpty {
            tensors[output] = ImportedTensor(layer: name, batchAxis: batchAxis)
        }
        return name
    }

    /// A `GraphError` from the final validation, attributed to the node its layer came from.
    func networkError(_ error: GraphError) -> ONNXImportError {
        let node = error.layerName.flatMap { nodeForLayer[$0] }
        return .invalidNetwork(file: file, node: node?.displayName, op: node?.opType, reason: error.description)
    }

    // MARK: Translation

    private mutating func translate(_ node: ONNXNode) throws(ONNXImportError) {
        let quantizerKind = node.qonnxQuantizerKind
        if quantizerKind == nil {
            guard node.isDefaultDomain, ONNXModel.supportedOps.contains(node.opType) else {
                throw .unsupportedOp(file: file, node: node.displayName, op: node.opType, domain: node.domain)
            }
        }
        // Nodes computed from constants only fold away (weight quantizers, Identity aliases, Constant).
        guard node.inputs.contains(where: isDynamic) else { return }
        for output in node.outputs where !output.isEmpty { dynamicTensors.insert(output) }
        let output = node.outputs.first

        if quantizerKind != nil {
            // Its bitwidth goes into the plan; the tensor passes through.
            let x = try activation(node, 0, role: "x")
            for position in 1..<max(node.inputs.count, 1) where isDynamic(node.input(position)) {
                throw unsupported(node, "quantizer parameter input \(position) is computed from the graph input; hwsim needs constant quantizer parameters")
            }
            try emit(node, kind: .identity, inputs: [x], output: output, batchAxis: x.batchAxis)
            return
        }

        switch node.opType {
        case "Conv": try convolution(node)
        case "Gemm": try gemm(node)
        case "MatMul": try matMul(node)
        case "BatchNormalization":
            let x = try activation(node, 0, role: "X")
            try requireBatchFirst(x, node)
            try emit(node, kind: .batchNorm(BatchNorm(affine: true)), inputs: [x], output: output, batchAxis: 0)
        case "Relu": try elementwise(node, .activation(.relu))
        case "LeakyRelu": try elementwise(node, .activation(.leakyRelu))
        case "Sigmoid": try elementwise(node, .activation(.sigmoid))
        case "Tanh": try elementwise(node, .activation(.tanh))
        case "HardSwish": try elementwise(node, .activation(.hardswish))
        case "Gelu": try elementwise(node, .activation(.gelu))
        case "Identity", "Dropout": try elementwise(node, .identity)
        case "Clip": try clip(node)
        case "Softmax": try softmax(node)
        case "MaxPool", "AveragePool": try pool(node)
        case "GlobalAveragePool", "GlobalMaxPool":
            let x = try activation(node, 0, role: "X")
            try requireBatchFirst(x, node)
            try emit(node, kind: .globalPool(node.opType == "GlobalMaxPool" ? .max : .average), inputs: [x], output: output, batchAxis: 0)
        case "ReduceMean", "ReduceMax": try reduce(node)
        case "Add", "Sub", "Mul", "Div": try arithmetic(node)
        case "Concat": try concat(node)
        case "Flatten": try flatten(node)
        case "Reshape": try reshape(node)
        case "Squeeze", "Unsqueeze": try squeeze(node)
        case "Transpose": try transpose(node)
        case "Gather": try gather(node)
        case "LSTM": try lstm(node)
        default:
            // "Constant" has no inputs and never reaches here.
            throw .unsupportedOp(file: file, node: node.displayName, op: node.opType, domain: node.domain)
        }
    }

    private mutating func elementwise(_ node: ONNXNode, _ kind: LayerKind) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "X")
        try emit(node, kind: kind, inputs: [x], output: node.outputs.first, batchAxis: x.batchAxis)
    }

    /// Window padding from `pads`/`auto_pad`.
    private func padding(_ node: ONNXNode, rank: Int, input spatial: [Int], kernel: [Int], stride: [Int], dilation: [Int]) throws(ONNXImportError) -> Padding {
        let zero = [Int](repeating: 0, count: rank)
        let autoPad = try node.string("auto_pad", default: "NOTSET").uppercased()
        switch autoPad {
        case "NOTSET", "":
            let pads = try node.ints("pads", default: zero + zero)
            guard pads.count == 2 * rank, pads.allSatisfy({ $0 >= 0 }) else {
                throw unsupported(node, "pads \(pads) must hold \(2 * rank) non-negative values")
            }
            return .explicit(begin: Array(pads[..<rank]), end: Array(pads[rank...]))
        case "VALID":
            return .explicit(begin: zero, end: zero)
        case "SAME_UPPER":
            return .same
        case "SAME_LOWER":
            var begin = [Int]()
            var end = [Int]()
            for axis in 0..<rank {
                let out = (spatial[axis] + stride[axis] - 1) / stride[axis]
                let span = dilation[axis] * (kernel[axis] - 1) + 1
                let total = max((out - 1) * stride[axis] + span - spatial[axis], 0)
                begin.append(total - total / 2)
                end.append(total / 2)
            }
            return .explicit(begin: begin, end: end)
        default:
            throw unsupported(node, "auto_pad '\(autoPad)' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER")
        }
    }

    private func window(_ node: ONNXNode, _ name: String, rank: Int, default value: Int) throws(ONNXImportError) -> [Int] {
        let values = try node.ints(name, default: [Int](repeating: value, count: rank))
        guard values.count == rank, values.allSatisfy({ $0 >= 1 }) else {
            throw unsupported(node, "\(name) \(values) must hold \(rank) positive values")
        }
        return values
    }

    private mutating func convolution(_ node: ONNXNode) throws(ONNXImportError) {
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
        guard group >= 1, weight[1] * group == input[0] else {
            throw unsupported(node, "weight \(weight) with group=\(group) expects \(weight[1] * max(group, 1)) input channels, but the input \(onnxShape(x)) has \(input[0])")
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

    private mutating func gemm(_ node: ONNXNode) throws(ONNXImportError) {
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

    private mutating func matMul(_ node: ONNXNode) throws(ONNXImportError) {
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

    private mutating func emitLinear(_ node: ONNXNode, a: ImportedTensor, outFeatures: Int, bias: Bool, output: String?) throws(ONNXImportError) {
        let name = try emit(node, kind: .linear(Linear(outFeatures: outFeatures, bias: bias)), inputs: [a], output: output, batchAxis: a.batchAxis)
        layerForNode[node.index] = name
    }

    /// The `Add` that adds a constant bias of `features` values to a MatMul's output, when that
    /// Add is the output's only consumer and the output is not a graph output.
    private func biasAdd(after node: ONNXNode, output: String, features: Int) -> ONNXNode? {
        let consumers = graph.consumers(of: output)
        guard consumers.count == 1, let add = consumers.first, add.isDefaultDomain, add.opType == "Add",
              add.inputs.count == 2, !graph.outputs.contains(where: { $0.name == output }) else { return nil }
        guard let other = add.inputs.first(where: { $0 != output }), !other.isEmpty, !isDynamic(other),
              graph.producer(of: other)?.inputs.contains(where: isDynamic) != true,
              let shape = staticShape(other), shape.last == features, shape.reduce(1, *) == features else { return nil }
        return add
    }

    private mutating func clip(_ node: ONNXNode) throws(ONNXImportError) {
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

    private mutating func softmax(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "input")
        let rank = onnxShape(x).count
        let axis = try normalizedAxis(try node.int("axis", default: opset < 13 ? 1 : -1), rank: rank, node)
        if opset < 13 && axis != rank - 1 {
            throw unsupported(node, "opset \(opset) Softmax over axis \(axis) flattens the trailing dimensions; hwsim maps softmax over the last axis only for opsets below 13")
        }
        let hw = try hwAxis(axis, of: x, node)
        try emit(node, kind: .softmax(axis: hw), inputs: [x], output: node.outputs.first, batchAxis: x.batchAxis)
    }

    private mutating func pool(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "X")
        try requireBatchFirst(x, node)
        if node.outputs.count > 1, !node.outputs[1].isEmpty, !graph.consumers(of: node.outputs[1]).isEmpty {
            throw unsupported(node, "its Indices output is used; hwsim models the pooled values only")
        }
        let kernel = try node.ints("kernel_shape")
        let rank = kernel.count
        guard rank == 1 || rank == 2, kernel.allSatisfy({ $0 >= 1 }) else {
            throw unsupported(node, "kernel_shape \(kernel): hwsim models 1-D and 2-D pooling")
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

    private mutating func reduce(_ node: ONNXNode) throws(ONNXImportError) {
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

    private mutating func arithmetic(_ node: ONNXNode) throws(ONNXImportError) {
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

    private mutating func concat(_ node: ONNXNode) throws(ONNXImportError) {
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

    private mutating func flatten(_ node: ONNXNode) throws(ONNXImportError) {
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
    private mutating func reshapeLayer(_ node: ONNXNode, _ x: ImportedTensor, target: [Int], batchAxis: Int) throws(ONNXImportError) {
        var dims = target
        dims.remove(at: batchAxis)
        guard !dims.isEmpty else {
            throw unsupported(node, "its result \(target) has no dimension besides the batch")
        }
        let kind: LayerKind = dims == hwShape(x) ? .identity : .reshape(dims)
        try emit(node, kind: kind, inputs: [x], output: node.outputs.first, batchAxis: batchAxis)
    }

    private mutating func reshape(_ node: ONNXNode) throws(ONNXImportError) {
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
            let requested = try constant.values().map { Int($0) }
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
            let total = input.reduce(1, *)
            let inferred = target.filter { $0 == -1 }.count
            guard inferred <= 1, target.allSatisfy({ $0 > 0 || $0 == -1 }) else {
                throw unsupported(node, "shape \(requested) must hold positive sizes, 0 (copy) and at most one -1")
            }
            let known = target.filter { $0 != -1 }.reduce(1, *)
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
                  target[..<x.batchAxis].reduce(1, *) == input[..<x.batchAxis].reduce(1, *) {
            batchAxis = x.batchAxis
        } else {
            throw unsupported(node, "reshaping \(input) to \(target) merges the batch dimension with other dimensions")
        }
        try reshapeLayer(node, x, target: target, batchAxis: batchAxis)
    }

    private mutating func squeeze(_ node: ONNXNode) throws(ONNXImportError) {
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

    private mutating func transpose(_ node: ONNXNode) throws(ONNXImportError) {
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

    private mutating func gather(_ node: ONNXNode) throws(ONNXImportError) {
        let dataName = try node.requireInput(0, role: "data")
        if isDynamic(dataName) {
            throw unsupported(node, "it gathers from a computed tensor; hwsim maps Gather from a constant table (embedding) only")
        }
        let table = try requireStaticShape(node, 0, role: "data")
        guard table.count == 2 else {
            throw unsupported(node, "its table has shape \(table); an embedding table is [vocabulary, dimension]")
        }
        guard try node.int("axis", default: 0) == 0 else {
            throw unsupported(node, "it gathers along axis \(try node.int("axis", default: 0)); an embedding looks up rows (axis 0)")
        }
        let indices = try activation(node, 1, role: "indices")
        guard hwShape(indices).count == 1 else {
            throw unsupported(node, "indices \(onnxShape(indices)) are not a [batch, T] sequence of token ids")
        }
        let name = try emit(
            node, kind: .embedding(Embedding(vocabulary: table[0], dimension: table[1])), inputs: [indices],
            output: node.outputs.first, batchAxis: indices.batchAxis)
        layerForNode[node.index] = name
    }

    private mutating func lstm(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "X")
        let weight = try requireStaticShape(node, 1, role: "W")
        let recurrent = try requireStaticShape(node, 2, role: "R")
        let layout = try node.int("layout", default: 0)
        guard weight.count == 3, recurrent.count == 3 else {
            throw unsupported(node, "W \(weight) and R \(recurrent) must be [directions, 4·hidden, ·]")
        }
        let hidden = try node.int("hidden_size", default: recurrent[2])
        let direction = try node.string("direction", default: "forward").lowercased()
        let directions = direction == "bidirectional" ? 2 : 1
        guard weight[0] == directions, weight[1] == 4 * hidden, recurrent[1] == 4 * hidden, recurrent[2] == hidden else {
            throw unsupported(node, "W \(weight) and R \(recurrent) do not fit hidden_size \(hidden) and direction '\(direction)'")
        }
        let input = hwShape(x)
        guard input.count == 2, x.batchAxis == (layout == 0 ? 1 : 0) else {
            throw unsupported(node, "input X \(onnxShape(x)) is not a [seq, batch, features] (layout 0) or [batch, seq, features] (layout 1) sequence")
        }
        guard weight[2] == input[1] else {
            throw unsupported(node, "W \(weight) expects \(weight[2]) input features, but X has \(input[1])")
        }
        func used(_ position: Int) -> Bool {
            guard position < node.outputs.count, !node.outputs[position].isEmpty else { return false }
            let name = node.outputs[position]
            return !graph.consumers(of: name).isEmpty || graph.outputs.contains { $0.name == name }
        }
        if used(2) { throw unsupported(node, "its cell state Y_c is used; hwsim models the LSTM's hidden outputs only") }
        if used(0) && used(1) {
            throw unsupported(node, "both Y (every step) and Y_h (last step) are used; an hwsim lstm layer emits one of them")
        }
        let sequences = !used(1)
        let kind = LayerKind.lstm(LSTM(
            hiddenSize: hidden, returnSequences: sequences, bidirectional: directions == 2,
            biasVectors: node.input(3) == nil ? 0 : 2))
        let name = try emit(node, kind: kind, inputs: [x], output: nil, batchAxis: 0)
        layerForNode[node.index] = name
        let lstmOutput = ImportedTensor(layer: name, batchAxis: 0)
        // hwsim's lstm emits [T, directions·H] or [directions·H]; ONNX's Y is [T, directions, batch, H]
        // (layout 0) and Y_h [directions, batch, H]: a reshape restores the ONNX layout.
        if sequences, used(0) {
            try emit(
                node, name: "\(name)/Y", kind: .reshape([input[0], directions, hidden]), inputs: [lstmOutput],
                output: node.outputs[0], batchAxis: layout == 0 ? 2 : 0)
        } else if !sequences {
            try emit(
                node, name: "\(name)/Y_h", kind: .reshape([directions, hidden]), inputs: [lstmOutput],
                output: node.outputs[1], batchAxis: layout == 0 ? 1 : 0)
        }
    }
}
