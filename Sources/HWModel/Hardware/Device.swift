/// The DSP slice family, which decides how many low-bit multiplies one slice packs.
public enum DSPType: String, Hashable, Sendable, CaseIterable {
    /// 7-series DSP48E1 (Zynq-7000, Artix/Kintex-7): 25×18 multiplier, 48-bit accumulator (UG479).
    case dsp48e1
    /// UltraScale+ DSP48E2: 27×18 multiplier, 48-bit accumulator (UG579).
    case dsp48e2
    /// Versal DSP58: 27×24 multiplier; FINN packs 3 MACs of ≤ 9 bits per slice.
    case dsp58
}

/// A board carrying the device: what bounds the DMA is its DDR bandwidth.
public struct Board: Hashable, Sendable {
    /// Name used in hardware configs and on the command line (`aws-f1`, `vcu118`).
    public var name: String
    /// The memory configuration, for reports (`4 × DDR4-2133`).
    public var memory: String
    /// Theoretical peak DDR bandwidth in GB/s (10^9 bytes per second).
    public var bandwidthGBps: Double
    /// DDR controllers instantiated in the user's logic, each charged FINN's controller cost.
    public var ddrControllers: Int
    /// Width in bits of the memory-mapped port the accelerator's DMA reads and writes through
    /// (FINN's `pynq_native_port_width`: 64 on Zynq-7000, 128 on Zynq UltraScale+, 512 on Alveo).
    public var portBits: Int
    /// The board's platform shell around a dataflow accelerator (DMA engines, AXI interconnect,
    /// reset), charged unless the run is out of context.
    public var shell: ResourceVector
    /// Seconds the host spends on one accelerator call (driver set-up, DMA start, completion
    /// wait), paid once per batch.
    public var hostCallSeconds: Double

    /// Creates a board description.
    public init(name: String, memory: String, bandwidthGBps: Double, ddrControllers: Int, portBits: Int = 64,
                shell: ResourceVector = .zero, hostCallSeconds: Double = 0) {
        self.name = name
        self.memory = memory
        self.bandwidthGBps = bandwidthGBps
        self.ddrControllers = ddrControllers
        self.portBits = portBits
        self.shell = shell
        self.hostCallSeconds = hostCallSeconds
    }
}

/// An FPGA part: its resources, the fraction of each a design may use and still close
/// timing, its clocks and the boards it comes on.
public struct Device: Hashable, Sendable {
    /// Short name used in configs and reports (`xcvu9p`).
    public var name: String
    /// The full part number (`xcvu9p-flgb2104-2-i`).
    public var part: String
    /// Total resources of the part.
    public var resources: ResourceVector
    /// Fractions of each resource a design may use (FINN's `DEFAULT_RES_LIMITS` for VU9P).
    public var budget: ResourceVector
    /// DSP slice family, which sets how many low-bit MACs one slice packs.
    public var dspType: DSPType
    /// The clock a design runs at unless the accelerator says otherwise, in MHz.
    public var defaultClockMHz: Double
    /// The fastest clock the model accepts (the DSP48E2 Fmax of the speed grade), in MHz.
    public var maximumClockMHz: Double
    /// Boards the part is used on; the first is the default.
    public var boards: [Board]

    /// Creates a device description.
    public init(name: String, part: String, resources: ResourceVector, budget: ResourceVector, dspType: DSPType,
                defaultClockMHz: Double, maximumClockMHz: Double, boards: [Board]) {
        self.name = name
        self.part = part
        self.resources = resources
        self.budget = budget
        self.dspType = dspType
        self.defaultClockMHz = defaultClockMHz
        self.maximumClockMHz = maximumClockMHz
        self.boards = boards
    }

    /// Resources a design may use: totals times the budget fractions.
    public var usable: ResourceVector { resources.scaled(by: budget) }

    /// The board with this name.
    public func board(named name: String) -> Board? {
        boards.first { $0.name.lowercased() == name.lowercased() }
    }
}
