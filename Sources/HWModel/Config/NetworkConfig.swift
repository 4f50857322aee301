import Foundation
import Quantizers

/// A network config file: the layer graph and, optionally, its quantization plan.
///
/// The format is documented field by field in docs/config-format.md. Block templates with
/// parameters and `repeat` keep deep networks short: ResNet-50 is about a hundred lines.
public struct NetworkConfig: Sendable {
    /// The validated network.
    public let network: Network
    /// The file's quantization plan (an FP32 plan when the file has none).
    public let plan: QuantizationPlan
    /// The file as the user named it.
    public let file: String
    /// The config path each layer came from (`layers[4] → templates.basic.layers[1]`), for
    /// error messages about layers.
    public let layerPaths: [String: String]

    /// Reads and validates a config file.
    public static func load(path: String) throws(ConfigError) -> NetworkConfig {
        try parse(try ConfigText.read(path), file: path)
    }

    /// Parses config text; `file` names it in errors.
    public static func parse(_ data: Data, file: String) throws(ConfigError) -> NetworkConfig {
        var reader = try FieldReader(try ConfigText.root(data, file: file), path: "", file: file)
        let name = try reader.string("name") ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        _ = try reader.string("description")
        _ = reader.value("source")

        var expander = TemplateExpander(file: file)
        if let templates = reader.value("templates") {
            try expander.readTemplates(templates)
        }
        var expanded: [ExpandedLayer] = []
        if let single = reader.value("input") {
            expanded.append(try inputLayer(single, path: "input", file: file))
        }
        if let list = reader.value("inputs") {
            guard case .array(let items) = list, !items.isEmpty else {
                throw ConfigError(file: file, path: "inputs", message: "expected a non-empty array of inputs")
            }
            for (index, item) in items.enumerated() {
                expanded.append(try inputLayer(item, path: "inputs[\(index)]", file: file))
            }
        }
        guard !expanded.isEmpty else {
            throw ConfigError(file: file, path: "input", message: "is required: give the input's shape, e.g. {\"name\": \"input\", \"shape\": [3, 224, 224]}")
        }
        let layersValue = try reader.requiredValue("layers")
        guard case .array(let entries) = layersValue, !entries.isEmpty else {
            throw ConfigError(file: file, path: "layers", message: "expected a non-empty array of layers")
        }
        var produced = expanded.count
        let body = try expander.expand(entries, path: "layers", scope: .top, previous: expanded.last?.layer.name, depth: 0, produced: &produced)
        expanded += body.layers

        var plan = QuantizationPlan()
        if let quantization = reader.value("quantization") {
            plan = try QuantizationConfig.plan(quantization, path: "quantization", file: file)
        }
        try reader.rejectUnknownFields()

        var paths: [String: String] = [:]
        for item in expanded where paths[item.layer.name] == nil { paths[item.layer.name] = item.path }
        let network: Network
        do {
            network = try Network(name: name, layers: expanded.map(\.layer))
        } catch {
            let location = error.layerName.flatMap { paths[$0] } ?? "layers"
            throw ConfigError(file: file, path: location, message: error.description)
        }
        do {
            _ = try plan.resolve(for: network)
        } catch {
            throw ConfigError(file: file, path: "quantization.overrides", message: error.description)
        }
        return NetworkConfig(network: network, plan: plan, file: file, layerPaths: paths)
    }

    private static func inputLayer(_ value: JSONValue, path: String, file: String) throws(ConfigError) -> ExpandedLayer {
        var reader = try FieldReader(value, path: path, file: file)
        let name = try reader.string("name") ?? "input"
        let shapeValue = try reader.requiredValue("shape")
        guard case .array(let items) = shapeValue, !items.isEmpty, items.count <= NetworkLimits.maximumRank else {
            throw reader.error("shape", "expected a non-empty array of at most \(NetworkLimits.maximumRank) sizes, e.g. [3, 224, 224], got \(shapeValue)")
        }
        var dims: [Int] = []
        for (index, item) in items.enumerated() {
            dims.append(try FieldReader.int(item, minimum: 1, maximum: NetworkLimits.maximumSize, at: "\(path).shape[\(index)]", file: file))
        }
        try reader.rejectUnknownFields()
        return ExpandedLayer(layer: Layer(name: name, kind: .input(TensorShape(dims)), inputs: []), path: path)
    }
}

/// A layer after template expansion, with the config path it came from.
struct ExpandedLayer {
    var layer: Layer
    var path: String
}

/// Expands template instances and `repeat` entries into plain layers.
struct TemplateExpander {
    struct Template {
        var parameters: [String: JSONValue?]  // nil: required
        var layers: [JSONValue]
        var path: String
    }

