/// Dependency ordering of a graph given by indices: one implementation for every graph hwsim
/// orders (network layers, ONNX nodes), so they agree on which valid order they pick.
public enum TopologicalSort {
    /// Nodes that can never be ordered because they lie on, or depend on, a cycle.
    public struct Cycle: Error, Equatable, Sendable {
        /// Indices of the nodes that never became ready, ascending.
        public let blocked: [Int]

        /// Creates the error for the given blocked nodes.
        public init(blocked: [Int]) { self.blocked = blocked }
    }

    /// Kahn's algorithm over nodes `0..<count`, always taking the ready node with the smallest
    /// index, so a graph already listed in dependency order keeps its order and ties follow the
    /// given order. O((n + e) log n).
    /// - Parameters:
    ///   - count: the number of nodes.
    ///   - predecessors: the nodes that node `i` depends on, each in `0..<count`; a repeated
    ///     predecessor counts as one edge per occurrence, which orders the same.
    /// - Throws: ``Cycle`` naming every node that could not be ordered.
    public static func order<Predecessors: Sequence<Int>>(
        count: Int, predecessors: (Int) -> Predecessors
    ) throws(Cycle) -> [Int] {
        var pending = [Int](repeating: 0, count: count)
        var consumers = [[Int]](repeating: [], count: count)
        for node in 0..<count {
            for producer in predecessors(node) {
                precondition(producer >= 0 && producer < count, "predecessor \(producer) of node \(node) is outside 0..<\(count)")
                pending[node] += 1
                consumers[producer].append(node)
            }
        }
        var ready = MinHeap<Int>()
        for node in 0..<count where pending[node] == 0 { ready.insert(node) }
        var order: [Int] = []
        order.reserveCapacity(count)
        while let next = ready.popMin() {
            order.append(next)
            for consumer in consumers[next] {
                pending[consumer] -= 1
                if pending[consumer] == 0 { ready.insert(consumer) }
            }
        }
        guard order.count == count else {
            throw Cycle(blocked: (0..<count).filter { pending[$0] > 0 })
        }
        return order
    }
}

/// A small binary min-heap, so that topological ordering stays O(n log n).
struct MinHeap<Element: Comparable> {
    private var storage: [Element] = []

    mutating func insert(_ element: Element) {
        storage.append(element)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child] < storage[parent] else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> Element? {
        guard let first = storage.first else { return nil }
        let last = storage.removeLast()
        if !storage.isEmpty {
            storage[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < storage.count, storage[left] < storage[smallest] { smallest = left }
                if right < storage.count, storage[right] < storage[smallest] { smallest = right }
                if smallest == parent { break }
                storage.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
