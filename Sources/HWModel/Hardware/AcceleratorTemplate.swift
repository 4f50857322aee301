/// How a compute array maps a GEMM Y[M×N] = W[M×K]·X[K×N] onto its lanes.
public enum Dataflow: String, Hashable, Sendable, CaseIterable {
    /// Weights stay in the lanes: `rows` take K, `cols` take M, each of the `copies` takes one
    /// column of X per cycle (FINN's MVAU with SIMD = rows, PE = cols). A fold lasts
    /// ⌈N_tile / copies⌉ cycles.
    case weightStationary = "weight-stationary"
    /// Outputs stay in the lanes: `cols` take M, `rows × copies` take N, K streams through.
    /// A fold lasts K_tile cycles.
    case outputStationary = "output-stationary"
}

/// One size of an array: given, or `auto` (sized to the device budget).
public enum ArrayDimension: Hashable, Sendable, CustomStringConvertible {
    /// A size given in the config.
    case fixed(Int)
    /// Left to `ArraySizing`, which fits it to the device budget.
    case auto

    /// The config spelling: the number, or `auto`.
    public var description: String {
        switch self {
        case .fixed(let value): String(value)
        case .auto: "auto"
        }
    }
}

/// Which realizations an array may use for its lanes.
public enum RealizationPolicy: String, Hashable, Sendable, CaseIterable {
    /// LUT lanes only.
    case lut
    /// DSP lanes only.
    case dsp
    /// DSP copies first, up to the DSP budget, then LUT copies with the LUTs left: the mixed
    /// design of fpga-unit-costs.md §6.3 (ii).
    case both
}

/// A compute array of a hardware config: its shape (given or `auto`) and the units it serves.
public struct ArraySpec: Hashable, Sendable {
    /// The array's name in reports and in error paths (`arrays.<name>`).
    public var name: String
    /// Unit families this array runs; `nil` serves every family.
    public var serves: Set<UnitFamily>?
    /// Weight widths this array runs; `nil` serves every width.
    public var weightBits: Set<Int>?
    /// Lanes per processing element (FINN's SIMD), or `auto`.
    public var rows: ArrayDimension
    /// Processing elements per copy (FINN's PE), or `auto`.
    public var cols: ArrayDimension
    /// Identical rows × cols units working side by side, or `auto`.
    public var copies: ArrayDimension
    /// Largest power of two `auto` tries for rows and cols.
    public var maximumRows: Int
    /// Largest power of two `auto` tries for cols.
    public var maximumCols: Int
    /// Whether lanes go on LUTs, on DSPs, or on DSPs first and then LUTs.
    public var realization: RealizationPolicy
    /// Weights each lane keeps in LUTRAM (FINN's WMEM); 0 reads weights from the buffer.
    public var weightDepth: Int
    /// Where FP32 lanes add (DSP or fabric); irrelevant to integer units.
    public var fp32Adder: FP32Adder

    /// Creates an array description.
    public init(name: String, serves: Set<UnitFamily>? = nil, rows: ArrayDimension = .auto, cols: ArrayDimension = .auto,
                copies: ArrayDimension = .auto, maximumRows: Int = 64, maximumCols: Int = 64,
                realization: RealizationPolicy = .both, weightDepth: Int = 0, fp32Adder: FP32Adder = .fabric) {
        self.name = name
        self.serves = serves
        self.rows = rows
        self.cols = cols
        self.copies = copies
        self.maximumRows = maximumRows
        self.maximumCols = maximumCols
        self.realization = realization
        self.weightDepth = weightDepth
        self.fp32Adder = fp32Adder
    }

    /// Whether the array may run layers needing `unit`.
    public func serves(_ unit: ArithmeticUnit) -> Bool {
        (serves?.contains(unit.family) ?? true) && (weightBits?.contains(unit.weightBits) ?? true)
    }

    /// Whether any size is left for the device budget to decide.
    public var isAutoSized: Bool { rows == .auto || cols == .auto || copies == .auto }
}

/// Block RAM or UltraRAM.
public enum MemoryKind: String, Hashable, Sendable, CaseIterable {
    /// RAMB36 (36 Kb) or UltraRAM (288 Kb) blocks.
    case bram, uram

    /// Bits of one block.
    public var blockBits: Int64 {
        switch self {
        case .bram: UnitCostConstants.bram36Bits
        case .uram: UnitCostConstants.uramBits
        }
    }
}

/// What an on-chip buffer holds.
public enum BufferRole: String, Hashable, Sendable, CaseIterable {
    /// Weight codes, input activations or output activations.
    case weights, inputs, outputs
}

/// An on-chip buffer of a hardware config: its memory kind and block count (`auto`: an even
/// share of that memory's budget left after the fixed buffers and DDR controllers).
public struct BufferSpec: Hashable, Sendable {
    /// What the buffer holds.
    public var role: BufferRole
    /// Block RAM or UltraRAM.
    public var memory: MemoryKind
    /// Blocks, or `nil` for `auto`.
    public var blocks: Int?

