import Foundation
import HWModel
import SwiftProtobuf

/// One dimension of a `value_info` shape.
public enum ONNXDimension: Hashable, Sendable, CustomStringConvertible {
    /// A fixed extent.
    case value(Int)
    /// A named symbolic extent such as `batch_size`.
    case symbolic(String)
    /// Neither given.
    case unknown

    /// The extent, the symbol's name, or `?`, as shape reports print it.
    public var description: String {
        switch self {
        case .value(let v): String(v)
        case .symbolic(let name): name
        case .unknown: "?"
        }
    }
}

/// A typed tensor name from `graph.input`, `graph.output` or `graph.value_info`.
public struct ONNXValueInfo: Equatable, Sendable {
    /// Tensor name.
    public let name: String
    /// Element type, or `nil` when the value is not a tensor (sequence, map, ...) or untyped.
    public let elementType: ONNXDataType?
    /// Shape, or `nil` when the file gives no shape (unknown rank).
    public let shape: [ONNXDimension]?

    init(_ proto: Onnx_ValueInfoProto) {
        name = proto.name
        let tensorType: Onnx_TypeProto.Tensor?
        switch proto.type.value {
        case .tensorType(let t): tensorType = t
        case .sparseTensorType(let s):
            var t = Onnx_TypeProto.Tensor()
            t.elemType = s.elemType
            if s.hasShape { t.shape = s.shape }
            tensorType = t
        default: tensorType = nil
        }
        guard let tensorType else {
            elementType = nil
            shape = nil
            return
        }
        elementType = tensorType.hasElemType ? ONNXDataType(code: tensorType.elemType) : nil
        if tensorType.hasShape {
            shape = tensorType.shape.dim.map { dim in
                switch dim.value {
                case .dimValue(let v): .value(Int(v))
                case .dimParam(let p): p.isEmpty ? .unknown : .symbolic(p)
                case nil: .unknown
                }
            }
        } else {
            shape = nil
        }
    }

    /// The shape when every dimension is a fixed extent, else `nil`.
    public var concreteShape: [Int]? {
        guard let shape else { return nil }
        var dims = [Int]()
        dims.reserveCapacity(shape.count)
        for dim in shape {
            guard case .value(let v) = dim else { return nil }
            dims.append(v)
        }
        return dims
    }
}

/// An `opset_import` entry.
public struct ONNXOpsetImport: Hashable, Sendable {
    /// Operator domain; `""` and `"ai.onnx"` both mean the default domain.
    public let domain: String
    /// Operator set version.
    public let version: Int
}

/// A model's top-level graph, with lookups by tensor name.
public struct ONNXGraph: Sendable {
    /// The graph's name.
    public let name: String
    /// Nodes in file order (ONNX requires topological order; hwsim does not rely on it).
    public let nodes: [ONNXNode]
    /// Initializers in file order.
    public let initializers: [ONNXTensor]
    /// `graph.input`, which in older IR versions also lists initializers (see ``dataInputs``).
    public let inputs: [ONNXValueInfo]
    /// `graph.output`.
    public let outputs: [ONNXValueInfo]
    /// `graph.value_info`: shapes of intermediate tensors, when the exporter or
    /// `onnx.shape_inference` recorded them.
    public let valueInfo: [ONNXValueInfo]
    /// The file the graph was read from, for error messages.
    public let sourceFile: String

    private let initializerIndex: [String: Int]
    private let producerIndex: [String: Int]
    private let valueInfoIndex: [String: ONNXValueInfo]

    init(_ proto: Onnx_GraphProto, sourceFile: String) throws(ONNXImportError) {
        name = proto.name
        self.sourceFile = sourceFile
        nodes = proto.node.enumerated().map { ONNXNode($1, index: $0, sourceFile: sourceFile) }
        initializers = proto.initializer.map { ONNXTensor($0, sourceFile: sourceFile) }
        inputs = proto.input.map(ONNXValueInfo.init)
        outputs = proto.output.map(ONNXValueInfo.init)
        valueInfo = proto.valueInfo.map(ONNXValueInfo.init)

        var initializerIndex = [String: Int]()
        for (i, tensor) in initializers.enumerated() where initializerIndex[tensor.name] == nil {
            initializerIndex[tensor.name] = i
        }
        var producerIndex = [String: Int]()
        for node in nodes {
            for output in node.outputs where !output.isEmpty && producerIndex[output] == nil {
                producerIndex[output] = node.index
            }
        }
        // Most specific first: value_info, then graph outputs, then graph inputs.
        var valueInfoIndex = [String: ONNXValueInfo]()
        for info in valueInfo + outputs + inputs where valueInfoIndex[info.name] == nil {
            valueInfoIndex[info.name] = info
        }
        self.initializerIndex = initializerIndex
        self.producerIndex = producerIndex
        self.valueInfoIndex = valueInfoIndex

        // Every node input must come from somewhere.
        let graphInputs = Set(inputs.map(\.name))
        for node in nodes {
            for input in node.inputs where !input.isEmpty {
                if producerIndex[input] == nil && initializerIndex[input] == nil && !graphInputs.contains(input) {
                    throw .danglingInput(file: sourceFile, node: node.displayName, op: node.opType, input: input)
                }
            }
        }
    }

