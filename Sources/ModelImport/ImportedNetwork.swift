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
