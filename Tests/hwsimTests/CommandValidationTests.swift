import Foundation
import Testing
@testable import hwsim

/// Bad command lines are refused while parsing, with a message naming the flag.
@Suite struct CommandValidationTests {
    @Test(arguments: [
        (["net.json", "--weights", ""], "--weights"),
        (["net.json", "--weights", "binary,,ternary"], "--weights"),
        (["net.json", "--weights", "uniform:8...2"], "backwards"),
        (["net.json", "--activations", "2,four"], "--activations"),
        (["net.json", "--objectives", "latency,speed"], "--objectives"),
        (["net.json", "--objectives", "energy"], "energy model"),
        (["net.json", "--shard", "4/3"], "--shard"),
        (["net.json", "--shard", "0/3"], "--shard"),
        (["net.json", "--array", "32by32"], "--array"),
        (["net.json", "--bandwidth", "-1"], "--bandwidth"),
        (["net.json", "--resume"], "--resume"),
        (["net.json", "--batch", "0"], "--batch"),
    ])
    func compareRefusesBadAxes(arguments: [String], fragment: String) {
        #expect {
            _ = try CompareCommand.parse(arguments)
        } throws: { error in
            CompareCommand.message(for: error).contains(fragment)
        }
    }

    @Test func compareAcceptsTheIssueExample() throws {
        let command = try CompareCommand.parse(["net.json", "--weights", "binary,ternary,pot:3,post:3,post:4,uniform:2...8,fp32",
                                                "--activations", "2,4,8,32", "--array", "32x32,64x64,auto", "--shard", "2/8"])
        let axes = try command.sweep.axes(defaultWeights: .fp32, defaultActivations: .fp32)
        #expect(axes.weights.count == 13 && axes.activations.count == 4 && axes.arrays.count == 3)
    }

    @Test(arguments: [
        (["net.json", "--weights", "uniform:33"], "--weights: scheme 'uniform:33': bitwidth '33' is not supported"),
        (["net.json", "--first-last", "keep-some"], "--first-last: unknown policy 'keep-some'"),
        (["net.json", "--scales", "row"], "--scales: expected 'tensor' or 'channel', got 'row'"),
    ])
    func planFlagsAreValidated(arguments: [String], message: String) {
        #expect {
            _ = try CostCommand.parse(arguments)
        } throws: { error in
            CostCommand.message(for: error).contains(message)
        }
    }

    /// Sizes past what any hardware config may hold are refused at the flag, not trapped on later
    /// (an outside fuzzer's `--array 4294967296x4294967296`; an exhaustive search of 2^63 plans).
    @Test func workLimitsAreFlagErrors() {
        #expect {
            _ = try CompareCommand.parse(["net.json", "--array", "4294967296x4294967296,2x2"])
        } throws: { error in
            CompareCommand.message(for: error).contains("rows and columns must be 1 to 65536")
        }
        #expect {
            _ = try SearchCommand.parse(["net.json", "--weights", "binary,ternary", "--exhaustive-limit", "9223372036854775807"])
        } throws: { error in
            SearchCommand.message(for: error).contains("--exhaustive-limit must be 0 to 10000")
        }
        #expect(throws: Never.self) { _ = try CompareCommand.parse(["net.json", "--array", "65536x65536"]) }
    }

    @Test func quantizeNeedsASchemeOrAll() {
        #expect {
            _ = try QuantizeCommand.parse(["w.npy"])
        } throws: { error in
            QuantizeCommand.message(for: error).contains("give at least one --scheme, or --all")
        }
    }
}

@Suite struct ReportRenderingTests {
    private var report: Report {
        var report = Report(title: "t", columns: [.init(key: "name", title: "name", alignRight: false),
                                                  .init(key: "value", title: "value", alignRight: true)])
        report.add([.text("a,\"b\""), .number(1234567.891, decimals: 2)])
        report.add([.text("c"), .empty])
        return report
    }

    @Test func csvQuotesAndKeepsNumbersPlain() {
        #expect(report.render(.csv) == "name,value\n\"a,\"\"b\"\"\",1234567.89\nc,\n")
    }

    @Test func jsonIsValidAndTyped() throws {
        let data = Data(report.render(.json).utf8)
        let rows = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows[0]["name"] as? String == "a,\"b\"")
        #expect((rows[0]["value"] as? NSNumber)?.doubleValue == 1234567.89)
        #expect(rows[1]["value"] is NSNull)
    }

    @Test func tableGroupsDigits() {
        #expect(report.render(.table).contains("1,234,567.89"))
        #expect(report.render(.md).contains("| a,\"b\" | 1,234,567.89 |"))
    }
}
