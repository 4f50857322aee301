import HWModel
import Quantizers

/// An accelerator built for one bound network, with the array each layer runs on.
public struct BuiltAccelerator: Sendable {
    /// The accelerator, every `auto` size resolved and `auto` buffers sized to what the
    /// mapping uses.
    public var accelerator: Accelerator
    /// Per layer of the bound network, the index into `accelerator.arrays` of its array.
    public var arrayOfLayer: [Int?]
    /// Which layers keep their weights on chip across frames.
    public var residency: WeightResidency
    /// The architecture the accelerator was built for.
    public var kind: ArchitectureKind

    /// The same accelerator reported against `template`'s budget (e.g. the real one, after a
    /// search built it within a fraction of it).
    public func reported(against template: AcceleratorTemplate) -> BuiltAccelerator {
        var result = self
        result.accelerator.template = template
        return result
    }

    /// The evaluator of this accelerator.
    public func architecture() throws(SimulationError) -> OverlayArchitecture {
        try OverlayArchitecture(accelerator: accelerator, kind: kind, residency: residency)
    }

    /// Maps and times `network` on the accelerator; `firstFrame: false` skips timing the cold
    /// first frame (``NetworkSimulation/firstFrame`` is then `nil`).
    public func simulate(_ network: BoundNetwork, workloads: [Workload], batch: Int, firstFrame: Bool = true) throws(SimulationError) -> NetworkSimulation {
        try architecture().simulate(network, workloads: workloads, arrayOfLayer: arrayOfLayer, batch: batch, firstFrame: firstFrame)
    }
}

/// A build up to the search among `auto` arrays (``Simulator/prepare(template:network:workloads:batch:)``).
public struct PreparedBuild: Sendable {
    /// Units, buffers, vector and adapter units, and the candidates of every `auto` array.
    public let draft: AcceleratorDraft
    /// Which layers keep their weights on chip across frames.
    public let residency: WeightResidency
    /// Capacity of the weight buffer as allocated before sizing, in bits.
    let allocatedWeightBits: Int64
    /// The array search's layer classes and bound terms per request.
    let sizing: [ArraySizingSearch.RequestPlan?]
    /// The architecture the build is for.
    let kind: ArchitectureKind
}

extension AcceleratorTemplate {
    /// The template with its clock and DDR bandwidth cleared: everything a build depends on
    /// besides the DMA rate (bytes per cycle), since clock and bandwidth enter the simulation
    /// only through that rate and the reported latency.
    public var buildKey: AcceleratorTemplate {
        var key = self
        key.clockMHz = 0
        key.board.bandwidthGBps = 0
        return key
    }
}

/// The simulator's entry points: graph → plan → hardware → mapping → compute → pipeline.
public enum Simulator {
    /// The workloads of every layer of `network` for a batch of `batch`, in network order.
    public static func workloads(of network: BoundNetwork, batch: Int) throws(SimulationError) -> [Workload] {
        guard batch > 0 else { throw .invalidBatch(batch) }
        var result: [Workload] = []
        result.reserveCapacity(network.layers.count)
        for bound in network.layers { result.append(try Lowering.workload(of: bound, batch: Int64(batch))) }
        return result
    }

    /// Builds the accelerator `template` describes for `network`: decides which weights stay on
    /// chip, sizes `auto` arrays with ``ArraySizingSearch``, then shrinks `auto` buffers to what
    /// the mapping uses (``BufferSizing``).
    public static func build(template: AcceleratorTemplate, network: BoundNetwork, workloads: [Workload], batch: Int,
                             kind: ArchitectureKind = .tile) throws(SimulationError) -> BuiltAccelerator {
        try build(prepare(template: template, network: network, workloads: workloads, batch: batch, kind: kind), template: template,
                  network: network, workloads: workloads, kind: kind)
    }

    /// The steps of a build that the DMA rate and the clock do not change: the draft (units,
    /// buffers, vector and adapter units, every `auto` array's candidates), the weight
    /// residency, and the array search's layer classes and compute and traffic bounds. Design
    /// points that differ only in clock or bandwidth share one (``AcceleratorTemplate/buildKey``).
    public static func prepare(template: AcceleratorTemplate, network: BoundNetwork, workloads: [Workload],
                               batch: Int, kind: ArchitectureKind = .tile) throws(SimulationError) -> PreparedBuild {
        let draft = try AcceleratorBuilder.draft(template: template, network: network, workloads: workloads, batch: Int64(batch))
        let allocated = try BufferSet(draft.infrastructureOnly)
        let residency = template.residentWeights
            ? WeightResidency.decide(workloads, template: template, capacityBits: allocated.weights.capacityBits)
            : .none(layers: workloads.count, capacityBits: allocated.weights.capacityBits)
        let sizing = try ArraySizingSearch.plan(draft, network: network, workloads: workloads, kind: kind, residency: residency)
        return PreparedBuild(draft: draft, residency: residency, allocatedWeightBits: allocated.weights.capacityBits, sizing: sizing, kind: kind)
    }

