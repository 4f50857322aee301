/// One of n disjoint slices of a sweep, for spreading it over machines (`--shard i/n`).
///
/// Points are dealt round-robin (point k goes to slice k mod n), so every slice gets a mix of
/// cheap and expensive points.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    /// 1-based slice number, as job-array task ids usually are.
    public let index: Int
    /// Number of slices n the sweep is split into.
    public let count: Int

    /// Slice `index` of `count`; `nil` unless 1 ≤ index ≤ count.
    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    private init(whole: Void) {
        index = 1
        count = 1
    }

    /// The whole sweep as one shard.
    public static let all = Shard(whole: ())

    /// Whether the point with this 0-based index belongs to the slice.
    public func contains(pointIndex: Int) -> Bool { pointIndex % count == index - 1 }

    /// `i/n`, as `--shard` takes it.
    public var description: String { "\(index)/\(count)" }
}
