import CycleSim
import HWModel
import Quantizers

/// Folding searches for the dataflow architecture (docs/dataflow.md §7): the cheapest folding
/// reaching a frame rate (`--target-fps`), FINN's SetFolding rule for comparison, and the fastest
/// folding within the device's utilisation budget (`--fit`). Every candidate is scored by the
/// evaluator (``DataflowArchitecture/evaluate(key:in:folding:)``); nothing here models hardware.
public struct FoldingSearch: Sendable {
    /// One scored folding of one layer's units.
    public struct Candidate: Hashable, Sendable {
        /// The folding.
        public var folding: UnitFolding
        /// Cycles per frame of the layer's slowest unit.
        public var cycles: Int64
        /// Resources of its units under the architecture's model.
        public var resources: ResourceVector
    }

    /// The architecture scoring candidates.
    public let architecture: DataflowArchitecture
    /// The graph searched over.
    public let graph: DataflowGraph
    /// Per folding key, every legal candidate in increasing cycles, and the index of the
    /// cheapest candidate among the first i + 1 (so a target's cheapest is one binary search).
    let candidates: [(key: String, sorted: [Candidate], cheapestUpTo: [Int])]

    /// Scores every legal (PE, SIMD) of every layer once. `base` supplies the memory styles and
    /// modes each candidate keeps (its FIFO depths are dropped: hwsim sizes the FIFOs of the
    /// folding it finds).
    public init(architecture: DataflowArchitecture, graph: DataflowGraph, base: Folding = Folding()) throws(SimulationError) {
        self.architecture = architecture
        self.graph = graph
        let model = architecture.options.resourceModel
        let budget = architecture.template.device.usable
        let ultra = budget.uram > 0
        var all: [(key: String, sorted: [Candidate], cheapestUpTo: [Int])] = []
        // Layers alike in everything but their names (a repeated block's) have the same
        // candidates: each distinct layer is scored once.
        var scoredAlike: [LayerSignature: (sorted: [Candidate], cheapestUpTo: [Int])] = [:]
        for key in graph.keys {
            let signature = LayerSignature(nodes: graph.nodes(ofKey: key).map(LayerSignature.Node.init), base: base[key])
            if let known = scoredAlike[signature] {
                all.append((key, known.sorted, known.cheapestUpTo))
                continue
            }
            var scored: [Candidate] = []
            for folding in Self.foldings(of: key, in: graph, base: base[key], ultraRAM: ultra) {
                // A candidate the evaluator rejects (a SIMD the window cannot feed) is not legal.
                guard let result = try? architecture.evaluate(key: key, in: graph, folding: folding) else { continue }
                scored.append(Candidate(folding: folding, cycles: result.cycles, resources: result.resources.value(model)))
            }
            guard !scored.isEmpty else {
                throw .dataflow(.invalidFolding(layer: key, reason: "no legal folding found", source: nil))
            }
            func cost(_ r: ResourceVector) -> [Double] { Self.costKey(r, budget: budget) }
            scored.sort { a, b in
                a.cycles != b.cycles ? a.cycles < b.cycles : cost(a.resources).lexicographicallyPrecedes(cost(b.resources))
            }
            var cheapest: [Int] = []
            for index in scored.indices {
                if let previous = cheapest.last, !cost(scored[index].resources).lexicographicallyPrecedes(cost(scored[previous].resources)) {
                    cheapest.append(previous)
                } else {
                    cheapest.append(index)
                }
            }
            all.append((key, scored, cheapest))
            scoredAlike[signature] = (scored, cheapest)
        }
        candidates = all
    }

    /// What a layer's candidates depend on: its nodes' units, geometry and widths, and the base
    /// folding's memory choices — not the layer's name or position.
    struct LayerSignature: Hashable {
        struct Node: Hashable {
            var unit: DataflowUnit
            var geometry: StageGeometry
            var inputBits: Int
            var outputBits: Int
            var consumerOfWindow: DataflowUnit?

            init(_ node: DataflowNode) {
                unit = node.unit
                geometry = node.geometry
                inputBits = node.inputBits
                outputBits = node.outputBits
                consumerOfWindow = node.consumerOfWindow
            }
        }

        var nodes: [Node]
        var base: UnitFolding
    }

    /// Candidates scored, over all layers.
    public var candidateCount: Int { candidates.reduce(0) { $0 + $1.sorted.count } }

