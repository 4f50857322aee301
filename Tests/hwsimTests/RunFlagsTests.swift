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
        #expect(try !command.options.simulate().simulation.hardware.usage.fitsBudget)
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

/// `hwsim quantize` names ONNX rows by layer and keeps its lines within 120 columns.
@Suite struct QuantizeCommandTests {
    private let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ModelImportTests/Fixtures/onnx/resnet20_cifar_fp32.onnx").path

    @Test func onnxRowsAreNamedByLayer() throws {
        let sources = try QuantizeCommand.sources(model)
        #expect(sources.first?.label == "/stem/stem.0/Conv")
        #expect(sources.allSatisfy { !$0.label.hasPrefix("onnx::") })
    }

    @Test func linesFit120ColumnsUnlessWide() throws {
        for format in [OutputFormat.table, .md] {
            let sources = try QuantizeCommand.sources(model)
            var report = Report(title: "t", columns: [.init(key: "layer", title: "layer", alignRight: false),
                                                      .init(key: "scheme", title: "scheme", alignRight: false),
                                                      .init(key: "parameters", title: "parameters", alignRight: false),
                                                      .init(key: "histogram", title: "histogram", alignRight: false)])
            for source in sources {
                report.add([.text(source.label + "/a/very/long/suffix/that/makes/the/name/long"), .text("vecq:8"),
                            .text(String(repeating: "scale=0.1…0.2 ", count: 12)), .text(String(repeating: "-1:10 ", count: 60))])
            }
            let fitted = QuantizeCommand.readable(report, oneSource: false, width: 120, format: format).render(format)
            let widest = fitted.split(separator: "\n").dropFirst().map(\.count).max() ?? 0
            #expect(widest <= 120, "\(format)")
            #expect(fitted.contains("…"))
            let wide = QuantizeCommand.readable(report, oneSource: false, width: nil, format: format).render(format)
            #expect((wide.split(separator: "\n").map(\.count).max() ?? 0) > 120)
        }
    }

    @Test func calibrationIsValidated() {
        #expect {
            _ = try QuantizeCommand.parse(["w.npy", "--scheme", "uniform:2", "--calibration", "entropy"])
        } throws: { error in
            QuantizeCommand.message(for: error).contains("--calibration: unknown calibration 'entropy'")
        }
    }
}
