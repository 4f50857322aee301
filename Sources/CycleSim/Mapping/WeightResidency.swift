import HWModel
import Quantizers

/// Which layers keep their weights on chip across frames (docs/simulation.md §2).
///
/// Weights loaded once stay in the weight buffer for every later frame, as real overlays and
/// every dataflow build keep them: when the whole model fits the buffer, all of it; otherwise
/// the largest layers first into what is left after a reserve for streaming the others, which
/// then double-buffer their tiles in the rest.
public struct WeightResidency: Hashable, Sendable {
    /// Per layer of the bound network, whether its weights stay on chip.
    public let resident: [Bool]
    /// Weight bits held on chip for good.
    public let residentBits: Int64
    /// Bits of the weight buffer the streaming layers share (both halves).
    public let streamingBits: Int64

    /// Nothing resident: every layer streams its weights through the whole buffer.
    public static func none(layers: Int, capacityBits: Int64) -> WeightResidency {
        WeightResidency(resident: Array(repeating: false, count: layers), residentBits: 0, streamingBits: capacityBits)
    }

    private init(resident: [Bool], residentBits: Int64, streamingBits: Int64) {
        self.resident = resident
        self.residentBits = residentBits
        self.streamingBits = streamingBits
    }

    /// The same resident layers in a weight buffer of `capacityBits` (at least the resident bits).
    public func resized(capacityBits: Int64) -> WeightResidency {
        WeightResidency(resident: resident, residentBits: residentBits, streamingBits: max(capacityBits - residentBits, 0))
    }

    /// Whether any layer's weights stay on chip.
    public var isEmpty: Bool { residentBits == 0 }

    /// The residency of `workloads` in a weight buffer of `capacityBits`.
    ///
    /// The reserve kept for streaming is twice (double buffering) the largest smallest weight
    /// tile any non-resident layer could need on the config's largest array:
    /// min(M, max cols) × min(K, max rows) × W bits.
    public static func decide(_ workloads: [Workload], template: AcceleratorTemplate, capacityBits: Int64) -> WeightResidency {
        var bits = [Int64](repeating: 0, count: workloads.count)
        var reserve = [Int64](repeating: 0, count: workloads.count)
        let maxCols = Int64(template.arrays.map { $0.cols.fixedValue ?? $0.maximumCols }.max() ?? 1)
        let maxRows = Int64(template.arrays.map { $0.rows.fixedValue ?? $0.maximumRows }.max() ?? 1)
        for (index, workload) in workloads.enumerated() {
            guard case .gemm(let gemm) = workload else { continue }
            let w = Int64(gemm.precision.weightBits)
            // An unrepresentable weight count can never be resident; the tiler reports it.
            guard let total = try? Checked.mul(gemm.weights, w, "weights"),
                  let tile = try? Checked.product([min(gemm.m * gemm.groups, maxCols), min(gemm.k, maxRows), w, 2], "tile") else { continue }
            bits[index] = total
            reserve[index] = tile
        }
        // A total past 64 bits cannot fit any buffer: then only some layers can stay.
        if let total = try? Checked.sum(bits, "weights"), total > 0, total <= capacityBits {
            return WeightResidency(resident: bits.map { $0 > 0 }, residentBits: total, streamingBits: capacityBits - total)
        }
        let streamReserve = reserve.max() ?? 0
        var resident = [Bool](repeating: false, count: workloads.count)
        var held: Int64 = 0
        let room = capacityBits - streamReserve
        for index in bits.indices.sorted(by: { bits[$0] > bits[$1] || (bits[$0] == bits[$1] && $0 < $1) }) where bits[index] > 0 {
            if bits[index] <= room - held {
                resident[index] = true
                held += bits[index]
            }
        }
        return WeightResidency(resident: resident, residentBits: held, streamingBits: capacityBits - held)
    }
}

extension ArrayDimension {
    /// The given size, or `nil` for `auto`.
    public var fixedValue: Int? {
        if case .fixed(let value) = self { return value }
        return nil
    }
}