    /// What "cheaper" means: the smaller sum of each resource's share of its budget (so a
    /// layer trades LUTs, flip-flops, block RAM, UltraRAM and DSPs at the rate the device has
    /// them, and a memory goes where it takes the smaller share), then fewer LUTs.
    static func costKey(_ r: ResourceVector, budget: ResourceVector) -> [Double] {
        var share = 0.0
        for kind in ResourceKind.allCases where r[kind] > 0 {
            share += budget[kind] > 0 ? r[kind] / budget[kind] : r[kind] * 1e6
        }
        return [(share * 1e9).rounded() / 1e9, r.lut.rounded()]
    }

    /// Every (PE, SIMD) of a layer's units: divisors of its dimensions (FINN's `divisors`); with
    /// `ultraRAM`, a matrix or vector unit whose weights `base` leaves to `auto` also in UltraRAM.
    static func foldings(of key: String, in graph: DataflowGraph, base: UnitFolding, ultraRAM: Bool = false) -> [UnitFolding] {
        let nodes = graph.nodes(ofKey: key)
        guard let primary = nodes.last(where: { $0.unit != .slidingWindow && $0.unit != .downSampler }) ?? nodes.last else { return [] }
        var peValues: [Int64] = [1], simdValues: [Int64] = [1]
        switch primary.geometry {
        case .matrix(let matrix, _, _, _):
            peValues = divisorList(matrix.height)
            simdValues = divisorList(matrix.width)
        case .vector(let channels, let kernel, _, _, _, _):
            peValues = divisorList(channels)
            simdValues = divisorList(kernel)
        case .channels(let channels, _, _):
            peValues = divisorList(channels)
        case .pooling(let window):
            peValues = primary.unit == .maxPool ? [1] : divisorList(window.channels)
        default:
            break
        }
        // Memory alternatives the search may choose where the base leaves them to `auto`: weights
        // in UltraRAM, and thresholds in block RAM or UltraRAM (8-bit thresholds, 255 per channel,
        // are costly in LUTRAM).
        let compute = primary.unit == .matrix || primary.unit == .vector
        var styles: [(weights: RAMStyle, thresholds: RAMStyle)] = [(base.ramStyle, base.thresholdRAMStyle)]
        if compute, ultraRAM, base.ramStyle == .auto { styles.append((.ultra, base.thresholdRAMStyle)) }
        let thresholdStyles: [RAMStyle] = ultraRAM ? [.block, .ultra] : [.block]
        if compute && base.thresholdRAMStyle == .auto && Self.hasThresholds(primary) {
            styles += thresholdStyles.flatMap { style in styles.map { ($0.weights, style) } }
        } else if primary.unit == .thresholding && base.ramStyle == .auto {
            styles += thresholdStyles.map { ($0, base.thresholdRAMStyle) }
        }
        var result: [UnitFolding] = []
        result.reserveCapacity(peValues.count * simdValues.count * styles.count)
        for style in styles {
        for pe in peValues {
            for simd in simdValues {
                var folding = base
                folding.ramStyle = style.weights
                folding.thresholdRAMStyle = style.thresholds
                folding.pe = Int(pe)
                folding.simd = Int(simd)
                folding.mmv = 1
                folding.windowSIMD = nil
                // FIFO depths belong to the folding they were sized for; hwsim sizes them anew.
                folding.inputFIFODepth = nil
                folding.outputFIFODepth = nil
                folding.windowInputFIFODepth = nil
                result.append(folding)
            }
        }
        }
        return result
    }

    static func hasThresholds(_ node: DataflowNode) -> Bool {
        switch node.geometry {
        case .matrix(_, _, let count, _), .vector(_, _, _, _, let count, _): count > 0
        default: false
        }
    }

    static func divisorList(_ n: Int64) -> [Int64] {
        var result: [Int64] = []
        var d: Int64 = 1
        while d * d <= n {
            if n % d == 0 { result.append(d); if d * d != n { result.append(n / d) } }
            d += 1
        }
        return result.sorted()
    }

    /// The cheapest candidate of each layer whose cycles are at most `target`; a layer that
    /// cannot reach it takes its fastest candidate.
    public func cheapest(targetCycles target: Int64) -> (folding: Folding, cycles: Int64, resources: ResourceVector) {
        var folding = Folding()
        var cycles: Int64 = 0
        var total = ResourceVector.zero
        for entry in candidates {
            let chosen = Self.pick(entry.sorted, entry.cheapestUpTo, target: target)
            folding[entry.key] = chosen.folding
            cycles = max(cycles, chosen.cycles)
            total += chosen.resources
        }
        return (folding, cycles, total)
    }

