import Foundation
import Quantizers

/// An ONNX tensor element type (`TensorProto.DataType`).
public enum ONNXDataType: Hashable, Sendable, CustomStringConvertible {
    /// `TensorProto.DataType` codes 1–11, in code order (`float` is FP32, `double` FP64).
    case float, uint8, int8, uint16, int16, int32, int64, string, bool, float16, double
    /// `TensorProto.DataType` codes 12–16, in code order.
    case uint32, uint64, complex64, complex128, bfloat16
    /// A code hwsim does not interpret (float8 variants, 4-bit types, ...), kept verbatim.
    case other(Int32)
    /// Code 0: not set.
    case undefined

    /// Creates the type from its `TensorProto.DataType` code.
    public init(code: Int32) {
        switch code {
        case 0: self = .undefined
        case 1: self = .float
        case 2: self = .uint8
        case 3: self = .int8
        case 4: self = .uint16
        case 5: self = .int16
        case 6: self = .int32
        case 7: self = .int64
        case 8: self = .string
        case 9: self = .bool
        case 10: self = .float16
        case 11: self = .double
        case 12: self = .uint32
        case 13: self = .uint64
        case 14: self = .complex64
        case 15: self = .complex128
        case 16: self = .bfloat16
        default: self = .other(code)
        }
    }

    /// The `TensorProto.DataType` code.
    public var code: Int32 {
        switch self {
        case .undefined: 0
        case .float: 1
        case .uint8: 2
        case .int8: 3
        case .uint16: 4
        case .int16: 5
        case .int32: 6
        case .int64: 7
        case .string: 8
        case .bool: 9
        case .float16: 10
        case .double: 11
        case .uint32: 12
        case .uint64: 13
        case .complex64: 14
        case .complex128: 15
        case .bfloat16: 16
        case .other(let code): code
        }
    }

    /// Bytes per element in `raw_data`, or `nil` for strings and types hwsim does not decode.
    public var byteWidth: Int? {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16, .float16, .bfloat16: 2
        case .float, .int32, .uint32: 4
        case .int64, .uint64, .double, .complex64: 8
        case .complex128: 16
        case .string, .other, .undefined: nil
        }
    }

    /// ONNX's upper-case name (`FLOAT`, `INT64`, ...).
    public var description: String {
        switch self {
        case .undefined: "UNDEFINED"
        case .float: "FLOAT"
        case .uint8: "UINT8"
        case .int8: "INT8"
        case .uint16: "UINT16"
        case .int16: "INT16"
        case .int32: "INT32"
        case .int64: "INT64"
        case .string: "STRING"
        case .bool: "BOOL"
        case .float16: "FLOAT16"
        case .double: "DOUBLE"
        case .uint32: "UINT32"
        case .uint64: "UINT64"
        case .complex64: "COMPLEX64"
        case .complex128: "COMPLEX128"
        case .bfloat16: "BFLOAT16"
        case .other(let code): "data type \(code)"
        }
    }
}

/// A constant tensor: a graph initializer, a Constant node's value or a TENSOR attribute.
///
/// Shapes always come from `dims`, never from the payload, so a tensor whose data lives in a
/// missing external file (`data_location = EXTERNAL`) is as usable as an inline one for
/// everything but ``values()``.
public struct ONNXTensor: Equatable, Sendable {
    /// Tensor name (empty for unnamed attribute tensors).
    public let name: String
    /// Extent of each dimension; empty for a scalar.
    public let dims: [Int]
    /// Element type.
    public let dataType: ONNXDataType
    /// Whether the payload is stored outside the .onnx file (`data_location = EXTERNAL`).
    public let isExternal: Bool
    /// The file the tensor was read from, for error messages.
    public let sourceFile: String

    // Payload, exactly one of which is normally set (all empty when external or absent).
    let rawData: Data
    let floatData: [Float]
    let doubleData: [Double]
    let int32Data: [Int32]
    let int64Data: [Int64]
    let uint64Data: [UInt64]

