import Foundation

/// The value of one node attribute.
public enum ONNXAttributeValue: Equatable, Sendable {
    /// `FLOAT`: one 32-bit float.
    case float(Float)
    /// `INT`: one integer (ONNX stores int64).
    case int(Int)
    /// `STRING`: one string, e.g. `auto_pad`'s value.
    case string(String)
    /// `TENSOR`: a constant tensor, e.g. `Constant`'s value.
    case tensor(ONNXTensor)
    /// `FLOATS`: a list of floats.
    case floats([Float])
    /// `INTS`: a list of integers, e.g. `kernel_shape`, `strides`, `pads`.
    case ints([Int])
    /// `STRINGS`: a list of strings.
    case strings([String])
    /// `TENSORS`: a list of tensors.
    case tensors([ONNXTensor])
    /// A graph, sparse tensor, type proto or reference attribute, which hwsim does not read;
    /// the associated value is ONNX's type name (`GRAPH`, `SPARSE_TENSOR`, ...).
    case unsupported(String)

    /// ONNX's name for the attribute type (`INT`, `FLOATS`, ...), used in error messages.
    public var typeName: String {
        switch self {
        case .float: "FLOAT"
        case .int: "INT"
        case .string: "STRING"
        case .tensor: "TENSOR"
        case .floats: "FLOATS"
        case .ints: "INTS"
        case .strings: "STRINGS"
        case .tensors: "TENSORS"
        case .unsupported(let name): name
        }
    }

    init(_ proto: Onnx_AttributeProto, sourceFile: String) {
        func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
        switch proto.type {
        case .float: self = .float(proto.f)
        case .int: self = .int(Int(proto.i))
        case .string: self = .string(text(proto.s))
        case .tensor: self = .tensor(ONNXTensor(proto.t, sourceFile: sourceFile))
        case .floats: self = .floats(proto.floats)
        case .ints: self = .ints(proto.ints.map { Int($0) })
        case .strings: self = .strings(proto.strings.map(text))
        case .tensors: self = .tensors(proto.tensors.map { ONNXTensor($0, sourceFile: sourceFile) })
        case .graph: self = .unsupported("GRAPH")
        case .graphs: self = .unsupported("GRAPHS")
        case .sparseTensor: self = .unsupported("SPARSE_TENSOR")
        case .sparseTensors: self = .unsupported("SPARSE_TENSORS")
        case .typeProto: self = .unsupported("TYPE_PROTO")
        case .typeProtos: self = .unsupported("TYPE_PROTOS")
        case .undefined:
            // Writers before IR version 0.0.2 left `type` unset; infer it from the field present.
            if proto.hasF { self = .float(proto.f) }
            else if proto.hasI { self = .int(Int(proto.i)) }
            else if proto.hasS { self = .string(text(proto.s)) }
            else if proto.hasT { self = .tensor(ONNXTensor(proto.t, sourceFile: sourceFile)) }
            else if !proto.floats.isEmpty { self = .floats(proto.floats) }
            else if !proto.ints.isEmpty { self = .ints(proto.ints.map { Int($0) }) }
            else if !proto.strings.isEmpty { self = .strings(proto.strings.map(text)) }
            else if !proto.tensors.isEmpty { self = .tensors(proto.tensors.map { ONNXTensor($0, sourceFile: sourceFile) }) }
            else { self = .unsupported("UNDEFINED") }
        }
    }
}

/// One node of an ONNX graph.
public struct ONNXNode: Equatable, Sendable {
    /// The node's name; may be empty in the file (see ``displayName``).
    public let name: String
    /// Operator type, e.g. `Conv`, `Quant`.
    public let opType: String
    /// Operator domain; empty for the default `ai.onnx` domain.
    public let domain: String
    /// Input tensor names in order; an empty string marks an omitted optional input.
    public let inputs: [String]
    /// Output tensor names in order.
    public let outputs: [String]
    /// Attributes by name.
    public let attributes: [String: ONNXAttributeValue]
    /// Position of the node in `graph.node`.
    public let index: Int
    /// The file the node was read from, for error messages.
    public let sourceFile: String

