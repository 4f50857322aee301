import HWModel

/// Compute cycles, utilisation and mapping efficiency of one workload on a systolic array,
/// as SCALE-Sim v3's compute model gives them (memory stalls excluded: those come from hwsim's
/// own tile simulation).
public struct SystolicComputeResult: Hashable, Sendable {
    /// The array.
    public let array: SystolicArray
    /// The operand extents folded onto it.
    public let mapping: SystolicMapping
    /// Independent repeats (groups) run one after another.
    public let repeats: Int
    /// ⌈Sr / R⌉.
    public let rowFolds: Int
    /// ⌈Sc / C⌉.
    public let columnFolds: Int
    /// os: T + R + C − 2; ws and is: 2R + C + T − 2.
    public let cyclesPerFold: Int
    /// (rowFolds · columnFolds · cyclesPerFold − 1) per repeat, times the repeats.
    public let computeCycles: Int
    /// Multiply-accumulates performed: Sr · Sc · T per repeat.
    public let macs: Int
    /// SCALE-Sim's mapping efficiency: the mean over folds of the fraction of PEs mapped,
    /// row_used · col_used / (R · C); equals Sr · Sc / (R · C · folds).
    public let mappingEfficiency: Double
    /// SCALE-Sim's compute utilisation: the mean over folds of row_used · col_used · T /
    /// (R · C · fold cycles), where its fold cycles are the rows plus columns minus one of the
    /// fold's demand matrix: os T + R + C − 2, ws and is 2R + 2C + T − 3.
    public let computeUtilization: Double

    /// Number of folds per repeat.
    public var folds: Int { rowFolds * columnFolds }

    /// SCALE-Sim's overall utilisation, MACs / (total cycles · R · C), for a run that took
    /// `totalCycles` (compute plus stalls); with no stalls, use ``computeCycles``.
    public func overallUtilization(totalCycles: Int) -> Double {
        guard totalCycles > 0 else { return 0 }
        return Double(macs) / (Double(totalCycles) * Double(array.peCount))
    }
}

/// SCALE-Sim v3's systolic compute model as pure functions.
///
/// Sources (scalesim-project/scale-sim-v2 and v3, `scalesim/compute/systolic_compute_os.py`,
/// `systolic_compute_ws.py`, `systolic_compute_is.py`): `set_params` sets (Sr, Sc, T) and the
/// folds ⌈Sr/R⌉, ⌈Sc/C⌉; the demand matrices give the cycles per fold; `mapping_eff_this_fold`
/// and `compute_util_this_fold` are averaged over folds by `get_avg_mapping_efficiency` and
/// `get_avg_compute_utilization`. See docs/model-import.md.
public enum SystolicCompute {
    /// Cycles one fold takes: os T + R + C − 2; ws, is 2R + C + T − 2.
    public static func cyclesPerFold(_ mapping: SystolicMapping, on array: SystolicArray) -> Int {
        switch array.dataflow {
        case .outputStationary: mapping.temporal + array.rows + array.columns - 2
        case .weightStationary, .inputStationary: 2 * array.rows + array.columns + mapping.temporal - 2
        }
    }

    /// The fold length SCALE-Sim divides by in its compute utilisation (rows + columns − 1 of
    /// one fold's demand matrix): os T + R + C − 2, ws and is 2R + 2C + T − 3.
    public static func utilizationCyclesPerFold(_ mapping: SystolicMapping, on array: SystolicArray) -> Int {
        switch array.dataflow {
        case .outputStationary: mapping.temporal + array.rows + array.columns - 2
        case .weightStationary, .inputStationary: 2 * array.rows + 2 * array.columns + mapping.temporal - 3
        }
    }

    /// Runs `workload` on `array`.
    public static func run(_ workload: SystolicWorkload, on array: SystolicArray) -> SystolicComputeResult {
        let mapping = SystolicMapping(workload, dataflow: array.dataflow)
        let rowFolds = (mapping.spatialRows + array.rows - 1) / array.rows
        let columnFolds = (mapping.spatialColumns + array.columns - 1) / array.columns
        let folds = rowFolds * columnFolds
        let perFold = cyclesPerFold(mapping, on: array)
        let pes = Double(array.peCount)
        let mapped = Double(mapping.spatialRows) * Double(mapping.spatialColumns)
        return SystolicComputeResult(
            array: array, mapping: mapping, repeats: workload.repeats, rowFolds: rowFolds, columnFolds: columnFolds,
            cyclesPerFold: perFold, computeCycles: (folds * perFold - 1) * workload.repeats,
            macs: mapping.spatialRows * mapping.spatialColumns * mapping.temporal * workload.repeats,
            mappingEfficiency: mapped / (pes * Double(folds)),
            computeUtilization: mapped * Double(mapping.temporal)
                / (pes * Double(utilizationCyclesPerFold(mapping, on: array)) * Double(folds)))
    }
}

extension SystolicWorkload {
    /// The GEMM a lowered workload runs as on a systolic array: P = N (output positions ×
    /// batch), W = K, K = M of one group, repeated once per group and step (SCALE-Sim runs a
    /// depthwise layer as one single-channel layer per channel).
    public init(_ gemm: GEMMWorkload) {
        self.init(pixels: Int(gemm.n), window: Int(gemm.k), filters: Int(gemm.m), repeats: Int(gemm.groups * gemm.steps))
    }
}
