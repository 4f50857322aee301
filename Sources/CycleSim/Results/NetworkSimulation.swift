import HWModel
import Quantizers

/// Which architecture produced a simulation.
public enum ArchitectureKind: Hashable, Sendable {
    /// hwsim's tile arrays, as the hardware config describes them.
    case tile
    /// A SCALE-Sim R×C systolic array.
    case systolic(SystolicArray)
    /// A FINN-style dataflow pipeline: one unit per layer, all layers working at once.
    case dataflow
}

/// Totals of one frame (or batch) timed on its own, e.g. the first, cold frame that loads the
/// weights later frames keep on chip.
public struct FrameTotals: Hashable, Sendable {
    /// Cycles of the frame.
    public let cycles: Int64
    /// Bytes read from DRAM.
    public let bytesLoaded: Int64
    /// The part of `bytesLoaded` that is weights.
    public let weightBytesLoaded: Int64

    /// The totals of `layers`, checked to fit 64 bits.
    public init(_ layers: [LayerSimulation], network: String) throws(SimulationError) {
        cycles = try SimulationError.counting(Checked.sum(layers.lazy.map(\.cycles), "cycles of \(network)"))
        bytesLoaded = try SimulationError.counting(Checked.sum(layers.lazy.map(\.bytesLoaded), "bytes loaded of \(network)"))
        weightBytesLoaded = try SimulationError.counting(Checked.sum(layers.lazy.map(\.weightBytesLoaded), "weight bytes of \(network)"))
    }
}

/// The hardware a simulation ran on, as every architecture reports it.
public struct HardwareSummary: Hashable, Sendable {
    /// The hardware config: device, board, clock.
    public let template: AcceleratorTemplate
    /// Every unit the design instantiates, with counts; the resources are their sum.
    public let resources: [ResourceItem]
    /// Resources used against the device and the budget.
    public let usage: ResourceUsage
    /// Peak multiply-accumulates per cycle of all compute engines.
    public let peakMACsPerCycle: Int64

    /// A summary of `resources` on `template`'s device.
    public init(template: AcceleratorTemplate, resources: [ResourceItem], peakMACsPerCycle: Int64) {
        self.template = template
        self.resources = resources
        usage = ResourceUsage(resources: resources.reduce(.zero) { $0 + $1.total }, device: template.device)
        self.peakMACsPerCycle = peakMACsPerCycle
    }

    /// The summary of an overlay accelerator.
    public init(_ accelerator: Accelerator) {
        self.init(template: accelerator.template, resources: accelerator.breakdown, peakMACsPerCycle: accelerator.peakMACsPerCycle)
    }

    /// Clock of the design in MHz.
    public var clockMHz: Double { template.clockMHz }
    /// Peak operations per second, a MAC counted as two.
    public var peakOpsPerSecond: Double { 2 * Double(peakMACsPerCycle) * clockMHz * 1e6 }
}

/// A network simulated on an accelerator: per-layer records and the totals, checked once.
public struct NetworkSimulation: Hashable, Sendable {
    /// Network name, for reports.
    public let network: String
    /// Samples simulated together; N of every GEMM includes it.
    public let batch: Int
    /// The architecture the layers were mapped to.
    public let architecture: ArchitectureKind
    /// Device, board, clock and resources.
    public private(set) var hardware: HardwareSummary
    /// The overlay accelerator (arrays, buffers, vector unit) for the tile and systolic architectures.
    public private(set) var accelerator: Accelerator?
    /// For a streaming architecture, the cycles between successive frames (its slowest stage);
    /// `nil` where layers run one after another.
    public let initiationInterval: Int64?
    /// For a streaming architecture, the layer whose stage sets the initiation interval.
    public let bottleneckLayer: String?
    /// The first frame when weights stay on chip across frames: it loads them, later frames
    /// (whose cost `layers` and the totals give) do not. `nil` when nothing stays resident.
    public let firstFrame: FrameTotals?
    /// One entry per layer, in network order; layers run one after another (empty in a
    /// ``totalsOnly()`` copy).
    public private(set) var layers: [LayerSimulation]
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

    /// Assembles an overlay simulation; the totals are sums over layers, checked to fit 64 bits.
    public init(network: String, batch: Int, architecture: ArchitectureKind, accelerator: Accelerator, layers: [LayerSimulation],
                cost: NetworkCost) throws(SimulationError) {
        try self.init(network: network, batch: batch, architecture: architecture, hardware: HardwareSummary(accelerator), accelerator: accelerator,
                      layers: layers, cost: cost, cycles: nil, initiationInterval: nil, bottleneckLayer: nil, firstFrame: nil)
    }

