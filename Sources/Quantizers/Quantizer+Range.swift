/// Keeping a channel's magnitudes where Float arithmetic is exact enough: the quantizers sum
/// squares and divide by maxima in Float for speed, which overflows for values near
/// `Float.greatestFiniteMagnitude` (a scale of ∞, an orientation loss of NaN) and underflows for
/// denormals (a step of 0, 1/step = ∞). Scale-equivariant quantizers see such a channel multiplied
/// by an exact power of two instead, and their fit is scaled back.
extension TensorQuantizer {
    /// Channels whose largest magnitude lies in 2^−40 … 2^40 are quantized as they are, so results
    /// for ordinary weights are bit-for-bit those of ``quantizeChannel(_:codes:)``.
    static var comfortableExponents: ClosedRange<Int> { -40...40 }

    /// ``quantizeChannel(_:codes:)``, on the channel times 2^−e when its largest magnitude 2^e is
    /// outside ``comfortableExponents`` and the quantizer is scale-equivariant.
    func quantizeChannelInRange(_ values: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt32>) -> ChannelFit {
        var largest: Float = 0
        for value in values { largest = Swift.max(largest, Swift.abs(value)) }
        guard let exponents = parameterScaleExponents, largest > 0, largest.isFinite,
              !Self.comfortableExponents.contains(Int(largest.exponent)) else {
            return quantizeChannel(values, codes: codes)
        }
        let e = Int(largest.exponent)
        // Double holds 2^±149 and every Float exactly, so w·2^−e is exact before rounding to
        // Float; only values 2^126 below the largest (which quantize to zero anyway) lose bits.
        let factor = Double(sign: .plus, exponent: -e, significand: 1)
        let scaled = values.map { Float(Double($0) * factor) }
        var fit = scaled.withUnsafeBufferPointer { quantizeChannel($0, codes: codes) }
        let back = Double(sign: .plus, exponent: e, significand: 1)
        fit.scale *= back
        for index in fit.parameters.indices where index < exponents.count && exponents[index] != 0 {
            fit.parameters[index] *= Double(sign: .plus, exponent: e * exponents[index], significand: 1)
        }
        return fit
    }
}
