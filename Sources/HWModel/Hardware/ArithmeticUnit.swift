import Foundation

/// How a multiply lane realises the product of a weight code and an activation code.
public enum MultiplierKind: Hashable, Sendable {
    /// Binary weight × binary activation: XNOR then popcount.
    case xnor
    /// Binary (±1) weight × k-bit activation: add or subtract.
    case signSelect
    /// Ternary weight {−1, 0, +1} × k-bit activation: add, subtract or skip.
    case ternary
    /// Integer multiply of `bits`-bit weights (uniform, LSQ, VecQ, ASQ levels).
    case integer(bits: Int)
    /// Power-of-two weight: a barrel shift over `positions` shift amounts (ASQ Eq. 3).
    case shift(positions: Int)
    /// Power-of-√2 weight, ASQ Eq. 18: even exponents shift; odd ones read √2·a from a LUT
    /// and shift it. `positions` counts the magnitudes (both parities).
    case shiftSqrt2(positions: Int)
    /// Additive powers of two (APoT): two shifts of `positions` amounts each, then an add.
    case additiveShift(positions: Int)
    /// Any level set: a LUT multiplier addressed by the `bits`-bit code and the activation.
    case codebook(bits: Int)
    /// IEEE single-precision multiply and add.
    case fp32
}

/// Families an accelerator's array may be restricted to serve (`serves` in hardware configs).
public enum UnitFamily: String, Hashable, Sendable, CaseIterable {
    /// The families as `serves` spells them; `int` covers uniform, LSQ, VecQ and ASQ integer lanes.
    case binary, ternary, int, pot, post, apot, codebook, fp32
}

/// Where a lane's multiply lives.
public enum Realization: String, Hashable, Sendable, CaseIterable {
    /// In CLB LUTs (FINN-R's LUT model, or the shift/LUT formulas for POT and POST).
    case lut
    /// In DSP slices, packed per `ArithmeticUnit.macsPerDSP`.
    case dsp
}

/// How the FP32 lane adds: on DSPs (`full_dsp`) or in fabric (`no_dsp`).
public enum FP32Adder: String, Hashable, Sendable, CaseIterable {
    /// `fabric`: Vitis HLS `no_dsp`, LUTs only; `dsp`: `full_dsp`, 2 DSPs per adder.
    case fabric, dsp
}

/// The arithmetic one array lane performs, chosen from a layer's quantization.
public struct ArithmeticUnit: Hashable, Sendable {
    /// How the lane forms the product, which decides its LUT and DSP cost.
    public var multiplier: MultiplierKind
    /// Bits of one weight code in memory.
    public var weightBits: Int
    /// Bits of one activation code; 32 for FP32.
    public var activationBits: Int
    /// Whether the activation step changes per input (ASQ): the output stage then needs a
    /// multiplier-based requantizer instead of fixed thresholds.
    public var adaptiveActivationStep: Bool

    /// Creates a unit description.
    public init(multiplier: MultiplierKind, weightBits: Int, activationBits: Int, adaptiveActivationStep: Bool = false) {
        self.multiplier = multiplier
        self.weightBits = weightBits
        self.activationBits = activationBits
        self.adaptiveActivationStep = adaptiveActivationStep
    }

    /// The family an array's `serves` list matches.
    public var family: UnitFamily {
        switch multiplier {
        case .xnor, .signSelect: .binary
        case .ternary: .ternary
        case .integer: .int
        case .shift: .pot
        case .shiftSqrt2: .post
        case .additiveShift: .apot
        case .codebook: .codebook
        case .fp32: .fp32
        }
    }

    /// Short name for reports and array names, e.g. `xnor-w1a1`, `int8`, `post4-a4`.
    public var name: String {
        switch multiplier {
        case .xnor: "xnor-popcount"
        case .signSelect: "binary-w1a\(activationBits)"
        case .ternary: "ternary-w2a\(activationBits)"
        case .integer(let bits): "int-w\(bits)a\(activationBits)"
        case .shift: "pot-w\(weightBits)a\(activationBits)"
        case .shiftSqrt2: "post-w\(weightBits)a\(activationBits)"
        case .additiveShift: "apot-w\(weightBits)a\(activationBits)"
        case .codebook(let bits): "codebook-w\(bits)a\(activationBits)"
        case .fp32: "fp32"
        }
    }

    /// Realizations the unit admits: XNOR, shifts and codebooks are LUT logic; FP32 needs
    /// the DSP multiplier; integer and ternary products fit either.
    public var supportedRealizations: [Realization] {
        switch multiplier {
        case .xnor, .shift, .shiftSqrt2, .additiveShift, .codebook: [.lut]
        case .fp32: [.dsp]
        case .signSelect, .ternary, .integer: [.lut, .dsp]
        }
    }

    /// Integer operand widths when the product runs on a DSP: weight and activation bits.
    var dspOperandBits: Int {
        switch multiplier {
        case .integer(let bits): max(bits, activationBits)
        case .ternary: max(2, activationBits)
        case .signSelect: max(1, activationBits)
        default: 32
        }
    }

