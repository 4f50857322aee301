import Foundation

/// A NumPy `.npy` array of floating-point values (format versions 1.0, 2.0 and 3.0).
///
/// Only what weight dumps need is accepted — little-endian float32 or float64 in C order — and
/// everything else is refused with an error saying how to convert the file, rather than guessed at.
public struct NPYArray: Sendable, Equatable {
    /// Element type as stored in the file.
    public enum DType: String, Sendable, Hashable {
        /// Little-endian IEEE single precision.
        case float32 = "<f4"
        /// Little-endian IEEE double precision; values are rounded to Float on reading.
        case float64 = "<f8"

        var size: Int { self == .float32 ? 4 : 8 }
    }

    /// The element type the file stored (the values are Float either way).
    public let dtype: DType
    /// Dimensions from the header, in C order; empty for a 0-d array.
    public let shape: [Int]
    /// The values, converted to Float (float64 files are rounded to the nearest Float).
    public let values: [Float]

    /// The largest extent of one dimension, 2^31 − 1 (as for ONNX dims).
    public static let maximumDimension = Int(Int32.max)
    /// The most elements an array may hold, 2^40.
    public static let maximumElementCount: Int64 = 1 << 40

    /// The array as a tensor for the quantizers.
    public func tensor() throws(QuantizerError) -> Tensor { try Tensor(values: values, shape: shape) }

    /// Reads and parses a file.
    public init(contentsOf url: URL) throws(NPYError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(path: url.path, reason: error.localizedDescription) }
        try self.init(bytes: [UInt8](data))
    }

    /// Parses the bytes of a `.npy` file.
    public init(bytes: [UInt8]) throws(NPYError) {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] // \x93NUMPY
        guard bytes.count >= 8, Array(bytes[0..<6]) == magic else { throw .notNPY }
        let major = bytes[6]
        let headerLengthBytes: Int
        switch major {
        case 1: headerLengthBytes = 2
        case 2, 3: headerLengthBytes = 4
        default: throw .unsupportedVersion(major: Int(major), minor: Int(bytes[7]))
        }
        let prefix = 8 + headerLengthBytes
        guard bytes.count >= prefix else { throw .truncatedHeader(expected: prefix, actual: bytes.count) }
        var headerLength = 0
        for index in 0..<headerLengthBytes { headerLength |= Int(bytes[8 + index]) << (8 * index) }
        guard bytes.count >= prefix + headerLength else { throw .truncatedHeader(expected: prefix + headerLength, actual: bytes.count) }
        guard let header = String(bytes: bytes[prefix..<(prefix + headerLength)], encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw .malformedHeader("the header is not text")
        }
        let fields = try Self.parseHeader(header)
        guard let dtype = DType(rawValue: fields.descr) else {
            if fields.descr == ">f4" || fields.descr == ">f8" { throw .bigEndian(fields.descr) }
            throw .unsupportedDType(fields.descr)
        }
        guard !fields.fortranOrder else { throw .fortranOrder }
        let count: Int
        let payloadBytes: Int
        do {
            let elements = try Checked.product(fields.shape.map(Int64.init), "elements of shape \(fields.shape)")
            count = Int(elements)
            payloadBytes = Int(try Checked.mul(elements, Int64(dtype.size), "bytes of shape \(fields.shape)"))
        } catch {
            throw .malformedHeader("shape \(MessageText.escaped(fields.shape.description)) is too large")
        }
        guard Int64(count) <= Self.maximumElementCount else {
            throw .malformedHeader("shape \(MessageText.escaped(fields.shape.description)) holds more than 2^40 elements")
        }
        let dataStart = prefix + headerLength
        let available = bytes.count - dataStart
        guard available >= payloadBytes else { throw .truncatedData(expectedBytes: payloadBytes, actualBytes: available) }
        guard available == payloadBytes else { throw .trailingData(extraBytes: available - payloadBytes) }
        var values = [Float](repeating: 0, count: count)
        var overflow: (index: Int, value: Double)?
        bytes.withUnsafeBytes { raw in
            let payload = UnsafeRawBufferPointer(rebasing: raw[dataStart...])
            switch dtype {
            case .float32:
                for index in 0..<count {
                    values[index] = Float(bitPattern: UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
                }
            case .float64:
                for index in 0..<count {
                    let value = Double(bitPattern: UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)))
                    values[index] = Float(value)
                    // A finite double past Float's range would silently become ∞.
                    if overflow == nil, value.isFinite, !values[index].isFinite { overflow = (index, value) }
                }
            }
        }
        if let overflow { throw .outsideFloatRange(index: overflow.index, value: overflow.value) }
        self.dtype = dtype
        self.shape = fields.shape
        self.values = values
    }

    /// Parses the header dictionary, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
    static func parseHeader(_ header: String) throws(NPYError) -> (descr: String, fortranOrder: Bool, shape: [Int]) {
        let text = header.trimmingWhitespace()
        guard text.hasPrefix("{"), text.hasSuffix("}") else { throw .malformedHeader("the header is not a dictionary: \(MessageText.quoted(text))") }
        func value(after key: String) throws(NPYError) -> Substring {
            guard let keyRange = text.range(of: "'\(key)'") ?? text.range(of: "\"\(key)\"") else {
                throw .malformedHeader("the header has no '\(key)' entry")
            }
            var rest = text[keyRange.upperBound...].drop { $0 == " " }
            guard rest.first == ":" else { throw .malformedHeader("no ':' after '\(key)'") }
            rest = rest.dropFirst().drop { $0 == " " }
            return rest
        }
        // descr: a quoted string.
        var descrText = try value(after: "descr")
        guard let quote = descrText.first, quote == "'" || quote == "\"" else { throw .malformedHeader("'descr' is not a string") }
        descrText = descrText.dropFirst()
        guard let descrEnd = descrText.firstIndex(of: quote) else { throw .malformedHeader("unterminated 'descr' string") }
        let descr = String(descrText[..<descrEnd])
        // fortran_order: True or False.
        let orderText = try value(after: "fortran_order")
        let fortranOrder: Bool
        if orderText.hasPrefix("False") { fortranOrder = false } else if orderText.hasPrefix("True") { fortranOrder = true } else {
            throw .malformedHeader("'fortran_order' is neither True nor False")
        }
        // shape: a tuple of non-negative integers, possibly empty or with a trailing comma.
        let shapeText = try value(after: "shape")
        guard shapeText.first == "(", let close = shapeText.firstIndex(of: ")") else { throw .malformedHeader("'shape' is not a tuple") }
        let inside = shapeText[shapeText.index(after: shapeText.startIndex)..<close]
        var shape: [Int] = []
        for item in inside.split(separator: ",") {
            let token = String(item).trimmingWhitespace().replacingOccurrences(of: "L", with: "")
            if token.isEmpty { continue }
            guard let dimension = Int(token), dimension >= 0 else {
                throw .malformedHeader("shape entry \(MessageText.quoted(token)) is not a non-negative integer")
            }
            guard dimension <= NPYArray.maximumDimension else {
                throw .malformedHeader("shape entry \(dimension) exceeds \(NPYArray.maximumDimension)")
            }
            shape.append(dimension)
        }
        return (descr, fortranOrder, shape)
    }
}

