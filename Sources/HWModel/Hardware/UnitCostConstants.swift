/// Every constant of the unit library, named, with its source. Tags as in
/// docs/hardware-model.md: [S] read in the cited source, [D] derived here, [U] datasheet
/// knowledge not verified in a retrieved text.
public enum UnitCostConstants {
    // MARK: FINN-R LUT model [S] — Xilinx/finn @39f0c9a,
    // src/finn/custom_op/fpgadataflow/hls/matrixvectoractivation_hls.py, MVAU_hls.lut_estimation()
    // (Blott et al., FINN-R, ACM TRETS 2018).

    /// `c0`: fixed LUTs of one matrix-vector unit (control, stream interfaces).
    public static let finnFixedLUTPerMatrixUnit = 300.0
    /// `c1`: scale applied to the multiplier, adder-tree, accumulator and threshold terms.
    public static let finnLUTScale = 1.1
    /// Divisor of FINN's multiplier term `(2⌈(W+A)/6⌉ − 1)(W+A)`: a LUT6 has six inputs.
    public static let lutInputs = 6
    /// Entries of one SLICEM LUT used as distributed RAM (64×1), FINN's `ceil(WMEM/64)`.
    public static let lutramDepth = 64
    /// Threshold memory depth assumed by the per-PE threshold term: FINN's `ceil(TMEM/64)`
    /// is 1 while a PE serves at most 64 output channels.
    public static let thresholdMemoryWords = 1

    /// Reduction length `MW` FINN's accumulator-width formula is evaluated at when the
    /// accelerator does not say: 4,608 = 512 × 3 × 3, the longest dot product of ResNet-18/34
    /// [D]. An overlay must be built for the longest reduction it will run.
    public static let defaultMaximumReduction = 4608

    // MARK: Flip-flops [D]
    /// Flip-flops per LUT of arithmetic logic: one pipeline register per LUT output
    /// (fpga-unit-costs.md §4.3, "about 1 FF/LUT of pipelining"). FINN does not estimate FFs.
    public static let flipFlopsPerLogicLUT = 1.0
    /// Flip-flops of a matrix unit's control, the same as its LUTs [D].
    public static let controlFlipFlops = 300.0

    // MARK: FP32 operators [S] — Vitis HLS 2023.2 estimates on xcvu35p (Virtex UltraScale+),
    // gct02/AHLS gramSchmidt.verbose.rpt; the fabric adder from a public HLS report [S2].

    /// `fmul_32ns_32ns_32_4_max_dsp`: DSP slices.
    public static let fp32MultiplierDSP = 3.0
    /// LUTs of the FP32 multiplier beside its DSPs.
    public static let fp32MultiplierLUT = 78.0
    /// Flip-flops of the FP32 multiplier.
    public static let fp32MultiplierFF = 143.0
    /// Latency of the FP32 multiplier in cycles.
    public static let fp32MultiplierLatency = 3
    /// `faddfsub_32ns_32ns_32_5_full_dsp`.
    public static let fp32DSPAdderDSP = 2.0
    /// LUTs of the DSP-based FP32 adder.
    public static let fp32DSPAdderLUT = 219.0
    /// Flip-flops of the DSP-based FP32 adder.
    public static let fp32DSPAdderFF = 205.0
    /// `fadd_32ns_32ns_32_5_no_dsp` (fabric adder).
    public static let fp32FabricAdderLUT = 338.0
    /// Flip-flops of the fabric FP32 adder.
    public static let fp32FabricAdderFF = 243.0
    /// Latency of either FP32 adder in cycles.
    public static let fp32AdderLatency = 4

    // MARK: DSP packing [S] — FINN RTL MVU header (finn-rtllib/mvu/mvu_vvu_axi.sv):
    // "4-bit MVU on DSP48 achieving 4 MACs/DSP", "(4,8]-bit … 2 MACs/DSP",
    // "[4,9]-bit … on DSP58 achieving 3 MACs/DSP"; WP486 (two INT8 MACs sharing a weight).

    /// MACs per DSP48E2 when both operands have at most 4 bits.
    public static let dsp48e2MACsUpTo4Bits = 4.0
    /// MACs per DSP48E2 when the wider operand has 5 to 8 bits.
    public static let dsp48e2MACsUpTo8Bits = 2.0
    /// MACs per DSP58 for operands of at most 9 bits.
    public static let dsp58MACsUpTo9Bits = 3.0
    /// MACs per DSP48E1 when both operands have at most 4 bits: FINN's `mvu_4sx4u` VERSION 1
    /// (7-series) packs four lanes into the 25-bit A path, with narrow-range weights [S].
    public static let dsp48e1MACsUpTo4Bits = 4.0
    /// MACs per DSP48E1 when the wider operand has 5 to 8 bits (`mvu_8sx8u_dsp48`, E1 and E2) [S].
    public static let dsp48e1MACsUpTo8Bits = 2.0
    /// Widest operands one DSP48E1 multiplies: 25 × 18 (UG479) [U: UG479 not read].
    public static let dsp48e1OperandBits = 18
    /// Widest operands one slice multiplies: 18 × 27 (DSP48E2) [U: UG579 not read].
    public static let dsp48e2OperandBits = 18
    /// LUTs of a DSP-based lane: FINN's RTL MVU backend returns `lut_estimation() = 0`, the
    /// dot product and accumulation run in the DSP cascade [S].
    public static let dspLaneLUT = 0.0

    // MARK: Output stage [D]
    /// Comparator applying ReLU to an FP32 result (sign test and select): one LUT per bit.
    public static let fp32ActivationLUT = 32.0
    /// A multiplier-based requantizer (scale, round, clamp) for outputs wider than 4 bits or
    /// for ASQ's input-dependent step: one DSP plus two LUTs per accumulator bit.
    public static let requantizerDSP = 1.0
    /// LUTs per accumulator bit of that requantizer, scaled by FINN's c1 like the other PE terms.
    public static let requantizerLUTPerAccumulatorBit = 2.0
    /// Widest output FINN-style thresholding is used for: 2^B − 1 comparators per PE grow too
    /// fast beyond (≈ 13,770 LUT per PE at 8 bits, fpga-unit-costs.md §4.3).
    public static let maximumThresholdBits = 4

    // MARK: Vector unit and adapter [D]
    /// LUTs per bit of an integer vector lane: adder, max comparator and 2:1 select.
    public static let vectorLaneLUTPerBit = 3.0
    /// Flip-flops per bit of an integer vector lane: operand and result registers.
    public static let vectorLaneFFPerBit = 2.0

    // MARK: Memory [S] — FINN bram/uram estimation formulas, UG573 SDP modes; WARP-V note.
    /// Bits of one RAMB36 (512 × 72 in simple dual-port mode).
    public static let bram36Bits: Int64 = 36_864
    /// Bits of one UltraRAM (4K × 72).
    public static let uramBits: Int64 = 294_912
    /// Width of one read port of either primitive in SDP mode, in bits.
    public static let memoryPortBits: Int64 = 72

    // MARK: DDR controller [S] — FINN `DDR_RESOURCE_REQUIREMENTS` (src/finn/util/platforms.py).
    /// LUTs of one DDR controller in the user logic.
    public static let ddrControllerLUT = 33_256.0
    /// Flip-flops of one DDR controller.
    public static let ddrControllerFF = 44_889.0
    /// 199 RAMB18 = 99.5 RAMB36.
    public static let ddrControllerBRAM36 = 99.5
    /// DSP slices of one DDR controller.
    public static let ddrControllerDSP = 3.0
}