    /// MACs one DSP slice performs per cycle (FINN RTL MVU, WP486); `nil` for FP32 and for
    /// operands too wide for one slice.
    public func macsPerDSP(_ type: DSPType) -> Double? {
        guard multiplier != .fp32 else { return nil }
        let bits = dspOperandBits
        switch type {
        case .dsp48e1:
            // The 4-bit core needs narrow-range weights on DSP48E1 (mvu_4sx4u VERSION 1).
            if bits <= 4 { return UnitCostConstants.dsp48e1MACsUpTo4Bits }
            if bits <= 8 { return UnitCostConstants.dsp48e1MACsUpTo8Bits }
            if bits <= UnitCostConstants.dsp48e1OperandBits { return 1 }
            return nil
        case .dsp48e2:
            if bits <= 4 { return UnitCostConstants.dsp48e2MACsUpTo4Bits }
            if bits <= 8 { return UnitCostConstants.dsp48e2MACsUpTo8Bits }
            if bits <= UnitCostConstants.dsp48e2OperandBits { return 1 }
            return nil
        case .dsp58:
            if bits <= 9 { return UnitCostConstants.dsp58MACsUpTo9Bits }
            if bits <= 24 { return 1 }
            return nil
        }
    }

    /// The effective weight width FINN's LUT-multiplier formula is evaluated at.
    var lutWeightBits: Int {
        switch multiplier {
        case .xnor, .signSelect: 1
        case .ternary: 2
        case .integer(let bits), .codebook(let bits): bits
        default: weightBits
        }
    }

    /// Bits of one product entering the adder tree: W + A for LUT multipliers (FINN), the
    /// shifted activation plus a sign for shifts.
    public var productBits: Int {
        switch multiplier {
        case .xnor, .signSelect, .ternary, .integer, .codebook:
            return lutWeightBits + activationBits
        case .shift(let positions):
            return activationBits + positions
        case .shiftSqrt2(let positions):
            return activationBits + 1 + Self.evenPositions(positions)
        case .additiveShift(let positions):
            return activationBits + positions + 1
        case .fp32:
            return 32
        }
    }

    /// LUTs of one multiplier before FINN's c1 scale.
    ///
    /// LUT multipliers: FINN-R `(2⌈(W+A)/6⌉ − 1)(W+A)`. Shifts (fpga-unit-costs.md §4.3): a
    /// barrel shifter of n output bits over 2^E amounts costs n·⌈E/2⌉ LUT6 (a LUT6 is a 4:1
    /// mux). POST adds the √2·a ROM of ASQ Eq. 18 — m = A + 1 output bits over A address
    /// bits: ⌈m/2⌉ dual-output LUTs up to 5 address bits, m LUT6 at 6, m·2^(A−6) beyond.
    public var multiplierLUT: Double {
        switch multiplier {
        case .xnor, .signSelect, .ternary, .integer, .codebook:
            let width = lutWeightBits + activationBits
            let sixes = (width + UnitCostConstants.lutInputs - 1) / UnitCostConstants.lutInputs
            return Double((2 * sixes - 1) * width)
        case .shift(let positions):
            return Self.shifterLUT(inputBits: activationBits, positions: positions)
        case .shiftSqrt2(let positions):
            let shifter = Self.shifterLUT(inputBits: activationBits + 1, positions: Self.evenPositions(positions))
            return shifter + Self.sqrt2TableLUT(activationBits: activationBits)
        case .additiveShift(let positions):
            let one = Self.shifterLUT(inputBits: activationBits, positions: positions)
            return 2 * one + Double(activationBits + positions)
        case .fp32:
            return UnitCostConstants.fp32MultiplierLUT
        }
    }

    /// Barrel shifter of `inputBits` over `positions` shift amounts: n = inputBits +
    /// positions − 1 outputs, each a ⌈E/2⌉-level tree of 4:1 muxes, E = ⌈log2 positions⌉.
    static func shifterLUT(inputBits: Int, positions: Int) -> Double {
        guard positions > 1 else { return 0 }
        let selectBits = ceilLog2(positions)
        let outputs = inputBits + positions - 1
        return Double(outputs * ((selectBits + 1) / 2))
    }

    /// The √2·a table of ASQ Eq. 18.
    static func sqrt2TableLUT(activationBits: Int) -> Double {
        let outputs = activationBits + 1
        if activationBits <= 5 { return Double((outputs + 1) / 2) }
        if activationBits == 6 { return Double(outputs) }
        return Double(outputs) * pow(2, Double(activationBits - 6))
    }

    /// Shift amounts needed for the even exponents of a POST code with `positions` magnitudes.
    static func evenPositions(_ positions: Int) -> Int { max((positions + 1) / 2, 1) }

    /// Accumulator width by FINN's formula: α = log2(MW) + p − 1 for unsigned inputs,
    /// acc = ⌈α + log2(1 + 2^−α) + 1⌉, with p the product width.
    public func accumulatorBits(maximumReduction: Int) -> Int {
        let alpha = log2(Double(max(maximumReduction, 1))) + Double(productBits) - 1
        return Int((alpha + log2(1 + pow(2, -alpha)) + 1).rounded(.up))
    }

    /// Per-MAC LUT cost of the FINN-R core model (multiplier plus two adder-tree inputs,
    /// scaled by c1): the metric "cheapest unit" compares when a level set admits several.
    public var coreLUTPerMAC: Double {
        if multiplier == .fp32 {
            return UnitCostConstants.fp32MultiplierLUT + UnitCostConstants.fp32FabricAdderLUT
        }
        return UnitCostConstants.finnLUTScale * (multiplierLUT + 2 * Double(productBits))
    }
}

func ceilLog2(_ value: Int) -> Int {
    // From the bit width, not by doubling: doubling past 2^62 wraps and would never end.
    value <= 1 ? 0 : Int.bitWidth - (value - 1).leadingZeroBitCount
}
