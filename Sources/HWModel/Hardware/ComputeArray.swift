/// One line of a resource breakdown: `count` instances of a unit, each costing `each`.
public struct ResourceItem: Hashable, Sendable {
    /// What the line is, as reports print it.
    public var name: String
    /// Instances; for an array, the per-copy count times the copies.
    public var count: Int64
    /// Resources of one instance (fractional, e.g. 0.25 DSP per 4-bit MAC).
    public var each: ResourceVector

    /// Creates a line.
    public init(name: String, count: Int64, each: ResourceVector) {
        self.name = name
        self.count = count
        self.each = each
    }

    /// count × each.
    public var total: ResourceVector { Double(count) * each }
}

/// The sizes of an instantiated array. `dspCopies` of the `copies` have DSP lanes, the rest
/// LUT lanes; all copies compute the same way.
public struct ArrayGeometry: Hashable, Sendable, CustomStringConvertible {
    /// Lanes per processing element (FINN's SIMD, Q).
    public var rows: Int
    /// Processing elements per copy (FINN's PE, P).
    public var cols: Int
    /// Identical rows × cols units working side by side.
    public var copies: Int
    /// How many of the copies have DSP lanes; the rest have LUT lanes.
    public var dspCopies: Int

    /// Creates a geometry.
    public init(rows: Int, cols: Int, copies: Int, dspCopies: Int = 0) {
        self.rows = rows
        self.cols = cols
        self.copies = copies
        self.dspCopies = dspCopies
    }

    /// Multiply lanes: rows × cols × copies, saturating at `Int64.max` (an array that large
    /// fits no device, which is what the resource check then says).
    public var lanes: Int64 { ArrayCostModel.saturatingProduct([Int64(rows), Int64(cols), Int64(copies)]) }
    /// Copies with LUT lanes: `copies − dspCopies`.
    public var lutCopies: Int { copies - dspCopies }

    /// `rows×cols×copies`, with the DSP/LUT split when mixed.
    public var description: String {
        let mix = dspCopies > 0 && dspCopies < copies ? " (\(dspCopies) DSP + \(lutCopies) LUT)" : ""
        return "\(rows)×\(cols)×\(copies)\(mix)"
    }
}

/// A compute array with its unit, sizes and resources: a pure function of the description.
public struct ComputeArray: Hashable, Sendable {
    /// The config's array name, used in reports.
    public var name: String
    /// The arithmetic every lane performs.
    public var unit: ArithmeticUnit
    /// Sizes, and how many copies are DSP-realised.
    public var geometry: ArrayGeometry
    /// How a GEMM maps onto the lanes; output-stationary adds an accumulator per lane.
    public var dataflow: Dataflow
    /// Weights each lane keeps in LUTRAM (FINN's WMEM), costing W·⌈depth/64⌉ LUT per lane; 0 reads weights from the buffer.
    public var weightDepth: Int
    /// Where FP32 lanes add (DSP or fabric); irrelevant to integer units.
    public var fp32Adder: FP32Adder
    /// Longest reduction K the accumulators are sized for (FINN's MW).
    public var maximumReduction: Int
    /// The device's DSP family, which sets how many MACs one DSP packs.
    public var dspType: DSPType
    /// Every unit the array is made of, with counts; `resources` is their sum.
    public let breakdown: [ResourceItem]

    /// Builds the array and its resource breakdown.
    public init(name: String, unit: ArithmeticUnit, geometry: ArrayGeometry, dataflow: Dataflow, weightDepth: Int,
                fp32Adder: FP32Adder, maximumReduction: Int, dspType: DSPType) {
        self.name = name
        self.unit = unit
        self.geometry = geometry
        self.dataflow = dataflow
        self.weightDepth = weightDepth
        self.fp32Adder = fp32Adder
        self.maximumReduction = maximumReduction
        self.dspType = dspType
        var items: [ResourceItem] = []
        for (realization, copies) in [(Realization.dsp, geometry.dspCopies), (.lut, geometry.lutCopies)] where copies > 0 {
            items += ArrayCostModel.copyBreakdown(unit: unit, realization: realization, rows: geometry.rows, cols: geometry.cols,
                                                  dataflow: dataflow, weightDepth: weightDepth, fp32Adder: fp32Adder,
                                                  maximumReduction: maximumReduction, dspType: dspType)
                .map { ResourceItem(name: $0.name, count: ArrayCostModel.saturatingProduct([$0.count, Int64(copies)]), each: $0.each) }
        }
        breakdown = items
    }

