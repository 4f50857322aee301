/// An instantiated on-chip buffer.
public struct BufferInstance: Hashable, Sendable {
    /// What the buffer holds.
    public var role: BufferRole
    /// Block RAM or UltraRAM.
    public var memory: MemoryKind
    /// Blocks instantiated: capacity is blocks × block bits, bandwidth one 72-bit port per block.
    public var blocks: Int

    /// Creates a buffer.
    public init(role: BufferRole, memory: MemoryKind, blocks: Int) {
        self.role = role
        self.memory = memory
        self.blocks = blocks
    }

    /// Capacity in bits.
    public var capacityBits: Int64 { ArrayCostModel.saturatingProduct([Int64(blocks), memory.blockBits]) }
    /// Bits the buffer reads per cycle: one 72-bit port per block.
    public var portBitsPerCycle: Int64 { ArrayCostModel.saturatingProduct([Int64(blocks), UnitCostConstants.memoryPortBits]) }
    /// Bits of one half: the buffer is double-buffered, one half filling while the other is read.
    public var halfCapacityBits: Int64 { capacityBits / 2 }

    /// Blocks as resources.
    public var resources: ResourceVector {
        memory == .bram ? ResourceVector(bram36: Double(blocks)) : ResourceVector(uram: Double(blocks))
    }
}

/// Element-wise lanes of one data width: integer lanes of `bits` bits, or FP32 lanes when
/// `bits` is 32.
public struct VectorUnit: Hashable, Sendable {
    /// Bits per lane: 8 to 15 for integer lanes, 32 for FP32.
    public var bits: Int
    /// Lanes (at least 1).
    public var lanes: Int

    /// Creates a unit.
    public init(bits: Int, lanes: Int) {
        self.bits = bits
        self.lanes = lanes
    }

    /// The lane width data of `bits` bits runs on: at least 8-bit integer lanes, FP32 from 16
    /// bits (a 16-bit tensor is a requantized accumulator or an FP16/FP32 value).
    public static func laneBits(forData bits: Int) -> Int { bits >= 16 ? 32 : max(bits, 8) }

    /// One lane's resources: an FP32 fabric adder plus a comparator, or a b-bit integer ALU.
    public var laneCost: ResourceVector { Accelerator.vectorLane(bits: bits) }

    /// `FP32` or `<b>-bit`, as reports name the lanes.
    public var widthName: String { bits >= 32 ? "FP32" : "\(bits)-bit" }
}

/// A part of an overlay accelerator, for resource breakdowns.
public enum AcceleratorPart: Hashable, Sendable {
    /// The board's platform shell (DMA engines, AXI interconnect), as its device file charges it.
    case shell
    /// The board's DDR controllers in the user logic.
    case ddrControllers
    /// The weight, input and output buffers.
    case buffers
    /// The vector units.
    case vectorUnits
    /// The ASQ adapter unit.
    case adapterUnit
    /// The array at this index of `Accelerator.arrays`.
    case array(Int)
}

/// An instantiated accelerator: arrays, buffers, vector units, adapter unit and DDR
/// controllers on one device, with the resources they use and whether they fit.
public struct Accelerator: Hashable, Sendable {
    /// The hardware config it was built from (device, board, clock, policies).
    public var template: AcceleratorTemplate
    /// The arrays with every `auto` size resolved.
    public var arrays: [ComputeArray]
    /// The buffers with every `auto` block count resolved.
    public var buffers: [BufferInstance]
    /// One vector unit per lane width the network's element-wise work needs, narrowest first.
    public var vectorUnits: [VectorUnit]
    /// FP32 MAC lanes of the ASQ adapter unit; 0 when no layer has an adapter.
    public var adapterLanes: Int

    /// Creates an accelerator.
    public init(template: AcceleratorTemplate, arrays: [ComputeArray], buffers: [BufferInstance], vectorUnits: [VectorUnit],
                adapterLanes: Int) {
        self.template = template
        self.arrays = arrays
        self.buffers = buffers
        self.vectorUnits = vectorUnits
        self.adapterLanes = adapterLanes
    }

    /// The vector unit with lanes of `bits` bits.
    public func vectorUnit(bits: Int) -> VectorUnit? { vectorUnits.first { $0.bits == bits } }

    /// The buffer holding `role`.
    public func buffer(_ role: BufferRole) -> BufferInstance? { buffers.first { $0.role == role } }

    /// Everything but the compute arrays: DDR controllers, buffers, vector units, adapter unit.
    public var infrastructure: [ResourceItem] {
        Self.infrastructure(template: template, buffers: buffers, vectorUnits: vectorUnits, adapterLanes: adapterLanes)
    }

    /// The infrastructure items of a configuration, before any array is sized.
    public static func infrastructure(template: AcceleratorTemplate, buffers: [BufferInstance], vectorUnits: [VectorUnit],
                                      adapterLanes: Int) -> [ResourceItem] {
        infrastructureParts(template: template, buffers: buffers, vectorUnits: vectorUnits, adapterLanes: adapterLanes).flatMap(\.items)
    }

