import Foundation
import Testing
@testable import HWModel

/// Hardware configs: the shipped ones load with the documented numbers, and every bad value
/// is a `ConfigError` naming the file and the field.
@Suite struct HardwareConfigTests {
    static let hardwareDirectory = repositoryRoot.appendingPathComponent("configs/hw")

    static var shippedNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: hardwareDirectory.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func everyShippedHardwareConfigLoads() throws {
        #expect(Self.shippedNames.count >= 4)
        for name in Self.shippedNames {
            let template = try HardwareConfig.load(path: Self.hardwareDirectory.appendingPathComponent(name).path)
            #expect(template.clockMHz > 0)
            #expect(template.dmaBytesPerCycle > 0)
            #expect(template.buffers.count == 3)
        }
    }

    @Test func vu9pNumbersAndBoards() throws {
        let template = try HardwareConfig.load(path: Self.hardwareDirectory.appendingPathComponent("vu9p.json").path)
        let device = template.device
        #expect(device.resources == ResourceVector(lut: 1_182_240, ff: 2_364_480, dsp: 6_840, bram36: 2_160, uram: 960))
        #expect(device.budget == ResourceVector(lut: 0.7, ff: 0.5, dsp: 0.8, bram36: 0.8, uram: 0.8))
        #expect(template.board.name == "aws-f1" && template.board.bandwidthGBps == 68.3)
        #expect(device.board(named: "vcu118")?.bandwidthGBps == 38.4)
        let vcu118 = try HardwareConfig.load(path: Self.hardwareDirectory.appendingPathComponent("vu9p.json").path, board: "vcu118")
        #expect(vcu118.board.bandwidthGBps == 38.4)
        // 38.4 GB/s × 0.7 at 250 MHz.
        #expect(abs(vcu118.dmaBytesPerCycle - 38.4e9 * 0.7 / 250e6) < 1e-9)
    }

    @Test func anotherPartThanVU9P() throws {
        let template = try HardwareConfig.load(path: Self.hardwareDirectory.appendingPathComponent("zu9eg.json").path)
        #expect(template.device.name == "xczu9eg")
        #expect(template.device.resources.uram == 0)
        #expect(template.buffers.allSatisfy { $0.memory == .bram })
    }

    static let device = """
    {"name": "testpart", "resources": {"lut": 1000000, "ff": 2000000, "dsp": 5000, "bram36": 2000, "uram": 900},
     "clocks": {"default_mhz": 250, "max_mhz": 775},
     "boards": [{"name": "board", "bandwidth_gbps": 40, "ddr_controllers": 2}]}
    """

    static func hardware(_ extra: String = "", arrays: String = #"[{"name": "main"}]"#, device: String = device) -> String {
        """
        {"name": "test", "device": \(device), "arrays": \(arrays),
         "buffers": {"weights": {"memory": "uram", "blocks": 100}, "inputs": {"memory": "bram", "blocks": 100}, "outputs": {"memory": "bram", "blocks": 100}}
         \(extra)}
        """
    }

    func parse(_ text: String) throws(ConfigError) -> AcceleratorTemplate {
        try HardwareConfig.parse(Data(text.utf8), file: "hw.json", directory: "/nonexistent")
    }

