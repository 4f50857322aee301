import Foundation
import Testing
@testable import hwsim
import Explore

/// `hwsim compare` and `hwsim merge` end to end on a small sweep, through the command structs.
@Suite(.serialized) struct CompareCommandTests {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func arguments(_ extra: [String], weights: String = "binary,ternary") -> [String] {
        [root.appendingPathComponent("configs/lenet5.json").path, "--weights", weights, "--activations", "2,4",
         "--hw", root.appendingPathComponent("configs/hw/vu9p.json").path, "--format", "csv"] + extra
    }

    private func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func resumeSkipsFinishedPointsAndNothingIsOverwritten() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hwsim-compare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let results = directory.appendingPathComponent("results.csv").path

        let first = try CompareCommand.parse(arguments(["--output", results]))
        try await first.run()
        let written = try lines(results)
        #expect(written.count == 5)  // header + 2 × 2 points

        let again = try CompareCommand.parse(arguments(["--output", results, "--resume"]))
        try await again.run()
        #expect(try lines(results) == written)

        let overwrite = try CompareCommand.parse(arguments(["--output", results]))
        await #expect(throws: CommandFailure.self) { try await overwrite.run() }
        let other = try CompareCommand.parse(arguments(["--output", results, "--resume"], weights: "uniform:4"))
        await #expect(throws: CommandFailure.self) { try await other.run() }
        #expect(try lines(results) == written)

        // Two shards merge to the whole sweep.
        let shards = (1...2).map { directory.appendingPathComponent("shard-\($0).csv").path }
        for (index, shard) in shards.enumerated() {
            let command = try CompareCommand.parse(arguments(["--output", shard, "--shard", "\(index + 1)/2"]))
            try await command.run()
        }
        let merged = directory.appendingPathComponent("merged.csv").path
        let merge = try MergeCommand.parse(shards + ["-o", merged, "--format", "csv"])
        try merge.run()
        #expect(try lines(merged).sorted() == written.sorted())
        let mergeAgain = try MergeCommand.parse(shards + ["-o", merged])
        #expect(throws: CommandFailure.self) { try mergeAgain.run() }
    }

    /// `compare --format csv`, `compare --output` and `merge -o` write one column set, and a
    /// finished results file holds the Pareto flags in point order.
    @Test func everyResultsFileHasTheSameColumnsAndTheFront() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hwsim-columns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let results = directory.appendingPathComponent("results.csv").path
        try await CompareCommand.parse(arguments(["--output", results])).run()
        let written = try lines(results)
        #expect(written[0] == SweepResultsFile.header)
        #expect(written.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] } == ["0", "1", "2", "3"])
        let paretoColumn = try #require(SweepResultsFile.columns.firstIndex(of: "pareto"))
        let flags = written.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[paretoColumn]) }
        #expect(flags.allSatisfy { $0 == "yes" || $0 == "no" } && flags.contains("yes"))
        #expect(written.dropFirst().allSatisfy { $0.contains(",vu9p,config,") })

        let merged = directory.appendingPathComponent("merged.csv").path
        try MergeCommand.parse([results, "-o", merged]).run()
        #expect(try lines(merged) == written)
    }
}