    init(_ proto: Onnx_NodeProto, index: Int, sourceFile: String) {
        name = proto.name
        opType = proto.opType
        domain = proto.domain
        inputs = proto.input
        outputs = proto.output
        var attributes: [String: ONNXAttributeValue] = [:]
        for attribute in proto.attribute where attributes[attribute.name] == nil {
            attributes[attribute.name] = ONNXAttributeValue(attribute, sourceFile: sourceFile)
        }
        self.attributes = attributes
        self.index = index
        self.sourceFile = sourceFile
    }

    /// The name, or `<op>#<index>` for an unnamed node; used in every error message.
    public var displayName: String { name.isEmpty ? "\(opType)#\(index)" : name }

    /// Input `position`, or `nil` when the node has fewer inputs or the input is omitted (`""`).
    public func input(_ position: Int) -> String? {
        guard position >= 0, position < inputs.count, !inputs[position].isEmpty else { return nil }
        return inputs[position]
    }

    /// Input `position`, or an error naming the node, its op and the input's role.
    public func requireInput(_ position: Int, role: String) throws(ONNXImportError) -> String {
        guard let name = input(position) else {
            throw .missingInput(file: sourceFile, node: displayName, op: opType, index: position, role: role)
        }
        return name
    }

    // MARK: Attribute helpers

    private func attribute(_ name: String) throws(ONNXImportError) -> ONNXAttributeValue {
        guard let value = attributes[name] else {
            throw .missingAttribute(file: sourceFile, node: displayName, op: opType, attribute: name)
        }
        return value
    }

    private func mismatch(_ name: String, expected: String, found: ONNXAttributeValue) -> ONNXImportError {
        .attributeTypeMismatch(
            file: sourceFile, node: displayName, op: opType, attribute: name, expected: expected,
            found: found.typeName)
    }

    /// Whether the node has attribute `name`.
    public func hasAttribute(_ name: String) -> Bool { attributes[name] != nil }

    /// Required INT attribute.
    /// - Throws: ``ONNXImportError/missingAttribute(file:node:op:attribute:)`` or
    ///   ``ONNXImportError/attributeTypeMismatch(file:node:op:attribute:expected:found:)``.
    public func int(_ name: String) throws(ONNXImportError) -> Int {
        switch try attribute(name) {
        case .int(let value): return value
        case let other: throw mismatch(name, expected: "INT", found: other)
        }
    }

    /// Optional INT attribute with ONNX's default; still an error if present with another type.
    public func int(_ name: String, default defaultValue: Int) throws(ONNXImportError) -> Int {
        hasAttribute(name) ? try int(name) : defaultValue
    }

    /// Required INTS attribute.
    public func ints(_ name: String) throws(ONNXImportError) -> [Int] {
        switch try attribute(name) {
        case .ints(let value): return value
        case let other: throw mismatch(name, expected: "INTS", found: other)
        }
    }

    /// Optional INTS attribute with a default.
    public func ints(_ name: String, default defaultValue: [Int]) throws(ONNXImportError) -> [Int] {
        hasAttribute(name) ? try ints(name) : defaultValue
    }

    /// Required FLOAT attribute.
    public func float(_ name: String) throws(ONNXImportError) -> Float {
        switch try attribute(name) {
        case .float(let value): return value
        case let other: throw mismatch(name, expected: "FLOAT", found: other)
        }
    }

    /// Optional FLOAT attribute with a default.
    public func float(_ name: String, default defaultValue: Float) throws(ONNXImportError) -> Float {
        hasAttribute(name) ? try float(name) : defaultValue
    }

    /// Required FLOATS attribute.
    public func floats(_ name: String) throws(ONNXImportError) -> [Float] {
        switch try attribute(name) {
        case .floats(let value): return value
        case let other: throw mismatch(name, expected: "FLOATS", found: other)
        }
    }

    /// Required STRING attribute (decoded as UTF-8).
    public func string(_ name: String) throws(ONNXImportError) -> String {
        switch try attribute(name) {
        case .string(let value): return value
        case let other: throw mismatch(name, expected: "STRING", found: other)
        }
    }

    /// Optional STRING attribute with a default.
    public func string(_ name: String, default defaultValue: String) throws(ONNXImportError) -> String {
        hasAttribute(name) ? try string(name) : defaultValue
    }

    /// Required TENSOR attribute (e.g. a Constant node's `value`).
    public func tensor(_ name: String) throws(ONNXImportError) -> ONNXTensor {
        switch try attribute(name) {
        case .tensor(let value): return value
        case let other: throw mismatch(name, expected: "TENSOR", found: other)
        }
    }
}
