import Quantizers

/// Decoding of a config's `quantization` section into a `QuantizationPlan`.
enum QuantizationConfig {
    static func plan(_ value: JSONValue, path: String, file: String) throws(ConfigError) -> QuantizationPlan {
        var reader = try FieldReader(value, path: path, file: file)
        var plan = QuantizationPlan()
        if let weights = try scheme(&reader, "weights") { plan.weights = weights }
        if let activations = try scheme(&reader, "activations") { plan.activations = activations }
        if let policy = try reader.string("first_last") {
            guard let parsed = FirstLastPolicy(name: policy) else {
                throw reader.error("first_last", "unknown policy \(MessageText.quoted(policy)); expected quantize, keep-8bit (any keep-<k>bit) or keep-fp32")
            }
            plan.firstLast = parsed
        }
        if let scales = try granularity(&reader) { plan.scales = scales }
        if let output = try scheme(&reader, "output") { plan.output = output }
        if let overrides = reader.value("overrides") {
            guard case .object(let entries) = overrides else {
                throw reader.error("overrides", "expected an object keyed by layer name, got \(overrides.typeName)")
            }
            for (layer, entry) in entries.sorted(by: { $0.key < $1.key }) {
                var inner = try FieldReader(entry, path: "\(path).overrides.\(MessageText.escaped(layer))", file: file)
                let override = LayerOverride(weights: try scheme(&inner, "weights"),
                                             activations: try scheme(&inner, "activations"),
                                             scales: try granularity(&inner))
                try inner.rejectUnknownFields()
                plan.overrides[layer] = override
            }
        }
        if let adapter = reader.value("adapter") {
            plan.adapter = try adapterSpec(adapter, path: "\(path).adapter", file: file)
        }
        try reader.rejectUnknownFields()
        return plan
    }

    private static func scheme(_ reader: inout FieldReader, _ key: String) throws(ConfigError) -> QuantScheme? {
        guard let text = try reader.string(key) else { return nil }
        do {
            return try QuantScheme(parsing: text)
        } catch {
            throw reader.error(key, error.description)
        }
    }

    private static func granularity(_ reader: inout FieldReader) throws(ConfigError) -> ScaleGranularity? {
        guard let text = try reader.string("scales") else { return nil }
        guard let value = ScaleGranularity(rawValue: text.lowercased()) else {
            throw reader.error("scales", "expected \"tensor\" or \"channel\", got \(MessageText.quoted(text))")
        }
        return value
    }

    static func adapterSpec(_ value: JSONValue, path: String, file: String) throws(ConfigError) -> AdapterSpec {
        var reader = try FieldReader(value, path: path, file: file)
        var spec = AdapterSpec()
        if let statistic = try reader.string("statistic") {
            guard let parsed = AdapterSpec.Statistic(rawValue: statistic) else {
                throw reader.error("statistic", "expected one of \(AdapterSpec.Statistic.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            spec.statistic = parsed
        }
        if let hidden = reader.value("hidden") {
            guard case .array(let items) = hidden, items.count <= AdapterSpec.maximumHiddenLayers else {
                throw reader.error("hidden", "expected a list of at most \(AdapterSpec.maximumHiddenLayers) widths such as [20], or [] for one linear layer")
            }
            var widths: [Int] = []
            for (index, item) in items.enumerated() {
                widths.append(try FieldReader.int(item, minimum: 1, maximum: NetworkLimits.maximumSize, at: "\(path).hidden[\(index)]", file: file))
            }
            spec.hiddenWidths = widths
        }
        if let bits = try reader.int("parameter_bits", minimum: 1) {
            guard bits <= 32 else { throw reader.error("parameter_bits", "must be from 1 to 32, got \(bits)") }
            spec.parameterBits = bits
        }
        if let ops = try reader.int("ops_per_mac", minimum: 1) {
            guard ops <= 2 else { throw reader.error("ops_per_mac", "must be 1 (a MAC is one operation) or 2 (multiply and add), got \(ops)") }
            spec.operationsPerMAC = ops
        }
        spec.countsStatisticOperations = try reader.bool("count_statistic_ops", default: spec.countsStatisticOperations)
        if let placement = try reader.string("placement") {
            guard let parsed = AdapterSpec.Placement(rawValue: placement) else {
                throw reader.error("placement", "expected \"inner\" or \"all\"")
            }
            spec.placement = parsed
        }
        try reader.rejectUnknownFields()
        return spec
    }
}
