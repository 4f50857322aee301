import HWModel

/// Every constant of the dataflow model, named, with its source (docs/dataflow.md §4–§6 give the
/// formulas they enter). Tags as in docs/hardware-model.md: [S] read in the cited source, [D]
/// derived here from a structural count or a documented rule.
public enum DataflowConstants {
    // MARK: Thresholds and accumulators

    /// Widest output realised as multi-thresholds (2^B − 1 per channel): FINN quantizes every
    /// activation up to 8 bits this way [S]; a wider output is requantized by a multiplier (the
    /// unit library's requantizer: one DSP and two LUTs per accumulator bit per PE) [D].
    public static let maximumThresholdBits = 8

    /// A unit without thresholds streams its accumulator rounded up to whole bytes: FINN's
    /// `minimize_accumulator_width` rounds a no-activation output to a multiple of 8 bits [S].
    public static func unthresholdedOutputBits(_ accumulatorBits: Int) -> Int {
        max(8, (accumulatorBits + 7) / 8 * 8)
    }

    // MARK: FINN estimator constants [S] — Xilinx/finn v0.9 `matrixvectoractivation.py`,
    // v0.10+ `hls/*_hls.py` (the same constants in every version since v0.5b).

    /// `c0`: fixed LUTs of an MVAU, VVAU or sliding-window unit (control, stream interfaces).
    public static let unitControlLUT = UnitCostConstants.finnFixedLUTPerMatrixUnit
    /// `c1`: FINN's scale on the per-PE terms.
    public static let finnLUTScale = UnitCostConstants.finnLUTScale
    /// Words of one LUT6 used as a 64×1 distributed RAM or ROM (FINN's `ceil(WMEM/64)`).
    public static let lutramDepth = Int64(UnitCostConstants.lutramDepth)
    /// Constant weights this deep or shallower are folded into logic by HLS (FINN: `const` mode
    /// with `WMEM <= 128` costs LUTs, not BRAM).
    public static let embeddedWeightsInLogicDepth: Int64 = 128
    /// Bits FINN's DSP estimator packs per DSP slice: `ceil((W + A)/48)` per lane.
    public static let finnDSPBitsPerSlice: Int64 = 48

    // MARK: FIFOs [S] — finn `insert_fifo.py`, `set_fifo_depths.py`, `streamingfifo.py`.

    /// FIFOs of this depth or less are not instantiated: FINN's default `inFIFODepths` of 2 is
    /// the handshake register pair of the stream.
    public static let shallowFIFODepth: Int64 = 2
    /// Entries of one SRLC32E shift-register LUT; FINN's Q_srl FIFO "does not benefit below 32".
    public static let srlDepth: Int64 = 32
    /// FINN's `max_qsrl_depth`: deeper FIFOs become Vivado FIFOs in memory.
    public static let maximumSRLFIFODepth: Int64 = 256

    // MARK: Memory geometry [S] — UG473/UG573 simple-dual-port aspect ratios, as FINN encodes them.

    /// RAMB18 aspect ratios (depth, width) in simple dual-port mode.
    public static let ramb18Aspects: [(depth: Int64, width: Int64)] = [(512, 36), (1024, 18), (2048, 9), (4096, 4), (8192, 2), (16384, 1)]
    /// The deepest RAMB36 aspect, 32K × 1, as RAMB18 units (a RAMB36 is two).
    public static let ramb36DeepestDepth: Int64 = 32768
    /// UltraRAM: 4K × 72.
    public static let uramDepth: Int64 = 4096
    /// UltraRAM width.
    public static let uramWidth: Int64 = 72

    // MARK: Structural model [D] — docs/dataflow.md §5.

    /// LUTs per bit of a ripple-carry adder or comparator on the CARRY4/CARRY8 chain: one LUT
    /// computes each bit's propagate, the chain the carries (UG474 "Carry logic").
    public static let carryChainLUTPerBit = 1.0
    /// LUTs of one 2-input XNOR: one LUT6 per lane (the tools may pair two into a LUT6_2; not assumed).
    public static let xnorLUT = 1.0
    /// Flip-flops per logic LUT of the datapath: HLS registers every operator at II = 1
    /// (the same assumption as the tile arrays, `UnitCostConstants.flipFlopsPerLogicLUT`).
    public static let flipFlopsPerLogicLUT = UnitCostConstants.flipFlopsPerLogicLUT
    /// Flip-flops of a unit's control (counters, FSM, stream handshakes), matching its c0 LUTs.
    public static let unitControlFF = UnitCostConstants.controlFlipFlops

    // MARK: Pipeline [D] — docs/dataflow.md §3.

    /// Words a stream holds beyond its FIFO's depth: the producer's output register, which can
    /// hold one more word before the producer stalls.
    public static let fifoExtraWords: Int64 = 1

    // MARK: Folding search [S] — finn `set_folding.py`.

    /// SetFolding's `mvau_wwidth_max`: SIMD stops growing once W · SIMD exceeds it.
    public static let setFoldingWeightWidthMaximum = 36
}
