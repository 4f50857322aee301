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
    public var capacityBits: Int64 { Int64(blocks) * memory.blockBits }
    /// Bits the buffer reads per cycle: one 72-bit port per block.
    public var portBitsPerCycle: Int64 { Int64(blocks) * UnitCostConstants.memoryPortBits }
    /// Bits of one half: the buffer is double-buffered, one half filling while the other is read.
    public var halfCapacityBits: Int64 { capacityBits / 2 }

    /// Blocks as resources.
    public var resources: ResourceVector {
        memory == .bram ? ResourceVector(bram36: Double(blocks)) : ResourceVector(uram: Double(blocks))
    }
}

/// An instantiated accelerator: arrays, buffers, vector unit, adapter unit and DDR
/// controllers on one device, with the resources they use and whether they fit.
public struct Accelerator: Hashable, Sendable {
    /// The hardware config it was built from (device, board, clock, policies).
    public var template: AcceleratorTemplate
    /// The arrays with every `auto` size resolved.
    public var arrays: [ComputeArray]
    /// The buffers with every `auto` block count resolved.
    public var buffers: [BufferInstance]
    /// Lanes and data width of the vector unit.
    public var vectorLanes: Int
    /// Bits per vector lane: the widest tensor the unit handles, at least 8; 32 means FP32 lanes.
    public var vectorBits: Int
    /// FP32 MAC lanes of the ASQ adapter unit; 0 when no layer has an adapter.
    public var adapterLanes: Int

    /// Creates an accelerator.
    public init(template: AcceleratorTemplate, arrays: [ComputeArray], buffers: [BufferInstance], vectorLanes: Int,
                vectorBits: Int, adapterLanes: Int) {
        self.template = template
        self.arrays = arrays
        self.buffers = buffers
        self.vectorLanes = vectorLanes
        self.vectorBits = vectorBits
        self.adapterLanes = adapterLanes
    }

    /// The buffer holding `role`.
    public func buffer(_ role: BufferRole) -> BufferInstance? { buffers.first { $0.role == role } }

    /// Everything but the compute arrays: DDR controllers, buffers, vector unit, adapter unit.
    public var infrastructure: [ResourceItem] {
        Self.infrastructure(template: template, buffers: buffers, vectorLanes: vectorLanes, vectorBits: vectorBits, adapterLanes: adapterLanes)
    }

    /// The infrastructure items of a configuration, before any array is sized.
    public static func infrastructure(template: AcceleratorTemplate, buffers: [BufferInstance], vectorLanes: Int,
                                      vectorBits: Int, adapterLanes: Int) -> [ResourceItem] {
        var items: [ResourceItem] = []
        if template.board.ddrControllers > 0 {
            items.append(ResourceItem(name: "DDR controllers (\(template.board.name))", count: Int64(template.board.ddrControllers), each: ResourceVector(
                lut: UnitCostConstants.ddrControllerLUT, ff: UnitCostConstants.ddrControllerFF,
                dsp: UnitCostConstants.ddrControllerDSP, bram36: UnitCostConstants.ddrControllerBRAM36)))
        }
        for buffer in buffers {
            items.append(ResourceItem(name: "\(buffer.role.rawValue) buffer (\(buffer.memory.rawValue))", count: 1, each: buffer.resources))
        }
        if vectorLanes > 0 {
            items.append(ResourceItem(name: "vector unit lanes (\(vectorBits >= 32 ? "FP32" : "\(vectorBits)-bit"))", count: Int64(vectorLanes),
                                      each: vectorLane(bits: vectorBits)))
            items.append(ResourceItem(name: "vector unit control", count: 1, each: ResourceVector(
                lut: UnitCostConstants.finnFixedLUTPerMatrixUnit, ff: UnitCostConstants.controlFlipFlops)))
        }
        if adapterLanes > 0 {
            items.append(ResourceItem(name: "ASQ adapter unit (FP32 MAC lanes)", count: Int64(adapterLanes), each: ResourceVector(
                lut: UnitCostConstants.fp32MultiplierLUT + UnitCostConstants.fp32FabricAdderLUT,
                ff: UnitCostConstants.fp32MultiplierFF + UnitCostConstants.fp32FabricAdderFF,
                dsp: UnitCostConstants.fp32MultiplierDSP)))
        }
        return items
    }

    /// One vector lane: an FP32 fabric adder plus a comparator, or a b-bit integer ALU.
    public static func vectorLane(bits: Int) -> ResourceVector {
        if bits >= 32 {
            return ResourceVector(lut: UnitCostConstants.fp32FabricAdderLUT + UnitCostConstants.fp32ActivationLUT,
                                  ff: UnitCostConstants.fp32FabricAdderFF)
        }
        return ResourceVector(lut: UnitCostConstants.vectorLaneLUTPerBit * Double(bits), ff: UnitCostConstants.vectorLaneFFPerBit * Double(bits))
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
    public var peakMACsPerCycle: Int64 { arrays.reduce(0) { $0 + $1.lanes } }

    /// Peak operations per second, counting a MAC as two operations.
    public var peakOpsPerSecond: Double { 2 * Double(peakMACsPerCycle) * template.clockMHz * 1e6 }
}
