import Foundation
import Quantizers

/// Reading of hardware configs (configs/hw/*.json) and the device files they name
/// (configs/hw/devices/*.json, read in DeviceConfig.swift). Field by field in
/// docs/hardware-model.md §4 (devices §1); errors name the file and the JSON path, like network
/// configs.
public enum HardwareConfig {
    /// Reads a hardware config; `board` replaces the file's board when given. A `device` file
    /// name is looked up beside the config first, then in each of `deviceFallbacks` in order
    /// (the shipped configs/hw), so that a copied config keeps finding its device.
    public static func load(path: String, board: String? = nil, deviceFallbacks: [String] = []) throws(ConfigError) -> AcceleratorTemplate {
        let data = try ConfigText.read(path)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(data, file: path, directory: directory, board: board, deviceFallbacks: deviceFallbacks)
    }

    /// Parses hardware-config text; a `device` given as a file name is resolved in `directory`,
    /// then in each of `deviceFallbacks`.
    public static func parse(_ data: Data, file: String, directory: String, board boardOverride: String? = nil,
                             deviceFallbacks: [String] = []) throws(ConfigError) -> AcceleratorTemplate {
        var reader = try FieldReader(try ConfigText.root(data, file: file), path: "", file: file)
        let name = try reader.string("name") ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        _ = try reader.string("description")
        let deviceValue = try reader.requiredValue("device")
        let device: Device
        switch deviceValue {
        case .string(let reference):
            let directories = reference.hasPrefix("/") ? [""] : [directory] + deviceFallbacks.filter { $0 != directory }
            let candidates = directories.map { $0.isEmpty ? reference : URL(fileURLWithPath: $0).appendingPathComponent(reference).path }
            guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                let places = reference.hasPrefix("/") ? "" : " (looked in \(directories.joined(separator: ", ")))"
                throw ConfigError(file: file, path: "device", message: "device file \(MessageText.quoted(reference)) not found\(places)")
            }
            device = try parseDevice(try ConfigText.read(path), file: path)
        case .object:
            device = try parseDevice(deviceValue, file: file, path: "device")
        default:
            throw reader.error("device", "expected a device file name or a device object, got \(deviceValue.typeName)")
        }

        let fileBoard = try reader.string("board")
        let boardName = boardOverride ?? fileBoard ?? device.boards.first?.name
        guard let boardName, let board = device.board(named: boardName) else {
            let known = device.boards.map(\.name).joined(separator: ", ")
            throw ConfigError(file: file, path: "board", message: boardName.map { "unknown board \(MessageText.quoted($0)) for \(device.name); boards: \(known)" }
                              ?? "\(device.name) lists no boards; add one to its device file")
        }

        var clock = device.defaultClockMHz
        if let given = try reader.double("clock_mhz", in: HardwareLimits.clockMHz, what: "clock in MHz") {
            guard given <= device.maximumClockMHz else {
                // The words `--clock` gets too (HardwareError), so both name clocks.max_mhz.
                throw reader.error("clock_mhz", HardwareError.clockOutOfRange(clockMHz: given, device: device.name, maximumMHz: device.maximumClockMHz).description)
            }
            clock = given
        }
        var device2 = device
        if let budget = reader.value("budget") {
            device2.budget = try fractions(budget, path: "budget", file: file, defaults: device.budget)
        }

        let dataflowName = try reader.string("dataflow") ?? Dataflow.weightStationary.rawValue
        guard let dataflow = Dataflow(rawValue: dataflowName) else {
            throw reader.error("dataflow", "unknown dataflow \(MessageText.quoted(dataflowName)); expected \(Dataflow.allCases.map(\.rawValue).joined(separator: " or "))")
        }

