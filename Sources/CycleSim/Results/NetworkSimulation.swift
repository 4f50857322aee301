import HWModel
import Quantizers

/// Which architecture produced a simulation.
public enum ArchitectureKind: Hashable, Sendable {
    /// hwsim's tile arrays, as the hardware config describes them.
    case tile
    /// A SCALE-Sim R×C systolic array.
    case systolic(SystolicArray)
}

/// A network simulated on an accelerator: per-layer records and the totals, checked once.
public struct NetworkSimulation: Hashable, Sendable {
    /// Network name, for reports.
    public let network: String
    /// Samples simulated together; N of every GEMM includes it.
    public let batch: Int
    /// The architecture the layers were mapped to.
    public let architecture: ArchitectureKind
    /// The accelerator the network ran on, with its arrays sized.
    public let accelerator: Accelerator
    /// One entry per layer, in network order; layers run one after another.
    public let layers: [LayerSimulation]
    /// The analytic cost of the network under the same plan (model size, MACs per sample).
    public let cost: NetworkCost
    /// Cycles of the whole batch.
    public let cycles: Int64
    /// Multiply-accumulates of the whole batch.
    public let macs: Int64
    /// Cycles the engines spent computing, summed over layers.
    public let busyCycles: Int64
    /// ⌈MACs / lanes⌉ summed over layers.
    public let idealCycles: Int64
    /// Bytes read from DRAM, whole batch.
    public let bytesLoaded: Int64
    /// Bytes written to DRAM, whole batch.
    public let bytesStored: Int64
    /// The part of `bytesLoaded` that is weights.
    public let weightBytesLoaded: Int64
    /// Stall cycles summed over layers.
    public let stalls: Stalls

    /// Assembles a simulation; the totals are sums over layers, checked to fit 64 bits.
    public init(network: String, batch: Int, architecture: ArchitectureKind, accelerator: Accelerator, layers: [LayerSimulation],
                cost: NetworkCost) throws(SimulationError) {
        self.network = network
        self.batch = batch
        self.architecture = architecture
        self.accelerator = accelerator
        self.layers = layers
        self.cost = cost
        func total(_ name: String, _ value: (LayerSimulation) -> Int64) throws(SimulationError) -> Int64 {
            try SimulationError.counting(Checked.sum(layers.lazy.map(value), "\(name) of \(network)"))
        }
        cycles = try total("cycles", \.cycles)
        macs = try total("MACs", \.macs)
        busyCycles = try total("busy cycles", \.busyCycles)
        idealCycles = try total("ideal cycles", \.idealCycles)
        bytesLoaded = try total("bytes loaded", \.bytesLoaded)
        bytesStored = try total("bytes stored", \.bytesStored)
        weightBytesLoaded = try total("weight bytes", \.weightBytesLoaded)
        _ = try total("stall cycles", \.stalls.total)
        stalls = layers.reduce(Stalls()) { $0 + $1.stalls }
    }

    /// Clock of the design in MHz.
    public var clockMHz: Double { accelerator.template.clockMHz }
    /// Seconds for the batch at the accelerator clock.
    public var latencySeconds: Double { Double(cycles) / (clockMHz * 1e6) }
    /// Samples per second.
    public var framesPerSecond: Double { latencySeconds > 0 ? Double(batch) / latencySeconds : 0 }
    /// Achieved operations per second, a MAC counted as two operations.
    public var effectiveOpsPerSecond: Double { latencySeconds > 0 ? 2 * Double(macs) / latencySeconds : 0 }
    /// Achieved over peak operations per second.
    public var peakFraction: Double {
        let peak = accelerator.peakOpsPerSecond
        return peak > 0 ? effectiveOpsPerSecond / peak : 0
    }
    /// MACs over (the arrays' lanes × cycles): how busy the arrays were on average.
    public var arrayUtilization: Double {
        let peak = Double(accelerator.peakMACsPerCycle)
        return peak > 0 && cycles > 0 ? Double(macs) / (peak * Double(cycles)) : 0
    }
    /// Bytes moved to and from DRAM.
    public var bytesMoved: Int64 { bytesLoaded + bytesStored }
}