    /// Finishes a build on `template`, whose ``AcceleratorTemplate/buildKey`` must equal that of
    /// the template `prepared` came from: sizes `auto` arrays by timing their candidates at
    /// this template's DMA rate, then sizes `auto` buffers to the mapping. `exhaustiveSizing`
    /// times every candidate instead of skipping those that cannot win (same result).
    public static func build(_ prepared: PreparedBuild, template: AcceleratorTemplate, network: BoundNetwork, workloads: [Workload],
                             kind: ArchitectureKind = .tile, exhaustiveSizing: Bool = false) throws(SimulationError) -> BuiltAccelerator {
        precondition(prepared.draft.template.buildKey == template.buildKey && prepared.kind == kind,
                     "a prepared build is finished on the template and architecture it was prepared for")
        var draft = prepared.draft
        draft.template = template
        let residency = prepared.residency
        let arrays = try ArraySizingSearch.choose(draft, network: network, workloads: workloads, kind: kind, residency: residency,
                                                  plans: prepared.sizing, exhaustive: exhaustiveSizing)
        let full = try OverlayArchitecture(accelerator: draft.assemble(arrays), kind: kind, residency: residency)
        let mapping = try full.map(network, workloads: workloads, arrayOfLayer: draft.arrayOfLayer)
        let need = BufferSizing.need(mapping, workloads: workloads, arrays: arrays, arrayOfLayer: draft.arrayOfLayer,
                                     residency: residency, dataflow: template.dataflow, ports: kind == .tile)
        let buffers = BufferSizing.sized(draft.buffers, template: template, need: need)
        // Resident weights keep their bits; the streaming part is what the smaller buffer leaves.
        let sizedResidency = residency.resized(capacityBits: buffers.first { $0.role == .weights }?.capacityBits ?? prepared.allocatedWeightBits)
        return BuiltAccelerator(accelerator: draft.assemble(arrays, buffers: buffers), arrayOfLayer: draft.arrayOfLayer,
                                residency: sizedResidency, kind: kind)
    }

    /// Binds `plan` to `network`, builds the accelerator (sizing `auto` arrays) and simulates
    /// every layer on hwsim's tile arrays.
    public static func run(network: Network, plan: QuantizationPlan, template: AcceleratorTemplate, batch: Int = 1) throws(SimulationError) -> NetworkSimulation {
        let bound = try bind(network, plan)
        let workloads = try workloads(of: bound, batch: batch)
        return try build(template: template, network: bound, workloads: workloads, batch: batch).simulate(bound, workloads: workloads, batch: batch)
    }

    /// Simulates `network` under `plan` on a SCALE-Sim R×C systolic array: every array of
    /// `template` becomes R×C with one copy (output-stationary tiles for os, weight-stationary
    /// for ws and is), compute cycles are SCALE-Sim's, and the template's buffers and DMA add
    /// the memory stalls through the common pipeline.
    public static func runSystolic(network: Network, plan: QuantizationPlan, template: AcceleratorTemplate, array: SystolicArray,
                                   batch: Int = 1) throws(SimulationError) -> NetworkSimulation {
        let bound = try bind(network, plan)
        let workloads = try workloads(of: bound, batch: batch)
        let fixed = systolicTemplate(template, array: array)
        return try build(template: fixed, network: bound, workloads: workloads, batch: batch, kind: .systolic(array))
            .simulate(bound, workloads: workloads, batch: batch)
    }

    /// `template` with every array R×C×1 and the tile dataflow that matches the systolic one.
    public static func systolicTemplate(_ template: AcceleratorTemplate, array: SystolicArray) -> AcceleratorTemplate {
        var fixed = template.withEveryArray(rows: .fixed(array.rows), cols: .fixed(array.columns), copies: .fixed(1))
        fixed.dataflow = array.dataflow == .outputStationary ? .outputStationary : .weightStationary
        return fixed
    }

    static func bind(_ network: Network, _ plan: QuantizationPlan) throws(SimulationError) -> BoundNetwork {
        do {
            return try BoundNetwork(network: network, plan: plan)
        } catch {
            throw .binding(error)
        }
    }
}
