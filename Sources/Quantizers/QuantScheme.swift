/// A quantization scheme as a user names it on the command line or in a config: `fp32`,
/// `uniform:4`, `lsq:4`, `vecq:2`, `asq:4`, `pot:3`, `post:4`, `apot:4`, `ternary`, `binary`, or
/// `qn:<level set>` (Quantization Networks).
///
/// The scheme decides how many bits each code takes in memory and which arithmetic the hardware
/// needs; the numeric quantizers that realise each scheme live beside it in this module.
public enum QuantScheme: Hashable, Sendable {
    /// Unquantized IEEE-754 single precision.
    case fp32
    /// Uniform (linear) quantization with a fixed, calibrated step.
    case uniform(bits: Int)
    /// Learned step size quantization (Esser et al. 2020): uniform levels, trained step.
    case lsq(bits: Int)
    /// VecQ vectorized quantization (Gong et al.): uniform levels chosen by orientation loss.
    case vecq(bits: Int)
    /// Adaptive step size quantization (ASQ paper): LSQ with a step scaled per input by an adapter.
    case asq(bits: Int)
    /// Power-of-two levels, ASQ Eq. 3.
    case pot(bits: Int)
    /// Powers of the square root of two, ASQ Eq. 17.
    case post(bits: Int)
    /// Additive powers of two (Li et al. 2019).
    case apot(bits: Int)
    /// Ternary weights {−α, 0, α} (TWN).
    case ternary
    /// Binary weights {−α, α} (BWN) or binary activations.
    case binary
    /// A Quantization Networks level set (Yang et al. 2019), e.g. `{-4,-2,-1,0,1,2,4}`.
    case qn(LevelSet)

    /// The family name used in the textual form (`uniform`, `post`, ...).
    public var familyName: String {
        switch self {
        case .fp32: "fp32"
        case .uniform: "uniform"
        case .lsq: "lsq"
        case .vecq: "vecq"
        case .asq: "asq"
        case .pot: "pot"
        case .post: "post"
        case .apot: "apot"
        case .ternary: "ternary"
        case .binary: "binary"
        case .qn: "qn"
        }
    }

    /// Bits one code occupies in memory: 32 for `fp32`, the level set's code width for `qn`.
    public var bits: Int {
        switch self {
        case .fp32: 32
        case .uniform(let b), .lsq(let b), .vecq(let b), .asq(let b),
             .pot(let b), .post(let b), .apot(let b):
            b
        case .ternary: 2
        case .binary: 1
        case .qn(let levels): levels.codeBits
        }
    }

    /// Whether values are stored as integer codes plus scale factors (everything but `fp32`).
    public var isQuantized: Bool { self != .fp32 }

    /// The same family at another bitwidth, for policies such as "first and last layer at 8 bits".
    /// Families without a bitwidth (binary, ternary, QN level sets) become `uniform:bits`, since a
    /// fixed level set cannot be widened.
    public func withBits(_ newBits: Int) throws(QuantSchemeError) -> QuantScheme {
        let text: String
        switch self {
        case .fp32: return .fp32
        case .ternary, .binary, .qn: text = "uniform:\(newBits)"
        default: text = "\(familyName):\(newBits)"
        }
        return try QuantScheme(parsing: text)
    }
}

extension QuantScheme: CustomStringConvertible {
    /// The canonical textual form, which `init(parsing:)` reads back.
    public var description: String {
        switch self {
        case .fp32, .ternary, .binary: familyName
        case .qn(let levels): "qn:\(levels)"
        default: "\(familyName):\(bits)"
        }
    }
}

