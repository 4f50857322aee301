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
        var top: [(key: String, value: JSONOutput)] = [("name", .string(network.name))]
        if let description { top.append(("description", .string(description))) }
        let inputs = network.layers.filter { if case .input = $0.kind { true } else { false } }
        let inputObjects = inputs.map { layer -> JSONOutput in
            guard case .input(let shape) = layer.kind else { return .null }
            return .oneLine(.object([("name", .string(layer.name)), ("shape", .integers(shape.dims))]))
        }
        if inputObjects.count == 1 {
            top.append(("input", inputObjects[0]))
        } else {
            top.append(("inputs", .array(inputObjects)))
        }
        var previous = inputs.last?.name
        var layerObjects = [JSONOutput]()
        for layer in network.layers {
            if case .input = layer.kind { continue }
            layerObjects.append(.oneLine(.object(layerFields(layer, previous: previous))))
            previous = layer.name
        }
        top.append(("layers", .array(layerObjects)))
        top.append(("quantization", quantization(plan)))
        return JSONOutput.object(top).rendered(pretty: true) + "\n"
    }

    // MARK: Pieces

    private static func layerFields(_ layer: Layer, previous: String?) -> [(key: String, value: JSONOutput)] {
        var fields: [(key: String, value: JSONOutput)] = [("name", .string(layer.name))]
        func type(_ name: String) { fields.append(("type", .string(name))) }
        func int(_ value: Int) -> JSONOutput { .integer(Int64(value)) }
        switch layer.kind {
        case .input:
            break
        case .convolution(let conv):
            type(conv.kernel.count == 1 ? "conv1d" : "conv2d")
            fields.append(("out_channels", int(conv.outChannels)))
            fields.append(("kernel", .integers(conv.kernel)))
            fields.append(("stride", .integers(conv.stride)))
            fields.append(("padding", padding(conv.padding)))
            fields.append(("dilation", .integers(conv.dilation)))
            fields.append(("groups", int(conv.groups)))
            fields.append(("bias", .bool(conv.bias)))
        case .transposedConvolution(let conv):
            type("conv_transpose2d")
            fields.append(("out_channels", int(conv.outChannels)))
            fields.append(("kernel", .integers(conv.kernel)))
            fields.append(("stride", .integers(conv.stride)))
            fields.append(("padding", padding(conv.padding)))
            fields.append(("output_padding", .integers(conv.outputPadding)))
            fields.append(("dilation", .integers(conv.dilation)))
            fields.append(("groups", int(conv.groups)))
            fields.append(("bias", .bool(conv.bias)))
        case .linear(let linear):
            type("linear")
            fields.append(("out_features", int(linear.outFeatures)))
            fields.append(("bias", .bool(linear.bias)))
        case .batchNorm(let norm):
            type("batchnorm")
            fields.append(("affine", .bool(norm.affine)))
        case .activation(let function):
            type(function.rawValue)
        case .pool(let pool):
            type((pool.mode == .max ? "maxpool" : "avgpool") + (pool.kernel.count == 1 ? "1d" : ""))
            fields.append(("kernel", .integers(pool.kernel)))
            fields.append(("stride", .integers(pool.stride)))
            fields.append(("padding", padding(pool.padding)))
            fields.append(("ceil_mode", .bool(pool.ceilMode)))
        case .globalPool(let mode):
            type(mode == .max ? "globalmaxpool" : "globalavgpool")
        case .add:
            type("add")
        case .multiply:
            type("mul")
        case .concat(let axis):
            type("concat")
            fields.append(("axis", int(axis)))
        case .flatten(let startAxis):
            type("flatten")
            fields.append(("start_axis", int(startAxis)))
        case .reshape(let dims):
            type("reshape")
            fields.append(("shape", .integers(dims)))
        case .transpose(let perm):
            type("transpose")
            fields.append(("perm", .integers(perm)))
        case .embedding(let embedding):
            type("embedding")
            fields.append(("vocabulary", int(embedding.vocabulary)))
            fields.append(("dimension", int(embedding.dimension)))
        case .lstm(let lstm):
            type("lstm")
            fields.append(("hidden_size", int(lstm.hiddenSize)))
            fields.append(("return_sequences", .bool(lstm.returnSequences)))
            fields.append(("bidirectional", .bool(lstm.bidirectional)))
            fields.append(("bias_vectors", int(lstm.biasVectors)))
        case .upsample(let scale, let mode):
            type("upsample")
            fields.append(("scale", int(scale)))
            fields.append(("mode", .string(mode.rawValue)))
        case .softmax(let axis):
            type("softmax")
            fields.append(("axis", int(axis)))
        case .identity:
            type("identity")
        }
        if !(layer.inputs.count == 1 && layer.inputs[0] == previous) {
            fields.insert(("inputs", .array(layer.inputs.map { .string($0) })), at: 1)
        }
        return fields
    }

    /// Symmetric padding as one value per axis; otherwise begin values then end values.
    private static func padding(_ padding: Padding) -> JSONOutput {
        switch padding {
        case .same: return .string("same")
        case .explicit(let begin, let end): return .integers(begin == end ? begin : begin + end)
        }
    }

    /// The `quantization` section a config holds for `plan`, as its own JSON object
    /// (`{"quantization": {...}}`), written as ``json(for:plan:description:)`` writes it.
    public static func quantizationJSON(for plan: QuantizationPlan) -> String {
        JSONOutput.object([("quantization", quantization(plan))]).rendered(pretty: true) + "\n"
    }

    private static func quantization(_ plan: QuantizationPlan) -> JSONOutput {
        var fields: [(key: String, value: JSONOutput)] = [
            ("weights", .string(plan.weights.description)),
            ("activations", .string(plan.activations.description)),
            ("first_last", .string(plan.firstLast.name)),
            ("scales", .string(plan.scales.rawValue)),
        ]
        if let output = plan.output { fields.append(("output", .string(output.description))) }
        if !plan.overrides.isEmpty {
            let entries = plan.overrides.sorted { $0.key < $1.key }.map { name, override -> (key: String, value: JSONOutput) in
                var inner: [(key: String, value: JSONOutput)] = []
                if let weights = override.weights { inner.append(("weights", .string(weights.description))) }
                if let activations = override.activations { inner.append(("activations", .string(activations.description))) }
                if let scales = override.scales { inner.append(("scales", .string(scales.rawValue))) }
                return (name, .oneLine(.object(inner)))
            }
            fields.append(("overrides", .object(entries)))
        }
        if plan.adapter != AdapterSpec() {
            let adapter = plan.adapter
            fields.append(("adapter", .oneLine(.object([
                ("statistic", .string(adapter.statistic.rawValue)),
                ("hidden", .integers(adapter.hiddenWidths)),
                ("parameter_bits", .integer(Int64(adapter.parameterBits))),
                ("ops_per_mac", .integer(Int64(adapter.operationsPerMAC))),
                ("count_statistic_ops", .bool(adapter.countsStatisticOperations)),
                ("placement", .string(adapter.placement.rawValue)),
            ]))))
        }
        return .object(fields)
    }
}