    init(_ proto: Onnx_TensorProto, sourceFile: String) {
        name = proto.name
        dims = proto.dims.map { Int($0) }
        dataType = ONNXDataType(code: proto.dataType)
        isExternal = proto.hasDataLocation && proto.dataLocation == .external
        self.sourceFile = sourceFile
        rawData = proto.rawData
        floatData = proto.floatData
        doubleData = proto.doubleData
        int32Data = proto.int32Data
        int64Data = proto.int64Data
        uint64Data = proto.uint64Data
    }

    /// The same tensor under another name (a Constant node's value takes its output's name).
    init(renaming tensor: ONNXTensor, to newName: String) {
        name = newName
        dims = tensor.dims
        dataType = tensor.dataType
        isExternal = tensor.isExternal
        sourceFile = tensor.sourceFile
        rawData = tensor.rawData
        floatData = tensor.floatData
        doubleData = tensor.doubleData
        int32Data = tensor.int32Data
        int64Data = tensor.int64Data
        uint64Data = tensor.uint64Data
    }

    /// The largest extent hwsim accepts for one dimension of a tensor: 2^31 − 1.
    public static let maximumDimension = Int(Int32.max)
    /// The largest element count hwsim accepts for one tensor: 2^40 (a trillion values, far past
    /// any model that fits a device, and small enough that every byte or MAC count derived from it
    /// fits 64 bits).
    public static let maximumElementCount: Int64 = 1 << 40

    /// Why `dims` is not a usable shape (a negative or too-large extent, or more than
    /// ``maximumElementCount`` elements), or `nil` when it is.
    public static func shapeProblem(_ dims: [Int]) -> String? {
        if let bad = dims.first(where: { $0 < 0 || $0 > maximumDimension }) {
            return "dims \(MessageText.escaped(dims.description)) hold \(bad), outside 0…\(maximumDimension)"
        }
        var total: Int64 = 1
        for dim in dims {
            let (product, overflow) = total.multipliedReportingOverflow(by: Int64(dim))
            // Past the limit the exact product no longer matters; stop before it can overflow.
            guard !overflow, product <= maximumElementCount else {
                return "dims \(MessageText.escaped(dims.description)) describe more than 2^40 elements"
            }
            total = product
        }
        return nil
    }

    /// Number of elements from `dims` (1 for a scalar), or `nil` if a dim is negative or larger
    /// than ``maximumDimension``, or the product exceeds ``maximumElementCount``.
    public var elementCount: Int? {
        guard Self.shapeProblem(dims) == nil else { return nil }
        return dims.reduce(1, *) // bounded by maximumElementCount, checked above
    }

    /// Whether the file holds this tensor's values inline.
    public var hasPayload: Bool {
        if isExternal { return false }
        if elementCount == 0 { return true }
        return !rawData.isEmpty || !floatData.isEmpty || !doubleData.isEmpty || !int32Data.isEmpty
            || !int64Data.isEmpty || !uint64Data.isEmpty
    }

