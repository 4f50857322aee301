import HWModel
import Quantizers

/// One stage of a layer as reports show it.
public struct DataflowStageRecord: Hashable, Sendable {
    /// FINN node name.
    public var name: String
    /// Unit kind.
    public var unit: DataflowUnit
    /// PE, SIMD, MMV and memory styles.
    public var folding: UnitFolding
    /// Cycles per frame (its own period).
    public var cycles: Int64
    /// The frame period a too-shallow FIFO in front of it imposes, if any.
    public var coupledCycles: Int64?
    /// Resources under both models.
    public var resources: StageResources
}

/// The dataflow stages of one network layer, and the FIFOs in front of them.
public struct DataflowLayerRecord: Hashable, Sendable {
    /// Stages in pipeline order.
    public var stages: [DataflowStageRecord]
    /// FIFO depths of the streams into those stages (words), where a FIFO is instantiated.
    public var fifoDepths: [Int64]
    /// Resources of those FIFOs under both models.
    public var fifoResources: StageResources
}

/// Choices of a dataflow run that are not folding.
public struct DataflowOptions: Hashable, Sendable {
    /// The resource model reported (both are always computed).
    public var resourceModel: ResourceModel
    /// Leave out the board's shell (FINN's out-of-context synthesis reports the accelerator alone).
    public var outOfContext: Bool
    /// Bits per graph-input element as the host sends them, if not the stored width.
    public var inputBits: Int?

    /// Creates options; the defaults are the structural model with the shell.
    public init(resourceModel: ResourceModel = .structural, outOfContext: Bool = false, inputBits: Int? = nil) {
        self.resourceModel = resourceModel
        self.outOfContext = outOfContext
        self.inputBits = inputBits
    }
}

/// A dataflow run: the common simulation record and the pipeline behind it.
public struct DataflowSimulation: Sendable {
    /// Per-layer records and totals, as every architecture reports them.
    public let simulation: NetworkSimulation
    /// The folded stages.
    public let stages: [DataflowStage]
    /// Their timing, FIFOs and latency.
    public let pipeline: DataflowPipeline
    /// Resources of each stage under both models.
    public let stageResources: [StageResources]
    /// Resources of each link's FIFO under both models.
    public let fifoResources: [StageResources]
    /// The board's shell as charged (zero out of context).
    public let shell: ResourceVector
    /// The folding the run used.
    public let folding: Folding
    /// The options of the run.
    public let options: DataflowOptions

    /// Seconds of one batch including the host's call: what a board measurement sees.
    public var batchSeconds: Double {
        simulation.latencySeconds + simulation.hardware.template.board.hostCallSeconds
    }

    /// Frames per second of one batch including its fill and the host's call.
    public var measuredFramesPerSecond: Double { batchSeconds > 0 ? Double(simulation.batch) / batchSeconds : 0 }

    /// Accelerator resources under `model`, shell excluded.
    public func acceleratorResources(_ model: ResourceModel) -> ResourceVector {
        (stageResources + fifoResources).reduce(ResourceVector.zero) { $0 + $1.value(model) }
    }
}

/// The FINN-style dataflow architecture: one unit per layer, all working at once, streams in
/// between (docs/dataflow.md). A mapper (``DataflowGraph``), a folding, per-stage cycles
/// (``StageTiming``), a streaming pipeline (``DataflowPipeline``) and two resource models.
public struct DataflowArchitecture: Sendable {
    /// Device, board and clock.
    public let template: AcceleratorTemplate
    /// Resource model, shell, input width.
    public let options: DataflowOptions

    /// The architecture on `template`.
    public init(template: AcceleratorTemplate, options: DataflowOptions = DataflowOptions()) {
        self.template = template
        self.options = options
    }

    /// The dataflow graph of `bound` (lowered at batch 1: a frame's work).
    public func graph(of bound: BoundNetwork) throws(SimulationError) -> DataflowGraph {
        try DataflowGraph(bound, workloads: Simulator.workloads(of: bound, batch: 1), inputBits: options.inputBits)
    }

    /// Resources of one stage under both models (FINN has no FF estimator: it takes the structural FFs).
    public func resources(of stage: DataflowStage) -> StageResources {
        let structural = StructuralEstimates.of(stage, dspType: template.device.dspType)
        var finn = FINNEstimates.of(stage)
        finn.ff = structural.ff
        return StageResources(structural: structural, finn: finn)
    }

