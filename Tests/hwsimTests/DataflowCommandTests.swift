import Foundation
import Testing
@testable import hwsim

/// The dataflow flags of `run` and `compare` are refused where they do not apply.
@Suite struct DataflowCommandTests {
    @Test(arguments: [
        (["net.json", "--folding", "f.json"], "apply to --arch dataflow"),
        (["net.json", "--arch", "dataflow", "--target-fps", "3000", "--fit"], "--target-fps and --fit"),
        (["net.json", "--arch", "dataflow", "--target-fps=-3"], "--target-fps must be a positive number"),
        (["net.json", "--arch", "dataflow", "--max-latency-ms", "3"], "--max-latency-ms applies to --arch tile"),
        (["net.json", "--arch", "dataflow", "--input-bits", "0"], "--input-bits must be 1 to 32"),
        (["net.json", "--arch", "dataflow", "--resource-model", "vivado"], "resource-model"),
    ])
    func runRefusesMisplacedFlags(arguments: [String], fragment: String) {
        #expect {
            _ = try RunCommand.parse(arguments)
        } throws: { error in
            RunCommand.message(for: error).contains(fragment)
        }
    }

    @Test func runAcceptsADataflowCommandLine() throws {
        let command = try RunCommand.parse(["net.json", "--arch", "dataflow", "--folding", "f.json", "--write-folding", "out.json",
                                            "--out-of-context", "--resource-model", "finn", "--input-bits", "8"])
        #expect(command.dataflowFlags.options.resourceModel == .finn && command.dataflowFlags.options.outOfContext)
    }

    @Test(arguments: [
        (["net.json", "--target-fps", "1000"], "--target-fps applies to --arch dataflow"),
        (["net.json", "--arch", "dataflow", "--array", "32x32"], "--array applies to tile and systolic arrays"),
        (["net.json", "--arch", "dataflow", "--target-fps", "1000,,2000"], "--target-fps"),
    ])
    func compareRefusesMisplacedFlags(arguments: [String], fragment: String) {
        #expect {
            _ = try CompareCommand.parse(arguments)
        } throws: { error in
            CompareCommand.message(for: error).contains(fragment)
        }
    }

    @Test func compareDefaultsToFrameTimeAgainstLUTs() throws {
        let command = try CompareCommand.parse(["net.json", "--arch", "dataflow", "--target-fps", "500,3000"])
        #expect(command.chosenObjectives == "frame-time,lut")
    }
}
