import HWModel
import Quantizers

/// The vector units an accelerator needs: one per lane width its element-wise work uses
/// (docs/simulation.md §4), so that an FP32 tail does not slow a 1-bit pool.
enum VectorUnitSizing {
    /// Element-wise operations per lane width (8 to 15-bit integer, or 32 for FP32 lanes).
    static func operations(of workloads: [Workload]) -> [Int: Int64] {
        var byWidth: [Int: Int64] = [:]
        for workload in workloads {
            switch workload {
            case .vector(let vector):
                byWidth[VectorUnit.laneBits(forData: vector.dataBits), default: 0] &+= max(vector.operations, 1)
            case .gemm(let gemm) where gemm.vectorOperationsPerStep > 0:
                byWidth[VectorUnit.laneBits(forData: gemm.precision.outputBits), default: 0] &+= gemm.vectorOperationsPerStep &* gemm.steps
            default:
                continue
            }
        }
        return byWidth
    }

    /// The units, narrowest first: `vector_unit.lanes` lanes each when the config fixes it;
    /// otherwise the units share `vector_unit.lut_share` of the LUT budget as
    /// √(operations × lane LUTs) — the split that minimises Σ operations / lanes — each taking
    /// the largest power of two of lanes its share holds (at least one).
    static func units(for workloads: [Workload], template: AcceleratorTemplate) -> [VectorUnit] {
        let operations = operations(of: workloads)
        let widths = operations.keys.sorted()
        if let fixed = template.vectorLanes { return widths.map { VectorUnit(bits: $0, lanes: fixed) } }
        let laneLUT = widths.map { max(Accelerator.vectorLane(bits: $0).lut, 1) }
        let weights = zip(widths, laneLUT).map { (Double(operations[$0.0] ?? 1) * $0.1).squareRoot() }
        let total = weights.reduce(0, +)
        let share = template.vectorLUTShare * template.device.usable.lut
        return widths.indices.map { index in
            let allowed = share * (total > 0 ? weights[index] / total : 1) / laneLUT[index]
            var lanes = 1
            while lanes < 1 << 30, Double(lanes * 2) <= allowed { lanes *= 2 }
            return VectorUnit(bits: widths[index], lanes: lanes)
        }
    }
}

/// Sizing of the ASQ adapter unit from its work (docs/simulation.md §4).
enum AdapterSizing {
    /// The adapters' multiply-accumulates for the whole batch, and the most any one layer has.
    struct Work {
        var macs: Int64
        var largestLayer: Int64
    }

    static func work(of network: BoundNetwork, batch: Int64) -> Work {
        var work = Work(macs: 0, largestLayer: 0)
        for layer in network.layers {
            guard let macs = layer.cost.adapter?.macs else { continue }
            work.macs &+= macs &* batch
            work.largestLayer = max(work.largestLayer, macs &* batch)
        }
        return work
    }

    /// One FP32 adapter lane's largest fraction of `budget`: its cost when units share a budget.
    static func laneFraction(of budget: ResourceVector) -> Double {
        var fraction = 0.0
        for kind in ResourceKind.allCases where Accelerator.adapterLane[kind] > 0 {
            fraction = max(fraction, budget[kind] > 0 ? Accelerator.adapterLane[kind] / budget[kind] : .infinity)
        }
        return fraction.isFinite ? fraction : 1
    }

    /// Lanes for an `auto` adapter unit. With `auto` arrays it takes its √ share of the budget,
    /// like them. With fixed arrays only, it takes the lanes the same optimum gives relative to
    /// them — lanes_a = lanes_arrays · √((MACs_a / MACs_arrays) · (cost_arrays / cost_a)), the
    /// condition under which a lane's marginal cycles saved per resource are equal — within
    /// what the budget leaves. Never more lanes than the largest layer's adapter MACs, nor fewer
    /// than one.
    static func lanes(for work: Work, share: Double, of available: ResourceVector, budget: ResourceVector, arrays: [[ComputeArray]],
                      requests: [ArrayRequest]) -> Int {
        let fits = Accelerator.adapterLane.copies(within: available)
        var lanes: Int
        if requests.contains(where: { $0.spec.isAutoSized }) {
            lanes = Accelerator.adapterLane.copies(within: share * available)
        } else {
            let fixed = arrays.compactMap(\.first)
            let arrayLanes = Double(fixed.reduce(Int64(0)) { $0 + $1.lanes })
            let arrayMACs = Double(max(requests.reduce(Int64(0)) { $0 &+ $1.macs }, 1))
            // Per-lane costs as fractions of the whole budget, so that both sides compare alike.
            let used = fixed.reduce(ResourceVector.zero) { $0 + $1.resources }
            var arrayCost = 0.0
            for kind in ResourceKind.allCases where budget[kind] > 0 {
                arrayCost = max(arrayCost, used[kind] / (max(arrayLanes, 1) * budget[kind]))
            }
            let ratio = (Double(work.macs) / arrayMACs * arrayCost / laneFraction(of: budget)).squareRoot()
            lanes = ratio.isFinite ? Int(min(max(arrayLanes * ratio, 1), Double(fits))) : 1
        }
        return Int(max(1, min(Int64(lanes), work.largestLayer)))
    }
}