    /// The sum of the breakdown.
    public var resources: ResourceVector { breakdown.reduce(.zero) { $0 + $1.total } }

    /// Multiply lanes.
    public var lanes: Int64 { geometry.lanes }

    /// Cycles from the first operand entering a fold to its result leaving the adder tree:
    /// multiplier, one adder level per halving of `rows`, accumulator [D].
    public var pipelineLatency: Int64 {
        let levels = Int64(ceilLog2(max(geometry.rows, 1)))
        if unit.multiplier == .fp32 {
            return Int64(UnitCostConstants.fp32MultiplierLatency) + Int64(UnitCostConstants.fp32AdderLatency) * (levels + 1)
        }
        return 2 + levels
    }
}

/// The resource formulas of one array copy (docs/hardware-model.md §3).
public enum ArrayCostModel {
    /// The units of one rows × cols copy realised in `realization`.
    ///
    /// FINN-R per copy (P = cols processing elements of Q = rows lanes):
    /// c0 + c1·P·(Q·mult + p·(2Q − 1) + acc + thresholds) + P·Q·W·⌈WMEM/64⌉, here split into
    /// lanes, adder trees, accumulators, activation quantizers, weight LUTRAM and control, so
    /// that the array's total is the sum of its parts.
    public static func copyBreakdown(unit: ArithmeticUnit, realization: Realization, rows: Int, cols: Int, dataflow: Dataflow,
                                     weightDepth: Int, fp32Adder: FP32Adder, maximumReduction: Int,
                                     dspType: DSPType) -> [ResourceItem] {
        let c1 = UnitCostConstants.finnLUTScale
        let ffPerLUT = UnitCostConstants.flipFlopsPerLogicLUT
        let lanes = saturatingProduct([Int64(rows), Int64(cols)])
        let processingElements = Int64(cols)
        let acc = Double(unit.accumulatorBits(maximumReduction: maximumReduction))
        var items: [ResourceItem] = []

        // Multiply lanes.
        if unit.multiplier == .fp32 {
            let adderDSP = fp32Adder == .dsp ? UnitCostConstants.fp32DSPAdderDSP : 0
            let adderLUT = fp32Adder == .dsp ? UnitCostConstants.fp32DSPAdderLUT : UnitCostConstants.fp32FabricAdderLUT
            let adderFF = fp32Adder == .dsp ? UnitCostConstants.fp32DSPAdderFF : UnitCostConstants.fp32FabricAdderFF
            // One multiplier and one adder per lane: the Q − 1 adders of the tree plus the
            // accumulating adder of each PE make Q adders per Q lanes.
            items.append(ResourceItem(name: "FP32 MAC lanes (fmul + fadd \(fp32Adder.rawValue))", count: lanes, each: ResourceVector(
                lut: UnitCostConstants.fp32MultiplierLUT + adderLUT, ff: UnitCostConstants.fp32MultiplierFF + adderFF,
                dsp: UnitCostConstants.fp32MultiplierDSP + adderDSP)))
        } else if realization == .dsp {
            let packing = unit.macsPerDSP(dspType) ?? 1
            items.append(ResourceItem(name: "\(unit.name) DSP lanes (\(formatPacking(packing))/DSP)", count: lanes,
                                      each: ResourceVector(lut: UnitCostConstants.dspLaneLUT, dsp: 1 / packing)))
        } else {
            let lut = c1 * unit.multiplierLUT
            items.append(ResourceItem(name: "\(unit.name) LUT lanes", count: lanes, each: ResourceVector(lut: lut, ff: lut * ffPerLUT)))
        }

        // Reduction: adder trees (weight-stationary) or per-lane accumulators (output-stationary).
        if unit.multiplier != .fp32 && realization == .lut {
            switch dataflow {
            case .weightStationary:
                let tree = c1 * Double(unit.productBits) * (2 * Double(rows) - 1)
                items.append(ResourceItem(name: "adder trees (\(rows) inputs)", count: processingElements, each: ResourceVector(lut: tree, ff: tree * ffPerLUT)))
                items.append(ResourceItem(name: "accumulators (\(Int(acc)) bits)", count: processingElements, each: ResourceVector(lut: c1 * acc, ff: acc)))
            case .outputStationary:
                items.append(ResourceItem(name: "accumulators (\(Int(acc)) bits)", count: lanes, each: ResourceVector(lut: c1 * acc, ff: acc)))
            }
        }

        // Output stage: the activation quantizer of each PE.
        items.append(ResourceItem(name: activationQuantizerName(unit), count: processingElements,
                                  each: activationQuantizer(unit: unit, accumulatorBits: acc)))

        // Weights held in LUTRAM beside the lanes.
        if weightDepth > 0 {
            let words = (Double(weightDepth) / Double(UnitCostConstants.lutramDepth)).rounded(.up)
            items.append(ResourceItem(name: "weight LUTRAM (\(weightDepth) words)", count: lanes,
                                      each: ResourceVector(lut: Double(unit.weightBits) * words)))
        }

        items.append(ResourceItem(name: "control", count: 1, each: ResourceVector(
            lut: UnitCostConstants.finnFixedLUTPerMatrixUnit, ff: UnitCostConstants.controlFlipFlops)))
        return items
    }