    /// Resources of a FIFO of `depth` words of `width` bits under both models.
    public func fifoResources(depth: Int64, width: Int64) -> StageResources {
        guard depth > DataflowConstants.shallowFIFODepth else { return .zero }
        let structural = StructuralEstimates.fifo(depth: depth, width: width)
        var finn = FINNEstimates.fifo(depth: depth, width: width)
        finn.ff = structural.ff
        return StageResources(structural: structural, finn: finn)
    }

    /// The cycles per frame (slowest of its stages) and resources of the units folded by `key`,
    /// converters and FIFOs aside: how a folding search scores one layer's candidates.
    public func evaluate(key: String, in graph: DataflowGraph, folding: UnitFolding) throws(SimulationError) -> (cycles: Int64, resources: StageResources) {
        let portBits = template.board.portBits
        var cycles: Int64 = 0
        var cost = StageResources.zero
        for stage in try graph.stages(ofKey: key, folding: folding, portBits: portBits) {
            cycles = max(cycles, StageTiming.of(stage, bytesPerCycle: template.dmaBytesPerCycle, portBits: portBits).cycles)
            cost = cost + resources(of: stage)
        }
        return (cycles, cost)
    }

    /// The board's shell and DDR controllers, or nothing out of context.
    public var shell: ResourceVector {
        guard !options.outOfContext else { return .zero }
        let board = template.board
        let controller = ResourceVector(lut: UnitCostConstants.ddrControllerLUT, ff: UnitCostConstants.ddrControllerFF,
                                        dsp: UnitCostConstants.ddrControllerDSP, bram36: UnitCostConstants.ddrControllerBRAM36)
        return board.shell + Double(board.ddrControllers) * controller
    }

    /// Simulates `bound` with `folding` for a batch of `batch` frames.
    public func simulate(_ bound: BoundNetwork, folding: Folding, batch: Int) throws(SimulationError) -> DataflowSimulation {
        try simulate(bound, graph: graph(of: bound), folding: folding, batch: batch)
    }

    /// Simulates with a graph already built for `bound` (searches reuse it).
    public func simulate(_ bound: BoundNetwork, graph: DataflowGraph, folding: Folding, batch: Int) throws(SimulationError) -> DataflowSimulation {
        guard batch > 0 else { throw .invalidBatch(batch) }
        let portBits = template.board.portBits
        let stages = try graph.stages(folding: folding, portBits: portBits, streamingIO: options.outOfContext)
        let bandwidth = options.outOfContext ? Double.infinity : template.dmaBytesPerCycle
        let pipeline = try DataflowPipeline(stages: stages, bytesPerCycle: bandwidth, portBits: portBits)
        let stageResources = stages.map(resources(of:))
        let fifoCosts = pipeline.links.map { self.fifoResources(depth: $0.depth, width: $0.width) }
        let batchCycles = try SimulationError.counting(
            Checked.add(pipeline.latency, try Checked.mul(Int64(batch - 1), pipeline.initiationInterval, "cycles of the batch"), "cycles of the batch"))
        let layers = try layerRecords(bound, stages: stages, pipeline: pipeline, stageResources: stageResources, fifoResources: fifoCosts, batch: Int64(batch))
        var items: [ResourceItem] = []
        for (stage, cost) in zip(stages, stageResources) {
            items.append(ResourceItem(name: "\(stage.name) (\(stage.layer))", count: 1, each: cost.value(options.resourceModel)))
        }
        for (link, cost) in zip(pipeline.links, fifoCosts) where link.depth > DataflowConstants.shallowFIFODepth {
            items.append(ResourceItem(name: "FIFO \(stages[link.producer].name) → \(stages[link.consumer].name) (\(link.depth) × \(link.width) bits)",
                                      count: 1, each: cost.value(options.resourceModel)))
        }
        let shell = self.shell
        if shell != .zero { items.append(ResourceItem(name: "shell (\(template.board.name))", count: 1, each: shell)) }
        let peak = stages.reduce(Int64(0)) { $0 + Self.lanes($1) }
        let simulation = try NetworkSimulation(network: bound.network.name, batch: batch, architecture: .dataflow,
                                               hardware: HardwareSummary(template: template, resources: items, peakMACsPerCycle: peak),
                                               accelerator: nil, layers: layers, cost: bound.cost, cycles: batchCycles,
                                               initiationInterval: pipeline.initiationInterval,
                                               bottleneckLayer: Self.baseLayer(stages[pipeline.bottleneck].layer))
        return DataflowSimulation(simulation: simulation, stages: stages, pipeline: pipeline, stageResources: stageResources,
                                  fifoResources: fifoCosts, shell: shell, folding: folding, options: options)
    }

    /// MACs per cycle of a matrix or vector stage.
    static func lanes(_ stage: DataflowStage) -> Int64 {
        switch stage.unit {
        case .matrix, .vector: Int64(stage.folding.pe * stage.folding.simd * stage.folding.mmv)
        default: 0
        }
    }

