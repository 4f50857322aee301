import HWModel
import Quantizers

/// VecQ Table 11: the salient-object-detection models on a ResNet-50 encoder — convolutions,
/// parameters, FP32 and 2-bit VecQ model sizes — recomputed from network configs of the four
/// decoders (configs/*-resnet50.json).
///
/// The configs follow the implementation whose layers reproduce every cell: qubvel's Keras
/// segmentation_models 0.1.2 as vendored in MrGiovanni/UNetPlusPlus (docs/cost-model.md, "VecQ
/// Table 11"). "Parameters" are Keras' `count_params`, which counts BatchNorm's running mean and
/// variance too: hwsim's trained parameters plus its BatchNorm buffers.
public enum SalientObjectTable {
    /// A row of the table and the shipped config whose network it describes.
    public struct Model: Hashable, Sendable {
        /// The reference CSV's `model` cell, e.g. `U-Net`.
        public var name: String
        /// Shipped network config (`configs/<config>.json`).
        public var config: String
    }

    /// The table's four rows.
    public static let models = [
        Model(name: "U-Net", config: "unet-resnet50"),
        Model(name: "FPN", config: "fpn-resnet50"),
        Model(name: "LinkNet", config: "linknet-resnet50"),
        Model(name: "UNet++", config: "unetpp-resnet50"),
    ]

    /// A cell reproduces the paper when it rounds to the printed value: the tolerance is half a
    /// unit of the printed last digit (0.005 for `9.05`, 0.05 for `109.8`, 0.5 for `64`).
    public static func tolerance(printed text: String) -> Double {
        guard let point = text.firstIndex(of: ".") else { return 0.5 }
        let decimals = text.distance(from: point, to: text.endIndex) - 1
        return 0.5 * pow10(-decimals)
    }

    private static func pow10(_ exponent: Int) -> Double {
        exponent >= 0 ? (0..<exponent).reduce(1.0) { value, _ in value * 10 } : 1 / pow10(-exponent)
    }

    /// Convolutions as the table counts them: every conv2d and conv_transpose2d (the head included).
    public static func convolutions(in network: Network) -> Int {
        network.layers.filter { layer in
            switch layer.kind {
            case .convolution, .transposedConvolution: true
            default: false
            }
        }.count
    }

    /// Four rows per model of `reference` found in `networks` (keyed by config name).
    public static func rows(reference: ReferenceTable, networks: [String: Network]) throws(CostError) -> [PaperComparison] {
        var result: [PaperComparison] = []
        let names = reference.column("model")
        for model in models {
            guard let network = networks[model.config], let row = names.firstIndex(of: model.name) else { continue }
            let fp32: QuantizationPlan
            let twoBit: QuantizationPlan
            do {
                fp32 = try ModelSizeTable.plan(weightBits: 32, activationBits: 32)
                twoBit = try ModelSizeTable.plan(weightBits: 2, activationBits: 32)
            } catch {
                throw .scheme(error)
            }
            let full = try CostModel.evaluate(network, plan: fp32)
            let quantized = try CostModel.evaluate(network, plan: twoBit)
            let cells: [(column: String, setting: String, quantity: String, computed: Double)] = [
                ("convs", "count", "convolutions (conv + transposed conv)", Double(convolutions(in: network))),
                ("params_m", "FP32", "parameters (M, Keras count_params)", Double(full.parameters + full.normBuffers) / 1e6),
                ("size_mib_fp32", "FP32", "model size (MiB)", full.modelSizeMiB),
                ("size_mib_2bit", "W2 VecQ", "model size (MiB)", quantized.modelSizeMiB),
            ]
            for cell in cells {
                let printed = reference.columns.firstIndex(of: cell.column).map { reference.rows[row][$0] }
                result.append(PaperComparison(item: model.name, setting: cell.setting, quantity: cell.quantity, computed: cell.computed,
                                              paper: printed.flatMap(Double.init), tolerance: printed.map(tolerance(printed:))))
            }
        }
        return result
    }
}
