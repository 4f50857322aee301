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
    /// Why the cell differs from the paper, or what else its reader should know
    /// (``ReferenceNotes``); nil when there is nothing to say.
    public var note: String?

    /// Creates a row.
    public init(item: String, setting: String, quantity: String, computed: Double, paper: Double?, tolerance: Double?, note: String? = nil) {
        self.item = item
        self.setting = setting
        self.quantity = quantity
        self.computed = computed
        self.paper = paper
        self.tolerance = tolerance
        self.note = note
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

/// The shipped explanations of cells (Resources/reference/reference-notes.csv), keyed by table,
/// item and setting: why a miss is the paper's, not the model's.
public struct ReferenceNotes: Sendable {
    private let notes: [String: String]

    /// Loads the shipped notes.
    public static func load() throws(ReferenceError) -> ReferenceNotes {
        let table = try ReferenceTable.load(.notes)
        var notes: [String: String] = [:]
        let tables = table.column("table"), items = table.column("item"), settings = table.column("setting"), texts = table.column("note")
        for row in tables.indices { notes[key(tables[row], items[row], settings[row])] = texts[row] }
        return ReferenceNotes(notes: notes)
    }

    /// The note of a cell of `table`, if any.
    public func note(_ table: ReferenceTable.Name, item: String, setting: String) -> String? {
        notes[Self.key(table.rawValue, item, setting)]
    }

    /// `rows` with the notes of `table` filled in (a row's own note, set by its table, is kept).
    public func annotate(_ rows: [PaperComparison], table: ReferenceTable.Name) -> [PaperComparison] {
        rows.map { row in
            var row = row
            if row.note == nil { row.note = note(table, item: row.item, setting: row.setting) }
            return row
        }
    }

    private static func key(_ table: String, _ item: String, _ setting: String) -> String { "\(table)\u{1F}\(item)\u{1F}\(setting)" }
}
