import Foundation
import Quantizers

extension NetworkConfig {
    /// A config for a network built in code (e.g. imported from ONNX or a SCALE-Sim topology),
    /// so that commands can treat it like a loaded file.
    /// - Parameters:
    ///   - network: the validated network.
    ///   - plan: its quantization plan.
    ///   - file: what error messages call the source (usually the file it was imported from).
    ///   - layerPaths: where each layer came from, for messages (e.g. `node 'Conv_0'`).
    public init(network: Network, plan: QuantizationPlan, source file: String, layerPaths: [String: String] = [:]) {
        self.network = network
        self.plan = plan
        self.file = file
        self.layerPaths = layerPaths
    }

    /// The config text (docs/config-format.md) that describes `network` and `plan`, which
    /// ``parse(_:file:)`` reads back to the same layers, shapes and plan.
    ///
    /// Output is deterministic: fields in a fixed order, layers in the network's (topological)
    /// order one per line, overrides sorted by layer name. A layer's `inputs` are left out when
    /// it reads only the layer written just before it. The quantization section is always
    /// written; `adapter` only when it differs from the default.
    public static func json(for network: Network, plan: QuantizationPlan, description: String? = nil) -> String {
        var lines = ["{"]
        var top = [String]()
        top.append("  \"name\": \(quoted(network.name))")
        if let description { top.append("  \"description\": \(quoted(description))") }
        let inputs = network.layers.filter { if case .input = $0.kind { true } else { false } }
        let inputObjects = inputs.map { layer -> String in
            guard case .input(let shape) = layer.kind else { return "" }
            return "{\"name\": \(quoted(layer.name)), \"shape\": \(list(shape.dims))}"
        }
        if inputObjects.count == 1 {
            top.append("  \"input\": \(inputObjects[0])")
        } else {
            top.append("  \"inputs\": [\n" + inputObjects.map { "    " + $0 }.joined(separator: ",\n") + "\n  ]")
        }
        var previous = inputs.last?.name
        var layerLines = [String]()
        for layer in network.layers {
            if case .input = layer.kind { continue }
            layerLines.append("    " + object(layerFields(layer, previous: previous)))
            previous = layer.name
        }
        top.append("  \"layers\": [\n" + layerLines.joined(separator: ",\n") + "\n  ]")
        top.append("  \"quantization\": " + quantization(plan))
        lines.append(top.joined(separator: ",\n"))
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Pieces

    private static func layerFields(_ layer: Layer, previous: String?) -> [(String, String)] {
        var fields: [(String, String)] = [("name", quoted(layer.name))]
        func type(_ name: String) { fields.append(("type", quoted(name))) }
        switch layer.kind {
        case .input:
            break
        case .convolution(let conv):
            type(conv.kernel.count == 1 ? "conv1d" : "conv2d")
            fields.append(("out_channels", String(conv.outChannels)))
            fields.append(("kernel", list(conv.kernel)))
            fields.append(("stride", list(conv.stride)))
            fields.append(("padding", padding(conv.padding)))
            fields.append(("dilation", list(conv.dilation)))
            fields.append(("groups", String(conv.groups)))
            fields.append(("bias", String(conv.bias)))
        case .linear(let linear):
            type("linear")
            fields.append(("out_features", String(linear.outFeatures)))
            fields.append(("bias", String(linear.bias)))
        case .batchNorm(let norm):
            type("batchnorm")
            fields.append(("affine", String(norm.affine)))
        case .activation(let function):
            type(function.rawValue)
        case .pool(let pool):
            type((pool.mode == .max ? "maxpool" : "avgpool") + (pool.kernel.count == 1 ? "1d" : ""))
            fields.append(("kernel", list(pool.kernel)))
            fields.append(("stride", list(pool.stride)))
            fields.append(("padding", padding(pool.padding)))
            fields.append(("ceil_mode", String(pool.ceilMode)))
        case .globalPool(let mode):
            type(mode == .max ? "globalmaxpool" : "globalavgpool")
        case .add:
            type("add")
        case .multiply:
            type("mul")
        case .concat(let axis):
            type("concat")
            fields.append(("axis", String(axis)))
        case .flatten(let startAxis):
            type("flatten")
            fields.append(("start_axis", String(startAxis)))
        case .reshape(let dims):
            type("reshape")
            fields.append(("shape", list(dims)))
        case .transpose(let perm):
            type("transpose")
            fields.append(("perm", list(perm)))
        case .embedding(let embedding):
            type("embedding")
            fields.append(("vocabulary", String(embedding.vocabulary)))
            fields.append(("dimension", String(embedding.dimension)))
        case .lstm(let lstm):
            type("lstm")
            fields.append(("hidden_size", String(lstm.hiddenSize)))
            fields.append(("return_sequences", String(lstm.returnSequences)))
            fields.append(("bidirectional", String(lstm.bidirectional)))
            fields.append(("bias_vectors", String(lstm.biasVectors)))
        case .upsample(let scale, let mode):
            type("upsample")
            fields.append(("scale", String(scale)))
            fields.append(("mode", quoted(mode.rawValue)))
        case .softmax(let axis):
            type("softmax")
            fields.append(("axis", String(axis)))
        case .identity:
            type("identity")
        }
        if !(layer.inputs.count == 1 && layer.inputs[0] == previous) {
            fields.insert(("inputs", "[" + layer.inputs.map(quoted).joined(separator: ", ") + "]"), at: 1)
        }
        return fields
    }

    /// Symmetric padding as one value per axis; otherwise begin values then end values.
    private static func padding(_ padding: Padding) -> String {
        switch padding {
        case .same: return quoted("same")
        case .explicit(let begin, let end): return begin == end ? list(begin) : list(begin + end)
        }
    }

    private static func quantization(_ plan: QuantizationPlan) -> String {
        var fields: [(String, String)] = [
            ("weights", quoted(plan.weights.description)),
            ("activations", quoted(plan.activations.description)),
            ("first_last", quoted(plan.firstLast.name)),
            ("scales", quoted(plan.scales.rawValue)),
        ]
        var text = "{\n" + fields.map { "    \(quoted($0.0)): \($0.1)" }.joined(separator: ",\n")
        fields.removeAll()
        if !plan.overrides.isEmpty {
            let entries = plan.overrides.sorted { $0.key < $1.key }.map { name, override -> String in
                var inner = [(String, String)]()
                if let weights = override.weights { inner.append(("weights", quoted(weights.description))) }
                if let activations = override.activations { inner.append(("activations", quoted(activations.description))) }
                if let scales = override.scales { inner.append(("scales", quoted(scales.rawValue))) }
                return "      \(quoted(name)): " + object(inner)
            }
            text += ",\n    \"overrides\": {\n" + entries.joined(separator: ",\n") + "\n    }"
        }
        if plan.adapter != AdapterSpec() {
            let adapter = plan.adapter
            text += ",\n    \"adapter\": " + object([
                ("statistic", quoted(adapter.statistic.rawValue)),
                ("hidden", list(adapter.hiddenWidths)),
                ("parameter_bits", String(adapter.parameterBits)),
                ("ops_per_mac", String(adapter.operationsPerMAC)),
                ("count_statistic_ops", String(adapter.countsStatisticOperations)),
                ("placement", quoted(adapter.placement.rawValue)),
            ])
        }
        return text + "\n  }"
    }

    private static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    private static func list(_ values: [Int]) -> String {
        "[" + values.map(String.init).joined(separator: ", ") + "]"
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String { JSONValue.quoted(text) }
}