        let maximumReduction = try reader.int("max_reduction", in: HardwareLimits.maximumReduction) ?? UnitCostConstants.defaultMaximumReduction
        let arraysValue = try reader.requiredValue("arrays")
        guard case .array(let arrayItems) = arraysValue, !arrayItems.isEmpty else {
            throw reader.error("arrays", "expected a non-empty list of compute arrays")
        }
        var arrays: [ArraySpec] = []
        for (index, item) in arrayItems.enumerated() {
            let spec = try arraySpec(item, path: "arrays[\(index)]", file: file)
            guard !arrays.contains(where: { $0.name == spec.name }) else {
                throw ConfigError(file: file, path: "arrays[\(index)].name", message: "two arrays are named \(MessageText.quoted(spec.name))")
            }
            arrays.append(spec)
        }

        var buffers: [BufferSpec] = []
        var bufferReader = try FieldReader(try reader.requiredValue("buffers"), path: "buffers", file: file)
        for role in BufferRole.allCases {
            guard let value = bufferReader.value(role.rawValue) else {
                throw bufferReader.missing(role.rawValue, "is required: give {\"memory\": \"bram\" or \"uram\", \"blocks\": N or \"auto\"}")
            }
            buffers.append(try bufferSpec(value, role: role, path: "buffers.\(role.rawValue)", file: file))
        }
        try bufferReader.rejectUnknownFields()
        for memory in MemoryKind.allCases where device2.resources[memory == .bram ? .bram36 : .uram] <= 0 {
            if let buffer = buffers.first(where: { $0.memory == memory }) {
                throw ConfigError(file: file, path: "buffers.\(buffer.role.rawValue).memory", message: "\(device.name) has no \(memory.rawValue.uppercased()); use \(memory == .bram ? "uram" : "bram")")
            }
        }

