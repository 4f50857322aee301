import HWModel
import Quantizers

extension DesignSpace {
    /// The error-proxy table the `error` objective reads: every weight layer under every weight
    /// and activation scheme the points' plans give it (first/last policies included), measured
    /// on `tensors` where given and on the Gaussian model elsewhere (docs/compare.md, "The error
    /// proxy"). Plans that do not fit the network add nothing; their points fail anyway.
    public func errorTable(tensors: [String: (tensor: Tensor, channelAxis: Int)]) throws(QuantizationErrorTableError) -> QuantizationErrorTable {
        var weightSchemes: [QuantScheme] = [], activationSchemes: [QuantScheme] = []
        for weight in weights {
            for activation in activations {
                guard let resolved = try? basePlan.replacing(weights: weight, activations: activation).resolve(for: network) else { continue }
                for quantization in resolved.values {
                    if !weightSchemes.contains(quantization.weights) { weightSchemes.append(quantization.weights) }
                    if !activationSchemes.contains(quantization.activations) { activationSchemes.append(quantization.activations) }
                }
            }
        }
        return try QuantizationErrorTable(network: network, plan: basePlan, layers: network.weightLayers.map(\.name),
                                          weightSchemes: weightSchemes, activationSchemes: activationSchemes, tensors: tensors)
    }

    /// The error proxy of `point`: over every weight layer, its weights' and its input
    /// activations' noise-to-signal ratios added (E = Σ NSR_w + NSR_a, the search's `nsr`
    /// metric); NaN when the point's plan does not fit the network.
    public func error(of point: DesignPoint, table: QuantizationErrorTable) -> Double {
        guard let resolved = try? plan(for: point).resolve(for: network) else { return .nan }
        return network.weightLayers.reduce(0.0) { total, layer in
            guard let quantization = resolved[layer.name] else { return total }
            return total + table.error(layer: layer.name, weights: quantization.weights, activations: quantization.activations, metric: .nsr)
        }
    }
}
