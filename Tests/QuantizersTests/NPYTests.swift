import Foundation
import Testing
@testable import Quantizers

@Suite struct NPYTests {
    static func fixture(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: "npy", subdirectory: "Fixtures") else {
            throw NPYError.unreadable(path: name, reason: "fixture missing from the test bundle")
        }
        return url
    }

    @Test func readsFloat32WrittenByNumpy() throws {
        let array = try NPYArray(contentsOf: Self.fixture("f32_2x3"))
        #expect(array.dtype == .float32)
        #expect(array.shape == [2, 3])
        #expect(array.values == (0..<6).map { Float($0) * 0.25 - 1 })
        #expect(try array.tensor().shape == [2, 3])
    }

    @Test func readsFloat64AndOtherLayouts() throws {
        let f64 = try NPYArray(contentsOf: Self.fixture("f64_2x2x2"))
        #expect(f64.dtype == .float64 && f64.shape == [2, 2, 2])
        #expect(f64.values == (0..<8).map { Float($0) / 8 - 0.5 })
        let scalar = try NPYArray(contentsOf: Self.fixture("f32_scalar"))
        #expect(scalar.shape == [] && scalar.values == [1.5])
        let empty = try NPYArray(contentsOf: Self.fixture("f32_empty"))
        #expect(empty.shape == [0, 4] && empty.values.isEmpty)
        #expect(throws: QuantizerError.emptyTensor) { try QuantScheme.binary.quantize(try empty.tensor()) }
        let version2 = try NPYArray(contentsOf: Self.fixture("f32_v2"))
        #expect(version2.values == [1, -2, 3])
    }

    @Test func nanIsReadButRefusedByTheQuantizer() throws {
        let array = try NPYArray(contentsOf: Self.fixture("f32_nan"))
        #expect(array.values[1].isNaN)
        #expect {
            try QuantScheme.uniform(bits: 4).quantize(try array.tensor())
        } throws: { error in
            // NaN never equals itself, so the case is matched instead of compared.
            guard case QuantizerError.nonFinite(index: 1, let value) = error else { return false }
            return value.isNaN
        }
    }

    @Test func rejectsWhatItCannotRead() throws {
        #expect(throws: NPYError.unsupportedDType("<i4")) { try NPYArray(contentsOf: Self.fixture("int32")) }
        #expect(throws: NPYError.unsupportedDType("<f2")) { try NPYArray(contentsOf: Self.fixture("f16")) }
        #expect(throws: NPYError.bigEndian(">f4")) { try NPYArray(contentsOf: Self.fixture("f32_big_endian")) }
        #expect(throws: NPYError.fortranOrder) { try NPYArray(contentsOf: Self.fixture("f32_fortran")) }
        #expect(throws: NPYError.truncatedData(expectedBytes: 40, actualBytes: 34)) { try NPYArray(contentsOf: Self.fixture("f32_truncated_data")) }
        #expect(throws: NPYError.truncatedHeader(expected: 128, actual: 20)) { try NPYArray(contentsOf: Self.fixture("f32_truncated_header")) }
        #expect(throws: NPYError.trailingData(extraBytes: 4)) { try NPYArray(contentsOf: Self.fixture("f32_trailing")) }
        #expect(throws: NPYError.notNPY) { try NPYArray(contentsOf: Self.fixture("not_npy")) }
        #expect(throws: NPYError.notNPY) { try NPYArray(bytes: []) }
        #expect {
            try NPYArray(contentsOf: URL(fileURLWithPath: "/nonexistent/weights.npy"))
        } throws: { error in
            // The reason is the system's message, which differs between platforms.
            guard case NPYError.unreadable(path: "/nonexistent/weights.npy", _) = error else { return false }
            return true
        }
    }

    @Test func rejectsMalformedHeaders() {
        func file(_ header: String) -> [UInt8] {
            let body = Array(header.utf8)
            return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(body.count & 0xFF), UInt8(body.count >> 8)] + body
        }
        #expect(throws: NPYError.malformedHeader("the header is not a dictionary: 'not a dict'")) { try NPYArray(bytes: file("not a dict")) }
        #expect(throws: NPYError.malformedHeader("the header has no 'fortran_order' entry")) {
            try NPYArray(bytes: file("{'descr': '<f4', 'shape': (2,), }"))
        }
        #expect(throws: NPYError.malformedHeader("shape entry '-2' is not a non-negative integer")) {
            try NPYArray(bytes: file("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }"))
        }
        #expect(throws: NPYError.malformedHeader("'fortran_order' is neither True nor False")) {
            try NPYArray(bytes: file("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }"))
        }
        #expect(throws: NPYError.unsupportedVersion(major: 9, minor: 0)) { try NPYArray(bytes: [0x93] + Array("NUMPY".utf8) + [9, 0, 0, 0]) }
        // Every extent is at most 2^31 − 1 and an array at most 2^40 elements.
        #expect(throws: NPYError.malformedHeader("shape entry 2305843009213693952 exceeds 2147483647")) {
            try NPYArray(bytes: file("{'descr': '<f4', 'fortran_order': False, 'shape': (2305843009213693952,), }"))
        }
        #expect(throws: NPYError.malformedHeader("shape entry 4294967296 exceeds 2147483647")) {
            try NPYArray(bytes: file("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"))
        }
        #expect(throws: NPYError.malformedHeader("shape [2097152, 1048576] holds more than 2^40 elements")) {
            try NPYArray(bytes: file("{'descr': '<f4', 'fortran_order': False, 'shape': (2097152, 1048576), }"))
        }
        #expect(throws: NPYError.malformedHeader("shape entry '99999999999999999999' is not a non-negative integer")) {
            try NPYArray(bytes: file("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }"))
        }
        // A zero extent makes the product 0 whatever the others are: an empty array, no overflow.
        #expect(throws: Never.self) {
            try NPYArray(bytes: file("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 2147483647), }"))
        }
    }

    @Test func rejectsFloat64BeyondFloatRange() {
        let header = Array("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }".utf8)
        var bytes = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0] + header
        for value in [1.0, 1e300, -2.0] { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        #expect(throws: NPYError.outsideFloatRange(index: 1, value: 1e300)) { try NPYArray(bytes: bytes) }
    }
}
