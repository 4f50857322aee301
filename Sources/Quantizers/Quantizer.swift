/// What one channel's fit produced: its scale and the named parameters the quantizer chose.
public struct ChannelFit: Sendable, Equatable {
    /// Real value of one level unit: a code with level ℓ dequantizes to `scale · ℓ`.
    public var scale: Double
    /// Parameter values in the order of the quantizer's `parameterNames`.
    public var parameters: [Double]

    /// `parameters` must follow the quantizer's `parameterNames` order.
    public init(scale: Double, parameters: [Double]) {
        self.scale = scale
        self.parameters = parameters
    }
}

/// The one interface every numeric quantizer implements.
///
/// A quantizer turns real values into integer codes of a fixed width. Each code stands for a level
/// (a number in units of the scale); the level set is what the hardware must be able to multiply
/// by, and the code width is what memory must store. Implementations fit one channel at a time; the
/// shared `quantize(_:granularity:)` handles validation, per-channel slicing and assembly.
public protocol TensorQuantizer: Sendable {
    /// The scheme this quantizer realises (its textual name and storage width).
    var scheme: QuantScheme { get }
    /// Bits per stored code.
    var codeBits: Int { get }
    /// Every level a code can produce, in units of the scale — what hardware must implement.
    var levelSet: LevelSet { get }
    /// Level (in scale units) of every code value `0..<2^codeBits`. Codes the quantizer never emits
    /// (e.g. "negative zero" in sign-magnitude layouts) map to a level that is also emitted.
    var codeLevels: [Double] { get }
    /// Names of the per-channel parameters reported in `ChannelFit.parameters`.
    var parameterNames: [String] { get }
    /// Fits one channel and writes its codes. `values` is non-empty and finite.
    func quantizeChannel(_ values: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt32>) -> ChannelFit
    /// How each of ``parameterNames`` scales with the data, when the quantizer is scale-equivariant
    /// (quantizing `w·2^e` gives the same codes, the scale times `2^e` and parameter `i` times
    /// `2^(e·exponent[i])`); `nil` when it is not (a trained step, a learned adapter).
    ///
    /// ``quantize(_:granularity:)`` uses it to bring a channel whose magnitudes lie far outside
    /// 2^±40 (denormals, values near `Float.greatestFiniteMagnitude`) into a range where the
    /// quantizers' Float arithmetic neither overflows nor underflows. Defaults to `nil`.
    var parameterScaleExponents: [Int]? { get }
}

extension TensorQuantizer {
    /// Not scale-equivariant unless the quantizer says so.
    public var parameterScaleExponents: [Int]? { nil }
}

/// A quantized tensor: codes, the level each code means, and the scales that turn levels into values.
public struct QuantizedTensor: Sendable {
    /// The scheme that produced the codes.
    public let scheme: QuantScheme
    /// Shape of the original tensor; `codes` follow it in row-major order.
    public let shape: [Int]
    /// One scale for the whole tensor, or one per slice along a channel axis.
    public let granularity: Granularity
    /// One code per element, row-major, each below `2^codeBits`.
    public let codes: [UInt32]
    /// Bits per stored code: what `packed()` uses and what memory must hold per element.
    public let codeBits: Int
    /// Levels the codes can express, in units of the scale.
    public let levelSet: LevelSet
    /// Level of each code value (see `TensorQuantizer.codeLevels`).
    public let codeLevels: [Double]
    /// One scale per channel (one in total for per-tensor quantization).
    public let scales: [Double]
    /// Names of the chosen parameters, parallel to each `ChannelFit.parameters`.
    public let parameterNames: [String]
    /// The fit of each channel (scale and chosen parameters).
    public let fits: [ChannelFit]

    /// Channel of each element is `(index / channelInner) % scales.count`.
    let channelInner: Int

    /// The scale that applies to flat element `index`.
    public func scale(ofElement index: Int) -> Double {
        scales.count == 1 ? scales[0] : scales[(index / channelInner) % scales.count]
    }

    /// Reconstructs real values: `scale · level(code)`.
    public func dequantized() -> [Float] {
        var result = [Float](repeating: 0, count: codes.count)
        let table = codeLevels
        result.withUnsafeMutableBufferPointer { out in
            codes.withUnsafeBufferPointer { codes in
                table.withUnsafeBufferPointer { table in
                    if scales.count == 1 {
                        let scale = scales[0]
                        for index in codes.indices { out[index] = Float(scale * table[Int(codes[index])]) }
                    } else {
                        for index in codes.indices {
                            out[index] = Float(scale(ofElement: index) * table[Int(codes[index])])
                        }
                    }
                }
            }
        }
        return result
    }

