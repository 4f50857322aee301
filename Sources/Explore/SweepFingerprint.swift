import CycleSim
import HWModel
import Quantizers

/// What identifies a sweep: a hash of each input that changes a result, kept apart so that a
/// refused resume can say which input differs.
///
/// Each component hashes a canonical rendering of the values themselves (``CanonicalText``), so
/// every field — a layer's attributes and shapes, a plan override's values, the adapter, each
/// hardware config's device, board, arrays, buffers, DMA and clock — is part of it, and a
/// field added later is too.
public struct SweepFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// The network: layers, attributes, inputs and inferred shapes.
    public let network: String
    /// The base plan: defaults, overrides with their values, first/last policy, scales, adapter.
    public let plan: String
    /// Every hardware config's content (not its file name), in axis order.
    public let hardware: String
    /// The axes, the batch and the architecture.
    public let axes: String

    /// The fingerprint of `space`.
    public init(_ space: DesignSpace) {
        network = Self.hash(CanonicalText.of(space.network))
        plan = Self.hash(CanonicalText.of(space.basePlan))
        hardware = Self.hash(space.hardware.map { entry in
            var content = entry.template
            content.file = ""
            content.name = ""
            return CanonicalText.of(content)
        }.joined(separator: "|"))
        axes = Self.hash(CanonicalText.of((space.hardware.map(\.name), space.weights, space.activations, space.arrays,
                                           space.bandwidths, space.clocks, space.batch, space.architecture)))
    }

    /// Reads the spelling ``description`` writes; `nil` for anything else.
    public init?(spelling text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var values: [String] = []
        for (part, tag) in zip(parts, ["n-", "p-", "h-", "a-"]) {
            guard part.hasPrefix(tag) else { return nil }
            let value = String(part.dropFirst(2))
            guard value.count == 8, value.allSatisfy(\.isHexDigit) else { return nil }
            values.append(value)
        }
        (network, plan, hardware, axes) = (values[0], values[1], values[2], values[3])
    }

    /// `n-<network>.p-<plan>.h-<hardware>.a-<axes>`, eight hex digits each.
    public var description: String { "n-\(network).p-\(plan).h-\(hardware).a-\(axes)" }

    /// The inputs in which `other` differs from this fingerprint: `network`, `plan`,
    /// `hardware`, `axes`.
    public func differences(from other: SweepFingerprint) -> [String] {
        [("network", network == other.network), ("plan", plan == other.plan), ("hardware", hardware == other.hardware),
         ("axes", axes == other.axes)].filter { !$0.1 }.map(\.0)
    }

    /// 64-bit FNV-1a folded to 32 bits, in hex: stable across runs and machines.
    static func hash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let folded = UInt32(truncatingIfNeeded: hash >> 32) ^ UInt32(truncatingIfNeeded: hash)
        let digits = String(folded, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// A deterministic rendering of any value by reflection: every stored field, with set and
/// dictionary elements sorted (their iteration order changes from run to run).
public enum CanonicalText {
    /// The rendering of `value`.
    public static func of(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.map { "some(" + of($0.value) + ")" } ?? "nil"
        case .set:
            return "{" + mirror.children.map { of($0.value) }.sorted().joined(separator: ",") + "}"
        case .dictionary:
            return "[" + mirror.children.map { pair in
                let entry = Mirror(reflecting: pair.value).children.map { of($0.value) }
                return entry.joined(separator: ":")
            }.sorted().joined(separator: ",") + "]"
        case .collection:
            return "[" + mirror.children.map { of($0.value) }.joined(separator: ",") + "]"
        case .enum:
            guard let payload = mirror.children.first else { return "\(mirror.subjectType).\(value)" }
            return "\(mirror.subjectType).\(payload.label ?? "")(" + of(payload.value) + ")"
        case .struct, .class, .tuple:
            return "\(mirror.subjectType)(" + mirror.children.map { "\($0.label ?? ""):" + of($0.value) }.joined(separator: ",") + ")"
        default:
            return String(describing: value)
        }
    }
}
