import ArgumentParser
import HWModel
import Reference
import Quantizers

/// `hwsim table vecq-lambda`: VecQ Table 1.
struct VecQLambdaTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vecq-lambda",
        abstract: "VecQ Table 1: the optimal λ*(k) minimising the orientation loss for N(0,1), from hwsim's own solver.")

    @OptionGroup var output: FormatOptions

    func run() throws {
        let rows = LambdaTable.rows(reference: try PaperTableReport.reference(.vecqLambda))
        var report = try PaperTableReport.make(title: "VecQ Table 1: λ*(k) for φ ~ N(0,1)", rows: rows, decimals: 6, paperDecimals: 4, table: .vecqLambda)
        report.footer.append("k = 1: the loss does not depend on λ (\(VecQ.solveTemplateLambda(bits: 1)) is used); k > 8: 6/2^k, e.g. k = 9 → \(Report.fixed(VecQ.solveTemplateLambda(bits: 9), 6))")
        print(report.render(output.format), terminator: "")
    }
}
