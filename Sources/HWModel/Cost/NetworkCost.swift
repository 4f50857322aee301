import Quantizers

/// Costs of every layer of a network and their totals.
public struct NetworkCost: Hashable, Sendable {
    /// Network name, for reports.
    public var network: String
    /// One entry per layer, in the network's topological order.
    public private(set) var layers: [LayerCost]

    /// Every layer's count summed with checks, so that the totals below (plain sums, for
    /// speed) cannot overflow on a network ``CostModel/evaluate(_:plan:)`` returned: each
    /// layer's BOPs may fit 64 bits while their sum does not.
    static func checkTotals(_ layers: [LayerCost]) throws(CountOverflow) {
        let totals: [(String, (LayerCost) -> Int64)] = [
            ("parameters", \.parameters), ("weights", \.weights), ("biases", \.biases), ("BatchNorm parameters", \.normParameters),
            ("BatchNorm buffers", \.normBuffers), ("equation parameters", \.equationParameters), ("MACs", \.macs),
            ("vector operations", \.vectorOperations), ("BOPs", \.bops), ("storage bits", \.storageBits),
            ("adapter parameters", { $0.adapter?.parameters ?? 0 }), ("adapter operations", { $0.adapter?.operations ?? 0 }),
            ("adapter storage bits", { $0.adapter?.storageBits ?? 0 }),
        ]
        for (quantity, term) in totals {
            _ = try Checked.sum(layers.lazy.map(term), "network total \(quantity)")
        }
        _ = try Checked.add(try Checked.sum(layers.lazy.map(\.storageBits), "network total storage bits"),
                            try Checked.sum(layers.lazy.map { $0.adapter?.storageBits ?? 0 }, "network total adapter storage bits"),
                            "network total storage bits with adapters")
    }

    /// Bytes in a mebibyte, the "M" of VecQ's model sizes.
    public static let bytesPerMiB: Double = 1_048_576

    /// Trainable parameters of all layers (weights, biases, BatchNorm γ and β), PyTorch's count.
    public var parameters: Int64 { layers.reduce(0) { $0 + $1.parameters } }
    /// Weight values of all layers.
    public var weights: Int64 { layers.reduce(0) { $0 + $1.weights } }
    /// Bias values of all layers.
    public var biases: Int64 { layers.reduce(0) { $0 + $1.biases } }
    /// BatchNorm γ and β of all layers.
    public var normParameters: Int64 { layers.reduce(0) { $0 + $1.normParameters } }
    /// BatchNorm running means and variances: not trained, but stored for inference.
    public var normBuffers: Int64 { layers.reduce(0) { $0 + $1.normBuffers } }
    /// Parameters as ASQ Eq. 10–11 count them, the base of Eq. 14's storage.
    public var equationParameters: Int64 { layers.reduce(0) { $0 + $1.equationParameters } }
    /// Multiply-accumulates of all layers: the papers' OPS (ASQ Eq. 12–13), for one sample.
    public var macs: Int64 { layers.reduce(0) { $0 + $1.macs } }
    /// Element-wise operations of all layers, outside the papers' OPS.
    public var vectorOperations: Int64 { layers.reduce(0) { $0 + $1.vectorOperations } }
    /// Binary operations, Σ MACs × weight bits × activation bits.
    public var bops: Int64 { layers.reduce(0) { $0 + $1.bops } }
    /// QOPS, Σ OPS × b/32 per layer (ASQ Eq. 15–16 generalised).
    public var qops: Double { layers.reduce(0) { $0 + $1.qops } }
    /// Model storage in bits (packed weight codes plus FP32 values), adapters excluded.
    public var storageBits: Int64 { layers.reduce(0) { $0 + $1.storageBits } }
    /// Parameters of all ASQ adapters.
    public var adapterParameters: Int64 { layers.reduce(0) { $0 + ($1.adapter?.parameters ?? 0) } }
    /// Operations of all ASQ adapters as the spec counts them; the numerator of Compute %.
    public var adapterOperations: Int64 { layers.reduce(0) { $0 + ($1.adapter?.operations ?? 0) } }
    /// Storage bits of all ASQ adapters; the numerator of Param %.
    public var adapterStorageBits: Int64 { layers.reduce(0) { $0 + ($1.adapter?.storageBits ?? 0) } }

    /// Model size in MiB: packed weight codes plus everything kept in FP32 (VecQ Table 5's "M").
    public var modelSizeMiB: Double { Double(storageBits) / 8 / Self.bytesPerMiB }

    /// Model storage plus ASQ adapters, in MiB.
    public var totalSizeMiB: Double { Double(storageBits + adapterStorageBits) / 8 / Self.bytesPerMiB }

    /// Quantized parameter storage per ASQ Eq. 14: Σ Param(Eq. 10, 11) × B over weight layers.
    public var equationStorageBits: Double {
        layers.reduce(0) { $0 + Double($1.equationParameters) * Double($1.quantization?.weights.bits ?? 32) }
    }

    /// ASQ Table 1 "Param (%)": adapter parameter storage over Eq. 14's model storage.
    public var adapterParameterOverheadPercent: Double {
        equationStorageBits > 0 ? 100 * Double(adapterStorageBits) / equationStorageBits : 0
    }

    /// ASQ Table 1 "Compute (%)": adapter operations over the model's QOPS.
    public var adapterComputeOverheadPercent: Double {
        qops > 0 ? 100 * Double(adapterOperations) / qops : 0
    }
}
