import Foundation
import Testing
@testable import HWModel

/// The dataflow boards: device capacities, DSP48E1 packing, and the board fields a dataflow
/// run reads (memory port, shell, host call), each validated with a `file: path: reason` error.
@Suite struct BoardConfigTests {
    static let hardware = repositoryRoot.appendingPathComponent("configs/hw")

    @Test(arguments: [
        ("pynq-z1", "xc7z020", 53_200.0, 140.0, 0.0, 100.0, 64),
        ("ultra96", "xczu3eg", 70_560.0, 216.0, 0.0, 300.0, 128),
        ("zcu104", "xczu7ev", 230_400.0, 312.0, 96.0, 250.0, 128),
        ("u250", "xcu250", 1_728_000.0, 2_688.0, 1_280.0, 200.0, 512),
        ("u200", "xcu200", 1_182_240.0, 2_160.0, 960.0, 200.0, 512),
    ])
    func boardsLoad(name: String, device: String, lut: Double, bram: Double, uram: Double, clock: Double, port: Int) throws {
        let template = try HardwareConfig.load(path: Self.hardware.appendingPathComponent("\(name).json").path)
        #expect(template.device.name == device && template.board.name == name)
        #expect(template.device.resources.lut == lut && template.device.resources.bram36 == bram && template.device.resources.uram == uram)
        #expect(template.clockMHz == clock && template.board.portBits == port)
    }

    @Test func pynqZ1IsA7SeriesZynq() throws {
        let template = try HardwareConfig.load(path: Self.hardware.appendingPathComponent("pynq-z1.json").path)
        #expect(template.device.dspType == .dsp48e1)
        #expect(template.device.resources == ResourceVector(lut: 53_200, ff: 106_400, dsp: 220, bram36: 140, uram: 0))
        #expect(template.board.shell == ResourceVector(lut: 2_000, ff: 3_000, dsp: 4, bram36: 2))
        #expect(abs(template.board.hostCallSeconds - 100e-6) < 1e-12)
        #expect(template.board.bandwidthGBps == 2.1)
    }

    /// DSP48E1 packs four ≤4-bit or two ≤8-bit lanes (FINN's RTL MVU cores), one up to 18 bits.
    @Test func dsp48e1Packing() {
        let int4 = ArithmeticUnit(multiplier: .integer(bits: 4), weightBits: 4, activationBits: 4)
        let int8 = ArithmeticUnit(multiplier: .integer(bits: 8), weightBits: 8, activationBits: 8)
        let int16 = ArithmeticUnit(multiplier: .integer(bits: 16), weightBits: 16, activationBits: 16)
        let int20 = ArithmeticUnit(multiplier: .integer(bits: 20), weightBits: 20, activationBits: 20)
        #expect(int4.macsPerDSP(.dsp48e1) == 4 && int8.macsPerDSP(.dsp48e1) == 2 && int16.macsPerDSP(.dsp48e1) == 1)
        #expect(int20.macsPerDSP(.dsp48e1) == nil)
    }

    @Test(arguments: [
        (#""port_bits": 12"#, "boards[0].port_bits: must be a whole number of bytes (a multiple of 8 bits), got 12"),
        (#""port_bits": 0"#, "boards[0].port_bits: must be a whole number in 8…4096, got 0"),
        (#""host_call_us": -5"#, "boards[0].host_call_us: must be zero or a positive time in microseconds (at most 1000000), got -5.0"),
        (#""shell": {"lut": -1}"#, "boards[0].shell.lut: must be zero or a positive count of LUT (at most 1000000000), got -1.0"),
        (#""shell": {"luts": 1}"#, "boards[0].shell.luts: unknown field 'luts'; did you mean 'lut'?"),
        (#""shell": 3"#, "boards[0].shell: expected an object, got a number"),
    ])
    func badBoardFieldsAreNamed(field: String, message: String) {
        let text = """
            {"name": "d", "resources": {"lut": 10, "ff": 10, "dsp": 0, "bram36": 0, "uram": 0}, "dsp_type": "dsp48e1",
             "clocks": {"default_mhz": 100}, "boards": [{"name": "b", "bandwidth_gbps": 1, \(field)}]}
            """
        #expect {
            _ = try HardwareConfig.parseDevice(Data(text.utf8), file: "dev.json")
        } throws: { error in
            (error as? ConfigError)?.description == "dev.json: \(message)"
        }
    }
}