    static func pick(_ sorted: [Candidate], _ cheapestUpTo: [Int], target: Int64) -> Candidate {
        var low = 0, high = sorted.count - 1, found = -1
        while low <= high {
            let middle = (low + high) / 2
            if sorted[middle].cycles <= target { found = middle; low = middle + 1 } else { high = middle - 1 }
        }
        return found >= 0 ? sorted[cheapestUpTo[found]] : sorted[0]
    }

    /// The cheapest folding whose every layer reaches `frames` per second at the template's
    /// clock, then relaxed as FINN's two-pass SetFolding does: every layer re-chosen at the
    /// interval actually reached, so layers faster than the bottleneck get cheaper.
    public func reaching(framesPerSecond frames: Double) -> (folding: Folding, cycles: Int64, resources: ResourceVector) {
        let target = (try? Checked.count(architecture.template.clockMHz * 1e6 / max(frames, 1e-9), rounding: .down, "cycles per frame")) ?? Int64.max / 4
        let first = cheapest(targetCycles: max(target, 1))
        return cheapest(targetCycles: max(first.cycles, target))
    }

    /// The fastest folding that fits the device's utilisation budget with the shell, converters
    /// and FIFOs of a full simulation: a binary search over the intervals layers can reach
    /// (cheaper foldings never need more resources at a looser interval); at each, the layers'
    /// cheapest candidates, repaired when together they overspend a resource
    /// (``repaired(targetCycles:budget:shell:)``). The result is checked by simulating it.
    /// `nil` when even the slowest folding does not fit.
    public func fastestFitting(_ bound: BoundNetwork, batch: Int = 1) throws(SimulationError) -> (folding: Folding, simulation: DataflowSimulation)? {
        let budget = architecture.template.device.usable
        let shell = architecture.shell
        var intervals = Array(Set(candidates.flatMap { $0.sorted.map(\.cycles) })).sorted()
        let floor = candidates.map { $0.sorted[0].cycles }.max() ?? 0
        intervals = intervals.filter { $0 >= floor }
        func fitting(_ interval: Int64) -> Folding? { repaired(targetCycles: interval, budget: budget, shell: shell) }
        var low = 0, high = intervals.count - 1, found = -1
        while low <= high {
            let middle = (low + high) / 2
            if fitting(intervals[middle]) != nil {
                found = middle
                high = middle - 1
            } else {
                low = middle + 1
            }
        }
        guard found >= 0 else { return nil }
        for index in found..<intervals.count {
            guard let folding = fitting(intervals[index]) else { continue }
            let simulation = try architecture.simulate(bound, graph: graph, folding: folding, batch: batch)
            if simulation.simulation.hardware.usage.fitsBudget { return (folding, simulation) }
        }
        return nil
    }