    /// Name scope of a template body: its name prefix, its local layer names and its input.
    struct Scope {
        var prefix: String
        var localNames: Set<String>
        var input: String?
        static let top = Scope(prefix: "", localNames: [], input: nil)

        func resolve(_ reference: String) -> String? {
            if reference == "$input" { return input }
            return localNames.contains(reference) ? prefix + reference : reference
        }
    }

    let file: String
    var templates: [String: Template] = [:]
    static let maximumDepth = 16

    init(file: String) { self.file = file }

    mutating func readTemplates(_ value: JSONValue) throws(ConfigError) {
        guard case .object(let entries) = value else {
            throw ConfigError(file: file, path: "templates", message: "expected an object of named templates, got \(value.typeName)")
        }
        for (name, definition) in entries.sorted(by: { $0.key < $1.key }) {
            let path = "templates.\(MessageText.escaped(name))"
            var reader = try FieldReader(definition, path: path, file: file)
            var parameters: [String: JSONValue?] = [:]
            switch reader.value("parameters") {
            case nil: break
            case .array(let names)?:
                for (index, item) in names.enumerated() {
                    guard case .string(let parameter) = item else {
                        throw ConfigError(file: file, path: "\(path).parameters[\(index)]", message: "expected a parameter name, got \(item)")
                    }
                    parameters[parameter] = .some(nil)
                }
            case .object(let defaults)?:
                for (parameter, value) in defaults { parameters[parameter] = value == .null ? .some(nil) : value }
            case let other?:
                throw reader.error("parameters", "expected a list of names or an object of defaults, got \(other.typeName)")
            }
            let layersValue = try reader.requiredValue("layers")
            guard case .array(let layers) = layersValue, !layers.isEmpty else {
                throw reader.error("layers", "expected a non-empty array of layers")
            }
            try reader.rejectUnknownFields()
            templates[name] = Template(parameters: parameters, layers: layers, path: path)
        }
    }

    /// Expands a list of layer entries; `previous` is the layer an entry without `inputs` reads.
    /// `produced` counts the layers expanded so far in the whole file, so that expansion stops
    /// with an error as soon as ``NetworkLimits/maximumLayers`` would be passed — before a
    /// `repeat` of 10^9 or a 4^12 fan-out of templates is expanded, not after.
    func expand(_ entries: [JSONValue], path: String, scope: Scope, previous: String?, depth: Int,
                produced: inout Int) throws(ConfigError) -> (layers: [ExpandedLayer], last: String?) {
        var result: [ExpandedLayer] = []
        var previous = previous
        for (index, entry) in entries.enumerated() {
            let entryPath = "\(path)[\(index)]"
            var reader = try FieldReader(entry, path: entryPath, file: file)
            let localName = try reader.requiredString("name")
            guard !localName.isEmpty, !localName.hasPrefix("$") else {
                throw reader.error("name", "must be a non-empty name not starting with '$'")
            }
            let inputs = try inputNames(&reader, scope: scope, previous: previous)
            if let templateName = try reader.string("template") {
                guard let template = templates[templateName] else {
                    let known = templates.keys.sorted()
                    throw reader.error("template", "unknown template \(MessageText.quoted(templateName))" + (known.isEmpty ? "; the file defines no templates" : "; defined: \(known.joined(separator: ", "))"))
                }
                guard depth < Self.maximumDepth else {
                    throw reader.error("template", "templates nest deeper than \(Self.maximumDepth) levels; does \(MessageText.quoted(templateName)) use itself?")
                }
                let arguments = try self.arguments(&reader, for: template, templateName: templateName)
                let count = try reader.int("repeat", minimum: 1, maximum: NetworkLimits.maximumRepeat) ?? 1
                let repeated = reader.fields["repeat"] != nil
                let firstIndex = try reader.int("first_index", minimum: 0, maximum: NetworkLimits.maximumSize) ?? 0
                try reader.rejectUnknownFields()
                var input = inputs.first
                let before = produced
                for copy in 0..<count {
                    let instanceName = scope.prefix + localName + (repeated ? ".\(firstIndex + copy)" : "")
                    let body = try substitute(template.layers, arguments: arguments, path: "\(template.path).layers")
                    let names = Set(try body.enumerated().map { (offset, item) throws(ConfigError) -> String in
                        var inner = try FieldReader(item, path: "\(template.path).layers[\(offset)]", file: file)
                        return try inner.requiredString("name")
                    })
                    let innerScope = Scope(prefix: instanceName + ".", localNames: names, input: input)
                    let expanded = try expand(body, path: "\(entryPath) → \(template.path).layers", scope: innerScope, previous: input,
                                              depth: depth + 1, produced: &produced)
                    if copy == 0 && count > 1 {
                        // Every copy expands to as many layers as the first (same template, same
                        // arguments), so the whole repeat's size is known now.
                        let each = produced - before
                        let (total, overflow) = each.multipliedReportingOverflow(by: count)
                        if overflow || before + total > NetworkLimits.maximumLayers {
                            throw reader.error("repeat", "\(count) copies of template \(MessageText.quoted(MessageText.escaped(templateName))) (\(each) layers each) would make the network more than \(NetworkLimits.maximumLayers) layers (docs/limits.md)")
                        }
                    }
                    result += expanded.layers
                    input = expanded.last
                }
                previous = input
                continue
            }
            if reader.fields["repeat"] != nil {
                throw reader.error("repeat", "applies to template instances; add \"template\": \"<name>\"")
            }
            let type = try reader.requiredString("type").lowercased()
            let kind = try LayerDecoding.kind(type: type, reader: &reader)
            try reader.rejectUnknownFields()
            let name = scope.prefix + localName
            produced += 1
            guard produced <= NetworkLimits.maximumLayers else {
                throw ConfigError(file: file, path: entryPath, message: "the network has more than \(NetworkLimits.maximumLayers) layers after template and repeat expansion (docs/limits.md)")
            }
            result.append(ExpandedLayer(layer: Layer(name: name, kind: kind, inputs: inputs), path: entryPath))
            previous = name
        }
        return (result, previous)
    }

