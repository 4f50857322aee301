/// The FPGA resources the model counts: LUTs, flip-flops, DSP slices, 36 Kb block RAMs and
/// UltraRAMs.
public enum ResourceKind: String, CaseIterable, Hashable, Sendable {
    /// LUT6s, flip-flops, DSP slices, RAMB36 blocks and UltraRAM blocks.
    case lut, ff, dsp, bram36, uram

    /// How reports name the resource.
    public var title: String {
        switch self {
        case .lut: "LUT"
        case .ff: "FF"
        case .dsp: "DSP"
        case .bram36: "BRAM36"
        case .uram: "URAM"
        }
    }
}

/// An amount of each resource.
///
/// Fractional because unit costs come from formulas with fractional coefficients (FINN-R's
/// c1 = 1.1, 0.25 DSP per 4-bit MAC); device totals are whole, and reports round up.
public struct ResourceVector: Hashable, Sendable {
    /// Look-up tables (LUT6).
    public var lut: Double
    /// Flip-flops.
    public var ff: Double
    /// DSP slices; fractional when several MACs share one.
    public var dsp: Double
    /// 36 Kb block RAMs (a RAMB18 counts as 0.5).
    public var bram36: Double
    /// 288 Kb UltraRAM blocks.
    public var uram: Double

    /// Creates a vector; omitted resources are zero.
    public init(lut: Double = 0, ff: Double = 0, dsp: Double = 0, bram36: Double = 0, uram: Double = 0) {
        self.lut = lut
        self.ff = ff
        self.dsp = dsp
        self.bram36 = bram36
        self.uram = uram
    }

    /// No resources: the start of a sum.
    public static let zero = ResourceVector()

    /// The amount of one resource.
    public subscript(kind: ResourceKind) -> Double {
        get {
            switch kind {
            case .lut: lut
            case .ff: ff
            case .dsp: dsp
            case .bram36: bram36
            case .uram: uram
            }
        }
        set {
            switch kind {
            case .lut: lut = newValue
            case .ff: ff = newValue
            case .dsp: dsp = newValue
            case .bram36: bram36 = newValue
            case .uram: uram = newValue
            }
        }
    }

    /// Component-wise sum.
    public static func + (a: ResourceVector, b: ResourceVector) -> ResourceVector {
        ResourceVector(lut: a.lut + b.lut, ff: a.ff + b.ff, dsp: a.dsp + b.dsp, bram36: a.bram36 + b.bram36, uram: a.uram + b.uram)
    }

    /// Component-wise difference, e.g. the budget left once the fixed infrastructure is placed.
    public static func - (a: ResourceVector, b: ResourceVector) -> ResourceVector {
        ResourceVector(lut: a.lut - b.lut, ff: a.ff - b.ff, dsp: a.dsp - b.dsp, bram36: a.bram36 - b.bram36, uram: a.uram - b.uram)
    }

    /// Every resource times `scale`, e.g. one instance's cost times a count.
    public static func * (scale: Double, a: ResourceVector) -> ResourceVector {
        ResourceVector(lut: scale * a.lut, ff: scale * a.ff, dsp: scale * a.dsp, bram36: scale * a.bram36, uram: scale * a.uram)
    }

    /// Adds `b` to `a` component-wise.
    public static func += (a: inout ResourceVector, b: ResourceVector) { a = a + b }

    /// Component-wise product, e.g. device totals times utilisation fractions.
    public func scaled(by fractions: ResourceVector) -> ResourceVector {
        ResourceVector(lut: lut * fractions.lut, ff: ff * fractions.ff, dsp: dsp * fractions.dsp,
                       bram36: bram36 * fractions.bram36, uram: uram * fractions.uram)
    }

    /// Whether every resource is within `limit` (a tiny slack absorbs floating-point noise).
    public func fits(within limit: ResourceVector) -> Bool {
        ResourceKind.allCases.allSatisfy { self[$0] <= limit[$0] + 1e-6 }
    }

    /// How many whole copies of this cost fit in `budget`; resources this cost does not use
    /// do not limit it. Zero when any used resource is exhausted.
    public func copies(within budget: ResourceVector) -> Int {
        var best = Double.infinity
        for kind in ResourceKind.allCases where self[kind] > 0 {
            best = min(best, max(budget[kind], 0) / self[kind])
        }
        guard best.isFinite else { return Int.max / 4 }
        return Int(min((best + 1e-9).rounded(.down), Double(Int.max / 4)))
    }

    /// Resources rounded up to whole primitives, as a report prints them.
    public var roundedUp: ResourceVector {
        ResourceVector(lut: (lut - 1e-6).rounded(.up), ff: (ff - 1e-6).rounded(.up), dsp: (dsp - 1e-6).rounded(.up),
                       bram36: (bram36 - 1e-6).rounded(.up), uram: (uram - 1e-6).rounded(.up))
    }
}