    /// The cheapest folding at `target`, repaired to fit `budget` (with `shell`) if it does not:
    /// while a resource is over, the one layer change (to another candidate reaching the target)
    /// that frees the most of the overspent resources per share of the others' remaining slack
    /// is made — block RAM traded for UltraRAM or LUTRAM, LUTs for memory. `nil` when no change
    /// helps.
    func repaired(targetCycles target: Int64, budget: ResourceVector, shell: ResourceVector) -> Folding? {
        var choice: [Candidate] = candidates.map { Self.pick($0.sorted, $0.cheapestUpTo, target: target) }
        var total = choice.reduce(shell) { $0 + $1.resources }
        guard !total.fits(within: budget) else { return folding(of: choice) }
        // Per layer, the cheapest candidate of each memory placement that reaches the target:
        // what a repair trades between.
        let options: [[Candidate]] = candidates.map { entry in
            var best: [String: (cost: [Double], candidate: Candidate)] = [:]
            for candidate in entry.sorted where candidate.cycles <= target {
                let placement = "\(candidate.folding.ramStyle.rawValue)/\(candidate.folding.thresholdRAMStyle.rawValue)"
                let cost = Self.costKey(candidate.resources, budget: budget)
                if best[placement].map({ cost.lexicographicallyPrecedes($0.cost) }) ?? true { best[placement] = (cost, candidate) }
            }
            return best.keys.sorted().compactMap { best[$0]?.candidate }
        }
        // No repair can fit a resource that even every layer's smallest use of it overspends:
        // answering that up front keeps a search over a deep network from making its 4·L changes
        // (each weighing every layer) at every interval the binary search tries.
        for kind in ResourceKind.allCases where total[kind] > budget[kind] + 1e-6 {
            let least = options.reduce(shell[kind]) { sum, alternatives in sum + (alternatives.map { $0.resources[kind] }.min() ?? 0) }
            if least > budget[kind] + 1e-6 { return nil }
        }
        for _ in 0..<(Self.repairSteps * max(candidates.count, 1)) {
            let over = ResourceKind.allCases.filter { total[$0] > budget[$0] + 1e-6 }
            if over.isEmpty { break }
            var best: (score: Double, layer: Int, candidate: Candidate)?
            for (layer, alternatives) in options.enumerated() {
                let current = choice[layer].resources
                for candidate in alternatives {
                    let delta = candidate.resources - current
                    var freed = 0.0, spent = 0.0
                    for kind in ResourceKind.allCases {
                        if over.contains(kind) {
                            freed -= delta[kind] / max(budget[kind], 1)
                        } else if delta[kind] > 0 {
                            spent += delta[kind] / max(budget[kind] - total[kind], 1e-9)
                        }
                    }
                    guard freed > 1e-12 else { continue }
                    let score = freed / (spent + 1e-9)
                    if score > (best?.score ?? 0) { best = (score, layer, candidate) }
                }
            }
            guard let best else { return nil }
            total = total - choice[best.layer].resources + best.candidate.resources
            choice[best.layer] = best.candidate
        }
        guard total.fits(within: budget) else { return nil }
        return folding(of: choice)
    }

    /// The folding of one candidate per layer.
    func folding(of choice: [Candidate]) -> Folding {
        var folding = Folding()
        for (entry, chosen) in zip(candidates, choice) { folding[entry.key] = chosen.folding }
        return folding
    }

    /// Changes per layer a repair may make before it gives up.
    static let repairSteps = 4

    /// FINN's SetFolding (`set_folding.py`) at `target` cycles: per layer, SIMD grows over the
    /// divisors of MW until the layer is faster than the target or W·SIMD would exceed 36, then PE
    /// over the divisors of MH; per-channel units grow PE. For comparison with ``cheapest(targetCycles:)``.
    public func setFolding(targetCycles target: Int64) -> Folding {
        var folding = Folding()
        for entry in candidates {
            let byFolding = Dictionary(entry.sorted.map { (Pair($0.folding), $0) }, uniquingKeysWith: { first, _ in first })
            let simds = Array(Set(entry.sorted.map(\.folding.simd))).sorted()
            let pes = Array(Set(entry.sorted.map(\.folding.pe))).sorted()
            let weightBits = Self.weightBits(of: entry.key, in: graph)
            var pe = pes.first ?? 1, simd = simds.first ?? 1
            func cycles(_ pe: Int, _ simd: Int) -> Int64? { byFolding[Pair(pe: pe, simd: simd)]?.cycles }
            for candidate in simds {
                guard cycles(pe, candidate) != nil else { continue }
                let previous = simd
                simd = candidate
                if let value = cycles(pe, simd), value < target { break }
                if weightBits * simd > DataflowConstants.setFoldingWeightWidthMaximum { simd = previous; break }
            }
            for candidate in pes {
                guard let value = cycles(candidate, simd) else { continue }
                pe = candidate
                if value < target { break }
            }
            folding[entry.key] = byFolding[Pair(pe: pe, simd: simd)]?.folding ?? entry.sorted[0].folding
        }
        return folding
    }

    struct Pair: Hashable {
        var pe: Int, simd: Int
        init(pe: Int, simd: Int) { self.pe = pe; self.simd = simd }
        init(_ folding: UnitFolding) { pe = folding.pe; simd = folding.simd }
    }

    static func weightBits(of key: String, in graph: DataflowGraph) -> Int {
        for node in graph.nodes(ofKey: key) {
            switch node.geometry {
            case .matrix(_, let unit, _, _), .vector(_, _, _, let unit, _, _): return unit.weightBits
            default: continue
            }
        }
        return 0
    }
}
