import Quantizers

/// Chooses the arithmetic unit a layer needs from its quantization.
///
/// uniform / LSQ / VecQ / ASQ k-bit → integer; POT → shift-add; POST → shift + √2 LUT (ASQ
/// Eq. 18); APoT → two shifts and an add; ternary → add/sub/skip; binary weights and
/// activations → XNOR-popcount; FP32 on either side → FP32 MAC (quantized weights are decoded
/// on the fly); a Quantization Networks level set → the cheapest unit that realises it.
public enum UnitSelection {
    /// The unit for a weight layer with this quantization.
    public static func unit(for quantization: LayerQuantization) -> ArithmeticUnit {
        unit(weights: quantization.weights, activations: quantization.activations)
    }

    /// The unit for a weight scheme and an activation scheme.
    public static func unit(weights: QuantScheme, activations: QuantScheme) -> ArithmeticUnit {
        let adaptive: Bool = if case .asq = activations { true } else { false }
        guard weights.isQuantized, activations.isQuantized else {
            return ArithmeticUnit(multiplier: .fp32, weightBits: weights.bits, activationBits: 32)
        }
        // A logarithmic activation times an integer weight is a shift of the weight: swap roles.
        if isLogarithmic(activations), !isLogarithmic(weights), case .some = integerBits(weights) {
            var swapped = unit(weights: activations, activations: weights)
            swapped.weightBits = weights.bits
            swapped.adaptiveActivationStep = adaptive
            return swapped
        }
        let a = activations.bits
        var result: ArithmeticUnit
        switch weights {
        case .binary:
            result = ArithmeticUnit(multiplier: a == 1 ? .xnor : .signSelect, weightBits: 1, activationBits: a)
        case .ternary:
            result = ArithmeticUnit(multiplier: .ternary, weightBits: 2, activationBits: a)
        case .uniform(let bits), .lsq(let bits), .vecq(let bits), .asq(let bits):
            result = bits == 1 && a == 1
                ? ArithmeticUnit(multiplier: .xnor, weightBits: 1, activationBits: 1)
                : ArithmeticUnit(multiplier: .integer(bits: bits), weightBits: bits, activationBits: a)
        case .pot(let bits):
            result = ArithmeticUnit(multiplier: .shift(positions: potMagnitudes(bits)), weightBits: bits, activationBits: a)
        case .post(let bits):
            result = ArithmeticUnit(multiplier: .shiftSqrt2(positions: potMagnitudes(bits)), weightBits: bits, activationBits: a)
        case .apot(let bits):
            // Two POT terms share the b − 1 magnitude bits (Li et al. 2019).
            let termBits = max((bits - 1 + 1) / 2, 1)
            result = ArithmeticUnit(multiplier: .additiveShift(positions: 1 << termBits), weightBits: bits, activationBits: a)
        case .qn(let levels):
            result = cheapest(candidates(levels: levels, activationBits: a))
        case .fp32:
            result = ArithmeticUnit(multiplier: .fp32, weightBits: 32, activationBits: 32)
        }
        result.adaptiveActivationStep = adaptive
        return result
    }

    /// Magnitudes of a b-bit POT or POST code, ASQ Eq. 3 and 17: exponents 0 down to
    /// −(2^(b−1) − 1), i.e. 2^(b−1) of them.
    static func potMagnitudes(_ bits: Int) -> Int { 1 << max(bits - 1, 0) }

    static func isLogarithmic(_ scheme: QuantScheme) -> Bool {
        switch scheme {
        case .pot, .post, .apot: true
        default: false
        }
    }

    static func integerBits(_ scheme: QuantScheme) -> Int? {
        switch scheme {
        case .uniform(let bits), .lsq(let bits), .vecq(let bits), .asq(let bits): bits
        default: nil
        }
    }

    /// Every unit that can realise a level set with `activationBits`-bit activations, in
    /// order of preference when costs tie.
    public static func candidates(levels: LevelSet, activationBits a: Int) -> [ArithmeticUnit] {
        let code = levels.codeBits
        var result: [ArithmeticUnit] = []
        let nonzero = levels.levels.filter { $0 != 0 }.map { abs($0) }
        let hasZero = levels.levels.contains(0)
        if let smallest = nonzero.min(), smallest > 0 {
            let normalized = levels.levels.map { $0 / smallest }
            let magnitudes = Set(nonzero.map { $0 / smallest })
            let symmetric = Set(normalized.filter { $0 != 0 }.map { -$0 }) == Set(normalized.filter { $0 != 0 })
            if magnitudes.count == 1, symmetric {
                if hasZero {
                    result.append(ArithmeticUnit(multiplier: .ternary, weightBits: code, activationBits: a))
                } else {
                    result.append(ArithmeticUnit(multiplier: a == 1 ? .xnor : .signSelect, weightBits: code, activationBits: a))
                }
            }
            let integral = normalized.allSatisfy { $0 == $0.rounded() && abs($0) < 65_536 }
            if integral, let largest = normalized.map({ abs($0) }).max() {
                let signBit = normalized.contains { $0 < 0 } ? 1 : 0
                let bits = ceilLog2(Int(largest) + 1) + signBit
                if bits <= QuantScheme.uniformBitRange.upperBound {
                    result.append(ArithmeticUnit(multiplier: .integer(bits: max(bits, 1)), weightBits: code, activationBits: a))
                }
            }
            // Whether the normalised levels still form a level set is the question, not an error.
            if magnitudes.count > 1, let scaled = try? LevelSet(normalized), scaled.isPowerOfTwo, let largest = magnitudes.max() {
                let span = Int(log2Exact(largest)) + 1
                result.append(ArithmeticUnit(multiplier: .shift(positions: max(span, 1)), weightBits: code, activationBits: a))
            }
        }
        result.append(ArithmeticUnit(multiplier: .codebook(bits: max(code, 1)), weightBits: code, activationBits: a))
        return result
    }

    /// The candidate with the lowest FINN-R core LUT cost per MAC; the first on ties.
    static func cheapest(_ candidates: [ArithmeticUnit]) -> ArithmeticUnit {
        var best = candidates[0]
        for candidate in candidates.dropFirst() where candidate.coreLUTPerMAC < best.coreLUTPerMAC - 1e-9 {
            best = candidate
        }
        return best
    }

    private static func log2Exact(_ value: Double) -> Double { Double(value.exponent) }
}
