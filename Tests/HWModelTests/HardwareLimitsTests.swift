import Foundation
import Testing
@testable import HWModel

/// Every number of a hardware or device file is held to a range that means something: a bad
/// value for each field is one error naming that field (table-driven, one row per field).
@Suite struct HardwareLimitsTests {
    /// A hardware config with every optional field present, so that each row can spoil one.
    static let base = """
    {"name": "test", "clock_mhz": 200, "max_reduction": 4096, "budget": {"lut": 0.7},
     "device": {"name": "part", "resources": {"lut": 1000000, "ff": 2000000, "dsp": 5000, "bram36": 2000, "uram": 900},
                "budget": {"lut": 0.7, "ff": 0.5, "dsp": 0.8, "bram36": 0.8, "uram": 0.8},
                "clocks": {"default_mhz": 250, "max_mhz": 775},
                "boards": [{"name": "board", "bandwidth_gbps": 40, "ddr_controllers": 2, "port_bits": 512, "host_call_us": 100,
                            "shell": {"lut": 1000, "ff": 1000, "dsp": 0, "bram36": 10, "uram": 0}}]},
     "arrays": [{"name": "main", "rows": 16, "cols": 16, "copies": 2, "max_rows": 64, "max_cols": 64, "weight_depth": 0, "weight_bits": [8]}],
     "buffers": {"weights": {"memory": "uram", "blocks": 100}, "inputs": {"memory": "bram", "blocks": 100}, "outputs": {"memory": "bram", "blocks": 100}},
     "vector_unit": {"lanes": 64, "lut_share": 0.05}, "adapter_unit": {"lanes": 8},
     "dma": {"efficiency": 0.7}, "tiling": {"min_tiles": 4}}
    """

    /// (JSON path, bad value, a fragment the message must hold).
    static let rows: [(String, String, String)] = [
        ("clock_mhz", "1e-6", "in [1, 2000]"),
        ("clock_mhz", "1e20", "in [1, 2000]"),
        ("max_reduction", "0", "in 1…2147483647"),
        ("max_reduction", "1e12", "in 1…2147483647"),
        ("budget.lut", "0", "in (0, 1]"),
        ("device.resources.lut", "0", "positive"),
        ("device.resources.lut", "1e20", "at most 1000000000"),
        ("device.resources.ff", "1e20", "at most 1000000000"),
        ("device.resources.dsp", "-1", "zero or a positive"),
        ("device.resources.bram36", "1e20", "at most 1000000000"),
        ("device.resources.uram", "1e300", "at most 1000000000"),
        ("device.budget.dsp", "1.5", "in (0, 1]"),
        ("device.clocks.default_mhz", "1e-6", "in [1, 2000]"),
        ("device.clocks.max_mhz", "3000", "in [1, 2000]"),
        ("device.boards[0].bandwidth_gbps", "1e-300", "in [0.001, 10000]"),
        ("device.boards[0].bandwidth_gbps", "1e9", "in [0.001, 10000]"),
        ("device.boards[0].ddr_controllers", "-1", "in 0…16"),
        ("device.boards[0].ddr_controllers", "1000", "in 0…16"),
        ("device.boards[0].port_bits", "8192", "in 8…4096"),
        ("device.boards[0].host_call_us", "1e12", "at most 1000000"),
        ("device.boards[0].shell.bram36", "1e20", "at most 1000000000"),
        ("arrays[0].rows", "0", "in 1…65536"),
        ("arrays[0].cols", "1e6", "in 1…65536"),
        ("arrays[0].copies", "1e9", "in 1…1048576"),
        ("arrays[0].max_rows", "9223372036854775807", "in 1…65536"),
        ("arrays[0].max_cols", "0", "in 1…65536"),
        ("arrays[0].weight_depth", "-1", "in 0…16777216"),
        ("arrays[0].weight_bits[0]", "64", "in 1…32"),
        ("buffers.weights.blocks", "1e12", "in 1…1000000"),
        ("buffers.inputs.blocks", "0", "in 1…1000000"),
        ("vector_unit.lanes", "1e9", "in 1…1048576"),
        ("vector_unit.lut_share", "1", "(0, 1)"),
        ("adapter_unit.lanes", "0", "in 1…1048576"),
        ("dma.efficiency", "1e-300", "in [0.001, 1]"),
        ("dma.efficiency", "2", "in [0.001, 1]"),
        ("tiling.min_tiles", "0", "in 1…65536"),
        ("tiling.min_tiles", "1e9", "in 1…65536"),
    ]

