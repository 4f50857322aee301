import HWModel
import Quantizers

/// VecQ's model-size tables (Table 5, image models; Table 6, LSTM models), recomputed by the
/// cost model from each network's layers.
public enum ModelSizeTable {
    /// A reference-table column and the shipped config whose network it describes.
    public struct Column: Hashable, Sendable {
        /// Column of the reference CSV holding the paper's sizes in MiB, e.g. `resnet18_mib`.
        public var referenceColumn: String
        /// Shipped network config (`configs/<name>.json`) whose cost fills the column.
        public var config: String
    }

    /// VecQ Table 5's networks.
    public static let imageColumns = [
        Column(referenceColumn: "lenet5_mib", config: "lenet5"),
        Column(referenceColumn: "vgglike_mib", config: "vgg-like"),
        Column(referenceColumn: "alexnet_mib", config: "alexnet-bn"),
        Column(referenceColumn: "resnet18_mib", config: "resnet18"),
        Column(referenceColumn: "mobilenetv2_mib", config: "mobilenetv2"),
    ]

    /// VecQ Table 6's networks.
    public static let lstmColumns = [
        Column(referenceColumn: "imdb_mib", config: "imdb-lstm"),
        Column(referenceColumn: "thucnews_mib", config: "thucnews-lstm"),
    ]

    /// The paper prints sizes to two decimals; a cell reproduces it within 3 % or 0.01 MiB,
    /// whichever is larger.
    public static let relativeTolerance = 0.03
    /// The absolute floor, one unit of the paper's last printed digit; it decides for small models.
    public static let absoluteToleranceMiB = 0.01

    /// VecQ's setting for a table row: all layers quantized (VecQ §6.1.2), weights `vecq:w`
    /// (FP32 at 32), activations `uniform:a` (FP32 at 32), one scale per tensor.
    public static func plan(weightBits: Int, activationBits: Int) throws(QuantSchemeError) -> QuantizationPlan {
        let weights: QuantScheme = weightBits == 32 ? .fp32 : try QuantScheme(parsing: "vecq:\(weightBits)")
        let activations: QuantScheme = activationBits == 32 ? .fp32 : try QuantScheme(parsing: "uniform:\(activationBits)")
        return QuantizationPlan(weights: weights, activations: activations, firstLast: .quantizeAll, scales: .perTensor)
    }

    /// One row per (network, bitwidth) cell of `reference`, computed for `networks` (keyed by
    /// config name); a network missing from `networks` is skipped.
    public static func rows(reference: ReferenceTable, columns: [Column], networks: [String: Network]) throws(CostError) -> [PaperComparison] {
        var result: [PaperComparison] = []
        for column in columns {
            guard let network = networks[column.config] else { continue }
            for (row, wbitsText) in reference.column("wbits").enumerated() {
                guard let weightBits = Int(wbitsText), let activationBits = Int(reference.column("abits")[row]) else { continue }
                let plan: QuantizationPlan
                do {
                    plan = try Self.plan(weightBits: weightBits, activationBits: activationBits)
                } catch {
                    throw .scheme(error)
                }
                let cost = try CostModel.evaluate(network, plan: plan)
                let paper = Double(reference.column(column.referenceColumn)[row])
                result.append(PaperComparison(
                    item: column.config, setting: "W\(weightBits)/A\(activationBits)", quantity: "model size (MiB)",
                    computed: cost.modelSizeMiB, paper: paper,
                    tolerance: paper.map { max(relativeTolerance * $0, absoluteToleranceMiB) }))
            }
        }
        return result
    }
}

/// ASQ Table 1: the adapters' parameter and compute overhead on ResNet-18, recomputed from the
/// network and one adapter shape for all rows.
public enum AdapterOverheadTable {
    /// Tolerances of the reproduction, in percentage points.
    public static let parameterTolerancePoints = 0.1
    /// Tolerance of Compute %, in percentage points: its values (0.04–0.14) are far smaller than Param %'s.
    public static let computeTolerancePoints = 0.02

    /// The setting of a row: every layer at `bits` (the paper's ratios scale exactly as 1/b,
    /// so its denominators keep no layer at another width), weights `uniform:b` — storage per
    /// Eq. 14 depends only on b — and activations `asq:b` with the given adapter.
    public static func plan(bits: Int, adapter: AdapterSpec) throws(QuantSchemeError) -> QuantizationPlan {
        QuantizationPlan(weights: try QuantScheme(parsing: "uniform:\(bits)"),
                         activations: try QuantScheme(parsing: "asq:\(bits)"),
                         firstLast: .quantizeAll, scales: .perTensor, adapter: adapter)
    }

    /// Two rows (Param %, Compute %) per bitwidth row of `reference`.
    public static func rows(reference: ReferenceTable, network: Network, adapter: AdapterSpec) throws(CostError) -> [PaperComparison] {
        var result: [PaperComparison] = []
        for (row, bitsText) in reference.column("bits").enumerated() {
            guard let bits = Int(bitsText) else { continue }
            let plan: QuantizationPlan
            do {
                plan = try Self.plan(bits: bits, adapter: adapter)
            } catch {
                throw .scheme(error)
            }
            let cost = try CostModel.evaluate(network, plan: plan)
            result.append(PaperComparison(
                item: network.name, setting: "\(bits)-bit", quantity: "adapter parameters (% of model storage)",
                computed: cost.adapterParameterOverheadPercent, paper: Double(reference.column("param_pct")[row]),
                tolerance: parameterTolerancePoints))
            result.append(PaperComparison(
                item: network.name, setting: "\(bits)-bit", quantity: "adapter compute (% of model QOPS)",
                computed: cost.adapterComputeOverheadPercent, paper: Double(reference.column("compute_pct")[row]),
                tolerance: computeTolerancePoints))
        }
        return result
    }
}
