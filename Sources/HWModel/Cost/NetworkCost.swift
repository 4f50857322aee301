/// Costs of every layer of a network and their totals.
public struct NetworkCost: Hashable, Sendable {
    public var network: String
    /// One entry per layer, in the network's topological order.
    public var layers: [LayerCost]

    /// Bytes in a mebibyte, the "M" of VecQ's model sizes.
    public static let bytesPerMiB: Double = 1_048_576

    public var parameters: Int64 { layers.reduce(0) { $0 + $1.parameters } }
    public var weights: Int64 { layers.reduce(0) { $0 + $1.weights } }
    public var biases: Int64 { layers.reduce(0) { $0 + $1.biases } }
    public var normParameters: Int64 { layers.reduce(0) { $0 + $1.normParameters } }
    public var normBuffers: Int64 { layers.reduce(0) { $0 + $1.normBuffers } }
    public var equationParameters: Int64 { layers.reduce(0) { $0 + $1.equationParameters } }
    public var macs: Int64 { layers.reduce(0) { $0 + $1.macs } }
    public var vectorOperations: Int64 { layers.reduce(0) { $0 + $1.vectorOperations } }
    public var bops: Int64 { layers.reduce(0) { $0 + $1.bops } }
    public var qops: Double { layers.reduce(0) { $0 + $1.qops } }
    public var storageBits: Int64 { layers.reduce(0) { $0 + $1.storageBits } }
    public var adapterParameters: Int64 { layers.reduce(0) { $0 + ($1.adapter?.parameters ?? 0) } }
    public var adapterOperations: Int64 { layers.reduce(0) { $0 + ($1.adapter?.operations ?? 0) } }
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