    /// Graph inputs that are real data inputs, i.e. not also initializers.
    public var dataInputs: [ONNXValueInfo] {
        inputs.filter { initializerIndex[$0.name] == nil }
    }

    /// The initializer named exactly `name`.
    public func initializer(named name: String) -> ONNXTensor? {
        initializerIndex[name].map { initializers[$0] }
    }

    /// The node whose output is `tensor`, or `nil` for graph inputs and initializers.
    public func producer(of tensor: String) -> ONNXNode? {
        producerIndex[tensor].map { nodes[$0] }
    }

    /// Nodes that read `tensor`, in file order.
    public func consumers(of tensor: String) -> [ONNXNode] {
        nodes.filter { $0.inputs.contains(tensor) }
    }

    /// Follows `Identity` nodes upstream from `tensor` and returns the first name that an
    /// `Identity` does not produce. Torch's opset-13 exporter aliases shared initializers
    /// through `Identity` nodes, so a Conv's bias may be named `onnx::Conv_251` while the data
    /// sits in initializer `onnx::Conv_239`.
    public func resolvingIdentity(_ tensor: String) -> String {
        var name = tensor
        var seen = Set<String>()
        while let node = producer(of: name), node.opType == "Identity", node.domain.isEmpty || node.domain == "ai.onnx",
              let source = node.input(0), seen.insert(name).inserted {
            name = source
        }
        return name
    }

    /// The initializer `tensor` names, directly or through `Identity` aliases.
    public func resolvedInitializer(_ tensor: String) -> ONNXTensor? {
        initializer(named: resolvingIdentity(tensor))
    }

    /// The constant `tensor` holds: an initializer or a `Constant` node's output, either directly
    /// or through `Identity` aliases. `nil` when the tensor is computed at run time or a graph
    /// input.
    /// - Throws: if a `Constant` node carries none of the value attributes hwsim reads
    ///   (`value`, `value_float(s)`, `value_int(s)`).
    public func constant(_ tensor: String) throws(ONNXImportError) -> ONNXTensor? {
        let name = resolvingIdentity(tensor)
        if let initializer = initializer(named: name) { return initializer }
        guard let node = producer(of: name), node.opType == "Constant",
              node.domain.isEmpty || node.domain == "ai.onnx" else { return nil }
        var proto = Onnx_TensorProto()
        proto.name = name
        if node.hasAttribute("value") {
            let value = try node.tensor("value")
            return ONNXTensor(renaming: value, to: name)
        } else if node.hasAttribute("value_float") {
            proto.dataType = ONNXDataType.float.code
            proto.floatData = [try node.float("value_float")]
        } else if node.hasAttribute("value_floats") {
            let values = try node.floats("value_floats")
            proto.dataType = ONNXDataType.float.code
            proto.dims = [Int64(values.count)]
            proto.floatData = values
        } else if node.hasAttribute("value_int") {
            proto.dataType = ONNXDataType.int64.code
            proto.int64Data = [Int64(try node.int("value_int"))]
        } else if node.hasAttribute("value_ints") {
            let values = try node.ints("value_ints")
            proto.dataType = ONNXDataType.int64.code
            proto.dims = [Int64(values.count)]
            proto.int64Data = values.map { Int64($0) }
        } else {
            throw .missingAttribute(file: sourceFile, node: node.displayName, op: node.opType, attribute: "value")
        }
        return ONNXTensor(proto, sourceFile: sourceFile)
    }

    /// Type and shape information for `tensor` from `value_info`, graph outputs or graph inputs.
    public func valueInfo(for tensor: String) -> ONNXValueInfo? {
        valueInfoIndex[tensor]
    }

    /// The fixed shape of `tensor`: an initializer's or Constant's dims (payload never consulted),
    /// else a fully known `value_info` / input / output shape, else `nil`.
    public func shape(of tensor: String) -> [Int]? {
        // A Constant node whose value cannot be read still may have a value_info shape.
        if let constant = try? constant(tensor) { return constant.dims }
        return valueInfo(for: tensor)?.concreteShape
    }
}