    /// Suffixes the mapper appends to a layer's name for the extra stages it adds.
    enum StageSuffix {
        static let output = "/output"
        static let duplicate = "/duplicate"
        static let thresholds = "/thresholds"
        static let all = [output, duplicate, thresholds]
    }

    /// The network layer a stage key belongs to (`conv1/duplicate` → `conv1`). Layer names may
    /// hold slashes themselves (ONNX's `/features/Conv`), so only the mapper's suffixes are cut.
    static func baseLayer(_ key: String) -> String {
        for suffix in StageSuffix.all where key.hasSuffix(suffix) { return String(key.dropLast(suffix.count)) }
        return key
    }

    func layerRecords(_ bound: BoundNetwork, stages: [DataflowStage], pipeline: DataflowPipeline, stageResources: [StageResources],
                      fifoResources: [StageResources], batch: Int64) throws(SimulationError) -> [LayerSimulation] {
        var stagesOf: [String: [Int]] = [:]
        for (index, stage) in stages.enumerated() { stagesOf[Self.baseLayer(stage.layer), default: []].append(index) }
        var linksInto: [Int: [Int]] = [:]
        for (index, link) in pipeline.links.enumerated() { linksInto[link.consumer, default: []].append(index) }
        var result: [LayerSimulation] = []
        for layer in bound.layers {
            let type = layer.layer.kind.typeName
            guard let indices = stagesOf[layer.name] else {
                let engine: Engine = if case .fused(let host) = layer.role { .fused(into: host) } else { .none }
                result.append(LayerSimulation(layer: layer.name, type: type, engine: engine))
                continue
            }
            var records: [DataflowStageRecord] = []
            var activity = LayerActivity()
            var depths: [Int64] = []
            var fifoCost = StageResources.zero
            var own: Int64 = 0, coupled: Int64 = 0
            for index in indices {
                let stage = stages[index]
                let timing = pipeline.timings[index]
                let linkCoupling = (linksInto[index] ?? []).map { pipeline.links[$0].coupledCycles }.max() ?? 0
                for link in linksInto[index] ?? [] where pipeline.links[link].depth > DataflowConstants.shallowFIFODepth {
                    depths.append(pipeline.links[link].depth)
                    fifoCost = fifoCost + fifoResources[link]
                }
                records.append(DataflowStageRecord(name: stage.name, unit: stage.unit, folding: stage.folding, cycles: timing.cycles,
                                                   coupledCycles: linkCoupling > timing.cycles ? linkCoupling : nil, resources: stageResources[index]))
                own = max(own, timing.cycles)
                coupled = max(coupled, linkCoupling)
                activity.lanes = max(activity.lanes, Self.lanes(stage))
                if case .dma(let bits) = stage.geometry {
                    let bytes = try SimulationError.counting(Checked.mul(Checked.divUp(bits, 8), batch, "DMA bytes of '\(layer.name)'"))
                    if stage.unit == .inputDMA { activity.bytesLoaded += bytes } else { activity.bytesStored += bytes }
                    activity.dmaCycles += try SimulationError.counting(Checked.mul(timing.cycles, batch, "DMA cycles of '\(layer.name)'"))
                }
            }
            activity.tiles = 1
            activity.busyCycles = try SimulationError.counting(Checked.mul(own, batch, "cycles of '\(layer.name)'"))
            activity.cycles = try SimulationError.counting(Checked.mul(max(own, coupled), batch, "cycles of '\(layer.name)'"))
            activity.stalls.load = activity.cycles - activity.busyCycles
            activity.macs = try SimulationError.counting(Checked.mul(layer.cost.macs, batch, "MACs of '\(layer.name)'"))
            activity.idealCycles = activity.lanes > 0 ? Checked.divUp(activity.macs, activity.lanes) : activity.busyCycles
            let main = indices.last { ![.widthConverter, .duplicateStreams, .outputDMA].contains(stages[$0].unit) } ?? indices[indices.count - 1]
            var gemm: GEMMShape?
            if case .matrix(let matrix, _, _, _) = stages[main].geometry {
                gemm = GEMMShape(m: matrix.height, k: matrix.width, n: matrix.vectors * batch, runs: 1)
            }
            result.append(LayerSimulation(layer: layer.name, type: type, engine: .dataflow(stages[main].name), unit: layer.unit, gemm: gemm,
                                          activity: activity, dataflow: DataflowLayerRecord(stages: records, fifoDepths: depths, fifoResources: fifoCost)))
        }
        return result
    }
}
