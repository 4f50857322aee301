import ArgumentParser
import Foundation
import Testing
@testable import hwsim
import HWModel
import Quantizers

/// `run` takes the flags `compare` takes, and says when a design does not fit.
@Suite struct RunFlagsTests {
    @Test func aBareActivationWidthIsUniformAnd32IsFP32() throws {
        #expect(try RunCommand.parse(["resnet18", "--activations", "4"]).options.plan.parsed().activations == .uniform(bits: 4))
        #expect(try RunCommand.parse(["resnet18", "--activations", "32"]).options.plan.parsed().activations == .fp32)
        #expect(try RunCommand.parse(["resnet18", "--activations", "asq:3"]).options.plan.parsed().activations == .asq(bits: 3))
        #expect {
            _ = try RunCommand.parse(["resnet18", "--activations", "33"])
        } throws: { error in
            RunCommand.message(for: error).contains("--activations: '33'")
        }
    }

    @Test func arrayResizesEveryTileArray() throws {
        let command = try RunCommand.parse(["resnet18", "--array", "16x32"])
        let template = try command.options.template()
        #expect(template.arrays.allSatisfy { $0.rows == .fixed(16) && $0.cols == .fixed(32) && $0.copies == .fixed(1) })
        #expect(try RunCommand.parse(["resnet18", "--array", "auto"]).options.template().arrays.allSatisfy { $0.rows == .auto })
        #expect {
            _ = try RunCommand.parse(["resnet18", "--array", "16by32"])
        } throws: { error in
            RunCommand.message(for: error).contains("--array: '16by32'")
        }
    }

    @Test func requireFitExitsWithTwoWhenTheDesignDoesNotFit() throws {
        // 128×128 INT8 lanes on a ZU9EG need far more LUTs than its budget.
        let command = try RunCommand.parse(["lenet5", "--hw", "zu9eg", "--array", "128x128", "--weights", "uniform:8", "--activations", "8", "--require-fit"])
        #expect(try !command.options.simulate().hardware.usage.fitsBudget)
        #expect(throws: ExitCode(2)) { try command.run() }
        let fits = try RunCommand.parse(["lenet5", "--hw", "zu9eg", "--require-fit"])
        try fits.run()
    }

    @Test func durationsBelowATenthOfAMillisecondAreMicroseconds() {
        #expect(Report.duration(milliseconds: 0.0456) == "45.6 µs")
        #expect(Report.duration(milliseconds: 0.1) == "0.100 ms")
        #expect(Report.duration(milliseconds: 1234.5678) == "1,234.568 ms")
        #expect(Report.Cell.duration(milliseconds: 0.0456).plain == "0.045600")
    }

    @Test func markdownSummariesAreLists() {
        var report = Report(title: "t", columns: [.init(key: "a", title: "a", alignRight: false)])
        report.add([.text("x")])
        report.footer = ["first line", "second line"]
        #expect(report.render(.md).hasSuffix("| x |\n\n- first line\n- second line\n"))
    }
}
