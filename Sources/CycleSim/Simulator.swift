import HWModel
import Quantizers

/// A network prepared for simulation: the plan resolved, costs, fusions, tensor widths and
/// each layer's unit. Building it once lets the auto-sizer and the benchmark re-simulate
/// cheaply.
public struct PreparedNetwork: Sendable {
    /// The network to simulate.
    public let network: Network
    /// The plan as given, before it is resolved per layer.
    public let plan: QuantizationPlan
    /// Layer name → resolved quantization, for every weight layer.
    public let quantization: [String: LayerQuantization]
    /// The analytic cost under the same plan, per sample (model size, MACs, storage).
    public let cost: NetworkCost
    /// Samples per run (≥ 1); it multiplies N of every GEMM.
    public let batch: Int64
    /// Layer name → the layer whose output stage absorbs it.
    public let fusions: [String: String]
    /// Layer name → bits of its output tensor as stored.
    public let tensorBits: [String: Int]
    /// Layer name → unit, for layers that multiply-accumulate.
    public let units: [String: ArithmeticUnit]
    let costByLayer: [String: LayerCost]

    /// Resolves `plan` for `network` at a batch size.
    public init(network: Network, plan: QuantizationPlan, batch: Int) throws(SimulationError) {
        guard batch > 0 else { throw .invalidBatch(batch) }
        let resolved: [String: LayerQuantization]
        do {
            resolved = try plan.resolve(for: network)
        } catch {
            throw .plan(error)
        }
        do {
            cost = try CostModel.evaluate(network, plan: plan)
        } catch {
            throw .cost(error)
        }
        self.network = network
        self.plan = plan
        self.batch = Int64(batch)
        quantization = resolved
        fusions = Lowering.fusions(in: network)
        tensorBits = Lowering.tensorBits(in: network, quantization: resolved)
        var units: [String: ArithmeticUnit] = [:]
        for layer in network.layers where layer.kind.isMultiplyAccumulate {
            if let q = resolved[layer.name] { units[layer.name] = UnitSelection.unit(for: q) }
        }
        self.units = units
        var byLayer: [String: LayerCost] = [:]
        for layerCost in cost.layers { byLayer[layerCost.layer] = layerCost }
        costByLayer = byLayer
    }

    /// Width of the data a vector-unit lane handles: the widest tensor a vector layer reads
    /// or writes, at least 8 bits; 32 means FP32 lanes.
    public var vectorBits: Int {
        var widest = 8
        for layer in network.layers where !layer.kind.hasQuantizableWeights && fusions[layer.name] == nil {
            switch layer.kind {
            case .input, .concat, .flatten, .reshape, .transpose, .identity: continue
            default: break
            }
            widest = max(widest, tensorBits[layer.name] ?? 32)
            for input in layer.inputs { widest = max(widest, tensorBits[input] ?? 32) }
        }
        return widest >= 16 ? 32 : widest
    }

    /// Whether any layer carries an ASQ adapter.
    public var needsAdapterUnit: Bool { cost.layers.contains { $0.adapter != nil } }

    /// Multiply-accumulates of a layer for the whole batch.
    func macs(of layer: String) -> Int64 { (costByLayer[layer]?.macs ?? 0) &* batch }
}

/// The simulator's entry points.
public enum Simulator {
    /// Builds the accelerator for `network` under `plan` from `template` (sizing `auto`
    /// arrays), then simulates every layer.
    public static func run(network: Network, plan: QuantizationPlan, template: AcceleratorTemplate, batch: Int = 1) throws(SimulationError) -> NetworkSimulation {
        let prepared = try PreparedNetwork(network: network, plan: plan, batch: batch)
        let built = try AcceleratorBuilder.build(template: template, prepared: prepared)
        return try simulate(prepared, on: built.accelerator, assignment: built.assignment)
    }

