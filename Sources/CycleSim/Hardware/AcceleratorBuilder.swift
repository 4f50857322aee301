import HWModel
import Quantizers

/// One array the plan needs: a spec of the hardware config running one unit, and its layers.
public struct ArrayRequest: Hashable, Sendable {
    /// The config's array description.
    public var spec: ArraySpec
    /// The unit every lane performs.
    public var unit: ArithmeticUnit
    /// The array's name in reports (the spec's, with the unit when one spec serves several).
    public var name: String
    /// Indices into the bound network's layers of the layers it runs.
    public var layers: [Int]
    /// Their multiply-accumulates, whole batch: the weight of its share of the budget.
    public var macs: Int64
}

/// An accelerator before its `auto` arrays are sized: everything a hardware config fixes, and
/// for each `auto` array the candidates its share of the budget allows.
public struct AcceleratorDraft: Sendable {
    /// The hardware config.
    public var template: AcceleratorTemplate
    /// One request per (array spec, unit) the plan needs, in the order layers first need them.
    public var requests: [ArrayRequest]
    /// Per layer of the bound network, the index of the request (array) that runs it.
    public var arrayOfLayer: [Int?]
    /// Buffers with every `auto` block count resolved to its share of the budget.
    public var buffers: [BufferInstance]
    /// One vector unit per lane width the element-wise work needs.
    public var vectorUnits: [VectorUnit]
    /// FP32 lanes of the ASQ adapter unit (0 without adapters).
    public var adapterLanes: Int
    /// Per request: the fixed array, or the candidates of an `auto` one (never empty; when no
    /// candidate fits its share, the smallest array, to be reported as not fitting).
    public var choices: [[ComputeArray]]

    /// The accelerator with `arrays[i]` for request i, and `buffers` when given.
    public func assemble(_ arrays: [ComputeArray], buffers sized: [BufferInstance]? = nil) -> Accelerator {
        precondition(arrays.count == requests.count, "one array per request")
        return Accelerator(template: template, arrays: arrays, buffers: sized ?? buffers, vectorUnits: vectorUnits, adapterLanes: adapterLanes)
    }

    /// The accelerator without arrays: buffers, DMA, vector and adapter units, for scoring candidates.
    public var infrastructureOnly: Accelerator {
        Accelerator(template: template, arrays: [], buffers: buffers, vectorUnits: vectorUnits, adapterLanes: adapterLanes)
    }
}