    @Test func theBaseConfigIsValid() throws {
        let template = try HardwareConfig.parse(Data(Self.base.utf8), file: "hw.json", directory: "/nonexistent")
        #expect(template.clockMHz == 200 && template.dmaEfficiency == 0.7)
    }

    @Test(arguments: rows)
    func aBadValueNamesItsField(path: String, value: String, fragment: String) throws {
        var root = try JSONValue.parse(Data(Self.base.utf8))
        try Self.set(&root, at: Self.components(path), to: try JSONValue.parse(Data(value.utf8)))
        do {
            _ = try HardwareConfig.parse(Data(Self.render(root).utf8), file: "hw.json", directory: "/nonexistent")
            Issue.record("\(path) = \(value) was accepted")
        } catch {
            #expect(error.description == "hw.json: \(path): \(error.message)")
            #expect(error.path == path, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    @Test func theClockFlagHasTheSameFloor() throws {
        let template = try HardwareConfig.parse(Data(Self.base.utf8), file: "hw.json", directory: "/nonexistent")
        #expect(throws: HardwareError.self) { try template.withClock(1e-6) }
        #expect(throws: HardwareError.self) { try template.withBandwidth(1e-300) }
        #expect(try template.withClock(1).clockMHz == 1)
    }

    @Test func sizesGivenInCodeSaturateInsteadOfTrapping() {
        let geometry = ArrayGeometry(rows: Int.max, cols: Int.max, copies: 2)
        #expect(geometry.lanes == Int64.max)
        #expect(ArraySizing.values(.auto, maximum: Int.max).count == 63)
        #expect(ceilLog2(Int.max) == 63 && ceilLog2(1) == 0 && ceilLog2(5) == 3)
        #expect(ResourceVector(lut: 1).copies(within: ResourceVector(lut: .infinity)) == Int.max / 4)
    }

    // MARK: - A tiny JSON editor for the table

    enum Component { case key(String), index(Int) }

    static func components(_ path: String) -> [Component] {
        var result: [Component] = []
        for part in path.split(separator: ".") {
            var name = Substring(part)
            var indices: [Int] = []
            while let open = name.lastIndex(of: "["), let index = Int(name[name.index(after: open)...].dropLast()) {
                indices.insert(index, at: 0)
                name = name[..<open]
            }
            result.append(.key(String(name)))
            result += indices.map(Component.index)
        }
        return result
    }

    struct MissingPath: Error {}

    static func set(_ value: inout JSONValue, at path: [Component], to replacement: JSONValue) throws {
        guard let first = path.first else { value = replacement; return }
        switch (first, value) {
        case (.key(let key), .object(var fields)):
            guard var child = fields[key] else { throw MissingPath() }
            try set(&child, at: Array(path.dropFirst()), to: replacement)
            fields[key] = child
            value = .object(fields)
        case (.index(let index), .array(var items)) where items.indices.contains(index):
            try set(&items[index], at: Array(path.dropFirst()), to: replacement)
            value = .array(items)
        default:
            throw MissingPath()
        }
    }

    static func render(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): String(flag)
        case .integer(let whole): String(whole)
        case .number(let real): "\(real)"
        case .string(let text): JSONValue.quoted(text)
        case .array(let items): "[" + items.map(render).joined(separator: ", ") + "]"
        case .object(let fields): "{" + fields.map { JSONValue.quoted($0.key) + ": " + render($0.value) }.joined(separator: ", ") + "}"
        }
    }
}