    private func inputNames(_ reader: inout FieldReader, scope: Scope, previous: String?) throws(ConfigError) -> [String] {
        guard let value = reader.value("inputs") else {
            guard let previous else { throw reader.error("inputs", "is required: no layer comes before this one") }
            return [previous]
        }
        let items: [JSONValue]
        switch value {
        case .string: items = [value]
        case .array(let list) where !list.isEmpty: items = list
        default: throw reader.error("inputs", "expected a layer name or a non-empty list of names, got \(value)")
        }
        var names: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let reference) = item else {
                throw reader.error("inputs", "entry \(index) must be a layer name, got \(item)")
            }
            guard let resolved = scope.resolve(reference) else {
                throw reader.error("inputs", "'$input' is only meaningful inside a template")
            }
            names.append(resolved)
        }
        return names
    }

    private func arguments(_ reader: inout FieldReader, for template: Template, templateName: String) throws(ConfigError) -> [String: JSONValue] {
        var arguments: [String: JSONValue] = [:]
        if let given = reader.value("with") {
            guard case .object(let values) = given else { throw reader.error("with", "expected an object of template arguments, got \(given.typeName)") }
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                guard template.parameters[key] != nil else {
                    let known = template.parameters.keys.sorted().joined(separator: ", ")
                    throw reader.error("with.\(key)", "template \(MessageText.quoted(templateName)) has no parameter \(MessageText.quoted(key)) (parameters: \(known))")
                }
                arguments[key] = value
            }
        }
        for (key, defaultValue) in template.parameters.sorted(by: { $0.key < $1.key }) where arguments[key] == nil {
            guard let defaultValue else { throw reader.error("with", "template \(MessageText.quoted(templateName)) needs parameter \(MessageText.quoted(key))") }
            arguments[key] = defaultValue
        }
        return arguments
    }

    /// Replaces every string `"$name"` by the argument `name` (`"$input"` stays: it names the
    /// instance's input, resolved with the scope).
    private func substitute(_ values: [JSONValue], arguments: [String: JSONValue], path: String) throws(ConfigError) -> [JSONValue] {
        func walk(_ value: JSONValue, _ location: String) throws(ConfigError) -> JSONValue {
            switch value {
            case .string(let text) where text.hasPrefix("$") && text != "$input":
                let key = String(text.dropFirst())
                guard let argument = arguments[key] else {
                    throw ConfigError(file: file, path: location, message: "\(MessageText.quoted(text)) is not a parameter of this template (parameters: \(arguments.keys.sorted().joined(separator: ", ")))")
                }
                return argument
            case .array(let items):
                var out: [JSONValue] = []
                for (index, item) in items.enumerated() { out.append(try walk(item, "\(location)[\(index)]")) }
                return .array(out)
            case .object(let fields):
                var out: [String: JSONValue] = [:]
                for (key, item) in fields { out[key] = try walk(item, "\(location).\(key)") }
                return .object(out)
            default:
                return value
            }
        }
        var result: [JSONValue] = []
        for (index, value) in values.enumerated() { result.append(try walk(value, "\(path)[\(index)]")) }
        return result
    }
}
