/// Dense packing of k-bit unsigned codes into bytes, least significant bit first.
///
/// Code i occupies bits [i·k, (i+1)·k) of the little-endian bit stream; the last byte is padded
/// with zero bits. This is the layout whose size the cost model reports as a tensor's storage.
public enum BitPacking {
    /// Code widths the packer supports.
    public static let supportedBits: Set<Int> = Set(1...8).union([16])

    /// Bytes `pack` produces for `count` codes of `bits` bits: ⌈count·bits / 8⌉.
    public static func packedByteCount(count: Int64, bits: Int) throws(BitPackingError) -> Int64 {
        guard count >= 0 else { throw .negativeCount(count) }
        guard bits >= 1, bits <= 32 else { throw .unsupportedBits(bits) }
        let totalBits: Int64
        do {
            totalBits = try Checked.mul(count, Int64(bits), "bits of \(count) codes")
        } catch {
            throw .overflow(count: count, bits: bits)
        }
        return Checked.divUp(totalBits, 8)
    }

    /// Packs codes, each of which must fit in `bits` bits.
    public static func pack(_ codes: [UInt32], bits: Int) throws(BitPackingError) -> [UInt8] {
        guard supportedBits.contains(bits) else { throw .unsupportedBits(bits) }
        let byteCount = Int(try packedByteCount(count: Int64(codes.count), bits: bits))
        var bytes = [UInt8](repeating: 0, count: byteCount)
        let limit = UInt32(1) << UInt32(bits)
        var bitPosition = 0
        for (index, code) in codes.enumerated() {
            guard code < limit else { throw .codeTooWide(index: index, code: code, bits: bits) }
            var remaining = bits
            var value = code
            while remaining > 0 {
                let byteIndex = bitPosition >> 3
                let offset = bitPosition & 7
                let take = min(remaining, 8 - offset)
                let mask = UInt32((1 << take) - 1)
                bytes[byteIndex] |= UInt8((value & mask) << UInt32(offset))
                value >>= UInt32(take)
                remaining -= take
                bitPosition += take
            }
        }
        return bytes
    }

    /// Unpacks `count` codes of `bits` bits from `bytes`.
    public static func unpack(_ bytes: [UInt8], count: Int, bits: Int) throws(BitPackingError) -> [UInt32] {
        guard supportedBits.contains(bits) else { throw .unsupportedBits(bits) }
        let needed = try packedByteCount(count: Int64(count), bits: bits)
        guard Int64(bytes.count) >= needed else { throw .truncated(expected: needed, actual: bytes.count) }
        var codes = [UInt32](repeating: 0, count: count)
        var bitPosition = 0
        for index in 0..<count {
            var value: UInt32 = 0
            var filled = 0
            while filled < bits {
                let byteIndex = bitPosition >> 3
                let offset = bitPosition & 7
                let take = min(bits - filled, 8 - offset)
                let chunk = (UInt32(bytes[byteIndex]) >> UInt32(offset)) & UInt32((1 << take) - 1)
                value |= chunk << UInt32(filled)
                filled += take
                bitPosition += take
            }
            codes[index] = value
        }
        return codes
    }
}

/// Why packing or unpacking failed.
public enum BitPackingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Only 1–8 and 16-bit codes can be packed.
    case unsupportedBits(Int)
    /// A negative code count.
    case negativeCount(Int64)
    /// `count × bits` does not fit in a 64-bit bit count.
    case overflow(count: Int64, bits: Int)
    /// The code at `index` needs more than `bits` bits.
    case codeTooWide(index: Int, code: UInt32, bits: Int)
    /// The packed bytes are fewer than `count × bits` needs (`expected` and `actual` in bytes).
    case truncated(expected: Int64, actual: Int)

    /// A one-line message naming the offending count, code or width.
    public var description: String {
        switch self {
        case .unsupportedBits(let bits): "bit packing supports 1–8 and 16 bits, not \(bits)"
        case .negativeCount(let count): "cannot pack a negative number of codes (\(count))"
        case .overflow(let count, let bits): "\(count) codes of \(bits) bits overflow a 64-bit bit count"
        case .codeTooWide(let index, let code, let bits): "code \(code) at index \(index) does not fit in \(bits) bits"
        case .truncated(let expected, let actual): "packed data holds \(actual) bytes, \(expected) needed"
        }
    }
}