/// Why a scheme name was rejected.
public enum QuantSchemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text before `:` is not a known family (see `familyNames`).
    case unknownFamily(String)
    /// A family that needs `:k` was given without a bitwidth.
    case missingBits(String)
    /// The bitwidth is not a whole number within `allowed` for this family.
    case invalidBits(scheme: String, bits: String, allowed: ClosedRange<Int>)
    /// A `qn:` level set that does not parse or is not a valid set.
    case invalidLevelSet(scheme: String, reason: String)

    /// A message that lists the accepted families or bitwidths, so the user can correct the name.
    public var description: String {
        switch self {
        case .unknownFamily(let text):
            "unknown quantization scheme \(MessageText.quoted(text)); expected one of \(QuantScheme.familyNames.joined(separator: ", "))"
        case .missingBits(let text):
            "scheme \(MessageText.quoted(text)) needs a bitwidth, e.g. \(MessageText.quoted(text + ":4"))"
        case .invalidBits(let scheme, let bits, let allowed):
            "scheme \(MessageText.quoted(scheme)): bitwidth \(MessageText.quoted(bits)) is not supported; use a whole number from \(allowed.lowerBound) to \(allowed.upperBound)"
        case .invalidLevelSet(let scheme, let reason):
            "scheme \(MessageText.quoted(scheme)): \(reason)"
        }
    }
}

extension QuantScheme {
    /// Family names accepted by `init(parsing:)`, in the order the help text lists them.
    public static let familyNames = [
        "fp32", "uniform:k", "lsq:k", "vecq:k", "asq:k", "pot:k", "post:k", "apot:k",
        "ternary", "binary", "qn:<level set>",
    ]

    /// Bitwidths accepted for uniform-level families (uniform, LSQ, VecQ, ASQ).
    public static let uniformBitRange = 1...16
    /// Bitwidths accepted for the power-of-two families: one sign bit plus an exponent field;
    /// past 8 bits the smallest level is below 2^-127 and no longer a useful weight.
    public static let powerOfTwoBitRange = 2...8

    /// Parses the textual form, e.g. `post:4`, `FP32`, `qn:ternary` or `qn:{-4,-2,-1,0,1,2,4}`.
    public init(parsing rawText: String) throws(QuantSchemeError) {
        let text = rawText.trimmingWhitespace()
        let lower = text.lowercased()
        let parts = lower.split(separator: ":", maxSplits: 1).map(String.init)
        let family = parts.first ?? ""
        let argument = parts.count > 1 ? parts[1] : nil
        func bitsArgument(_ range: ClosedRange<Int>) throws(QuantSchemeError) -> Int {
            guard let argument else { throw .missingBits(family) }
            guard let bits = Int(argument), range.contains(bits) else {
                throw .invalidBits(scheme: text, bits: argument, allowed: range)
            }
            return bits
        }
        switch family {
        case "fp32", "float", "float32", "fp":
            if let argument, argument != "32" {
                throw .invalidBits(scheme: text, bits: argument, allowed: 32...32)
            }
            self = .fp32
        case "uniform", "int": self = .uniform(bits: try bitsArgument(Self.uniformBitRange))
        case "lsq": self = .lsq(bits: try bitsArgument(Self.uniformBitRange))
        case "vecq": self = .vecq(bits: try bitsArgument(Self.uniformBitRange))
        case "asq": self = .asq(bits: try bitsArgument(Self.uniformBitRange))
        case "pot": self = .pot(bits: try bitsArgument(Self.powerOfTwoBitRange))
        case "post": self = .post(bits: try bitsArgument(Self.powerOfTwoBitRange))
        case "apot": self = .apot(bits: try bitsArgument(Self.powerOfTwoBitRange))
        case "ternary":
            if let argument, argument != "2" { throw .invalidBits(scheme: text, bits: argument, allowed: 2...2) }
            self = .ternary
        case "binary":
            if let argument, argument != "1" { throw .invalidBits(scheme: text, bits: argument, allowed: 1...1) }
            self = .binary
        case "qn":
            guard let argument, !argument.isEmpty else {
                throw .invalidLevelSet(scheme: text, reason: "give a level set name (\(LevelSet.namedSets.map(\.name).joined(separator: ", "))) or a list such as {-1,0,1}")
            }
            do {
                self = .qn(try LevelSet(parsing: argument))
            } catch {
                throw .invalidLevelSet(scheme: text, reason: error.description)
            }
        default:
            throw .unknownFamily(text)
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