/// An ONNX or QONNX model read from a `.onnx` file.
///
/// Reading decodes the protobuf and checks that every node input is produced somewhere; it
/// does not interpret ops. Weight payloads may be absent (external data not shipped): only
/// `dims` are needed for shapes.
public struct ONNXModel: Sendable {
    /// Path or name of the file, as used in error messages.
    public let sourceFile: String
    /// `ir_version`.
    public let irVersion: Int
    /// `producer_name`, e.g. `pytorch`.
    public let producerName: String
    /// `producer_version`.
    public let producerVersion: String
    /// `opset_import` entries.
    public let opsetImports: [ONNXOpsetImport]
    /// `metadata_props` (first value wins for a repeated key).
    public let metadata: [String: String]
    /// The top-level graph.
    public let graph: ONNXGraph

    /// Reads a `.onnx` file.
    /// - Throws: ``ONNXImportError`` naming the file: missing, unreadable, not protobuf,
    ///   truncated, without graph, or with a dangling node input.
    public static func load(contentsOf url: URL) throws(ONNXImportError) -> ONNXModel {
        let path = url.isFileURL ? url.path : url.absoluteString
        let data = try readInputFile(path, as: ONNXImportError.self)
        return try ONNXModel(serializedData: data, sourceFile: path)
    }

    /// Decodes a model from its protobuf bytes; `sourceFile` names it in error messages.
    public init(serializedData data: Data, sourceFile: String) throws(ONNXImportError) {
        if data.isEmpty { throw .notProtobuf(file: sourceFile, detail: "the file is empty") }
        let proto: Onnx_ModelProto
        do {
            proto = try Onnx_ModelProto(serializedBytes: data)
        } catch let error as BinaryDecodingError {
            if !Self.startsWithModelProtoField(data) {
                throw .notProtobuf(file: sourceFile, detail: "the first bytes are not an ONNX ModelProto field")
            }
            switch error {
            case .truncated:
                throw .truncated(file: sourceFile, detail: "the protobuf ends in the middle of a field")
            case .invalidUTF8:
                throw .notProtobuf(file: sourceFile, detail: "a string field is not valid UTF-8")
            case .messageDepthLimit:
                throw .notProtobuf(file: sourceFile, detail: "messages are nested deeper than the decoder allows")
            default:
                throw .notProtobuf(file: sourceFile, detail: "malformed protobuf wire format")
            }
        } catch {
            throw .notProtobuf(file: sourceFile, detail: "\(error)")
        }
        // Arbitrary bytes sometimes decode as a message made only of unknown fields.
        if proto.irVersion == 0 && !proto.hasGraph && proto.opsetImport.isEmpty && proto.producerName.isEmpty {
            throw .notProtobuf(file: sourceFile, detail: "no ONNX ModelProto fields (ir_version, graph, opset_import) found")
        }
        guard proto.hasGraph else {
            // Exporters write fields in number order: ir_version, producer..., graph, opset_import.
            // Neither graph nor opset_import means the file stops before its graph.
            if proto.opsetImport.isEmpty {
                throw .truncated(file: sourceFile, detail: "the file ends before the graph")
            }
            throw .noGraph(file: sourceFile)
        }
        if proto.opsetImport.isEmpty {
            throw .truncated(
                file: sourceFile,
                detail: "the model has no opset_import, which follows the graph in every ONNX file")
        }
        self.sourceFile = sourceFile
        irVersion = Int(proto.irVersion)
        producerName = proto.producerName
        producerVersion = proto.producerVersion
        opsetImports = proto.opsetImport.map { ONNXOpsetImport(domain: $0.domain, version: Int($0.version)) }
        var metadata = [String: String]()
        for entry in proto.metadataProps where metadata[entry.key] == nil {
            metadata[entry.key] = entry.value
        }
        self.metadata = metadata
        graph = try ONNXGraph(proto.graph, sourceFile: sourceFile)
    }

    /// Whether `data` begins with the tag of a `ModelProto` field with its proper wire type; real
    /// ONNX files start with `ir_version` (tag 0x08). Used to tell garbage from a cut-off file.
    static func startsWithModelProtoField(_ data: Data) -> Bool {
        var tag: UInt64 = 0
        var shift: UInt64 = 0
        for byte in data.prefix(5) {
            tag |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                let field = tag >> 3
                let wireType = tag & 7
                switch field {
                case 1, 5: return wireType == 0
                case 2, 3, 4, 6, 7, 8, 14, 20, 25, 26: return wireType == 2
                default: return false
                }
            }
            shift += 7
        }
        return false
    }

    /// The imported opset version of `domain`; `""` and `"ai.onnx"` are the same domain.
    public func opsetVersion(domain: String) -> Int? {
        func normalized(_ d: String) -> String { d == "ai.onnx" ? "" : d }
        return opsetImports.first { normalized($0.domain) == normalized(domain) }?.version
    }
}
