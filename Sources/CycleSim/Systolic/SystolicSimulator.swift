import HWModel

/// One layer of a systolic run: SCALE-Sim's compute cycles plus hwsim's memory stalls.
public struct SystolicLayerRun: Hashable, Sendable {
    /// Layer name, as in the network.
    public var layer: String
    /// SCALE-Sim's compute model for the layer; `nil` for layers that are not conv or linear
    /// (they run on the vector unit, timed by the tile simulation).
    public var compute: SystolicComputeResult?
    /// The same layer in hwsim's tile-level simulation on an array of the same R×C lanes:
    /// the source of its DRAM traffic and memory stalls.
    public var tile: LayerSimulation

    /// Cycles waiting for DRAM (loads and stores) in the tile simulation.
    public var memoryStallCycles: Int64 { tile.stalls.load + tile.stalls.store }

    /// Layer cycles: SCALE-Sim's compute cycles plus the memory stalls; vector layers take
    /// their tile-simulation cycles.
    public var cycles: Int64 {
        guard let compute else { return tile.cycles }
        return Int64(compute.computeCycles) + memoryStallCycles
    }
}

/// A network on a SCALE-Sim-style systolic array.
public struct SystolicRun: Sendable {
    /// The R×C array and its dataflow.
    public var array: SystolicArray
    /// One run per layer, in network order.
    public var layers: [SystolicLayerRun]
    /// The tile simulation the memory stalls come from (accelerator, clock, model size).
    public var tileSimulation: NetworkSimulation

    /// Total cycles, layers one after another.
    public var cycles: Int64 { layers.reduce(0) { $0 &+ $1.cycles } }
    /// SCALE-Sim compute cycles of the conv and linear layers.
    public var computeCycles: Int64 { layers.reduce(0) { $0 &+ Int64($1.compute?.computeCycles ?? 0) } }
    /// DRAM stall cycles of the conv and linear layers, from the tile simulation.
    public var memoryStallCycles: Int64 { layers.reduce(0) { $0 &+ ($1.compute == nil ? 0 : $1.memoryStallCycles) } }
    /// Seconds at the template's clock: cycles / (clock MHz · 10^6).
    public var latencySeconds: Double { Double(cycles) / (tileSimulation.accelerator.template.clockMHz * 1e6) }
}

/// Runs networks on a systolic array: compute cycles from SCALE-Sim's model
/// (`SystolicCompute`), memory stalls from hwsim's tile simulation of the same layer on an
/// array of the same shape, with the template's buffers and DMA (docs/model-import.md).
public enum SystolicSimulator {
    /// Simulates `network` under `plan` on an R×C array of `template`'s device. Every array
    /// spec of the template becomes R×C with one copy; os maps to output-stationary tiles, ws
    /// and is to weight-stationary ones.
    public static func run(network: Network, plan: QuantizationPlan, template: AcceleratorTemplate,
                           array: SystolicArray, batch: Int = 1) throws(SimulationError) -> SystolicRun {
        var fixed = template
        for index in fixed.arrays.indices {
            fixed.arrays[index].rows = .fixed(array.rows)
            fixed.arrays[index].cols = .fixed(array.columns)
            fixed.arrays[index].copies = .fixed(1)
        }
        fixed.dataflow = array.dataflow == .outputStationary ? .outputStationary : .weightStationary
        let simulation = try Simulator.run(network: network, plan: plan, template: fixed, batch: batch)
        var layers: [SystolicLayerRun] = []
        for tile in simulation.layers where tile.cycles > 0 {
            guard let layer = network.layer(named: tile.layer) else { continue }
            let compute = SystolicWorkload(layer: layer, in: network).map { workload in
                SystolicCompute.run(SystolicWorkload(pixels: workload.pixels * batch, window: workload.window,
                                                     filters: workload.filters, repeats: workload.repeats), on: array)
            }
            layers.append(SystolicLayerRun(layer: tile.layer, compute: compute, tile: tile))
        }
        return SystolicRun(array: array, layers: layers, tileSimulation: simulation)
    }
}