/// Builds an accelerator from a hardware config for one bound network (docs/simulation.md §4):
/// one array per (array spec, unit) the plan needs, each multiply-accumulate layer on the first
/// spec serving its unit's family. DDR controllers, buffers, the vector and adapter units and
/// the fixed arrays are placed first; `auto` arrays share what is left of the utilisation
/// budget as √(MACs × lane cost). Choosing among an `auto` array's candidates is a search
/// (``ArraySizingSearch``); this type never simulates.
public enum AcceleratorBuilder {
    /// Everything but the choice among `auto` candidates.
    public static func draft(template: AcceleratorTemplate, network: BoundNetwork, workloads: [Workload], batch: Int64) throws(SimulationError) -> AcceleratorDraft {
        var requests: [ArrayRequest] = []
        var arrayOfLayer = [Int?](repeating: nil, count: network.layers.count)
        for (position, bound) in network.layers.enumerated() {
            guard let unit = bound.unit else { continue }
            guard let spec = template.arrays.first(where: { $0.serves(unit) }) else {
                throw .hardware(.noArrayServes(layer: bound.name, unit: unit.name, file: template.file))
            }
            let index: Int
            if let existing = requests.firstIndex(where: { $0.spec.name == spec.name && $0.unit == unit }) {
                index = existing
            } else {
                requests.append(ArrayRequest(spec: spec, unit: unit, name: spec.name, layers: [], macs: 0))
                index = requests.count - 1
            }
            requests[index].layers.append(position)
            requests[index].macs &+= bound.cost.macs &* batch
            arrayOfLayer[position] = index
        }
        // Arrays of one spec serving several units are told apart by their unit.
        for index in requests.indices where requests.filter({ $0.spec.name == requests[index].spec.name }).count > 1 {
            requests[index].name = "\(requests[index].spec.name)-\(requests[index].unit.name)"
        }

        let buffers = allocateBuffers(template)
        let vectorUnits = VectorUnitSizing.units(for: workloads, template: template)
        let adapter = AdapterSizing.work(of: network, batch: batch)
        let fixedAdapterLanes = adapter.macs > 0 ? template.adapterLanes : 0
        let infrastructure = Accelerator.infrastructure(template: template, buffers: buffers, vectorUnits: vectorUnits,
                                                        adapterLanes: fixedAdapterLanes ?? 0)
        var remaining = template.device.usable - infrastructure.reduce(.zero) { $0 + $1.total }
        var choices = [[ComputeArray]](repeating: [], count: requests.count)
        var adapterLanes = 0
        let device = template.device
        // The smallest array a spec allows: built, and reported as not fitting, when nothing fits.
        func smallest(_ request: ArrayRequest) throws(HardwareError) -> ComputeArray {
            try ArraySizing.smallest(spec: request.spec, name: request.name, unit: request.unit, dataflow: template.dataflow,
                                     maximumReduction: template.maximumReduction, dspType: device.dspType, file: template.file)
        }
        do throws(HardwareError) {
            // Fixed arrays first.
            for (index, request) in requests.enumerated() where !request.spec.isAutoSized {
                let fitting = try ArraySizing.candidates(spec: request.spec, name: request.name, unit: request.unit, dataflow: template.dataflow,
                                                         budget: remaining, maximumReduction: template.maximumReduction,
                                                         dspType: device.dspType, file: template.file)
                let array: ComputeArray
                if let first = fitting.first { array = first } else { array = try smallest(request) }
                choices[index] = [array]
                remaining = remaining - array.resources
            }

            // Sequential layers take Σ MACs_i / lanes_i; with lanes_i = share_i / cost_i that is
            // least when share_i ∝ √(MACs_i · cost_i), cost_i being a lane's budget fraction.
            let autoIndices = requests.indices.filter { requests[$0].spec.isAutoSized }
            let available = positive(remaining)
            var weights: [Int: Double] = [:]
            for index in autoIndices {
                let request = requests[index]
                let laneCost = ArraySizing.laneBudgetFraction(spec: request.spec, unit: request.unit, dataflow: template.dataflow, budget: available,
                                                              maximumReduction: template.maximumReduction, dspType: device.dspType)
                weights[index] = (Double(max(request.macs, 1)) * (laneCost.isFinite ? laneCost : 1)).squareRoot()
            }
            // An `auto` adapter unit takes its share by the same rule.
            var adapterWeight = 0.0
            if adapter.macs > 0, fixedAdapterLanes == nil {
                adapterWeight = (Double(adapter.macs) * AdapterSizing.laneFraction(of: available)).squareRoot()
            }
            let totalWeight = weights.values.reduce(0, +) + adapterWeight
            for index in autoIndices {
                let request = requests[index]
                let share = totalWeight > 0 ? (weights[index] ?? 0) / totalWeight : 1
                let candidates = try ArraySizing.candidates(spec: request.spec, name: request.name, unit: request.unit, dataflow: template.dataflow,
                                                            budget: share * available, maximumReduction: template.maximumReduction,
                                                            dspType: device.dspType, file: template.file)
                if candidates.isEmpty { choices[index] = [try smallest(request)] } else { choices[index] = candidates }
            }
            adapterLanes = fixedAdapterLanes ?? 0
            if adapter.macs > 0, fixedAdapterLanes == nil {
                adapterLanes = AdapterSizing.lanes(for: adapter, share: totalWeight > 0 ? adapterWeight / totalWeight : 0, of: available,
                                                   budget: device.usable, arrays: choices, requests: requests)
            }
        } catch {
            throw .hardware(error)
        }
        return AcceleratorDraft(template: template, requests: requests, arrayOfLayer: arrayOfLayer, buffers: buffers, vectorUnits: vectorUnits,
                                adapterLanes: adapterLanes, choices: choices)
    }

    /// Buffers with `auto` blocks split what the budget leaves of their memory after the
    /// fixed buffers and the DDR controllers, evenly; at least one block each.
    static func allocateBuffers(_ template: AcceleratorTemplate) -> [BufferInstance] {
        let usable = template.device.usable
        var result: [BufferInstance] = []
        for memory in MemoryKind.allCases {
            let specs = template.buffers.filter { $0.memory == memory }
            var available = memory == .bram ? usable.bram36 : usable.uram
            if memory == .bram { available -= Double(template.board.ddrControllers) * UnitCostConstants.ddrControllerBRAM36 }
            for spec in specs { if let blocks = spec.blocks { available -= Double(blocks) } }
            let autoCount = specs.filter { $0.blocks == nil }.count
            // Device capacities are validated to at most 10^9 blocks, so the share converts exactly.
            let share = autoCount > 0 ? max(Int(min(max((available / Double(autoCount)).rounded(.down), 0), 1e9)), 1) : 0
            for spec in specs { result.append(BufferInstance(role: spec.role, memory: memory, blocks: spec.blocks ?? share)) }
        }
        return BufferRole.allCases.compactMap { role in result.first { $0.role == role } }
    }

    static func positive(_ vector: ResourceVector) -> ResourceVector {
        ResourceVector(lut: max(vector.lut, 0), ff: max(vector.ff, 0), dsp: max(vector.dsp, 0), bram36: max(vector.bram36, 0), uram: max(vector.uram, 0))
    }
}
