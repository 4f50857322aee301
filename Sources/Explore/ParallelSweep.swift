/// Runs independent evaluations on all cores with structured concurrency.
public enum ParallelSweep {
    /// Evaluates `items` with at most `maxConcurrency` evaluations in flight and returns the
    /// results in the items' order, whatever order they finish in. `onResult` is called once per
    /// item as it finishes (in completion order, never concurrently), so a caller can append it
    /// to a file and an interrupted sweep keeps what it finished.
    public static func map<Item: Sendable, Result: Sendable>(
        _ items: [Item],
        maxConcurrency: Int,
        evaluate: @escaping @Sendable (Item) -> Result,
        onResult: (Int, Result) throws -> Void = { _, _ in }
    ) async throws -> [Result] {
        guard !items.isEmpty else { return [] }
        var results = [Result?](repeating: nil, count: items.count)
        let width = max(1, min(maxConcurrency, items.count))
        try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var next = 0
            while next < width {
                let index = next
                let item = items[index]
                group.addTask { (index, evaluate(item)) }
                next += 1
            }
            while let (index, result) = try await group.next() {
                results[index] = result
                try onResult(index, result)
                if next < items.count {
                    let newIndex = next
                    let item = items[newIndex]
                    group.addTask { (newIndex, evaluate(item)) }
                    next += 1
                }
            }
        }
        return results.compactMap { $0 }
    }
}
