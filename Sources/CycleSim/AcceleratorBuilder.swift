import HWModel

/// Builds an accelerator from a hardware config for one network and plan.
///
/// One array per (array spec, unit) the plan needs; each multiply-accumulate layer runs on
/// the first spec serving its unit's family. Fixed arrays, buffers, the vector unit, the
/// adapter unit and the DDR controllers are placed first; `auto` arrays then share what is
/// left of the utilisation budget, and each takes, among
/// the largest arrays of every allowed (rows, cols), the one that simulates its layers fastest
/// (docs/simulation.md §4). Shares go as √(MACs × lane cost), which minimises the summed time
/// of layers that run one after another.
public enum AcceleratorBuilder {
    /// The accelerator and, per multiply-accumulate layer, the index of its array.
    public struct Built: Sendable {
        /// The accelerator with every `auto` size resolved.
        public var accelerator: Accelerator
        /// Layer name → index into `accelerator.arrays`, for multiply-accumulate layers only.
        public var assignment: [String: Int]
    }

    /// Instantiates `template` for `prepared`: assigns layers to arrays and sizes the `auto` ones.
    public static func build(template: AcceleratorTemplate, prepared: PreparedNetwork) throws(SimulationError) -> Built {
        struct Request {
            var spec: ArraySpec
            var unit: ArithmeticUnit
            var name: String
            var layers: [Layer]
            var macs: Int64
        }
        var requests: [Request] = []
        var assignment: [String: Int] = [:]
        for layer in prepared.network.layers where layer.kind.isMultiplyAccumulate {
            guard let unit = prepared.units[layer.name] else { continue }
            guard let spec = template.arrays.first(where: { $0.serves(unit) }) else {
                throw .hardware(.noArrayServes(layer: layer.name, unit: unit.name, file: template.file))
            }
            let index: Int
            if let existing = requests.firstIndex(where: { $0.spec.name == spec.name && $0.unit == unit }) {
                index = existing
            } else {
                requests.append(Request(spec: spec, unit: unit, name: spec.name, layers: [], macs: 0))
                index = requests.count - 1
            }
            requests[index].layers.append(layer)
            requests[index].macs &+= prepared.macs(of: layer.name)
            assignment[layer.name] = index
        }
        // Arrays of one spec serving several units are told apart by their unit.
        for index in requests.indices where requests.filter({ $0.spec.name == requests[index].spec.name }).count > 1 {
            requests[index].name = "\(requests[index].spec.name)-\(requests[index].unit.name)"
        }

        let buffers = allocateBuffers(template)
        let vectorBits = prepared.vectorBits
        let vectorLanes = template.vectorLanes(bits: vectorBits)
        let adapterLanes = prepared.needsAdapterUnit ? template.adapterLanes : 0
        let infrastructure = Accelerator.infrastructure(template: template, buffers: buffers, vectorLanes: vectorLanes,
                                                        vectorBits: vectorBits, adapterLanes: adapterLanes)
        var remaining = template.device.usable - infrastructure.reduce(.zero) { $0 + $1.total }
        var arrays: [ComputeArray?] = Array(repeating: nil, count: requests.count)

        // Fixed arrays first.
        for (index, request) in requests.enumerated() where !request.spec.isAutoSized {
            let array: ComputeArray
            do {
                let candidates = try ArraySizing.candidates(spec: request.spec, name: request.name, unit: request.unit, dataflow: template.dataflow,
                                                            budget: remaining, maximumReduction: template.maximumReduction,
                                                            dspType: template.device.dspType, file: template.file)
                if let first = candidates.first {
                    array = first
                } else {
                    array = try ArraySizing.smallest(spec: request.spec, name: request.name, unit: request.unit, dataflow: template.dataflow,
                                                     maximumReduction: template.maximumReduction, dspType: template.device.dspType, file: template.file)
                }
            } catch {
                throw .hardware(error)
            }
            arrays[index] = array
            remaining = remaining - array.resources
        }

        // Auto arrays share the rest by MACs.
        // Sequential layers take Σ MACs_i / lanes_i; with lanes_i = share_i / cost_i that is
        // least when share_i ∝ √(MACs_i · cost_i), cost_i being a lane's budget fraction.
        let autoIndices = requests.indices.filter { requests[$0].spec.isAutoSized }
        let available = positive(remaining)
        var weights: [Int: Double] = [:]
        for index in autoIndices {
            let request = requests[index]
            let laneCost = ArraySizing.laneBudgetFraction(spec: request.spec, unit: request.unit, dataflow: template.dataflow, budget: available,
                                                          maximumReduction: template.maximumReduction, dspType: template.device.dspType)
            weights[index] = (Double(max(request.macs, 1)) * (laneCost.isFinite ? laneCost : 1)).squareRoot()
        }
        let totalWeight = weights.values.reduce(0, +)
        var draft = Accelerator(template: template, arrays: [], buffers: buffers, vectorLanes: vectorLanes,
                                vectorBits: vectorBits, adapterLanes: adapterLanes)
        let context = try SimulationContext(accelerator: draft)
        for index in autoIndices {
            let request = requests[index]
            let share = totalWeight > 0 ? (weights[index] ?? 0) / totalWeight : 1
            let budget = share * available
            let candidates: [ComputeArray]
            do {
                candidates = try ArraySizing.candidates(spec: request.spec, name: request.name, unit: request.unit, dataflow: template.dataflow,
                                                        budget: budget, maximumReduction: template.maximumReduction,
                                                        dspType: template.device.dspType, file: template.file)
            } catch {
                throw .hardware(error)
            }
            guard !candidates.isEmpty else {
                do {
                    arrays[index] = try ArraySizing.smallest(spec: request.spec, name: request.name, unit: request.unit, dataflow: template.dataflow,
                                                             maximumReduction: template.maximumReduction, dspType: template.device.dspType, file: template.file)
                } catch {
                    throw .hardware(error)
                }
                continue
            }
            var best: (array: ComputeArray, cycles: Int64)?
            for candidate in candidates {
                var cycles: Int64 = 0
                var failed = false
                for layer in request.layers {
                    do {
                        let simulated = try Simulator.simulateLayer(layer, prepared: prepared, array: candidate, arrayIndex: index, context: context)
                        cycles &+= simulated.cycles
                    } catch {
                        failed = true
                        break
                    }
                }
                if failed { continue }
                if let current = best {
                    let better = cycles < current.cycles
                        || (cycles == current.cycles && candidate.lanes > current.array.lanes)
                        || (cycles == current.cycles && candidate.lanes == current.array.lanes && candidate.geometry.rows > current.array.geometry.rows)
                    if better { best = (candidate, cycles) }
                } else {
                    best = (candidate, cycles)
                }
            }
            // When every candidate fails (a tile that fits no buffer), keep the largest so
            // that the simulation reports the error for the offending layer.
            arrays[index] = best?.array ?? candidates.max { $0.lanes < $1.lanes }
        }
        draft.arrays = arrays.compactMap { $0 }
        return Built(accelerator: draft, assignment: assignment)
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
            let share = autoCount > 0 ? max(Int((available / Double(autoCount)).rounded(.down)), 1) : 0
            for spec in specs { result.append(BufferInstance(role: spec.role, memory: memory, blocks: spec.blocks ?? share)) }
        }
        return BufferRole.allCases.compactMap { role in result.first { $0.role == role } }
    }

    static func positive(_ vector: ResourceVector) -> ResourceVector {
        ResourceVector(lut: max(vector.lut, 0), ff: max(vector.ff, 0), dsp: max(vector.dsp, 0), bram36: max(vector.bram36, 0), uram: max(vector.uram, 0))
    }
}
