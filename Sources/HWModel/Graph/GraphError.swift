/// Why a layer graph is not a valid network.
public enum GraphError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two layers share a name.
    case duplicateName(String)
    /// A layer names an input that no layer produces.
    case missingInput(layer: String, input: String)
    /// The graph has a cycle through these layers.
    case cycle([String])
    /// The graph has no input layer.
    case noInput
    /// A layer received the wrong number of inputs.
    case inputCount(layer: String, type: String, expected: String, actual: Int)
    /// A layer's input shape does not fit the layer.
    case shapeMismatch(layer: String, detail: String)
    /// A layer's hyper-parameter is out of range.
    case invalidParameter(layer: String, field: String, detail: String)

    /// A message naming the layer and what to change.
    public var description: String {
        switch self {
        case .duplicateName(let name):
            "two layers are named '\(name)'; layer names must be unique"
        case .missingInput(let layer, let input):
            "layer '\(layer)': input '\(input)' is not the name of any layer or graph input"
        case .cycle(let names):
            "the graph has a cycle through \(names.map { "'\($0)'" }.joined(separator: " → "))"
        case .noInput:
            "the graph has no input"
        case .inputCount(let layer, let type, let expected, let actual):
            "layer '\(layer)' (\(type)) takes \(expected) input(s), got \(actual)"
        case .shapeMismatch(let layer, let detail):
            "layer '\(layer)': \(detail)"
        case .invalidParameter(let layer, let field, let detail):
            "layer '\(layer)': \(field) \(detail)"
        }
    }

    /// The layer the error is about, when there is one.
    public var layerName: String? {
        switch self {
        case .duplicateName(let name): name
        case .missingInput(let layer, _), .inputCount(let layer, _, _, _),
             .shapeMismatch(let layer, _), .invalidParameter(let layer, _, _):
            layer
        case .cycle(let names): names.first
        case .noInput: nil
        }
    }
}
