import Foundation
import HWModel
import Quantizers

/// Where a layer's weight error comes from.
public enum WeightSource: Hashable, Sendable {
    /// The layer's real weights, quantized with hwsim's own quantizers.
    case measured
    /// No weights were given: a Gaussian model of them (``QuantizationErrorTable/gaussianSamples``
    /// values of N(0, 1), the same for every layer).
    case gaussian
}

/// One layer's quantization error under one scheme: what the search adds up.
public struct LayerError: Hashable, Sendable {
    /// Noise over signal power ‖w − ŵ‖² / ‖w‖² (10^(−SQNR/10)); 0 for FP32.
    public var noiseToSignal: Double
    /// VecQ's orientation loss 1 − cos(w, ŵ); 0 for FP32.
    public var orientation: Double

    /// SQNR in dB; +∞ for a lossless result.
    public var sqnrDecibels: Double { noiseToSignal > 0 ? -10 * Foundation.log10(noiseToSignal) : .infinity }
}

/// Which per-layer error the network score sums (docs/compare.md, "The error proxy").
public enum ErrorMetric: String, CaseIterable, Hashable, Sendable {
    /// Noise-to-signal power ratios: additive in power when the layers' noises are independent.
    case nsr
    /// VecQ's orientation losses Jo.
    case orientation
}

/// Why an error table could not be made.
public enum QuantizationErrorTableError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A scheme's quantizer refused a layer's weights (e.g. a bitwidth the family lacks).
    case quantizer(layer: String, scheme: String, reason: String)
    /// A weight tensor's element count differs from the layer's.
    case shapeMismatch(layer: String, expected: Int64, actual: Int)

    /// One line naming the layer and what to change.
    public var description: String {
        switch self {
        case .quantizer(let layer, let scheme, let reason): "layer '\(layer)': \(scheme): \(reason)"
        case .shapeMismatch(let layer, let expected, let actual):
            "layer '\(layer)': the weights given hold \(actual) values, the layer has \(expected); give the tensor of this layer"
        }
    }
}

/// Each searched layer's quantization error under each scheme (docs/compare.md, "The error
/// proxy"): weights measured on the real weight tensors where given, else on a Gaussian model;
/// activations on a fixed half-normal sample (ReLU outputs of Gaussian pre-activations), since
/// hwsim has no activation data. A proxy of the network's quantization error, not its accuracy.
public struct QuantizationErrorTable: Sendable {
    /// Values in the Gaussian model of a layer without weights, and in the activation sample.
    public static let gaussianSamples = 4096
    /// Seed of the deterministic samples (any fixed value: the table must be reproducible).
    static let seed: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Per layer and weight scheme.
    public let weights: [String: [QuantScheme: LayerError]]
    /// Per activation scheme (the same for every layer).
    public let activations: [QuantScheme: LayerError]
    /// Where each layer's weight error came from.
    public let sources: [String: WeightSource]

    /// Measures `layers` under every scheme. `tensors` holds the real weights by layer name (with
    /// the axis of their output channels); layers without one get the Gaussian model. Per-channel
    /// layers (per `plan`) are measured with one scale per output channel.
    public init(network: Network, plan: QuantizationPlan, layers: [String], weightSchemes: [QuantScheme], activationSchemes: [QuantScheme],
                tensors: [String: (tensor: Tensor, channelAxis: Int)]) throws(QuantizationErrorTableError) {
        let gaussian = Self.sample(count: Self.gaussianSamples, halfNormal: false)
        // The plan and counts only decide granularity and check the tensors; a plan that does not
        // fit the network fails later, where the search binds it.
        let resolved = (try? plan.resolve(for: network)) ?? [:]
        let counts = Dictionary(((try? CostModel.evaluate(network, plan: plan))?.layers ?? []).map { ($0.layer, $0.weights) }) { first, _ in first }
        var weights: [String: [QuantScheme: LayerError]] = [:]
        var sources: [String: WeightSource] = [:]
        for name in layers {
            let given = tensors[name]
            if let given, let count = counts[name], count != Int64(given.tensor.values.count) {
                throw .shapeMismatch(layer: name, expected: count, actual: given.tensor.values.count)
            }
            let tensor = given?.tensor ?? gaussian
            let perChannel = given != nil && resolved[name]?.scales == .perChannel && tensor.shape.count > 1
            let granularity: Granularity = perChannel ? .perChannel(axis: given?.channelAxis ?? 0) : .perTensor
            var row: [QuantScheme: LayerError] = [:]
            for scheme in weightSchemes { row[scheme] = try Self.error(of: tensor, scheme: scheme, granularity: granularity, role: .weight, layer: name) }
            weights[name] = row
            sources[name] = given == nil ? .gaussian : .measured
        }
        let activationSample = Self.sample(count: Self.gaussianSamples, halfNormal: true)
        var activations: [QuantScheme: LayerError] = [:]
        for scheme in activationSchemes {
            activations[scheme] = try Self.error(of: activationSample, scheme: scheme, granularity: .perTensor, role: .activation, layer: "activations")
        }
        self.weights = weights
        self.activations = activations
        self.sources = sources
    }

    /// A table from given errors (tests, or errors measured elsewhere).
    public init(weights: [String: [QuantScheme: LayerError]], activations: [QuantScheme: LayerError], sources: [String: WeightSource]) {
        self.weights = weights
        self.activations = activations
        self.sources = sources
    }

    /// Layer `name`'s error with `weights` and `activations`, in `metric`: the two added.
    public func error(layer name: String, weights scheme: QuantScheme, activations activation: QuantScheme, metric: ErrorMetric) -> Double {
        let w = weights[name]?[scheme], a = activations[activation]
        switch metric {
        case .nsr: return (w?.noiseToSignal ?? 0) + (a?.noiseToSignal ?? 0)
        case .orientation: return (w?.orientation ?? 0) + (a?.orientation ?? 0)
        }
    }

    /// Whether every searched layer's weights were measured.
    public var allMeasured: Bool { sources.values.allSatisfy { $0 == .measured } }

    static func error(of tensor: Tensor, scheme: QuantScheme, granularity: Granularity, role: TensorRole,
                      layer: String) throws(QuantizationErrorTableError) -> LayerError {
        guard scheme.isQuantized else { return LayerError(noiseToSignal: 0, orientation: 0) }
        do {
            let quantized = try scheme.quantize(tensor, granularity: granularity, role: role)
            let report = try QuantizationReport(original: tensor, quantized: quantized)
            let signal = tensor.values.reduce(0.0) { $0 + Double($1) * Double($1) }
            return LayerError(noiseToSignal: signal > 0 ? report.l2Loss / signal : 0, orientation: report.orientationLoss)
        } catch {
            throw .quantizer(layer: layer, scheme: scheme.description, reason: error.description)
        }
    }

    /// `count` deterministic N(0, 1) values (|N(0, 1)| when `halfNormal`), by Box–Muller on a
    /// SplitMix64 stream, so the table is the same on every machine and run.
    static func sample(count: Int, halfNormal: Bool) -> Tensor {
        var state = seed
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return (Double(z >> 11) + 0.5) / Double(UInt64(1) << 53)
        }
        var values: [Float] = []
        values.reserveCapacity(count)
        while values.count < count {
            let radius = (-2 * Foundation.log(next())).squareRoot(), angle = 2 * Double.pi * next()
            for value in [radius * Foundation.cos(angle), radius * Foundation.sin(angle)] where values.count < count {
                values.append(Float(halfNormal ? abs(value) : value))
            }
        }
        return Tensor(values)
    }
}