    /// The infrastructure items grouped by the part they belong to.
    static func infrastructureParts(template: AcceleratorTemplate, buffers: [BufferInstance], vectorUnits: [VectorUnit],
                                    adapterLanes: Int) -> [(part: AcceleratorPart, items: [ResourceItem])] {
        var parts: [(part: AcceleratorPart, items: [ResourceItem])] = []
        if template.board.shell != .zero {
            parts.append((.shell, [ResourceItem(name: "board shell (\(template.board.name))", count: 1, each: template.board.shell)]))
        }
        if template.board.ddrControllers > 0 {
            parts.append((.ddrControllers, [ResourceItem(name: "DDR controllers (\(template.board.name))", count: Int64(template.board.ddrControllers), each: ResourceVector(
                lut: UnitCostConstants.ddrControllerLUT, ff: UnitCostConstants.ddrControllerFF,
                dsp: UnitCostConstants.ddrControllerDSP, bram36: UnitCostConstants.ddrControllerBRAM36))]))
        }
        parts.append((.buffers, buffers.map { ResourceItem(name: "\($0.role.rawValue) buffer (\($0.memory.rawValue))", count: 1, each: $0.resources) }))
        let vector = vectorUnits.filter { $0.lanes > 0 }.flatMap { unit in
            [ResourceItem(name: "vector unit lanes (\(unit.widthName))", count: Int64(unit.lanes), each: unit.laneCost),
             ResourceItem(name: "vector unit control (\(unit.widthName))", count: 1, each: ResourceVector(
                lut: UnitCostConstants.finnFixedLUTPerMatrixUnit, ff: UnitCostConstants.controlFlipFlops))]
        }
        if !vector.isEmpty { parts.append((.vectorUnits, vector)) }
        if adapterLanes > 0 {
            parts.append((.adapterUnit, [ResourceItem(name: "ASQ adapter unit (FP32 MAC lanes)", count: Int64(adapterLanes), each: adapterLane)]))
        }
        return parts
    }

    /// One FP32 MAC lane of the ASQ adapter unit: the FP32 multiplier and fabric adder.
    public static let adapterLane = ResourceVector(
        lut: UnitCostConstants.fp32MultiplierLUT + UnitCostConstants.fp32FabricAdderLUT,
        ff: UnitCostConstants.fp32MultiplierFF + UnitCostConstants.fp32FabricAdderFF,
        dsp: UnitCostConstants.fp32MultiplierDSP)

    /// One vector lane: an FP32 fabric adder plus a comparator, or a b-bit integer ALU.
    public static func vectorLane(bits: Int) -> ResourceVector {
        if bits >= 32 {
            return ResourceVector(lut: UnitCostConstants.fp32FabricAdderLUT + UnitCostConstants.fp32ActivationLUT,
                                  ff: UnitCostConstants.fp32FabricAdderFF)
        }
        return ResourceVector(lut: UnitCostConstants.vectorLaneLUTPerBit * Double(bits), ff: UnitCostConstants.vectorLaneFFPerBit * Double(bits))
    }

    /// What each part of the accelerator uses, in report order: DDR controllers, buffers,
    /// vector units, the adapter unit, then each array.
    public var resourcesByPart: [(part: AcceleratorPart, resources: ResourceVector)] {
        var parts = Self.infrastructureParts(template: template, buffers: buffers, vectorUnits: vectorUnits, adapterLanes: adapterLanes)
            .map { (part: $0.part, resources: $0.items.reduce(ResourceVector.zero) { $0 + $1.total }) }
        for (index, array) in arrays.enumerated() { parts.append((.array(index), array.resources)) }
        return parts
    }

    /// Every item: infrastructure, then each array's units.
    public var breakdown: [ResourceItem] {
        infrastructure + arrays.flatMap { array in
            array.breakdown.map { ResourceItem(name: "\(array.name): \($0.name)", count: $0.count, each: $0.each) }
        }
    }

    /// Total resources used.
    public var resources: ResourceVector { breakdown.reduce(.zero) { $0 + $1.total } }

    /// Resources the device's utilisation budget allows.
    public var budget: ResourceVector { template.device.usable }

    /// Whether everything fits the utilisation budget.
    public var fitsBudget: Bool { resources.fits(within: budget) }

    /// Whether everything fits the device at all.
    public var fitsDevice: Bool { resources.fits(within: template.device.resources) }

    /// Resources over budget, with the amount used and allowed: what "does not fit" reports.
    public var overBudget: [(kind: ResourceKind, used: Double, limit: Double)] {
        let used = resources
        let limit = budget
        return ResourceKind.allCases.compactMap { kind in
            used[kind] > limit[kind] + 1e-6 ? (kind, used[kind], limit[kind]) : nil
        }
    }

    /// Multiply lanes of all arrays: peak MACs per cycle.
    /// Saturating, like ``ArrayGeometry/lanes``: arrays sized in code may be absurdly large.
    public var peakMACsPerCycle: Int64 {
        arrays.reduce(0) { total, array in
            let (sum, overflow) = total.addingReportingOverflow(array.lanes)
            return overflow ? Int64.max : sum
        }
    }

    /// Peak operations per second, counting a MAC as two operations.
    public var peakOpsPerSecond: Double { 2 * Double(peakMACsPerCycle) * template.clockMHz * 1e6 }
}
