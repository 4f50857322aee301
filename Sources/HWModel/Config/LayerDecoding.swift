import Quantizers

/// Decoding of one layer's type-specific fields from a config object.
enum LayerDecoding {
    /// Layer type names a config may use, for error messages and docs.
    static let typeNames: [String] = [
        "conv2d", "conv1d", "conv_transpose2d", "linear", "batchnorm", "activation",
    ] + ActivationFunction.allCases.map(\.rawValue) + [
        "maxpool", "avgpool", "globalavgpool", "globalmaxpool", "add", "mul", "concat", "flatten",
        "reshape", "transpose", "embedding", "lstm", "upsample", "softmax", "identity", "dropout",
    ]

    /// Reads the kind of layer `type` from `reader`, consuming its fields.
    static func kind(type: String, reader: inout FieldReader) throws(ConfigError) -> LayerKind {
        switch type {
        case "conv2d", "conv1d":
            let rank = type == "conv2d" ? 2 : 1
            let outChannels = try reader.requiredInt("out_channels", minimum: 1, maximum: NetworkLimits.maximumSize)
            guard let kernel = try reader.ints("kernel", count: rank, minimum: 1, maximum: NetworkLimits.maximumSize) else {
                throw reader.missing("kernel")
            }
            return .convolution(Convolution(
                outChannels: outChannels,
                kernel: kernel,
                stride: try reader.ints("stride", count: rank, minimum: 1, maximum: NetworkLimits.maximumSize) ?? Array(repeating: 1, count: rank),
                padding: try padding(&reader, rank: rank),
                dilation: try reader.ints("dilation", count: rank, minimum: 1, maximum: NetworkLimits.maximumSize) ?? Array(repeating: 1, count: rank),
                groups: try reader.int("groups", minimum: 1, maximum: NetworkLimits.maximumSize) ?? 1,
                bias: try reader.bool("bias", default: true)))

        case "conv_transpose2d":
            let outChannels = try reader.requiredInt("out_channels", minimum: 1, maximum: NetworkLimits.maximumSize)
            guard let kernel = try reader.ints("kernel", count: 2, minimum: 1, maximum: NetworkLimits.maximumSize) else { throw reader.missing("kernel") }
            return .transposedConvolution(TransposedConvolution(
                outChannels: outChannels,
                kernel: kernel,
                stride: try reader.ints("stride", count: 2, minimum: 1, maximum: NetworkLimits.maximumSize) ?? [1, 1],
                padding: try padding(&reader, rank: 2),
                outputPadding: try reader.ints("output_padding", count: 2, minimum: 0, maximum: NetworkLimits.maximumSize) ?? [0, 0],
                dilation: try reader.ints("dilation", count: 2, minimum: 1, maximum: NetworkLimits.maximumSize) ?? [1, 1],
                groups: try reader.int("groups", minimum: 1, maximum: NetworkLimits.maximumSize) ?? 1,
                bias: try reader.bool("bias", default: true)))

        case "linear":
            return .linear(Linear(outFeatures: try reader.requiredInt("out_features", minimum: 1, maximum: NetworkLimits.maximumSize),
                                  bias: try reader.bool("bias", default: true)))

        case "batchnorm":
            return .batchNorm(BatchNorm(affine: try reader.bool("affine", default: true)))

        case "activation":
            let name = try reader.requiredString("function")
            guard let function = ActivationFunction(rawValue: name) else {
                throw reader.error("function", "unknown activation \(MessageText.quoted(name)); expected one of \(ActivationFunction.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .activation(function)

        case "maxpool", "avgpool", "maxpool1d", "avgpool1d":
            let rank = type.hasSuffix("1d") ? 1 : 2
            guard let kernel = try reader.ints("kernel", count: rank, minimum: 1, maximum: NetworkLimits.maximumSize) else {
                throw reader.missing("kernel")
            }
            return .pool(Pooling(
                mode: type.hasPrefix("max") ? .max : .average,
                kernel: kernel,
                stride: try reader.ints("stride", count: rank, minimum: 1, maximum: NetworkLimits.maximumSize) ?? kernel,
                padding: try padding(&reader, rank: rank),
                ceilMode: try reader.bool("ceil_mode", default: false)))

        case "globalavgpool": return .globalPool(.average)
        case "globalmaxpool": return .globalPool(.max)
        case "add": return .add
        case "mul": return .multiply
        case "concat": return .concat(axis: try reader.int("axis", minimum: -NetworkLimits.maximumRank, maximum: NetworkLimits.maximumRank) ?? 0)
        case "flatten": return .flatten(startAxis: try reader.int("start_axis", minimum: 0, maximum: NetworkLimits.maximumSize) ?? 0)

        case "reshape":
            let value = try reader.requiredValue("shape")
            guard case .array(let items) = value, !items.isEmpty else {
                throw reader.error("shape", "expected a non-empty array of sizes, got \(value)")
            }
            var dims: [Int] = []
            for (index, item) in items.enumerated() {
                let dim = try FieldReader.int(item, minimum: -1, maximum: NetworkLimits.maximumSize, at: "\(FieldReader.join(reader.path, "shape"))[\(index)]", file: reader.file)
                guard dim != 0 else { throw reader.error("shape", "sizes must be positive or -1, got 0 at index \(index)") }
                dims.append(dim)
            }
            return .reshape(dims)

        case "transpose":
            let value = try reader.requiredValue("perm")
            guard case .array(let items) = value else { throw reader.error("perm", "expected an array, got \(value)") }
            var perm: [Int] = []
            for (index, item) in items.enumerated() {
                perm.append(try FieldReader.int(item, minimum: 0, maximum: NetworkLimits.maximumSize, at: "\(FieldReader.join(reader.path, "perm"))[\(index)]", file: reader.file))
            }
            return .transpose(perm)

        case "embedding":
            return .embedding(Embedding(vocabulary: try reader.requiredInt("vocabulary", minimum: 1, maximum: NetworkLimits.maximumSize),
                                        dimension: try reader.requiredInt("dimension", minimum: 1, maximum: NetworkLimits.maximumSize)))

        case "lstm":
            let biasVectors = try reader.int("bias_vectors", minimum: 0, maximum: NetworkLimits.maximumSize) ?? 2
            guard biasVectors <= 2 else { throw reader.error("bias_vectors", "must be 0, 1 (Keras) or 2 (PyTorch), got \(biasVectors)") }
            return .lstm(LSTM(hiddenSize: try reader.requiredInt("hidden_size", minimum: 1, maximum: NetworkLimits.maximumSize),
                              returnSequences: try reader.bool("return_sequences", default: false),
                              bidirectional: try reader.bool("bidirectional", default: false),
                              biasVectors: biasVectors))

        case "upsample":
            let modeName = try reader.string("mode") ?? "nearest"
            guard let mode = UpsampleMode(rawValue: modeName) else {
                throw reader.error("mode", "unknown mode \(MessageText.quoted(modeName)); expected nearest or bilinear")
            }
            return .upsample(scale: try reader.requiredInt("scale", minimum: 1, maximum: NetworkLimits.maximumSize), mode: mode)

        case "softmax": return .softmax(axis: try reader.int("axis", minimum: -NetworkLimits.maximumRank, maximum: NetworkLimits.maximumRank) ?? -1)
        case "identity", "dropout":
            _ = reader.value("p")
            return .identity

        default:
            if let function = ActivationFunction(rawValue: type) { return .activation(function) }
            let suggestion = typeNames.min { editDistance(type, $0) < editDistance(type, $1) }
            var message = "unknown layer type \(MessageText.quoted(type))"
            if let suggestion, editDistance(type, suggestion) <= 2 { message += "; did you mean \(MessageText.quoted(suggestion))?" }
            throw reader.error("type", message + " (known types: \(typeNames.joined(separator: ", ")))")
        }
    }

    /// `padding`: a number or per-axis list (symmetric), `"same"`, or `"valid"` (no padding).
    private static func padding(_ reader: inout FieldReader, rank: Int) throws(ConfigError) -> Padding {
        let zero = Array(repeating: 0, count: rank)
        guard let value = reader.value("padding") else { return .explicit(begin: zero, end: zero) }
        if case .string(let text) = value {
            switch text.lowercased() {
            case "same": return .same
            case "valid": return .explicit(begin: zero, end: zero)
            default: throw reader.error("padding", "expected a number, a list, \"same\" or \"valid\", got \(value)")
            }
        }
        let location = FieldReader.join(reader.path, "padding")
        let values: [Int]
        if case .array(let items) = value {
            guard items.count == rank || items.count == 2 * rank else {
                throw ConfigError(file: reader.file, path: location, message: "expected \(rank) (symmetric) or \(2 * rank) (begin..., end...) values, got \(items.count)")
            }
            var parsed: [Int] = []
            for (index, item) in items.enumerated() {
                parsed.append(try FieldReader.int(item, minimum: 0, maximum: NetworkLimits.maximumSize, at: "\(location)[\(index)]", file: reader.file))
            }
            values = parsed
        } else {
            values = Array(repeating: try FieldReader.int(value, minimum: 0, maximum: NetworkLimits.maximumSize, at: location, file: reader.file), count: rank)
        }
        if values.count == rank { return .explicit(begin: values, end: values) }
        return .explicit(begin: Array(values[..<rank]), end: Array(values[rank...]))
    }
}