    /// Creates a buffer description.
    public init(role: BufferRole, memory: MemoryKind, blocks: Int?) {
        self.role = role
        self.memory = memory
        self.blocks = blocks
    }
}

/// A hardware config: device, board, clock, arrays, buffers, vector unit, adapter unit, DMA
/// and tiling policy — everything `hwsim run` needs besides the network.
public struct AcceleratorTemplate: Hashable, Sendable {
    /// The config's `name`, or its file name without the extension.
    public var name: String
    /// The file it came from, for error messages.
    public var file: String
    /// The FPGA part: resources, utilisation budget and clock limits.
    public var device: Device
    /// The board carrying the part; its DDR bandwidth bounds the DMA.
    public var board: Board
    /// Clock of the design in MHz; at most the device's `maximumClockMHz`.
    public var clockMHz: Double
    /// How the arrays map each GEMM onto their lanes.
    public var dataflow: Dataflow
    /// Compute arrays as configured, sizes possibly `auto`.
    public var arrays: [ArraySpec]
    /// On-chip buffers for weights, inputs and outputs, block counts possibly `auto`.
    public var buffers: [BufferSpec]
    /// Lanes of each vector unit (one per data width the network's element-wise work needs)
    /// running pooling, residual adds and unfused activations; `nil` sizes the units together
    /// to `vectorLUTShare` of the LUT budget.
    public var vectorLanes: Int?
    /// Fraction of the LUT budget auto-sized vector units take together.
    public var vectorLUTShare: Double
    /// FP32 MAC lanes computing ASQ adapters (instantiated only when a layer has one); `nil`
    /// sizes the unit from its work, sharing the budget with the `auto` arrays.
    public var adapterLanes: Int?
    /// Fraction of the board's peak DDR bandwidth the DMA achieves.
    public var dmaEfficiency: Double
    /// Fewest tiles a layer is cut into when its sizes allow, so loads, compute and stores
    /// overlap; 1 turns the pipelining off.
    public var minimumTiles: Int
    /// Longest reduction (K) the accumulators are sized for.
    public var maximumReduction: Int
    /// Whether weights that fit the weight buffer stay on chip across frames (`tiling.
    /// resident_weights`, default true); false models an overlay that reloads every layer's
    /// weights on every call.
    public var residentWeights: Bool = true

    /// Creates a template; `HardwareConfig.load` is the usual way.
    public init(name: String, file: String, device: Device, board: Board, clockMHz: Double, dataflow: Dataflow,
                arrays: [ArraySpec], buffers: [BufferSpec], vectorLanes: Int?, vectorLUTShare: Double = 0.05, adapterLanes: Int?,
                dmaEfficiency: Double, minimumTiles: Int, maximumReduction: Int) {
        self.name = name
        self.file = file
        self.device = device
        self.board = board
        self.clockMHz = clockMHz
        self.dataflow = dataflow
        self.arrays = arrays
        self.buffers = buffers
        self.vectorLanes = vectorLanes
        self.vectorLUTShare = vectorLUTShare
        self.adapterLanes = adapterLanes
        self.dmaEfficiency = dmaEfficiency
        self.minimumTiles = minimumTiles
        self.maximumReduction = maximumReduction
    }

    /// The buffer holding `role`.
    public func buffer(_ role: BufferRole) -> BufferSpec? { buffers.first { $0.role == role } }

    /// DMA bytes per accelerator clock cycle: bandwidth × efficiency / clock.
    public var dmaBytesPerCycle: Double {
        board.bandwidthGBps * 1e9 * dmaEfficiency / (clockMHz * 1e6)
    }
}

/// `250`, `38.4`: whole numbers without a fraction.
func formatted(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
}

extension AcceleratorTemplate {
    /// The config at another clock, which must be positive and at most the device's maximum.
    public func withClock(_ clockMHz: Double) throws(HardwareError) -> AcceleratorTemplate {
        guard clockMHz.isFinite, clockMHz >= HardwareLimits.clockMHz.lowerBound, clockMHz <= device.maximumClockMHz else {
            throw .clockOutOfRange(clockMHz: clockMHz, device: device.name, maximumMHz: device.maximumClockMHz)
        }
        var result = self
        result.clockMHz = clockMHz
        return result
    }

    /// The config with another peak DDR bandwidth for its board.
    public func withBandwidth(_ gbps: Double) throws(HardwareError) -> AcceleratorTemplate {
        guard HardwareLimits.bandwidthGBps.contains(gbps) else { throw .nonPositiveBandwidth(gbps) }
        var result = self
        result.board.bandwidthGBps = gbps
        return result
    }

    /// The config with every array's rows, cols and copies replaced.
    public func withEveryArray(rows: ArrayDimension, cols: ArrayDimension, copies: ArrayDimension) -> AcceleratorTemplate {
        var result = self
        for index in result.arrays.indices {
            result.arrays[index].rows = rows
            result.arrays[index].cols = cols
            result.arrays[index].copies = copies
        }
        return result
    }
}