    func expectError(_ text: String, path: String, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try parse(text)
            Issue.record("expected an error at \(path)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.file == "hw.json", sourceLocation: sourceLocation)
            #expect(error.path == path, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func validConfigParses() throws {
        let template = try parse(Self.hardware())
        #expect(template.device.name == "testpart")
        #expect(template.arrays.first?.rows == .auto)
    }

    @Test func zeroOrNegativeResourcesAreRejected() {
        expectError(Self.hardware(device: Self.device.replacingOccurrences(of: "\"lut\": 1000000", with: "\"lut\": 0")),
                    path: "device.resources.lut", containing: "positive")
        expectError(Self.hardware(device: Self.device.replacingOccurrences(of: "\"dsp\": 5000", with: "\"dsp\": -3")),
                    path: "device.resources.dsp", containing: "zero or a positive")
        expectError(Self.hardware(device: Self.device.replacingOccurrences(of: "\"uram\": 900", with: "\"uram\": 900, \"luts\": 3")),
                    path: "device.resources.luts", containing: "unknown field")
    }

    @Test func zeroOrNegativeBandwidthIsRejected() {
        expectError(Self.hardware(device: Self.device.replacingOccurrences(of: "\"bandwidth_gbps\": 40", with: "\"bandwidth_gbps\": 0")),
                    path: "device.boards[0].bandwidth_gbps", containing: "in [0.001, 10000]")
        expectError(Self.hardware(device: Self.device.replacingOccurrences(of: "\"bandwidth_gbps\": 40", with: "\"bandwidth_gbps\": -1")),
                    path: "device.boards[0].bandwidth_gbps", containing: "in [0.001, 10000]")
    }

    @Test func badClocksAreRejected() {
        expectError(Self.hardware(", \"clock_mhz\": 0"), path: "clock_mhz", containing: "in [1, 2000]")
        expectError(Self.hardware(", \"clock_mhz\": -250"), path: "clock_mhz", containing: "in [1, 2000]")
        expectError(Self.hardware(", \"clock_mhz\": 900"), path: "clock_mhz", containing: "clock 900 MHz exceeds testpart's maximum of 775 MHz (clocks.max_mhz in its device file)")
        expectError(Self.hardware(device: Self.device.replacingOccurrences(of: "\"default_mhz\": 250", with: "\"default_mhz\": 0")),
                    path: "device.clocks.default_mhz", containing: "in [1, 2000]")
    }

    @Test func badBudgetsEfficienciesAndSizesAreRejected() {
        expectError(Self.hardware(", \"budget\": {\"lut\": 1.5}"), path: "budget.lut", containing: "fraction")
        expectError(Self.hardware(", \"budget\": {\"dsp\": 0}"), path: "budget.dsp", containing: "fraction")
        expectError(Self.hardware(", \"dma\": {\"efficiency\": 0}"), path: "dma.efficiency", containing: "in [0.001, 1]")
        expectError(Self.hardware(arrays: #"[{"name": "main", "rows": 0}]"#), path: "arrays[0].rows", containing: "positive")
        expectError(Self.hardware(arrays: #"[{"name": "main", "cols": "big"}]"#), path: "arrays[0].cols", containing: "auto")
        expectError(Self.hardware(arrays: #"[{"name": "main", "realization": "asic"}]"#), path: "arrays[0].realization", containing: "lut, dsp or both")
        expectError(Self.hardware(arrays: #"[{"name": "main", "serves": ["quantum"]}]"#), path: "arrays[0].serves[0]", containing: "unknown unit family")
        expectError(Self.hardware(arrays: "[]"), path: "arrays", containing: "non-empty")
        expectError(Self.hardware(", \"dataflow\": \"row-stationary\""), path: "dataflow", containing: "weight-stationary")
        expectError(Self.hardware(", \"board\": \"nope\""), path: "board", containing: "unknown board")
        expectError(Self.hardware(", \"tiling\": {\"min_tiles\": 0}"), path: "tiling.min_tiles", containing: "positive")
        expectError(Self.hardware(", \"vector_unit\": {\"lanes\": -4}"), path: "vector_unit.lanes", containing: "positive")
        expectError(Self.hardware(", \"clokc_mhz\": 200"), path: "clokc_mhz", containing: "did you mean 'clock_mhz'")
    }

    @Test func bufferBlocksMustBePositiveAndMemoryMustExist() {
        let zeroBlocks = Self.hardware().replacingOccurrences(of: "\"inputs\": {\"memory\": \"bram\", \"blocks\": 100}", with: "\"inputs\": {\"memory\": \"bram\", \"blocks\": 0}")
        expectError(zeroBlocks, path: "buffers.inputs.blocks", containing: "positive")
        let noURAM = Self.hardware(device: Self.device.replacingOccurrences(of: "\"uram\": 900", with: "\"uram\": 0"))
        expectError(noURAM, path: "buffers.weights.memory", containing: "no URAM")
    }

    @Test func aCopiedConfigFindsItsDeviceAmongTheShippedOnes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwsim-copied-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("mine.json")
        try FileManager.default.copyItem(at: Self.hardwareDirectory.appendingPathComponent("zu9eg.json"), to: copy)
        #expect {
            try HardwareConfig.load(path: copy.path)
        } throws: { error in
            (error as? ConfigError)?.description == "\(copy.path): device: device file 'devices/xczu9eg.json' not found (looked in \(folder.path))"
        }
        let template = try HardwareConfig.load(path: copy.path, deviceFallbacks: [Self.hardwareDirectory.path])
        #expect(template.device.name == "xczu9eg" && template.name == "zu9eg")
        // A device beside the copy wins over the shipped one.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("devices"), withIntermediateDirectories: true)
        let device = try String(contentsOf: Self.hardwareDirectory.appendingPathComponent("devices/xczu9eg.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"name\": \"xczu9eg\"", with: "\"name\": \"local-part\"")
        try device.write(to: folder.appendingPathComponent("devices/xczu9eg.json"), atomically: true, encoding: .utf8)
        #expect(try HardwareConfig.load(path: copy.path, deviceFallbacks: [Self.hardwareDirectory.path]).device.name == "local-part")
    }

    @Test func missingDeviceFileNamesTheField() {
        expectError(#"{"device": "devices/none.json", "arrays": [{"name": "a"}], "buffers": {}}"#, path: "device", containing: "not found")
    }
}