    /// Codes packed densely at `codeBits` bits each — the bytes whose count the cost model reports.
    /// ``dequantized()`` without rounding to Float, for error metrics.
    func dequantizedInDouble() -> [Double] {
        let table = codeLevels
        return codes.indices.map { scale(ofElement: $0) * table[Int(codes[$0])] }
    }

    public func packed() throws(BitPackingError) -> [UInt8] {
        try BitPacking.pack(codes, bits: codeBits)
    }

    /// How many elements landed on each level of the level set (levels in scale units, ascending).
    public func levelHistogram() -> [(level: Double, count: Int)] {
        var perCode = [Int](repeating: 0, count: codeLevels.count)
        for code in codes { perCode[Int(code)] += 1 }
        var perLevel = [Double: Int]()
        for (code, count) in perCode.enumerated() where count > 0 { perLevel[codeLevels[code], default: 0] += count }
        return levelSet.levels.map { (level: $0, count: perLevel[$0] ?? 0) }
    }

    /// Fraction of the level set's levels that at least one element uses (1 means no level is wasted).
    public var fractionOfLevelsUsed: Double {
        let used = levelHistogram().filter { $0.count > 0 }.count
        return Double(used) / Double(levelSet.levels.count)
    }
}

extension TensorQuantizer {
    /// Quantizes `tensor`, fitting one scale per tensor or per slice along the channel axis.
    ///
    /// Rejects empty tensors, non-finite values and bad axes with a `QuantizerError` rather than
    /// producing codes that would silently poison a cost estimate.
    public func quantize(_ tensor: Tensor, granularity: Granularity = .perTensor) throws(QuantizerError) -> QuantizedTensor {
        guard !tensor.values.isEmpty else { throw .emptyTensor }
        if let bad = tensor.values.withUnsafeBufferPointer({ firstNonFinite($0) }) {
            throw .nonFinite(index: bad.index, value: bad.value)
        }
        var codes = [UInt32](repeating: 0, count: tensor.values.count)
        var fits: [ChannelFit] = []
        var inner = 1
        switch granularity {
        case .perTensor:
            tensor.values.withUnsafeBufferPointer { values in
                codes.withUnsafeMutableBufferPointer { out in
                    fits.append(quantizeChannelInRange(values, codes: out))
                }
            }
        case .perChannel(let axis):
            let layout = try tensor.channelLayout(axis: axis)
            guard layout.channels > 0 else { throw .emptyTensor }
            inner = layout.inner
            let perChannel = tensor.values.count / layout.channels
            let outer = perChannel / layout.inner
            var gathered = [Float](repeating: 0, count: perChannel)
            var channelCodes = [UInt32](repeating: 0, count: perChannel)
            tensor.values.withUnsafeBufferPointer { values in
                codes.withUnsafeMutableBufferPointer { out in
                    for channel in 0..<layout.channels {
                        // Element (o, channel, i) sits at (o·channels + channel)·inner + i.
                        gathered.withUnsafeMutableBufferPointer { gather in
                            for o in 0..<outer {
                                let source = (o * layout.channels + channel) * layout.inner
                                for i in 0..<layout.inner { gather[o * layout.inner + i] = values[source + i] }
                            }
                        }
                        gathered.withUnsafeBufferPointer { gather in
                            channelCodes.withUnsafeMutableBufferPointer { channelOut in
                                fits.append(quantizeChannelInRange(gather, codes: channelOut))
                            }
                        }
                        for o in 0..<outer {
                            let target = (o * layout.channels + channel) * layout.inner
                            for i in 0..<layout.inner { out[target + i] = channelCodes[o * layout.inner + i] }
                        }
                    }
                }
            }
        }
        return QuantizedTensor(
            scheme: scheme, shape: tensor.shape, granularity: granularity, codes: codes, codeBits: codeBits,
            levelSet: levelSet, codeLevels: codeLevels, scales: fits.map(\.scale),
            parameterNames: parameterNames, fits: fits, channelInner: inner
        )
    }
}

/// Two's-complement helpers for signed integer codes stored in `bits` bits.
enum SignedCode {
    /// The `bits`-bit two's-complement pattern of `value`.
    @inline(__always)
    static func encode(_ value: Int32, bits: Int) -> UInt32 {
        UInt32(bitPattern: value) & (bits >= 32 ? UInt32.max : (UInt32(1) << UInt32(bits)) &- 1)
    }

    /// The signed value of every `bits`-bit pattern, in code order.
    static func allValues(bits: Int) -> [Int] {
        let count = 1 << bits
        return (0..<count).map { $0 >= count / 2 ? $0 - count : $0 }
    }
}
