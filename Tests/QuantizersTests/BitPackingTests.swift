import Testing
@testable import Quantizers

@Suite struct BitPackingTests {
    @Test(arguments: Array(1...8) + [16])
    func roundTripsEveryWidthAndOddLengths(bits: Int) throws {
        for length in [0, 1, 7, 9, 13, 64, 101] {
            let limit = UInt32(1) << UInt32(bits)
            let codes = (0..<length).map { UInt32(($0 &* 2_654_435_761) % Int(limit)) }
            let packed = try BitPacking.pack(codes, bits: bits)
            #expect(Int64(packed.count) == (Int64(length * bits) + 7) / 8)
            #expect(try BitPacking.unpack(packed, count: length, bits: bits) == codes)
        }
    }

    @Test func rejectsCodesWiderThanTheWidth() {
        #expect(throws: BitPackingError.codeTooWide(index: 1, code: 4, bits: 2)) {
            try BitPacking.pack([1, 4], bits: 2)
        }
    }

    @Test func rejectsUnsupportedWidthsAndTruncation() {
        #expect(throws: BitPackingError.unsupportedBits(9)) { try BitPacking.pack([1], bits: 9) }
        #expect(throws: BitPackingError.truncated(expected: 2, actual: 1)) {
            try BitPacking.unpack([0xFF], count: 3, bits: 4)
        }
    }

    @Test func byteCountsRoundUpAndOverflowIsAnError() throws {
        #expect(try BitPacking.packedByteCount(count: 3, bits: 3) == 2)
        #expect(try BitPacking.packedByteCount(count: 0, bits: 8) == 0)
        #expect(throws: BitPackingError.overflow(count: 1 << 61, bits: 4)) { try BitPacking.packedByteCount(count: 1 << 61, bits: 4) }
    }
}