    /// The activation quantizer at the end of one PE: an FP32 ReLU, FINN's thresholds
    /// (c1·(2^B − 1)·acc comparators + the same in LUTRAM thresholds) for B ≤ 4 fixed steps, or
    /// a multiplier requantizer for wider outputs and ASQ's input-dependent step.
    public static func activationQuantizer(unit: ArithmeticUnit, accumulatorBits acc: Double) -> ResourceVector {
        let bits = unit.activationBits
        if unit.multiplier == .fp32 || bits >= 32 {
            return ResourceVector(lut: UnitCostConstants.fp32ActivationLUT, ff: UnitCostConstants.fp32ActivationLUT)
        }
        if bits <= UnitCostConstants.maximumThresholdBits && !unit.adaptiveActivationStep {
            let thresholds = Double((1 << bits) - 1) * acc
            let lut = UnitCostConstants.finnLUTScale * thresholds * Double(1 + UnitCostConstants.thresholdMemoryWords)
            return ResourceVector(lut: lut, ff: acc)
        }
        return ResourceVector(lut: UnitCostConstants.finnLUTScale * UnitCostConstants.requantizerLUTPerAccumulatorBit * acc,
                              ff: acc, dsp: UnitCostConstants.requantizerDSP)
    }

    static func activationQuantizerName(_ unit: ArithmeticUnit) -> String {
        if unit.multiplier == .fp32 || unit.activationBits >= 32 { return "FP32 ReLU output stages" }
        if unit.activationBits <= UnitCostConstants.maximumThresholdBits && !unit.adaptiveActivationStep {
            return "threshold activation quantizers (\(unit.activationBits)-bit)"
        }
        return unit.adaptiveActivationStep ? "ASQ requantizers (\(unit.activationBits)-bit, adaptive step)" : "requantizers (\(unit.activationBits)-bit)"
    }

    /// Counts of a geometry given in code (sweeps, `--rows`) rather than a checked config:
    /// saturating, so that an absurd size is a resource figure that fits nothing, not a trap.
    static func saturatingProduct(_ factors: [Int64]) -> Int64 {
        var total: Int64 = 1
        for factor in factors {
            let (value, overflow) = total.multipliedReportingOverflow(by: factor)
            total = overflow ? Int64.max : value
        }
        return total
    }

    static func formatPacking(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
