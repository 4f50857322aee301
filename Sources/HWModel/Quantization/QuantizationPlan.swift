import Quantizers

/// How many scale factors a quantized weight tensor carries.
public enum ScaleGranularity: String, Hashable, Sendable, CaseIterable {
    /// One scale for the whole tensor.
    case perTensor = "tensor"
    /// One scale per output channel (conv filters, linear rows, LSTM gate rows, embedding columns).
    case perChannel = "channel"
}

/// What happens to the network's first and last weight layers.
public enum FirstLastPolicy: Hashable, Sendable {
    /// Quantize them like every other layer, as VecQ does.
    case quantizeAll
    /// Keep their weights and input activations at this many bits (ASQ and LSQ keep 8), or in
    /// FP32 when `bits` is 32. A layer already at or above this width is left as it is.
    case keep(bits: Int)

    /// The config spelling: `quantize`, `keep-8bit`, `keep-fp32`.
    public var name: String {
        switch self {
        case .quantizeAll: "quantize"
        case .keep(32): "keep-fp32"
        case .keep(let bits): "keep-\(bits)bit"
        }
    }

    /// Parses the config spelling.
    public init?(name: String) {
        switch name.lowercased() {
        case "quantize", "quantize-all", "all": self = .quantizeAll
        case "keep-fp32": self = .keep(bits: 32)
        default:
            let lower = name.lowercased()
            guard lower.hasPrefix("keep-"), lower.hasSuffix("bit"),
                  let bits = Int(lower.dropFirst(5).dropLast(3)), QuantScheme.uniformBitRange.contains(bits) else {
                return nil
            }
            self = .keep(bits: bits)
        }
    }
}

/// Per-layer settings that replace the plan's defaults.
public struct LayerOverride: Hashable, Sendable {
    /// Weight scheme for this layer; nil keeps the plan's.
    public var weights: QuantScheme?
    /// Input-activation scheme for this layer; nil keeps the plan's.
    public var activations: QuantScheme?
    /// Scale granularity for this layer's weights; nil keeps the plan's.
    public var scales: ScaleGranularity?

    /// Creates an override; `nil` fields keep the plan's default.
    public init(weights: QuantScheme? = nil, activations: QuantScheme? = nil, scales: ScaleGranularity? = nil) {
        self.weights = weights
        self.activations = activations
        self.scales = scales
    }
}

/// A network's quantization: default weight and activation schemes, per-layer overrides, the
/// first/last-layer policy, scale granularity, and the shape of ASQ's adapter.
public struct QuantizationPlan: Hashable, Sendable {
    /// Scheme of every weight layer without an override.
    public var weights: QuantScheme
    /// Scheme of the input activations of every weight layer without an override.
    public var activations: QuantScheme
    /// What happens to the first and last weight layers (VecQ quantizes them, ASQ and LSQ keep 8 bits).
    public var firstLast: FirstLastPolicy
    /// One FP32 scale per weight tensor or per output channel, for layers without an override.
    public var scales: ScaleGranularity
    /// Overrides by layer name.
    public var overrides: [String: LayerOverride]
    /// The adapter every `asq:k` activation quantizer carries.
    public var adapter: AdapterSpec
    /// How the network's output tensors are stored; `nil` keeps them in FP32. A network that is
    /// part of a larger one (the layers an overlay offloads) hands on quantized outputs.
    public var output: QuantScheme?

    /// Creates a plan; the defaults describe an unquantized FP32 network.
    public init(weights: QuantScheme = .fp32, activations: QuantScheme = .fp32,
                firstLast: FirstLastPolicy = .quantizeAll, scales: ScaleGranularity = .perTensor,
                overrides: [String: LayerOverride] = [:], adapter: AdapterSpec = .init()) {
        self.weights = weights
        self.activations = activations
        self.firstLast = firstLast
        self.scales = scales
        self.overrides = overrides
        self.adapter = adapter
    }
}

/// The quantization one layer ends up with.
public struct LayerQuantization: Hashable, Sendable {
    /// Scheme of the layer's weights.
    public var weights: QuantScheme
    /// Scheme of the layer's input activations (`fp32` when unquantized or when the input is
    /// token ids, which are indices rather than values).
    public var activations: QuantScheme
    /// Scale granularity of the weights: how many FP32 scales the layer stores.
    public var scales: ScaleGranularity
    /// Whether this is the network's first or last weight layer.
    public var isFirstOrLast: Bool
}