    /// Assembles a simulation. `cycles` is the batch's cycles when layers overlap (a streaming
    /// pipeline); `nil` sums the layers, which then run one after another. Every total is
    /// checked to fit 64 bits.
    public init(network: String, batch: Int, architecture: ArchitectureKind, hardware: HardwareSummary, accelerator: Accelerator?,
                layers: [LayerSimulation], cost: NetworkCost, cycles batchCycles: Int64?, initiationInterval: Int64?,
                bottleneckLayer: String?, firstFrame: FrameTotals? = nil) throws(SimulationError) {
        self.network = network
        self.batch = batch
        self.architecture = architecture
        self.hardware = hardware
        self.accelerator = accelerator
        self.initiationInterval = initiationInterval
        self.bottleneckLayer = bottleneckLayer
        self.firstFrame = firstFrame
        self.layers = layers
        self.cost = cost
        func total(_ name: String, _ value: (LayerSimulation) -> Int64) throws(SimulationError) -> Int64 {
            try SimulationError.counting(Checked.sum(layers.lazy.map(value), "\(name) of \(network)"))
        }
        let layerCycles = try total("cycles", \.cycles)
        cycles = batchCycles ?? layerCycles
        macs = try total("MACs", \.macs)
        busyCycles = try total("busy cycles", \.busyCycles)
        idealCycles = try total("ideal cycles", \.idealCycles)
        bytesLoaded = try total("bytes loaded", \.bytesLoaded)
        bytesStored = try total("bytes stored", \.bytesStored)
        weightBytesLoaded = try total("weight bytes", \.weightBytesLoaded)
        _ = try total("stall cycles", \.stalls.total)
        stalls = layers.reduce(Stalls()) { $0 + $1.stalls }
    }

    /// The same simulation at `clockMHz` and a DDR bandwidth of `bandwidthGBps`, which must give
    /// the same DMA bytes per cycle: clock and bandwidth enter the simulation only through that
    /// rate, so the cycles stay and the latency and rates follow the new clock.
    public func reclocked(clockMHz: Double, bandwidthGBps: Double) -> NetworkSimulation {
        var template = hardware.template
        template.clockMHz = clockMHz
        template.board.bandwidthGBps = bandwidthGBps
        precondition(template.dmaBytesPerCycle == hardware.template.dmaBytesPerCycle, "a simulation is reclocked only to the same DMA rate")
        var result = self
        result.hardware = HardwareSummary(template: template, resources: hardware.resources, peakMACsPerCycle: hardware.peakMACsPerCycle)
        result.accelerator?.template = template
        return result
    }

    /// The same totals, hardware and cost without the per-layer records: what a caller that keeps
    /// many simulations (a sweep's cache) needs of each.
    public func totalsOnly() -> NetworkSimulation {
        var result = self
        result.layers = []
        return result
    }

    /// Clock of the design in MHz.
    public var clockMHz: Double { hardware.clockMHz }
    /// Seconds for the batch at the accelerator clock.
    public var latencySeconds: Double { Double(cycles) / (clockMHz * 1e6) }
    /// Samples per second: the batch over its latency, or for a streaming pipeline the clock
    /// over the initiation interval (frames in steady state).
    public var framesPerSecond: Double {
        if let initiationInterval, initiationInterval > 0 { return clockMHz * 1e6 / Double(initiationInterval) }
        return latencySeconds > 0 ? Double(batch) / latencySeconds : 0
    }
    /// Achieved operations per second, a MAC counted as two operations.
    public var effectiveOpsPerSecond: Double { latencySeconds > 0 ? 2 * Double(macs) / latencySeconds : 0 }
    /// Achieved over peak operations per second.
    public var peakFraction: Double {
        let peak = hardware.peakOpsPerSecond
        return peak > 0 ? effectiveOpsPerSecond / peak : 0
    }
    /// MACs over (the arrays' lanes × cycles): how busy the arrays were on average.
    public var arrayUtilization: Double {
        let peak = Double(hardware.peakMACsPerCycle)
        return peak > 0 && cycles > 0 ? Double(macs) / (peak * Double(cycles)) : 0
    }
    /// Bytes moved to and from DRAM.
    public var bytesMoved: Int64 { bytesLoaded + bytesStored }

    /// Cycles from one frame (or batch) entering to the next: the initiation interval of a
    /// streaming pipeline, or the whole batch's cycles where layers run one after another.
    public var cyclesBetweenBatches: Int64 { initiationInterval ?? cycles }

    /// The layer that limits throughput: a streaming pipeline's slowest stage, else the layer
    /// with the most cycles (the first of equals).
    public var slowestLayer: String? {
        if let bottleneckLayer { return bottleneckLayer }
        var best: LayerSimulation?
        for layer in layers where layer.cycles > (best?.cycles ?? 0) { best = layer }
        return best?.layer
    }
}