    /// The values as `Double`, in row-major order, from `raw_data` or the typed fields.
    ///
    /// Meant for small tensors (quantizer scales, zero-points, bitwidths, Clip bounds, Reshape
    /// targets); weights should be described by ``dims`` alone.
    /// - Throws: ``ONNXImportError/tensorPayloadMissing(file:tensor:reason:)`` when the values are
    ///   not in the file, ``ONNXImportError/invalidTensorPayload(file:tensor:reason:)`` when
    ///   their size disagrees with `dims` or the type is not numeric.
    public func values() throws(ONNXImportError) -> [Double] {
        if let problem = Self.shapeProblem(dims) {
            throw .invalidTensorPayload(file: sourceFile, tensor: name, reason: problem)
        }
        let count = dims.reduce(1, *) // bounded by maximumElementCount (shapeProblem)
        if isExternal {
            throw .tensorPayloadMissing(
                file: sourceFile, tensor: name, reason: "its data is stored externally (data_location=EXTERNAL)")
        }
        if count == 0 { return [] }
        let result: [Double]
        if !rawData.isEmpty {
            result = try decodeRaw(count: count)
        } else {
            switch dataType {
            case .float: result = floatData.map(Double.init)
            case .double: result = doubleData
            case .int64: result = int64Data.map(Double.init)
            case .uint32, .uint64: result = uint64Data.map(Double.init)
            case .int32, .int16, .int8, .uint16, .uint8, .bool: result = int32Data.map(Double.init)
            case .float16:
                result = int32Data.map { Double(Self.halfToFloat(UInt16(truncatingIfNeeded: $0))) }
            case .bfloat16:
                result = int32Data.map { Double(Float(bitPattern: UInt32(UInt16(truncatingIfNeeded: $0)) << 16)) }
            default:
                throw .invalidTensorPayload(
                    file: sourceFile, tensor: name, reason: "element type \(dataType) is not a numeric type hwsim reads")
            }
        }
        if result.isEmpty {
            throw .tensorPayloadMissing(file: sourceFile, tensor: name, reason: "no raw_data or typed data")
        }
        guard result.count == count else {
            throw .invalidTensorPayload(
                file: sourceFile, tensor: name,
                reason: "holds \(result.count) values but its dims \(MessageText.escaped(dims.description)) call for \(count)")
        }
        return result
    }

    /// The single value of a one-element tensor (scalar or any shape with one element).
    /// - Throws: as ``values()``, or ``ONNXImportError/invalidTensorPayload(file:tensor:reason:)``
    ///   if the tensor has more or fewer than one element.
    public func scalarValue() throws(ONNXImportError) -> Double {
        let all = try values()
        guard all.count == 1, let first = all.first else {
            throw .invalidTensorPayload(
                file: sourceFile, tensor: name,
                reason: "expected one value, found \(all.count) (dims \(MessageText.escaped(dims.description)))")
        }
        return first
    }

    private func decodeRaw(count: Int) throws(ONNXImportError) -> [Double] {
        guard let width = dataType.byteWidth, dataType != .complex64, dataType != .complex128 else {
            throw .invalidTensorPayload(
                file: sourceFile, tensor: name, reason: "element type \(dataType) is not a numeric type hwsim reads")
        }
        // count ≤ 2^40 and width ≤ 16, so the byte size cannot overflow.
        let expected = count * width
        guard rawData.count == expected else {
            throw .invalidTensorPayload(
                file: sourceFile, tensor: name,
                reason: "raw_data has \(rawData.count) bytes but dims \(MessageText.escaped(dims.description)) of \(dataType) need \(expected)")
        }
        let type = dataType
        return rawData.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> [Double] in
            var out = [Double]()
            out.reserveCapacity(count)
            for i in 0..<count {
                let offset = i * width
                // ONNX raw_data is little-endian regardless of the host.
                switch type {
                case .float:
                    out.append(Double(Float(bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))))
                case .double:
                    out.append(Double(bitPattern: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
                case .int64:
                    out.append(Double(Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: Int64.self))))
                case .uint64:
                    out.append(Double(UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
                case .int32:
                    out.append(Double(Int32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self))))
                case .uint32:
                    out.append(Double(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
                case .int16:
                    out.append(Double(Int16(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: Int16.self))))
                case .uint16:
                    out.append(Double(UInt16(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
                case .float16:
                    out.append(Double(Self.halfToFloat(UInt16(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))))
                case .bfloat16:
                    let bits = UInt16(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
                    out.append(Double(Float(bitPattern: UInt32(bits) << 16)))
                case .int8:
                    out.append(Double(buffer.load(fromByteOffset: offset, as: Int8.self)))
                case .uint8, .bool:
                    out.append(Double(buffer[offset]))
                default:
                    break
                }
            }
            return out
        }
    }

    /// IEEE-754 binary16 to binary32, without relying on `Float16` (unavailable on some hosts).
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: Float = (bits & 0x8000) != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * Float(sign: .plus, exponent: -24, significand: 1)
        case 0x1F: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
