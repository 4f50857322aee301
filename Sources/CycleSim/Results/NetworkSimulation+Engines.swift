/// Cycles per engine of an overlay run: where the time goes when layers run one after another.
public enum EngineShare: Hashable, Sendable {
    /// The array at this index of `Accelerator.arrays` (its layers' cycles, adapter time excluded).
    case array(Int)
    /// The vector unit with lanes of this many bits.
    case vectorUnit(bits: Int)
    /// The ASQ adapter unit, before the layers it serves.
    case adapterUnit
}

extension NetworkSimulation {
    /// Cycles each engine accounts for, in the order engines first appear; they add up to the
    /// cycles of the layers.
    public var cyclesByEngine: [(engine: EngineShare, cycles: Int64)] {
        var result: [(engine: EngineShare, cycles: Int64)] = []
        func add(_ engine: EngineShare, _ cycles: Int64) {
            guard cycles > 0 else { return }
            if let index = result.firstIndex(where: { $0.engine == engine }) { result[index].cycles &+= cycles } else { result.append((engine, cycles)) }
        }
        for layer in layers {
            switch layer.engine {
            case .array(let index):
                add(.array(index), layer.cycles &- layer.stalls.adapter)
                add(.adapterUnit, layer.stalls.adapter)
            case .vectorUnit(let bits):
                add(.vectorUnit(bits: bits), layer.cycles)
            case .fused, .none, .dataflow:
                // A dataflow pipeline's stages overlap; it has no per-engine time to share out.
                continue
            }
        }
        return result
    }

    /// The engine taking more than half of the cycles, if one does.
    public var dominantEngine: (engine: EngineShare, fraction: Double)? {
        let total = cyclesByEngine.reduce(Int64(0)) { $0 &+ $1.cycles }
        guard total > 0, let top = cyclesByEngine.max(by: { $0.cycles < $1.cycles }) else { return nil }
        let fraction = Double(top.cycles) / Double(total)
        return fraction > 0.5 ? (top.engine, fraction) : nil
    }
}
