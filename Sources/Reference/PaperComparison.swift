import HWModel
/// One line item of a paper table reproduced by hwsim: the computed value beside the
/// published one.
public struct PaperComparison: Hashable, Sendable {
    /// What the row is about, e.g. `resnet18`.
    public var item: String
    /// The design point, e.g. `W2/A32` or `8-bit`.
    public var setting: String
    /// The quantity and its unit, e.g. `model size (MiB)`.
    public var quantity: String
    /// hwsim's value, in the unit `quantity` names.
    public var computed: Double
    /// The paper's value, when the paper gives one.
    public var paper: Double?
    /// Largest absolute difference still counted as reproducing the paper.
    public var tolerance: Double?

    /// Creates a row.
    public init(item: String, setting: String, quantity: String, computed: Double, paper: Double?, tolerance: Double?) {
        self.item = item
        self.setting = setting
        self.quantity = quantity
        self.computed = computed
        self.paper = paper
        self.tolerance = tolerance
    }

    /// computed − paper.
    public var difference: Double? { paper.map { computed - $0 } }

    /// (computed − paper) / paper, in percent.
    public var relativeDifferencePercent: Double? {
        guard let paper, paper != 0 else { return nil }
        return 100 * (computed - paper) / paper
    }

    /// Whether the difference is within the tolerance (nil when either is missing).
    public var withinTolerance: Bool? {
        guard let difference, let tolerance else { return nil }
        return abs(difference) <= tolerance + 1e-12
    }
}
