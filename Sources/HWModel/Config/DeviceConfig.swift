import Foundation
import Quantizers

/// Reading of the device files hardware configs name (configs/hw/devices/*.json): resources,
/// utilisation budget, DSP type, clocks and boards. Field by field in docs/hardware-model.md §1.
extension HardwareConfig {
    /// Reads a device file.
    public static func loadDevice(path: String) throws(ConfigError) -> Device {
        try parseDevice(try ConfigText.read(path), file: path)
    }

    /// Parses device-file text.
    public static func parseDevice(_ data: Data, file: String) throws(ConfigError) -> Device {
        try parseDevice(try ConfigText.root(data, file: file), file: file, path: "")
    }

    static func parseDevice(_ value: JSONValue, file: String, path: String) throws(ConfigError) -> Device {
        var reader = try FieldReader(value, path: path, file: file)
        let name = try reader.requiredString("name")
        let part = try reader.string("part") ?? name
        _ = try reader.string("description")
        _ = reader.value("sources")

        var resourceReader = try FieldReader(try reader.requiredValue("resources"), path: FieldReader.join(path, "resources"), file: file)
        var resources = ResourceVector()
        for kind in ResourceKind.allCases {
            let key = kind.rawValue
            let mustBePositive = kind == .lut || kind == .ff
            guard let amount = try resourceReader.double(key, in: HardwareLimits.resourceCount, openBelow: mustBePositive,
                                                         what: "count of \(kind.title)") else {
                throw resourceReader.missing(key, "is required (a count of \(kind.title); 0 if the part has none)")
            }
            resources[kind] = amount
        }
        try resourceReader.rejectUnknownFields()

        let defaults = ResourceVector(lut: 0.7, ff: 0.5, dsp: 0.8, bram36: 0.8, uram: 0.8)
        var budget = defaults
        if let given = reader.value("budget") {
            budget = try fractions(given, path: FieldReader.join(path, "budget"), file: file, defaults: defaults)
        }

        let dspName = try reader.string("dsp_type") ?? DSPType.dsp48e2.rawValue
        guard let dspType = DSPType(rawValue: dspName) else {
            throw reader.error("dsp_type", "unknown DSP type \(MessageText.quoted(dspName)); expected \(DSPType.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        var clocks = try FieldReader(try reader.requiredValue("clocks"), path: FieldReader.join(path, "clocks"), file: file)
        guard let defaultClock = try clocks.double("default_mhz", in: HardwareLimits.clockMHz, what: "clock in MHz") else {
            throw clocks.missing("default_mhz")
        }
        let maximumClock = try clocks.double("max_mhz", in: HardwareLimits.clockMHz, what: "clock in MHz") ?? defaultClock
        guard maximumClock >= defaultClock else { throw clocks.error("max_mhz", "must be at least default_mhz (\(defaultClock)), got \(maximumClock)") }
        try clocks.rejectUnknownFields()

        let boardsValue = try reader.requiredValue("boards")
        guard case .array(let boardItems) = boardsValue, !boardItems.isEmpty else {
            throw reader.error("boards", "expected a non-empty list of boards")
        }
        var boards: [Board] = []
        for (index, item) in boardItems.enumerated() {
            var inner = try FieldReader(item, path: "\(FieldReader.join(path, "boards"))[\(index)]", file: file)
            let boardName = try inner.requiredString("name")
            let memory = try inner.string("memory") ?? ""
            guard let bandwidth = try inner.double("bandwidth_gbps", in: HardwareLimits.bandwidthGBps, what: "bandwidth in GB/s") else {
                throw inner.missing("bandwidth_gbps", "is required (peak DDR bandwidth in GB/s)")
            }
            let controllers = try inner.int("ddr_controllers", in: HardwareLimits.ddrControllers) ?? 0
            let portBits = try inner.int("port_bits", in: HardwareLimits.portBits) ?? 64
            guard portBits % 8 == 0 else { throw inner.error("port_bits", "must be a whole number of bytes (a multiple of 8 bits), got \(portBits)") }
            var shell = ResourceVector.zero
            if let value = inner.value("shell") {
                shell = try shellResources(value, path: "\(FieldReader.join(path, "boards"))[\(index)].shell", file: file)
            }
            let hostCall = try inner.double("host_call_us", in: HardwareLimits.hostCallMicroseconds, what: "time in microseconds") ?? 0
            _ = try inner.string("source")
            try inner.rejectUnknownFields()
            boards.append(Board(name: boardName, memory: memory, bandwidthGBps: bandwidth, ddrControllers: controllers, portBits: portBits,
                                shell: shell, hostCallSeconds: hostCall * 1e-6))
        }
        try reader.rejectUnknownFields()
        return Device(name: name, part: part, resources: resources, budget: budget, dspType: dspType, defaultClockMHz: defaultClock,
                      maximumClockMHz: maximumClock, boards: boards)
    }

    /// A board's shell: LUT, FF, DSP, BRAM36 and URAM it takes, each zero or positive (absent: 0).
    static func shellResources(_ value: JSONValue, path: String, file: String) throws(ConfigError) -> ResourceVector {
        var reader = try FieldReader(value, path: path, file: file)
        var result = ResourceVector()
        for kind in ResourceKind.allCases {
            guard let amount = try reader.double(kind.rawValue, in: HardwareLimits.resourceCount, what: "count of \(kind.title)") else { continue }
            result[kind] = amount
        }
        _ = try reader.string("source")
        try reader.rejectUnknownFields()
        return result
    }

    static func fractions(_ value: JSONValue, path: String, file: String, defaults: ResourceVector) throws(ConfigError) -> ResourceVector {
        var reader = try FieldReader(value, path: path, file: file)
        var result = defaults
        for kind in ResourceKind.allCases {
            guard let fraction = try reader.double(kind.rawValue, in: 0...1, openBelow: true, what: "fraction of the device's \(kind.title)") else { continue }
            result[kind] = fraction
        }
        try reader.rejectUnknownFields()
        return result
    }
}
