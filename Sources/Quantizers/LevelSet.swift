/// A finite, strictly increasing set of quantization levels in units of the scale factor.
///
/// Quantization Networks express every quantizer as such a set (e.g. `{-4,-2,-1,0,1,2,4}`);
/// the hardware model reads it to decide which arithmetic unit can realise the products.
public struct LevelSet: Hashable, Sendable {
    /// The most levels a set may hold: 2^16, as many as a 16-bit code addresses (the widest
    /// code hwsim packs). Every operation on a set is linear or n·log n in its size.
    public static let maximumLevelCount = 1 << 16
    /// The largest |level|: 2^53, past which a Double no longer holds every integer, so that a
    /// level printed or counted as an integer always converts exactly (levels are in units of the
    /// scale; real sets stay below a few thousand).
    public static let maximumMagnitude: Double = 9_007_199_254_740_992

    /// The levels, strictly increasing.
    public let levels: [Double]

    /// Creates a level set, rejecting fewer than two levels, non-finite values, and unsorted or
    /// duplicate entries (a level set is a set: order and uniqueness are the caller's promise).
    public init(_ levels: [Double]) throws(LevelSetError) {
        guard levels.count >= 2 else { throw .tooFewLevels(levels.count) }
        guard levels.count <= Self.maximumLevelCount else { throw .tooManyLevels(levels.count) }
        guard levels.allSatisfy(\.isFinite) else { throw .nonFinite }
        if let huge = levels.first(where: { abs($0) > Self.maximumMagnitude }) { throw .levelTooLarge(huge) }
        for index in levels.indices.dropFirst() where !(levels[index - 1] < levels[index]) {
            if levels[index - 1] == levels[index] { throw .duplicate(levels[index]) }
            throw .unsorted(previous: levels[index - 1], next: levels[index])
        }
        self.levels = levels
    }

    /// Bits needed to index every level: ⌈log2(count)⌉.
    public var codeBits: Int {
        var bits = 0
        while (1 << bits) < levels.count { bits += 1 }
        return bits
    }

    /// Whether every level is an integer.
    public var isIntegral: Bool { levels.allSatisfy { $0 == $0.rounded() } }

    /// Whether every nonzero level is ± a power of two (so a product is a shift).
    public var isPowerOfTwo: Bool {
        levels.allSatisfy { level in
            level == 0 || {
                let magnitude = abs(level)
                let exponent = magnitude.exponent
                return magnitude == Double(sign: .plus, exponent: exponent, significand: 1)
            }()
        }
    }

    /// The named sets of Quantization Networks (Yang et al. 2019, §4 experiments).
    public static let namedSets: [(name: String, set: LevelSet)] = {
        func integers(_ values: [Int]) -> LevelSet { LevelSet(validated: values.map(Double.init)) }
        return [
            ("binary", integers([-1, 1])),
            ("ternary", integers([-1, 0, 1])),
            ("3bit-pm2", integers([-2, -1, 0, 1, 2])),
            ("3bit-pm4", integers([-4, -2, -1, 0, 1, 2, 4])),
            ("5bit", integers(Array(-15...15))),
            ("act2", integers([0, 1, 2, 3])),
        ]
    }()

    /// A level set hwsim builds itself and knows to be valid (literal sets, the levels of a
    /// code format); an invalid one is a programming error, not an input error.
    init(validated levels: [Double]) {
        do {
            try self.init(levels)
        } catch {
            preconditionFailure("hwsim built an invalid level set \(levels): \(error)")
        }
    }

    /// Parses a named set (`ternary`, `3bit-pm4`, ...) or a list `{-1,0,1}` / `[-1,0,1]` / `-1,0,1`.
    public init(parsing text: String) throws(LevelSetError) {
        let trimmed = text.trimmingWhitespace().lowercased()
        if let named = Self.namedSets.first(where: { $0.name == trimmed }) {
            self = named.set
            return
        }
        var body = Substring(trimmed)
        if let first = body.first, first == "{" || first == "[" { body = body.dropFirst() }
        if let last = body.last, last == "}" || last == "]" { body = body.dropLast() }
        var values: [Double] = []
        for item in body.split(separator: ",", omittingEmptySubsequences: false) {
            let token = String(item).trimmingWhitespace()
            guard let value = Double(token) else { throw .notANumber(token) }
            values.append(value)
        }
        try self.init(values)
    }
}

extension LevelSet: CustomStringConvertible {
    /// The set's name if it is a named Quantization Networks set, else `{a,b,...}`.
    public var description: String {
        if let named = Self.namedSets.first(where: { $0.set == self }) { return named.name }
        let items = levels.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int64($0)) : String($0) }
        return "{" + items.joined(separator: ",") + "}"
    }
}

/// Why a level set was rejected.
public enum LevelSetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than two levels (carries the count): one level cannot quantize anything.
    case tooFewLevels(Int)
    /// A NaN or infinite level.
    case nonFinite
    /// The same level appears twice, which would make codes ambiguous.
    case duplicate(Double)
    /// Levels must be strictly increasing; `previous` is not below `next`.
    case unsorted(previous: Double, next: Double)
    /// A token of a textual level set that does not parse as a number.
    case notANumber(String)
    /// More than ``LevelSet/maximumLevelCount`` levels.
    case tooManyLevels(Int)
    /// A level beyond ±``LevelSet/maximumMagnitude``.
    case levelTooLarge(Double)

    /// A one-line message saying which rule the levels break.
    public var description: String {
        switch self {
        case .tooFewLevels(let count): "a level set needs at least two levels, got \(count)"
        case .nonFinite: "level sets must hold finite numbers"
        case .duplicate(let value): "level \(value) appears twice"
        case .unsorted(let previous, let next): "levels must be increasing, but \(previous) comes before \(next)"
        case .notANumber(let token): "\(MessageText.quoted(token)) is not a number"
        case .levelTooLarge(let value): "level \(value) is beyond ±2^53"
        case .tooManyLevels(let count):
            "a level set may hold at most \(LevelSet.maximumLevelCount) levels (16-bit codes), got \(count)"
        }
    }
}
