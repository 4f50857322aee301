import HWModel
import Quantizers

/// Sizing of `auto` buffers to what the mapping uses (docs/simulation.md §4): a weight buffer
/// no larger than the resident weights plus the tiles in flight, input and output buffers no
/// larger than their largest double-buffered tile — and never fewer blocks than the ports the
/// arrays read each cycle, so that the smaller buffers cost no cycles.
public enum BufferSizing {
    /// Bits and port bits per cycle each buffer needs.
    public struct Need: Hashable, Sendable {
        /// Capacity in bits, by role.
        public var bits: [BufferRole: Int64] = [:]
        /// Read bits per cycle that keep every tile unthrottled, by role.
        public var portBits: [BufferRole: Int64] = [:]

        mutating func at(least value: Int64, _ role: BufferRole) { bits[role] = max(bits[role] ?? 0, value) }
        mutating func port(least value: Int64, _ role: BufferRole) { portBits[role] = max(portBits[role] ?? 0, value) }
    }

    /// What `mapping` needs of each buffer. `ports`: whether the compute model is throttled by
    /// the buffer ports (the tile arrays); SCALE-Sim's is not.
    public static func need(_ mapping: Mapping, workloads: [Workload], arrays: [ComputeArray], arrayOfLayer: [Int?],
                            residency: WeightResidency, dataflow: Dataflow, ports: Bool) -> Need {
        var need = Need()
        need.at(least: residency.residentBits, .weights)
        for (position, layer) in mapping.layers.enumerated() {
            switch (layer.tiling, workloads[position]) {
            case (.gemm(let tiling), .gemm(let gemm)):
                guard let arrayIndex = arrayOfLayer[position] else { continue }
                let geometry = arrays[arrayIndex].geometry
                let w = Int64(gemm.precision.weightBits), a = Int64(gemm.precision.inputBits)
                for pass in tiling.passes {
                    let weightTile = pass.tileM &* pass.tileK &* w
                    if !tiling.weightsResident { need.at(least: residency.residentBits &+ 2 &* weightTile, .weights) }
                    let inputTile = bits(pass.inputPerColumn * Double(pass.tileN) * Double(pass.tileK) / Double(max(pass.pass.k, 1))) &* a
                    need.at(least: 2 &* inputTile, .inputs)
                    need.at(least: 2 &* pass.tileM &* pass.tileN &* tiling.accumulatorBits, .outputs)
                    guard ports else { continue }
                    need.port(least: Int64(geometry.rows) &* Int64(geometry.copies) &* a, .inputs)
                    switch dataflow {
                    case .weightStationary:
                        // Refilling a tile's weights within its folds: Tm·Tk·W over ⌈Tk/rows⌉·⌈⌈Tm/cols⌉·Tn/copies⌉ cycles.
                        let folds = Checked.divUp(pass.tileK, Int64(geometry.rows))
                            &* Checked.divUp(Checked.divUp(pass.tileM, Int64(geometry.cols)) &* pass.tileN, Int64(geometry.copies))
                        need.port(least: Checked.divUp(weightTile, max(folds, 1)), .weights)
                    case .outputStationary:
                        need.port(least: Int64(geometry.cols) &* w, .weights)
                    }
                }
            case (.vector(let tiling), .vector(let vector)):
                need.at(least: 2 &* bits(tiling.inputBitsPerOutput * Double(tiling.tileOutputs)), .inputs)
                need.at(least: 2 &* tiling.tileOutputs &* Int64(vector.precision.outputBits), .outputs)
            default:
                continue
            }
        }
        return need
    }

    /// A tile's bits rounded up; the tiler already fitted them to a buffer, so they are finite
    /// and far below 2^63 — the clamp only keeps the conversion total.
    static func bits(_ value: Double) -> Int64 {
        Int64(min(max(value.rounded(.up), 0), Checked.largestConvertible))
    }

    /// `allocated` with every `auto` buffer (per the template) cut to the blocks `need` asks for:
    /// enough for its bits and its ports, at least one, at most what was allocated. Buffers the
    /// config fixes keep their blocks.
    public static func sized(_ allocated: [BufferInstance], template: AcceleratorTemplate, need: Need) -> [BufferInstance] {
        allocated.map { buffer in
            guard template.buffer(buffer.role)?.blocks == nil else { return buffer }
            let bits = need.bits[buffer.role] ?? 0
            let byCapacity = Checked.divUp(max(bits, 0), buffer.memory.blockBits)
            let byPorts = Checked.divUp(max(need.portBits[buffer.role] ?? 0, 0), UnitCostConstants.memoryPortBits)
            let blocks = min(Int64(buffer.blocks), max(byCapacity, byPorts, 1))
            return BufferInstance(role: buffer.role, memory: buffer.memory, blocks: Int(blocks))
        }
    }
}
