import HWModel
import Quantizers

/// Turns QONNX per-layer quantizers into an hwsim ``QuantizationPlan``.
///
/// Rules (docs/model-import.md, "QONNX → quantization plan"):
/// * weights: no quantizer → `fp32`; `BipolarQuant` → `binary`; a 2-bit signed narrow `Quant`
///   (levels −1, 0, 1) → `ternary`; any other `Quant` → `uniform:k`, or `pot:k` / `post:k` when
///   the layer is marked so;
/// * input activations: the nearest upstream quantizer under the same rules (`uniform:k` for
///   `Quant`/`Trunc`), `fp32` when there is none;
/// * scales: `channel` when the weight quantizer's scale has more than one element, else `tensor`.
///
/// The plan's defaults are the most common setting over the weight layers (the first layer's
/// on a tie); layers that differ get overrides. Weight layers QONNX says nothing about (e.g. an
/// LSTM or embedding) are FP32.
public enum QONNXPlanBuilder {
    /// One layer's weight scheme, input-activation scheme and scale granularity.
    struct LayerSetting: Hashable, Sendable {
        var weights: QuantScheme
        var activations: QuantScheme
        var scales: ScaleGranularity
    }

    /// The hwsim scheme of a weight quantizer marked `scheme`; `nil` → `fp32`.
    /// - Throws: ``ONNXImportError/invalidQuantParameter(file:node:op:parameter:reason:)`` when
    ///   hwsim has no scheme for the bitwidth (e.g. 24-bit uniform, 12-bit POT).
    public static func weightScheme(
        _ quantizer: QONNXQuantizer?, scheme: QONNXWeightScheme, file: String
    ) throws(ONNXImportError) -> QuantScheme {
        guard let quantizer else { return .fp32 }
        switch quantizer.kind {
        case .bipolarQuant:
            return .binary
        case .quant, .trunc:
            if scheme == .uniform && isTernary(quantizer) { return .ternary }
            let family = scheme == .uniform ? "uniform" : scheme.rawValue
            return try parse("\(family):\(quantizer.bits)", quantizer, file: file)
        }
    }

    /// The hwsim scheme of an activation quantizer; `nil` → `fp32`.
    public static func activationScheme(_ quantizer: QONNXQuantizer?, file: String) throws(ONNXImportError) -> QuantScheme {
        guard let quantizer else { return .fp32 }
        switch quantizer.kind {
        case .bipolarQuant:
            return .binary
        case .quant, .trunc:
            if isTernary(quantizer) { return .ternary }
            return try parse("uniform:\(quantizer.bits)", quantizer, file: file)
        }
    }

    /// A 2-bit signed narrow grid has exactly the levels −1, 0, 1.
    static func isTernary(_ quantizer: QONNXQuantizer) -> Bool {
        quantizer.bits == 2 && quantizer.signed && quantizer.narrow
    }

    private static func parse(_ text: String, _ quantizer: QONNXQuantizer, file: String) throws(ONNXImportError) -> QuantScheme {
        do {
            return try QuantScheme(parsing: text)
        } catch {
            throw .invalidQuantParameter(
                file: file, node: quantizer.node, op: quantizer.kind.rawValue, parameter: "bitwidth",
                reason: "hwsim has no '\(text)' scheme (\(error.description))")
        }
    }

    /// The plan for `network`, whose compute layers came from the nodes in `layerForNode`
    /// (node index → layer name).
    public static func plan(
        network: Network, quantization: [QONNXLayerQuantization], layerForNode: [Int: String], file: String
    ) throws(ONNXImportError) -> QuantizationPlan {
        var byLayer = [String: QONNXLayerQuantization]()
        for entry in quantization {
            if let layer = layerForNode[entry.node.index] { byLayer[layer] = entry }
        }
        var settings = [(layer: String, setting: LayerSetting)]()
        for layer in network.weightLayers {
            guard let entry = byLayer[layer.name] else {
                settings.append((layer.name, LayerSetting(weights: .fp32, activations: .fp32, scales: .perTensor)))
                continue
            }
            let weights = try weightScheme(entry.weight, scheme: entry.weightScheme, file: file)
            settings.append((layer.name, LayerSetting(
                weights: weights,
                activations: try activationScheme(entry.inputQuantizer, file: file),
                scales: entry.weight?.isPerChannel == true ? .perChannel : .perTensor)))
        }
        var plan = QuantizationPlan()
        guard !settings.isEmpty else { return plan }
        plan.weights = mostCommon(settings.map(\.setting.weights))
        plan.activations = mostCommon(settings.map(\.setting.activations))
        plan.scales = mostCommon(settings.map(\.setting.scales))
        for (layer, setting) in settings {
            var override = LayerOverride()
            if setting.weights != plan.weights { override.weights = setting.weights }
            if setting.activations != plan.activations { override.activations = setting.activations }
            if setting.scales != plan.scales { override.scales = setting.scales }
            if override != LayerOverride() { plan.overrides[layer] = override }
        }
        return plan
    }

    /// The most frequent value; the earliest one on a tie.
    static func mostCommon<T: Hashable>(_ values: [T]) -> T {
        var counts = [T: Int]()
        for value in values { counts[value, default: 0] += 1 }
        var best = values[0]
        for value in values where counts[value, default: 0] > counts[best, default: 0] { best = value }
        return best
    }
}