/// Why a plan does not fit a network.
public enum PlanError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An override names a layer the network does not have; `suggestion` is the closest name, if any.
    case unknownLayer(String, suggestion: String?)
    /// An override names a layer without weights; `type` is its layer type.
    case notAWeightLayer(String, type: String)

    /// A message naming the override's layer and, where possible, the name that was meant.
    public var description: String {
        switch self {
        case .unknownLayer(let name, let suggestion):
            "override names layer \(MessageText.quoted(name)), which the network does not have" + (suggestion.map { "; did you mean \(MessageText.quoted($0))?" } ?? "")
        case .notAWeightLayer(let name, let type):
            "override names layer \(MessageText.quoted(name)), a \(type) layer without weights; overrides apply to conv, linear, embedding and lstm layers"
        }
    }
}

extension QuantizationPlan {
    /// The plan with new defaults, each of which also drops the per-layer overrides of the same
    /// setting, so that a scheme chosen on the command line or by a sweep is what every layer
    /// runs (the first/last policy still applies). `nil` keeps a setting as it is.
    public func replacing(weights: QuantScheme? = nil, activations: QuantScheme? = nil,
                          firstLast: FirstLastPolicy? = nil, scales: ScaleGranularity? = nil) -> QuantizationPlan {
        var result = self
        if let weights {
            result.weights = weights
            for name in result.overrides.keys { result.overrides[name]?.weights = nil }
        }
        if let activations {
            result.activations = activations
            for name in result.overrides.keys { result.overrides[name]?.activations = nil }
        }
        if let firstLast { result.firstLast = firstLast }
        if let scales {
            result.scales = scales
            for name in result.overrides.keys { result.overrides[name]?.scales = nil }
        }
        // Overrides the replacement emptied say nothing any more.
        result.overrides = result.overrides.filter { $0.value != LayerOverride() }
        return result
    }

    /// Resolves the plan for every weight layer of `network`, by layer name.
    ///
    /// Order of precedence: a layer override, then the first/last policy, then the defaults.
    public func resolve(for network: Network) throws(PlanError) -> [String: LayerQuantization] {
        for name in overrides.keys.sorted() {
            guard let layer = network.layer(named: name) else {
                let suggestion = network.layers.map(\.name).min { editDistance(name, $0) < editDistance(name, $1) }
                throw .unknownLayer(name, suggestion: suggestion.flatMap { editDistance(name, $0) <= 3 ? $0 : nil })
            }
            guard layer.kind.hasQuantizableWeights else { throw .notAWeightLayer(name, type: layer.kind.typeName) }
        }
        let weightLayers = network.weightLayers
        let edgeNames = Set([weightLayers.first?.name, weightLayers.last?.name].compactMap { $0 })
        var result: [String: LayerQuantization] = [:]
        for layer in weightLayers {
            let isEdge = edgeNames.contains(layer.name)
            var weightScheme = weights
            var activationScheme = activations
            if isEdge, case .keep(let bits) = firstLast {
                weightScheme = Self.widened(weightScheme, to: bits)
                activationScheme = Self.widened(activationScheme, to: bits)
            }
            let override = overrides[layer.name]
            weightScheme = override?.weights ?? weightScheme
            activationScheme = override?.activations ?? activationScheme
            if case .embedding = layer.kind { activationScheme = .fp32 }
            result[layer.name] = LayerQuantization(weights: weightScheme, activations: activationScheme,
                                                   scales: override?.scales ?? scales, isFirstOrLast: isEdge)
        }
        return result
    }

    /// `scheme` at `bits` bits when it is narrower; FP32 when `bits` is 32.
    ///
    /// Uniform-level families (uniform, LSQ, VecQ, ASQ) keep their family. Non-uniform ones
    /// (POT, POST, APoT, binary, ternary, QN level sets) become `uniform:bits`: an 8-bit edge
    /// layer in ASQ and LSQ is plain INT8, and an 8-bit POST code would only add levels below
    /// 2^-60 that no weight uses.
    static func widened(_ scheme: QuantScheme, to bits: Int) -> QuantScheme {
        guard scheme.isQuantized, scheme.bits < bits else { return scheme }
        if bits >= 32 { return .fp32 }
        switch scheme {
        case .uniform, .lsq, .vecq, .asq:
            // A policy built in code may ask for more bits than the family parses (keep-<k>bit stays in range).
            return (try? scheme.withBits(bits)) ?? .uniform(bits: bits)
        default:
            return .uniform(bits: bits)
        }
    }
}