    /// Simulates a prepared network on a built accelerator; `assignment` maps each
    /// multiply-accumulate layer to an index of `accelerator.arrays`.
    public static func simulate(_ prepared: PreparedNetwork, on accelerator: Accelerator, assignment: [String: Int]) throws(SimulationError) -> NetworkSimulation {
        let context = try SimulationContext(accelerator: accelerator)
        var layers: [LayerSimulation] = []
        layers.reserveCapacity(prepared.network.layers.count)
        for layer in prepared.network.layers {
            let arrayIndex = assignment[layer.name]
            layers.append(try simulateLayer(layer, prepared: prepared, array: arrayIndex.map { accelerator.arrays[$0] },
                                            arrayIndex: arrayIndex, context: context))
        }
        // The network totals are sums over layers; check once here that they fit 64 bits.
        var cycles: Int64 = 0, moved: Int64 = 0, macs: Int64 = 0
        for layer in layers {
            cycles = try Checked.add(cycles, layer.cycles, "cycles of \(prepared.network.name)")
            moved = try Checked.add(moved, try Checked.add(layer.bytesLoaded, layer.bytesStored, "bytes of \(prepared.network.name)"), "bytes of \(prepared.network.name)")
            macs = try Checked.add(macs, layer.macs, "MACs of \(prepared.network.name)")
        }
        return NetworkSimulation(network: prepared.network.name, batch: Int(prepared.batch), accelerator: accelerator, layers: layers, cost: prepared.cost)
    }

    /// Simulates one layer; `array` is required for multiply-accumulate layers.
    static func simulateLayer(_ layer: Layer, prepared: PreparedNetwork, array: ComputeArray?, arrayIndex: Int?,
                              context: SimulationContext) throws(SimulationError) -> LayerSimulation {
        guard let cost = prepared.costByLayer[layer.name] else {
            // The cost model covers every layer of the network; a layer without one has no work.
            return LayerSimulation(layer: layer.name, type: layer.kind.typeName, placement: .none)
        }
        let workload = try Lowering.workload(of: layer, in: prepared.network, cost: cost, batch: prepared.batch, cols: array?.geometry.cols ?? 1,
                                             fusedInto: prepared.fusions[layer.name])
        let inputBits = layer.inputs.map { prepared.tensorBits[$0] ?? 32 }.max() ?? 32
        let outputBits = prepared.tensorBits[layer.name] ?? 32
        var result: LayerSimulation
        switch workload {
        case .gemm(let passes, let weights, let shared):
            guard let array, let arrayIndex else {
                throw .hardware(.noArrayServes(layer: layer.name, unit: prepared.units[layer.name]?.name ?? "unknown", file: context.file))
            }
            let q = prepared.quantization[layer.name]
            // The activation quantizer on the load path reads the stored tensor at the layer's input width.
            let precision = LayerPrecision(weightBits: q?.weights.bits ?? 32, inputBits: q?.activations.bits ?? inputBits, outputBits: outputBits)
            let adapterMACs = (cost.adapter?.macs ?? 0) &* prepared.batch
            result = try LayerSimulator.simulateGEMM(layer: layer.name, passes: passes, weights: weights, weightsShared: shared, array: array,
                                                     precision: precision, adapterMACs: adapterMACs, context: context)
            result.placement = .array(arrayIndex, name: array.name)
            result.unit = array.unit.name
            if let first = passes.first {
                let count = passes.reduce(Int64(0)) { $0 + $1.count }
                result.gemm = "\(first.m)×\(first.k)×\(first.n)" + (count > 1 ? " ×\(count)" : "")
            }
        case .vector(let operations, let inputElements, let outputElements, let gather):
            let input: Int = if case .embedding = layer.kind { 32 } else { inputBits }
            result = try LayerSimulator.simulateVector(layer: layer.name, operations: operations, inputElements: inputElements,
                                                       outputElements: outputElements, gatherBits: gather,
                                                       precision: LayerPrecision(weightBits: 0, inputBits: input, outputBits: outputBits), context: context)
        case .fused(let host):
            result = LayerSimulation(layer: layer.name, type: "", placement: .fused(into: host))
        case .none:
            result = LayerSimulation(layer: layer.name, type: "", placement: .none)
        }
        result.type = layer.kind.typeName
        return result
    }
}