/// Why a `.npy` file could not be read.
public enum NPYError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read; `reason` is the system's message.
    case unreadable(path: String, reason: String)
    /// The file does not start with the `\x93NUMPY` magic string.
    case notNPY
    /// A format version other than 1.0, 2.0 or 3.0.
    case unsupportedVersion(major: Int, minor: Int)
    /// The file ends before the header it declares (sizes in bytes).
    case truncatedHeader(expected: Int, actual: Int)
    /// The header dictionary could not be parsed; the string says what is wrong.
    case malformedHeader(String)
    /// A dtype other than float32 or float64 (carries the header's `descr`).
    case unsupportedDType(String)
    /// A big-endian float dtype (carries the header's `descr`).
    case bigEndian(String)
    /// The array is stored column-major (`fortran_order: True`).
    case fortranOrder
    /// Fewer data bytes than the declared shape and dtype need.
    case truncatedData(expectedBytes: Int, actualBytes: Int)
    /// Bytes beyond the declared shape, which suggests a corrupt file.
    case trailingData(extraBytes: Int)
    /// A float64 value that is finite but beyond Float's range (|x| > 3.4·10^38).
    case outsideFloatRange(index: Int, value: Double)

    /// A message naming the problem and, where there is one, the NumPy call that re-saves the array readably.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .notNPY: "not a NumPy .npy file (the magic string \\x93NUMPY is missing)"
        case .unsupportedVersion(let major, let minor): ".npy format version \(major).\(minor) is not supported (1.0, 2.0 and 3.0 are)"
        case .truncatedHeader(let expected, let actual): "the .npy header is truncated: \(actual) bytes present, \(expected) needed"
        case .malformedHeader(let reason): "malformed .npy header: \(reason)"
        case .unsupportedDType(let descr): "dtype \(MessageText.quoted(descr)) is not supported; save float32 or float64, e.g. np.save(path, a.astype(np.float32))"
        case .bigEndian(let descr): "dtype \(MessageText.quoted(descr)) is big-endian; save little-endian data, e.g. np.save(path, a.astype('<f4'))"
        case .fortranOrder: "the array is stored in Fortran order; save it in C order, e.g. np.save(path, np.ascontiguousarray(a))"
        case .truncatedData(let expected, let actual): "the .npy data is truncated: \(actual) bytes present, \(expected) needed for the declared shape"
        case .outsideFloatRange(let index, let value):
            "float64 value \(value) at flat index \(index) is beyond the float32 range hwsim quantizes (±3.4e38); rescale the array"
        case .trailingData(let extra): "the .npy file has \(extra) bytes beyond the declared shape; it may be corrupt"
        }
    }
}