        var vectorLanes: Int?
        var vectorShare = 0.05
        if let vector = reader.value("vector_unit") {
            var inner = try FieldReader(vector, path: "vector_unit", file: file)
            if let lanes = inner.value("lanes"), lanes != .string("auto") {
                vectorLanes = try FieldReader.int(lanes, minimum: HardwareLimits.unitLanes.lowerBound, maximum: HardwareLimits.unitLanes.upperBound,
                                                  at: "vector_unit.lanes", file: file)
            }
            if let share = try inner.double("lut_share") {
                guard share > 0, share < 1 else { throw inner.error("lut_share", "must be a fraction in (0, 1) of the LUT budget, got \(share)") }
                vectorShare = share
            }
            try inner.rejectUnknownFields()
        }
        var adapterLanes: Int?
        if let adapter = reader.value("adapter_unit") {
            var inner = try FieldReader(adapter, path: "adapter_unit", file: file)
            if let lanes = inner.value("lanes"), lanes != .string("auto") {
                adapterLanes = try FieldReader.int(lanes, minimum: HardwareLimits.unitLanes.lowerBound, maximum: HardwareLimits.unitLanes.upperBound,
                                                   at: "adapter_unit.lanes", file: file)
            }
            try inner.rejectUnknownFields()
        }
        var efficiency = 0.7
        if let dma = reader.value("dma") {
            var inner = try FieldReader(dma, path: "dma", file: file)
            if let given = try inner.double("efficiency", in: HardwareLimits.dmaEfficiency, what: "fraction of the board's peak bandwidth") {
                efficiency = given
            }
            try inner.rejectUnknownFields()
        }
        var minimumTiles = 4
        var residentWeights = true
        if let tiling = reader.value("tiling") {
            var inner = try FieldReader(tiling, path: "tiling", file: file)
            minimumTiles = try inner.int("min_tiles", in: HardwareLimits.minimumTiles) ?? minimumTiles
            residentWeights = try inner.bool("resident_weights", default: residentWeights)
            try inner.rejectUnknownFields()
        }
        try reader.rejectUnknownFields()
        var template = AcceleratorTemplate(name: name, file: file, device: device2, board: board, clockMHz: clock, dataflow: dataflow, arrays: arrays,
                                   buffers: buffers, vectorLanes: vectorLanes, vectorLUTShare: vectorShare, adapterLanes: adapterLanes, dmaEfficiency: efficiency,
                                   minimumTiles: minimumTiles, maximumReduction: maximumReduction)
        template.residentWeights = residentWeights
        return template
    }

    static func arraySpec(_ value: JSONValue, path: String, file: String) throws(ConfigError) -> ArraySpec {
        var reader = try FieldReader(value, path: path, file: file)
        var spec = ArraySpec(name: try reader.requiredString("name"))
        if let serves = reader.value("serves") {
            guard case .array(let items) = serves, !items.isEmpty else {
                throw reader.error("serves", "expected a non-empty list of unit families (\(UnitFamily.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var families: Set<UnitFamily> = []
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item, let family = UnitFamily(rawValue: text.lowercased()) else {
                    throw ConfigError(file: file, path: "\(path).serves[\(index)]", message: "unknown unit family \(item); expected one of \(UnitFamily.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                families.insert(family)
            }
            spec.serves = families
        }
        if let widths = reader.value("weight_bits") {
            guard case .array(let items) = widths, !items.isEmpty else {
                throw reader.error("weight_bits", "expected a non-empty list of weight widths, e.g. [8]")
            }
            var set: Set<Int> = []
            for (index, item) in items.enumerated() {
                set.insert(try FieldReader.int(item, minimum: HardwareLimits.weightBits.lowerBound, maximum: HardwareLimits.weightBits.upperBound,
                                               at: "\(path).weight_bits[\(index)]", file: file))
            }
            spec.weightBits = set
        }
        spec.rows = try dimension(&reader, "rows", in: HardwareLimits.arrayDimension)
        spec.cols = try dimension(&reader, "cols", in: HardwareLimits.arrayDimension)
        spec.copies = try dimension(&reader, "copies", in: HardwareLimits.arrayCopies)
        spec.maximumRows = try reader.int("max_rows", in: HardwareLimits.arrayDimension) ?? spec.maximumRows
        spec.maximumCols = try reader.int("max_cols", in: HardwareLimits.arrayDimension) ?? spec.maximumCols
        if let text = try reader.string("realization") {
            guard let policy = RealizationPolicy(rawValue: text) else {
                throw reader.error("realization", "expected lut, dsp or both, got \(MessageText.quoted(text))")
            }
            spec.realization = policy
        }
        spec.weightDepth = try reader.int("weight_depth", in: HardwareLimits.weightDepth) ?? spec.weightDepth
        if let text = try reader.string("fp32_adder") {
            guard let adder = FP32Adder(rawValue: text) else { throw reader.error("fp32_adder", "expected fabric or dsp, got \(MessageText.quoted(text))") }
            spec.fp32Adder = adder
        }
        try reader.rejectUnknownFields()
        return spec
    }

    static func dimension(_ reader: inout FieldReader, _ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> ArrayDimension {
        guard let value = reader.value(key) else { return .auto }
        if case .string(let text) = value {
            guard text == "auto" else { throw reader.error(key, "expected a positive whole number or \"auto\", got \(MessageText.quoted(text))") }
            return .auto
        }
        return .fixed(try FieldReader.int(value, minimum: range.lowerBound, maximum: range.upperBound, at: FieldReader.join(reader.path, key), file: reader.file))
    }

    static func bufferSpec(_ value: JSONValue, role: BufferRole, path: String, file: String) throws(ConfigError) -> BufferSpec {
        var reader = try FieldReader(value, path: path, file: file)
        let memoryName = try reader.string("memory") ?? "bram"
        guard let memory = MemoryKind(rawValue: memoryName) else {
            throw reader.error("memory", "expected bram or uram, got \(MessageText.quoted(memoryName))")
        }
        var blocks: Int?
        if let given = reader.value("blocks") {
            if case .string("auto") = given {
                blocks = nil
            } else {
                blocks = try FieldReader.int(given, minimum: HardwareLimits.bufferBlocks.lowerBound, maximum: HardwareLimits.bufferBlocks.upperBound,
                                             at: "\(path).blocks", file: file)
            }
        } else {
            throw reader.missing("blocks", "is required: a positive number of \(memory == .bram ? "RAMB36" : "URAM") blocks, or \"auto\"")
        }
        try reader.rejectUnknownFields()
        return BufferSpec(role: role, memory: memory, blocks: blocks)
    }
}
