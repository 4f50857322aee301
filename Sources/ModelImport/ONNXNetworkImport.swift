import Foundation
import HWModel
import Quantizers

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

    mutating func addGraphInput(_ input: ONNXValueInfo) throws(ONNXImportError) {
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
        if let problem = ONNXTensor.shapeProblem(dims) {
            throw .unsupportedInput(file: file, input: input.name, reason: problem)
        }
        let name = uniqueName(input.name)
        let layer = Layer(name: name, kind: .input(TensorShape(dims)), inputs: [])
        layers.append(layer)
        shapes[name] = TensorShape(dims)
        tensors[input.name] = ImportedTensor(layer: name, batchAxis: 0)
        dynamicTensors.insert(input.name)
    }

    /// Node indices in a topological order (file order wherever it is already valid), by the
    /// same ordering that validates networks.
    func topologicalOrder() throws(ONNXImportError) -> [Int] {
        let nodes = graph.nodes
        do {
            return try TopologicalSort.order(count: nodes.count) { index in
                var producers = Set<Int>()
                for input in nodes[index].inputs where !input.isEmpty {
                    if graph.initializer(named: input) == nil, let producer = graph.producer(of: input), producer.index != index {
                        producers.insert(producer.index)
                    }
                }
                return producers
            }
        } catch {
            let stuck = error.blocked.first.map { nodes[$0] }
            throw .invalidNetwork(
                file: file, node: stuck?.displayName, op: stuck?.opType, reason: "the graph has a cycle through this node")
        }
    }

    // MARK: Helpers

    mutating func uniqueName(_ proposed: String) -> String {
        var name = proposed.isEmpty ? "layer" : proposed
        var suffix = 2
        while usedNames.contains(name) {
            name = "\(proposed)#\(suffix)"
            suffix += 1
        }
        usedNames.insert(name)
        return name
    }

    func unsupported(_ node: ONNXNode, _ reason: String) -> ONNXImportError {
        .unsupportedNode(file: file, node: node.displayName, op: node.opType, reason: reason)
    }

    /// The activation behind input `position` of `node`.
    func activation(_ node: ONNXNode, _ position: Int, role: String) throws(ONNXImportError) -> ImportedTensor {
        let name = try node.requireInput(position, role: role)
        if let mapped = tensors[name] { return mapped }
        if dynamicTensors.contains(name) {
            let producer = graph.producer(of: name)
            throw unsupported(node, "input \(position) (\(role)) is '\(name)', an output of node '\(producer?.displayName ?? "?")' (\(producer?.opType ?? "?")) that hwsim does not model")
        }
        throw unsupported(node, "input \(position) (\(role)) '\(name)' is a constant; hwsim expects an activation computed from the graph input here")
    }

    func isDynamic(_ tensor: String?) -> Bool {
        guard let tensor, !tensor.isEmpty else { return false }
        return dynamicTensors.contains(tensor)
    }

    /// The ONNX shape of a mapped activation (batch included as 1).
    func onnxShape(_ tensor: ImportedTensor) -> [Int] {
        var dims = shapes[tensor.layer]?.dims ?? []
        dims.insert(1, at: min(tensor.batchAxis, dims.count))
        return dims
    }

    func hwShape(_ tensor: ImportedTensor) -> [Int] { shapes[tensor.layer]?.dims ?? [] }

    /// Shape of a constant-side tensor: its initializer/Constant dims or value_info, else traced
    /// back through QONNX quantizers and Identity (which keep the shape).
    func staticShape(_ tensor: String) -> [Int]? {
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

    func requireStaticShape(_ node: ONNXNode, _ position: Int, role: String) throws(ONNXImportError) -> [Int] {
        let name = try node.requireInput(position, role: role)
        if isDynamic(name) {
            throw unsupported(node, "its \(role) '\(name)' is computed from the graph input; hwsim needs a constant \(role)")
        }
        guard let shape = staticShape(name) else {
            throw .unknownShape(file: file, tensor: name, neededBy: "\(role) of node \(MessageText.quoted(node.displayName)) (\(node.opType))")
        }
        if let problem = ONNXTensor.shapeProblem(shape) {
            throw unsupported(node, "its \(role) \(MessageText.quoted(name)): \(problem)")
        }
        return shape
    }

    /// Integer values of a constant input (Reshape shape, Squeeze axes, ...).
    func constantInts(_ node: ONNXNode, _ position: Int, role: String) throws(ONNXImportError) -> [Int]? {
        guard let name = node.input(position) else { return nil }
        guard let constant = try graph.constant(name) else {
            throw unsupported(node, "its \(role) '\(name)' is computed at run time; hwsim needs a constant (initializer or Constant node)")
        }
        return try integers(try constant.values(), node, role: role)
    }

    /// `values` as integers; a fraction, NaN, ±∞ or a value beyond ±2^53 (where a Double no
    /// longer holds every integer) is an error on `node`.
    func integers(_ values: [Double], _ node: ONNXNode, role: String) throws(ONNXImportError) -> [Int] {
        var result = [Int]()
        result.reserveCapacity(values.count)
        for value in values {
            guard let integer = Int(exactly: value), abs(integer) <= 1 << 53 else {
                throw unsupported(node, "its \(role) holds \(value), which is not a whole number hwsim can use")
            }
            result.append(integer)
        }
        return result
    }

    /// The product of `dims`, or an error on `node` when it does not fit 64 bits.
    func elementCount(_ dims: some Collection<Int>, _ node: ONNXNode) throws(ONNXImportError) -> Int {
        if let problem = ONNXTensor.shapeProblem(Array(dims)) { throw unsupported(node, problem) }
        return dims.reduce(1, *) // bounded by shapeProblem
    }

    /// A normalized ONNX axis of a rank-`rank` tensor.
    func normalizedAxis(_ axis: Int, rank: Int, _ node: ONNXNode) throws(ONNXImportError) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < rank else {
            throw unsupported(node, "axis \(axis) is outside its rank-\(rank) input")
        }
        return resolved
    }

    /// The hwsim axis of ONNX axis `axis` (normalized) of `tensor`; the batch axis itself is an error.
    func hwAxis(_ axis: Int, of tensor: ImportedTensor, _ node: ONNXNode) throws(ONNXImportError) -> Int {
        if axis == tensor.batchAxis {
            throw unsupported(node, "it operates along the batch dimension (axis \(axis)), which hwsim does not model")
        }
        return axis < tensor.batchAxis ? axis : axis - 1
    }

    func requireBatchFirst(_ tensor: ImportedTensor, _ node: ONNXNode) throws(ONNXImportError) {
        guard tensor.batchAxis == 0 else {
            throw unsupported(node, "its input has the batch in dimension \(tensor.batchAxis); hwsim needs batch-first (NCHW) activations here")
        }
    }

    /// Appends a layer made from `node`, infers its shape and maps `output` to it.
    @discardableResult
    mutating func emit(
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
        // Every later count (bytes, MACs, cycles) starts from these shapes: bound them here.
        if let dims = shapes[name]?.dims, let problem = ONNXTensor.shapeProblem(dims) {
            throw .invalidNetwork(file: file, node: node.displayName, op: node.opType, reason: "its output \(problem)")
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

    // MARK: Dispatch

    mutating func translate(_ node: ONNXNode) throws(ONNXImportError) {
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
        case "BatchNormalization": try batchNorm(node)
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
        case "GlobalAveragePool", "GlobalMaxPool": try globalPool(node)
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
}
