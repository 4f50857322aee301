/// Sizes of arrays whose dimensions are `auto`.
public enum ArraySizing {
    /// Realizations an array uses for `unit`, DSP first.
    public static func realizations(for unit: ArithmeticUnit, policy: RealizationPolicy) -> [Realization] {
        let allowed: [Realization] = switch policy {
        case .lut: [.lut]
        case .dsp: [.dsp]
        case .both: [.dsp, .lut]
        }
        return allowed.filter(unit.supportedRealizations.contains)
    }

    /// Candidate arrays for `spec` running `unit` within `budget`: for every allowed
    /// (rows, cols) — the given size, or each power of two up to the maximum for `auto` —
    /// the largest number of copies that fits (DSP copies first, then LUT copies). Candidates
    /// with no copy that fits are left out, so an empty result means nothing fits.
    public static func candidates(spec: ArraySpec, name: String, unit: ArithmeticUnit, dataflow: Dataflow, budget: ResourceVector,
                                  maximumReduction: Int, dspType: DSPType, file: String) throws(HardwareError) -> [ComputeArray] {
        let realizations = realizations(for: unit, policy: spec.realization)
        guard !realizations.isEmpty else {
            throw .unsupportedRealization(array: spec.name, unit: unit.name, policy: spec.realization.rawValue,
                                          supported: unit.supportedRealizations.map(\.rawValue), file: file)
        }
        var result: [ComputeArray] = []
        for rows in values(spec.rows, maximum: spec.maximumRows) {
            for cols in values(spec.cols, maximum: spec.maximumCols) {
                let geometry = copies(spec: spec, unit: unit, realizations: realizations, rows: rows, cols: cols, dataflow: dataflow,
                                      budget: budget, maximumReduction: maximumReduction, dspType: dspType)
                guard geometry.copies > 0 else { continue }
                result.append(ComputeArray(name: name, unit: unit, geometry: geometry, dataflow: dataflow, weightDepth: spec.weightDepth,
                                           fp32Adder: spec.fp32Adder, maximumReduction: maximumReduction, dspType: dspType))
            }
        }
        return result
    }

    /// The smallest array the spec allows (one copy of the smallest rows × cols): what is
    /// instantiated, and reported as not fitting, when no candidate fits.
    public static func smallest(spec: ArraySpec, name: String, unit: ArithmeticUnit, dataflow: Dataflow, maximumReduction: Int,
                                dspType: DSPType, file: String) throws(HardwareError) -> ComputeArray {
        let realizations = realizations(for: unit, policy: spec.realization)
        guard let first = realizations.first else {
            throw .unsupportedRealization(array: spec.name, unit: unit.name, policy: spec.realization.rawValue,
                                          supported: unit.supportedRealizations.map(\.rawValue), file: file)
        }
        let rows = values(spec.rows, maximum: spec.maximumRows).first ?? 1
        let cols = values(spec.cols, maximum: spec.maximumCols).first ?? 1
        var copies = 1
        if case .fixed(let given) = spec.copies { copies = given }
        return ComputeArray(name: name, unit: unit, geometry: ArrayGeometry(rows: rows, cols: cols, copies: copies, dspCopies: first == .dsp ? copies : 0),
                            dataflow: dataflow, weightDepth: spec.weightDepth, fp32Adder: spec.fp32Adder,
                            maximumReduction: maximumReduction, dspType: dspType)
    }

    /// The largest fraction of `budget` one lane of `unit` takes in a copy of the spec's
    /// largest rows × cols, with its cheapest allowed realization: how expensive a lane is
    /// when arrays share a budget.
    public static func laneBudgetFraction(spec: ArraySpec, unit: ArithmeticUnit, dataflow: Dataflow, budget: ResourceVector,
                                          maximumReduction: Int, dspType: DSPType) -> Double {
        let rows = values(spec.rows, maximum: spec.maximumRows).last ?? 1
        let cols = values(spec.cols, maximum: spec.maximumCols).last ?? 1
        var best = Double.infinity
        for realization in realizations(for: unit, policy: spec.realization) {
            let cost = ArrayCostModel.copyBreakdown(unit: unit, realization: realization, rows: rows, cols: cols, dataflow: dataflow,
                                                    weightDepth: spec.weightDepth, fp32Adder: spec.fp32Adder,
                                                    maximumReduction: maximumReduction, dspType: dspType)
                .reduce(ResourceVector.zero) { $0 + $1.total }
            var fraction = 0.0
            for kind in ResourceKind.allCases where cost[kind] > 0 {
                fraction = max(fraction, budget[kind] > 0 ? cost[kind] / budget[kind] : .infinity)
            }
            best = min(best, fraction / (Double(rows) * Double(cols)))
        }
        return best
    }

    static func values(_ dimension: ArrayDimension, maximum: Int) -> [Int] {
        switch dimension {
        case .fixed(let value): return [value]
        case .auto:
            var result: [Int] = []
            var value = 1
            while value <= max(maximum, 1) {
                result.append(value)
                let (next, overflow) = value.multipliedReportingOverflow(by: 2)
                if overflow { break }  // a maximum near Int.max: stop at the last power of two
                value = next
            }
            return result
        }
    }

    static func copies(spec: ArraySpec, unit: ArithmeticUnit, realizations: [Realization], rows: Int, cols: Int, dataflow: Dataflow,
                       budget: ResourceVector, maximumReduction: Int, dspType: DSPType) -> ArrayGeometry {
        func copyCost(_ realization: Realization) -> ResourceVector {
            ArrayCostModel.copyBreakdown(unit: unit, realization: realization, rows: rows, cols: cols, dataflow: dataflow,
                                         weightDepth: spec.weightDepth, fp32Adder: spec.fp32Adder,
                                         maximumReduction: maximumReduction, dspType: dspType)
                .reduce(.zero) { $0 + $1.total }
        }
        var remaining = budget
        var dspCopies = 0
        var lutCopies = 0
        let limit: Int? = if case .fixed(let given) = spec.copies { given } else { nil }
        for realization in realizations {
            let cost = copyCost(realization)
            let alreadyPlaced = dspCopies + lutCopies
            var count = cost.copies(within: remaining)
            if let limit { count = min(count, limit - alreadyPlaced) }
            // The last allowed realization takes any fixed copies the budget cannot hold, so that
            // a fixed array keeps its size and is reported as not fitting.
            if let limit, realization == realizations.last { count = limit - alreadyPlaced }
            count = max(count, 0)
            remaining = remaining - Double(count) * cost
            if realization == .dsp { dspCopies += count } else { lutCopies += count }
        }
        return ArrayGeometry(rows: rows, cols: cols, copies: dspCopies + lutCopies, dspCopies: dspCopies)
    }
}
