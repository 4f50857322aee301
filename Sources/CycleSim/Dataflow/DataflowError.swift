/// Why a dataflow pipeline could not be built or a folding applied. Every case names the layer
/// or the folding entry and what to change.
public enum DataflowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A layer kind the dataflow architecture has no unit for.
    case unsupportedLayer(layer: String, type: String, reason: String)
    /// A folding value does not divide the dimension it folds; `legal` lists the values that do.
    case doesNotDivide(layer: String, attribute: String, value: Int, dimension: String, size: Int64, legal: [Int64], source: FoldingSource?)
    /// A folding value is out of range (zero, negative) or inconsistent.
    case invalidFolding(layer: String, reason: String, source: FoldingSource?)
    /// A folding file could not be read or names something the network lacks.
    case foldingFile(file: String, entry: String?, reason: String)

    /// One line naming the file and the entry when the value came from a file.
    public var description: String {
        switch self {
        case .unsupportedLayer(let layer, let type, let reason):
            return "layer '\(layer)' (\(type)): the dataflow architecture has no unit for it: \(reason)"
        case .doesNotDivide(let layer, let attribute, let value, let dimension, let size, let legal, let source):
            let values = Self.list(legal)
            let what = "\(attribute) \(value) does not divide \(dimension) = \(size) of layer '\(layer)'; legal \(attribute) values: \(values)"
            return source.map { "\($0.file): \($0.entry): \(what)" } ?? what
        case .invalidFolding(let layer, let reason, let source):
            let what = "layer '\(layer)': \(reason)"
            return source.map { "\($0.file): \($0.entry): \(what)" } ?? what
        case .foldingFile(let file, let entry, let reason):
            return entry.map { "\(file): \($0): \(reason)" } ?? "\(file): \(reason)"
        }
    }

    /// The divisors, shortened in the middle when there are many.
    static func list(_ values: [Int64]) -> String {
        let text = values.map(String.init)
        guard text.count > 16 else { return text.joined(separator: ", ") }
        return (text.prefix(8) + ["…"] + text.suffix(4)).joined(separator: ", ")
    }
}

/// The divisors of `n` in increasing order (FINN SetFolding's `divisors`).
func divisors(of n: Int64) -> [Int64] {
    guard n > 0 else { return [] }
    var small: [Int64] = []
    var large: [Int64] = []
    var d: Int64 = 1
    while d * d <= n {
        if n % d == 0 {
            small.append(d)
            if d * d != n { large.append(n / d) }
        }
        d += 1
    }
    return small + large.reversed()
}
