import Testing
import HWModel

@Suite struct TopologicalSortTests {
    @Test func keepsAValidOrderAndOtherwiseTakesTheSmallestReadyIndex() throws {
        #expect(try TopologicalSort.order(count: 3) { [[], [0], [1]][$0] } == [0, 1, 2])
        // 0 needs 2, 1 needs nothing, 2 needs 1: only 1 is ready at first.
        #expect(try TopologicalSort.order(count: 3) { [[2], [], [1]][$0] } == [1, 2, 0])
        // Two ready nodes: the smaller index goes first, wherever it was released.
        #expect(try TopologicalSort.order(count: 4) { [[], [0], [0], [2, 1, 1]][$0] } == [0, 1, 2, 3])
        #expect(try TopologicalSort.order(count: 0) { _ in [Int]() } == [])
    }

    @Test func aCycleNamesEveryBlockedNode() {
        #expect(throws: TopologicalSort.Cycle(blocked: [1, 2, 3])) {
            try TopologicalSort.order(count: 4) { [[], [0, 2], [1], [2]][$0] }
        }
        #expect(throws: TopologicalSort.Cycle(blocked: [0])) { try TopologicalSort.order(count: 1) { _ in [0] } }
    }
}
