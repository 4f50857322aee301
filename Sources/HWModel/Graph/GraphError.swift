import Quantizers

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
    /// A size, count or shape passes one of the ``NetworkLimits`` (or its arithmetic would not
    /// fit 64 bits): `detail` says which and how far.
    case tooLarge(layer: String, detail: String)
    /// The network has more layers than ``NetworkLimits/maximumLayers``.
    case tooManyLayers(Int)

    /// A message naming the layer and what to change.
    public var description: String {
        switch self {
        case .duplicateName(let name):
            "two layers are named \(MessageText.quoted(name)); layer names must be unique"
        case .missingInput(let layer, let input):
            "layer \(MessageText.quoted(layer)): input \(MessageText.quoted(input)) is not the name of any layer or graph input"
        case .cycle(let names):
            "the graph has a cycle through \(names.map { "\(MessageText.quoted($0))" }.joined(separator: " → "))"
        case .noInput:
            "the graph has no input"
        case .inputCount(let layer, let type, let expected, let actual):
            "layer \(MessageText.quoted(layer)) (\(type)) takes \(expected) input(s), got \(actual)"
        case .shapeMismatch(let layer, let detail):
            "layer \(MessageText.quoted(layer)): \(detail)"
        case .invalidParameter(let layer, let field, let detail):
            "layer \(MessageText.quoted(layer)): \(field) \(detail)"
        case .tooLarge(let layer, let detail):
            "layer \(MessageText.quoted(layer)): \(detail) (docs/limits.md)"
        case .tooManyLayers(let count):
            "the network has \(count) layers, more than the limit of \(NetworkLimits.maximumLayers) (docs/limits.md)"
        }
    }

    /// The layer the error is about, when there is one.
    public var layerName: String? {
        switch self {
        case .duplicateName(let name): name
        case .missingInput(let layer, _), .inputCount(let layer, _, _, _),
             .shapeMismatch(let layer, _), .invalidParameter(let layer, _, _), .tooLarge(let layer, _):
            layer
        case .cycle(let names): names.first
        case .noInput, .tooManyLayers: nil
        }
    }
}
