/// The ranges hardware and device files are held to (docs/limits.md, "Hardware limits"). Each
/// is wide enough for any FPGA board hwsim models and narrow enough that the cycle, byte and
/// resource arithmetic on it stays finite and within 64 bits: a clock of 10^-6 MHz or a
/// bandwidth of 10^-300 would make every count overflow, not describe a design.
public enum HardwareLimits {
    /// Clocks in MHz: 1 MHz to 2 GHz. No FPGA fabric clock leaves this range, and below 1 MHz
    /// a report's "0 MHz; 0.0 frames/s" would be rounding, not a result.
    public static let clockMHz: ClosedRange<Double> = 1...2000
    /// Device resources and shell resources, per kind: at most 10^9 (the largest parts have a
    /// few million LUTs and flip-flops).
    public static let resourceCount: ClosedRange<Double> = 0...1e9
    /// Peak DDR or HBM bandwidth in GB/s: 1 MB/s to 10 TB/s (HBM2e parts reach ~460 GB/s per
    /// stack); below, a transfer's cycle count would not fit 64 bits.
    public static let bandwidthGBps: ClosedRange<Double> = 0.001...1e4
    /// DMA efficiency, the fraction of the peak bandwidth achieved: 0.001 to 1; below that a
    /// transfer's cycle count no longer fits the simulator's counters.
    public static let dmaEfficiency: ClosedRange<Double> = 0.001...1
    /// Host call overhead in microseconds: 0 to one second.
    public static let hostCallMicroseconds: ClosedRange<Double> = 0...1e6
    /// Memory controllers a board puts in the fabric: 0 (Zynq boards: the controller is in
    /// the processing system) to 16.
    public static let ddrControllers = 0...16
    /// AXI port width in bits: a whole number of bytes, 8 to 4096.
    public static let portBits = 8...4096
    /// Rows or columns of a compute array, and the largest `auto` tries: 1 to 65,536.
    public static let arrayDimension = 1...65_536
    /// Copies of an array: 1 to 2^20; with rows and cols capped, lanes stay below 2^52.
    public static let arrayCopies = 1...(1 << 20)
    /// Weight widths an array serves: 1 to 32 bits.
    public static let weightBits = 1...32
    /// Words of weight LUTRAM per lane: 0 to 2^24.
    public static let weightDepth = 0...(1 << 24)
    /// Blocks of one on-chip buffer: 1 to 10^6 (devices have at most a few thousand).
    public static let bufferBlocks = 1...1_000_000
    /// Lanes of the vector or adapter unit: 1 to 2^20.
    public static let unitLanes = 1...(1 << 20)
    /// Longest reduction the accumulators are sized for: 1 to ``NetworkLimits/maximumSize``.
    public static let maximumReduction = 1...NetworkLimits.maximumSize
    /// Fewest tiles per layer: 1 to 65,536.
    public static let minimumTiles = 1...65_536
}
