/// Which BatchNorm and activation layers fold into the layer feeding them (FINN's thresholds,
/// NVDLA's SDP): a property of the graph alone, shared by every architecture.
public enum LayerFusion {
    /// For each BatchNorm or activation layer that can fold into the layer feeding it, the
    /// name of the layer whose output stage absorbs it: its single input has no other
    /// consumer and is a weight layer, a vector-unit layer, or itself folded.
    public static func hosts(in network: Network) -> [String: String] {
        var consumers: [String: Int] = [:]
        for layer in network.layers {
            for input in layer.inputs { consumers[input, default: 0] += 1 }
        }
        var host: [String: String] = [:]
        for layer in network.layers {
            switch layer.kind {
            case .batchNorm, .activation:
                guard layer.inputs.count == 1, let source = layer.inputs.first, consumers[source] == 1,
                      let producer = network.layer(named: source) else { continue }
                if let upstream = host[source] {
                    host[layer.name] = upstream
                    continue
                }
                switch producer.kind {
                case .convolution, .transposedConvolution, .linear, .lstm, .add, .multiply, .pool, .globalPool:
                    host[layer.name] = source
                default:
                    continue
                }
            default:
                continue
            }
        }
        return host
    }
}

/// The bit width each tensor is stored at between layers.
public enum TensorWidths {
    /// Bits of each layer's output tensor as it is stored: the activation width of the weight
    /// layers that read it (through layers without weights), the widest when several do;
    /// `outputBits` (FP32 unless the plan says otherwise) when only the network's output reads it.
    public static func storedBits(in network: Network, quantization: [String: LayerQuantization], outputBits: Int = 32) -> [String: Int] {
        var consumers: [String: [Layer]] = [:]
        for layer in network.layers {
            for input in layer.inputs { consumers[input, default: []].append(layer) }
        }
        var bits: [String: Int] = [:]
        for layer in network.layers.reversed() {
            let readers = consumers[layer.name] ?? []
            guard !readers.isEmpty else {
                bits[layer.name] = outputBits
                continue
            }
            var widest = 1
            for reader in readers {
                if let q = quantization[reader.name] {
                    widest = max(widest, q.activations.bits)
                } else {
                    widest = max(widest, bits[reader.name] ?? 32)
                }
            }
            bits[layer.name] = widest
        }
        return bits
    }
}
