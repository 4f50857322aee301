import Quantizers

/// Why an ONNX or QONNX file could not be read or understood.
///
/// Every case names the file; cases about one node also name the node and its op, so that the
/// message alone tells a user where to look. `description` is the message to show.
public enum ONNXImportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file at the path.
    case fileNotFound(file: String)
    /// The file exists but could not be read (permissions, a directory, an I/O error).
    case unreadable(file: String, reason: String)
    /// The bytes are not a protobuf-encoded ONNX `ModelProto`.
    case notProtobuf(file: String, detail: String)
    /// The protobuf ends in the middle of a field: the file was cut short.
    case truncated(file: String, detail: String)
    /// The model carries no `graph`.
    case noGraph(file: String)
    /// A node input names a tensor that no node produces and that is neither a graph input nor
    /// an initializer.
    case danglingInput(file: String, node: String, op: String, input: String)
    /// A node lacks a required attribute.
    case missingAttribute(file: String, node: String, op: String, attribute: String)
    /// A node's attribute has another type than the op requires.
    case attributeTypeMismatch(
        file: String, node: String, op: String, attribute: String, expected: String, found: String)
    /// A node has fewer inputs than its op requires.
    case missingInput(file: String, node: String, op: String, index: Int, role: String)
    /// A QONNX quantizer parameter (e.g. a Quant node's bitwidth) is computed at run time rather
    /// than given by an initializer or Constant node.
    case nonConstantQuantParameter(file: String, node: String, op: String, parameter: String, input: String)
    /// A QONNX quantizer parameter has a value hwsim cannot use (e.g. bitwidth 2.5 or 0).
    case invalidQuantParameter(file: String, node: String, op: String, parameter: String, reason: String)
    /// A tensor's values were needed but it has no inline payload (e.g. external data).
    case tensorPayloadMissing(file: String, tensor: String, reason: String)
    /// A tensor's payload is malformed (size disagrees with dims, unsupported element type).
    case invalidTensorPayload(file: String, tensor: String, reason: String)
    /// A tensor's shape was needed but neither its initializer nor `value_info` gives it.
    case unknownShape(file: String, tensor: String, neededBy: String)
    /// An hwsim weight-scheme mark (metadata_props key or node attribute) is malformed, names
    /// nothing in the graph, or contradicts another mark.
    case invalidWeightSchemeMark(file: String, key: String, reason: String)
    /// A node's op is not one hwsim's network import maps (see docs/model-import.md).
    case unsupportedOp(file: String, node: String, op: String, domain: String)
    /// A supported op used in a way hwsim cannot model (e.g. a 3-D convolution, a MatMul of two
    /// computed tensors, a Reshape that merges the batch dimension).
    case unsupportedNode(file: String, node: String, op: String, reason: String)
    /// A graph input hwsim cannot use (batch other than 1, unknown extents, no shape).
    case unsupportedInput(file: String, input: String, reason: String)
    /// The model imports a default-domain opset outside 11–20.
    case unsupportedOpset(file: String, version: Int)
    /// The mapped layers do not form a valid hwsim network (shapes that disagree, a cycle);
    /// `node` names the ONNX node the offending layer came from, when there is one.
    case invalidNetwork(file: String, node: String?, op: String?, reason: String)

    /// A message that starts with the file and names the node, op or field at fault.
    public var description: String { Self.oneLine(message) }

    private var message: String {
        switch self {
        case .fileNotFound(let file):
            "\(file): no such file"
        case .unreadable(let file, let reason):
            "\(file): cannot read the file: \(reason)"
        case .notProtobuf(let file, let detail):
            "\(file): not an ONNX model (expected a binary protobuf ModelProto): \(detail)"
        case .truncated(let file, let detail):
            "\(file): the file is truncated (\(detail)); re-export or re-download it"
        case .noGraph(let file):
            "\(file): the ONNX model has no graph"
        case .danglingInput(let file, let node, let op, let input):
            "\(file): node \(MessageText.quoted(node)) (\(MessageText.escaped(op))) reads tensor \(MessageText.quoted(input)), which no node produces and "
                + "which is neither a graph input nor an initializer"
        case .missingAttribute(let file, let node, let op, let attribute):
            "\(file): node \(MessageText.quoted(node)) (\(MessageText.escaped(op))) is missing required attribute \(MessageText.quoted(attribute))"
        case .attributeTypeMismatch(let file, let node, let op, let attribute, let expected, let found):
            "\(file): node \(MessageText.quoted(node)) (\(MessageText.escaped(op))) attribute \(MessageText.quoted(attribute)) is \(found), expected \(expected)"
        case .missingInput(let file, let node, let op, let index, let role):
            "\(file): node \(MessageText.quoted(node)) (\(MessageText.escaped(op))) has no input \(index) (\(role))"
        case .nonConstantQuantParameter(let file, let node, let op, let parameter, let input):
            "\(file): node \(MessageText.quoted(node)) (\(MessageText.escaped(op))) takes its \(parameter) from \(MessageText.quoted(input)), which is not "
                + "a constant (initializer or Constant node); hwsim needs a fixed \(parameter)"
        case .invalidQuantParameter(let file, let node, let op, let parameter, let reason):
            "\(file): node \(MessageText.quoted(node)) (\(MessageText.escaped(op))) has an unusable \(parameter): \(reason)"
        case .tensorPayloadMissing(let file, let tensor, let reason):
            "\(file): tensor \(MessageText.quoted(tensor)) has no values in the file (\(reason))"
        case .invalidTensorPayload(let file, let tensor, let reason):
            "\(file): tensor \(MessageText.quoted(tensor)): \(reason)"
        case .unknownShape(let file, let tensor, let neededBy):
            "\(file): the shape of tensor \(MessageText.quoted(tensor)) (needed by \(neededBy)) is given neither by an "
                + "initializer nor by graph input/output/value_info; run onnx.shape_inference first"
        case .invalidWeightSchemeMark(let file, let key, let reason):
            "\(file): weight-scheme mark \(MessageText.quoted(key)): \(reason)"
        case .unsupportedOp(let file, let node, let op, let domain):
            "\(file): node \(MessageText.quoted(node)) (\(MessageText.escaped(op))): op \(MessageText.quoted(domain.isEmpty || domain == "ai.onnx" ? op : "\(domain).\(op)")) "
                + "is not supported by hwsim's ONNX import (docs/model-import.md lists the supported ops)"
        case .unsupportedNode(let file, let node, let op, let reason):
            "\(file): node \(MessageText.quoted(node)) (\(MessageText.escaped(op))): \(reason)"
        case .unsupportedInput(let file, let input, let reason):
            "\(file): graph input \(MessageText.quoted(input)): \(reason)"
        case .unsupportedOpset(let file, let version):
            "\(file): the model uses ai.onnx opset \(version); hwsim imports opsets 11 to 20 (re-export with opset_version in that range)"
        case .invalidNetwork(let file, let node, let op, let reason):
            if let node, let op {
                "\(file): node \(MessageText.quoted(node)) (\(MessageText.escaped(op))): \(reason)"
            } else {
                "\(file): \(reason)"
            }
        }
    }

    /// `text` with any control character left in a reason (a name a reason quotes without
    /// ``MessageText``) escaped, so that every message stays one line.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
