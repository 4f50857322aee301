import Testing
import Quantizers
import CycleSim
import Explore
@testable import hwsim

@Suite struct SweepSpecTests {
    @Test func schemeAxisExpandsRanges() throws {
        let schemes = try SweepAxes.schemes("binary,ternary,pot:3,post:3,post:4,uniform:2...8,fp32", axis: "weights")
        #expect(schemes.map(\.description) == ["binary", "ternary", "pot:3", "post:3", "post:4",
                                               "uniform:2", "uniform:3", "uniform:4", "uniform:5", "uniform:6", "uniform:7", "uniform:8", "fp32"])
        let activations = try SweepAxes.schemes("2,4,8,32", axis: "activations", bareBitsFamily: "uniform")
        #expect(activations == [.uniform(bits: 2), .uniform(bits: 4), .uniform(bits: 8), .fp32])
        #expect(try SweepAxes.schemes("asq:2...4", axis: "activations", bareBitsFamily: "uniform").count == 3)
    }

    @Test(arguments: ["", "binary,,ternary", "uniform:8...2", "uniform:2...x", "posit:4", "uniform:0...3", "2...4"])
    func badSchemeAxes(text: String) {
        #expect(throws: SweepSpecError.self) { try SweepAxes.schemes(text, axis: "weights") }
    }

    @Test func numberAxes() throws {
        #expect(try SweepAxes.numbers("19.2, 38.4,38.4", axis: "bandwidth") == [19.2, 38.4])
        #expect(throws: SweepSpecError.self) { try SweepAxes.numbers("0", axis: "clock") }
        #expect(throws: SweepSpecError.self) { try SweepAxes.numbers("fast", axis: "clock") }
    }

    @Test func shardsAreDisjointAndCoverEverything() throws {
        let shards = try (1...4).map { try Shard(parsing: "\($0)/4") }
        for point in 0..<103 {
            #expect(shards.filter { $0.contains(pointIndex: point) }.count == 1)
        }
        for bad in ["0/4", "5/4", "1/0", "a/b", "3", "-1/2"] {
            #expect(throws: SweepSpecError.self) { try Shard(parsing: bad) }
        }
        #expect(Shard.all.contains(pointIndex: 12345))
    }

    @Test func paretoFrontOfTwoObjectives() {
        let points: [[Double]] = [[1, 9], [2, 5], [3, 6], [4, 2], [5, 2], [2, 5], [9, 1], [.infinity, 0]]
        #expect(Pareto.front(points) == [0, 1, 3, 5, 6])
        #expect(Pareto.dominates([1, 1], [1, 2]))
        #expect(!Pareto.dominates([1, 2], [2, 1]))
    }

    @Test func paretoFrontOfThreeObjectivesMatchesBruteForce() {
        var generator = SplitMix(seed: 7)
        let points = (0..<300).map { _ in (0..<3).map { _ in Double(generator.next() % 50) } }
        let brute = Set(points.indices.filter { i in !points.indices.contains { j in Pareto.dominates(points[j], points[i]) } })
        #expect(Pareto.front(points) == brute)
    }
}

/// A tiny deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct ParallelSweepTests {
    @Test func resultsComeBackInItemOrder() async throws {
        let items = Array(0..<200)
        var seen: [Int] = []
        let results = try await ParallelSweep.map(items, maxConcurrency: 4, evaluate: { item in
            // Uneven work so that completion order differs from item order.
            var x = UInt64(item)
            for _ in 0..<((item % 7) * 2000) { x = x &* 6364136223846793005 &+ 1 }
            return (item * item, x)
        }, onResult: { index, _ in seen.append(index) })
        #expect(results.map(\.0) == items.map { $0 * $0 })
        #expect(seen.sorted() == items)
    }

    @Test func nothingToDoIsNotAnError() async throws {
        let results = try await ParallelSweep.map([Int](), maxConcurrency: 4, evaluate: { $0 })
        #expect(results.isEmpty)
    }

    @Test func anErrorWhileRecordingStopsTheSweep() async {
        struct Full: Error {}
        await #expect(throws: Full.self) {
            _ = try await ParallelSweep.map(Array(0..<50), maxConcurrency: 2, evaluate: { $0 },
                                            onResult: { index, _ in if index == 10 { throw Full() } })
        }
    }
}
