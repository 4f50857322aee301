import HWModel
import Quantizers

/// An accelerator built for one bound network, with the array each layer runs on.
public struct BuiltAccelerator: Sendable {
    /// The accelerator, every `auto` size resolved.
    public var accelerator: Accelerator
    /// Per layer of the bound network, the index into `accelerator.arrays` of its array.
    public var arrayOfLayer: [Int?]
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

    /// Builds the accelerator `template` describes for `network`, sizing `auto` arrays with
    /// ``ArraySizingSearch``.
    public static func build(template: AcceleratorTemplate, network: BoundNetwork, workloads: [Workload], batch: Int,
                             kind: ArchitectureKind = .tile) throws(SimulationError) -> BuiltAccelerator {
        let draft = try AcceleratorBuilder.draft(template: template, network: network, batch: Int64(batch))
        let arrays = try ArraySizingSearch.choose(draft, network: network, workloads: workloads, kind: kind)
        return BuiltAccelerator(accelerator: draft.assemble(arrays), arrayOfLayer: draft.arrayOfLayer)
    }

    /// Binds `plan` to `network`, builds the accelerator (sizing `auto` arrays) and simulates
    /// every layer on hwsim's tile arrays.
    public static func run(network: Network, plan: QuantizationPlan, template: AcceleratorTemplate, batch: Int = 1) throws(SimulationError) -> NetworkSimulation {
        let bound = try bind(network, plan)
        let workloads = try workloads(of: bound, batch: batch)
        let built = try build(template: template, network: bound, workloads: workloads, batch: batch)
        return try OverlayArchitecture(accelerator: built.accelerator, kind: .tile)
            .simulate(bound, workloads: workloads, arrayOfLayer: built.arrayOfLayer, batch: batch)
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
        let built = try build(template: fixed, network: bound, workloads: workloads, batch: batch, kind: .systolic(array))
        return try OverlayArchitecture(accelerator: built.accelerator, kind: .systolic(array))
            .simulate(bound, workloads: workloads, arrayOfLayer: built.arrayOfLayer, batch: batch)
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
