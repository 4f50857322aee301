/// Whether a tensor holds weights (signed) or activations (non-negative after ReLU).
///
/// The role decides the integer range of the uniform families: weights use the signed full range
/// (LSQ's weight quantizer), activations the unsigned range (LSQ/ASQ's activation quantizer).
public enum TensorRole: String, Sendable, Hashable, CaseIterable {
    /// Weights get signed uniform ranges, activations unsigned ones.
    case weight, activation
}

extension QuantScheme {
    /// The numeric quantizer that realises this scheme for tensors of `role`.
    ///
    /// Validates the bitwidth even for schemes built without parsing (e.g. `.uniform(bits: 40)`).
    /// `calibration` chooses the clip of `uniform:k` and is ignored by every other family.
    public func quantizer(role: TensorRole = .weight, calibration: UniformCalibration = .max) throws(QuantizerError) -> any TensorQuantizer {
        let uniformRange: UniformRange = role == .weight ? .signedFull : .unsigned
        switch self {
        case .fp32: throw .notQuantized(scheme: description)
        case .uniform(let bits):
            try Self.check(bits, in: Self.uniformBitRange, scheme: "uniform")
            return try UniformQuantizer(bits: bits, range: uniformRange, calibration: calibration)
        case .lsq(let bits):
            try Self.check(bits, in: Self.uniformBitRange, scheme: "lsq")
            return try LSQQuantizer(bits: bits, range: uniformRange)
        case .asq(let bits):
            try Self.check(bits, in: Self.uniformBitRange, scheme: "asq")
            return try ASQQuantizer(bits: bits, range: uniformRange)
        case .vecq(let bits):
            return try VecQQuantizer(bits: bits)
        case .pot(let bits): return try PowerQuantizer(family: .pot, bits: bits)
        case .post(let bits): return try PowerQuantizer(family: .post, bits: bits)
        case .apot(let bits): return try PowerQuantizer(family: .apot, bits: bits)
        case .binary: return BinaryQuantizer()
        case .ternary: return TernaryQuantizer()
        case .qn(let levels): return try QNQuantizer(levels: levels)
        }
    }

    private static func check(_ bits: Int, in range: ClosedRange<Int>, scheme: String) throws(QuantizerError) {
        guard range.contains(bits) else { throw .unsupportedBits(scheme: scheme, bits: bits, allowed: range) }
    }

    /// The levels, in units of the scale, that the hardware must be able to multiply by for this
    /// scheme (nil for fp32). Uniform families give integers, VecQ odd integers (scale α/2),
    /// POT/POST/APoT signed magnitudes ≤ 1 (scale α), binary/ternary/QN their sets.
    public func levelSet(for role: TensorRole = .weight) throws(QuantizerError) -> LevelSet? {
        if self == .fp32 { return nil }
        return try quantizer(role: role).levelSet
    }

    /// Quantizes a tensor with this scheme: shorthand for `quantizer(role:calibration:).quantize(_:granularity:)`.
    /// `calibration` applies to `uniform:k` only.
    public func quantize(_ tensor: Tensor, granularity: Granularity = .perTensor, role: TensorRole = .weight,
                         calibration: UniformCalibration = .max) throws(QuantizerError) -> QuantizedTensor {
        try quantizer(role: role, calibration: calibration).quantize(tensor, granularity: granularity)
    }
}
