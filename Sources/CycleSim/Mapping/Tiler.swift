import HWModel
import Quantizers

/// What the tiler needs to know of the buffers and the tiling policy.
public struct TileBudget: Hashable, Sendable {
    /// Bits half of the weight buffer's streaming part holds (what resident weights leave).
    public var weightHalfBits: Int64
    /// Bits half of the input buffer holds.
    public var inputHalfBits: Int64
    /// Bits half of the output buffer holds.
    public var outputHalfBits: Int64
    /// Fewest tiles a layer is cut into when its sizes allow (≥ 1).
    public var minimumTiles: Int64
    /// The hardware config, named when a tile does not fit.
    public var file: String

    /// The budget of an accelerator's buffers.
    public init(buffers: BufferSet, minimumTiles: Int, file: String) {
        weightHalfBits = buffers.weights.halfCapacityBits
        inputHalfBits = buffers.inputs.halfCapacityBits
        outputHalfBits = buffers.outputs.halfCapacityBits
        self.minimumTiles = Int64(max(minimumTiles, 1))
        self.file = file
    }
}

/// The pure tiler (docs/simulation.md §2): GEMM and vector workloads → tiles that fit the buffers.
public enum Tiler {
    /// Passes of a GEMM workload on an array `cols` wide: groups narrower than the array are
    /// packed side by side across its columns (⌊cols / M_g⌋ per pass).
    public static func passes(_ workload: GEMMWorkload, cols: Int) -> [GEMMPass] {
        let groups = workload.groups
        let mPerGroup = workload.m
        let perPass = mPerGroup < Int64(cols) ? max(min(groups, Int64(cols) / mPerGroup), 1) : 1
        let full = groups / perPass
        let rest = groups % perPass
        // Products stay below m · groups and inputs · groups, which the lowering checked.
        func pass(packing packed: Int64, runs: Int64) -> GEMMPass {
            GEMMPass(m: mPerGroup * packed, k: workload.k, n: workload.n, count: runs * workload.steps,
                     inputElements: workload.inputElementsPerGroup * packed, vectorOperations: workload.vectorOperationsPerStep)
        }
        var passes: [GEMMPass] = []
        if full > 0 { passes.append(pass(packing: perPass, runs: full)) }
        if rest > 0 { passes.append(pass(packing: rest, runs: 1)) }
        return passes
    }

    /// Tiles of a GEMM workload on `array` (weight tile, column tile, extra cuts so that
    /// loads, compute and stores overlap). Weights that stay resident are on chip whole, so
    /// only the input and output buffers bound their tiles.
    public static func tile(_ workload: GEMMWorkload, layer: String, on array: ComputeArray, dataflow: Dataflow,
                            budget: TileBudget, weightsResident: Bool = false) throws(SimulationError) -> GEMMTiling {
        let g = array.geometry
        let rows = Int64(g.rows), cols = Int64(g.cols)
        let w = Int64(workload.precision.weightBits), a = Int64(workload.precision.inputBits)
        let acc = Int64(array.unit.multiplier == .fp32 ? 32 : array.unit.accumulatorBits(maximumReduction: array.maximumReduction))
        let ws = dataflow == .weightStationary
        // Resident weights are on chip whole: no weight-buffer bound (a quarter of Int64.max keeps products finite).
        let wHalf = weightsResident ? Int64.max / 4 : budget.weightHalfBits
        let iHalf = budget.inputHalfBits, oHalf = budget.outputHalfBits
        // Built only when a check fails: the hot path never formats it.
        func what() -> String { "layer '\(layer)'" }
        let passes = passes(workload, cols: g.cols)
        let totalWeightBits = try SimulationError.counting(Checked.mul(workload.weights, w, "weight bits of \(what())"))
        let sharedResident = weightsResident || (workload.weightsShared && totalWeightBits <= wHalf)
        let totalPasses = passes.reduce(Int64(0)) { $0 + $1.count }
        var tilings: [PassTiling] = []
        for pass in passes {
            let m = pass.m, k = pass.k, n = pass.n
            // Weight tile: as much of M as fits with the whole K, else split K in multiples of rows.
            let minTm = min(m, cols)
            let kGranule = ws ? min(rows, k) : 1
            var tk = k
            let fullKBits = try SimulationError.counting(Checked.product([minTm, k, w], "weights of \(what())"))
            if fullKBits > wHalf {
                tk = (wHalf / max(minTm * w, 1)) / kGranule * kGranule
                guard tk >= 1 else {
                    throw .tileDoesNotFit(layer: layer, buffer: .weights, neededBits: minTm * kGranule * w, halfCapacityBits: wHalf, file: budget.file)
                }
            }
            let kBlocks = Checked.divUp(k, tk)
            var tm = min(m, max((wHalf / max(tk * w, 1)) / cols * cols, minTm))
            if tm < 1 { tm = minTm }

            // Output-column tile: what the input and output halves hold.
            let inputPerColumn = Double(pass.inputElements) / Double(max(n, 1))
            let kShare = Double(tk) / Double(k)
            let columnInputBits = inputPerColumn * kShare * Double(a)
            let byInput = try SimulationError.counting(Checked.count(Double(iHalf) / max(columnInputBits, 1e-9), rounding: .down, "input tile of \(what())"))
            let byOutput = oHalf / max(tm * acc, 1)
            let nGranule = ws ? 1 : rows
            var tn = min(n, byInput, byOutput)
            guard tn >= 1 else {
                if byInput < 1 {
                    let need = try SimulationError.counting(Checked.count(columnInputBits, "input tile of \(what())"))
                    throw .tileDoesNotFit(layer: layer, buffer: .inputs, neededBits: need, halfCapacityBits: iHalf, file: budget.file)
                }
                throw .tileDoesNotFit(layer: layer, buffer: .outputs, neededBits: tm * acc, halfCapacityBits: oHalf, file: budget.file)
            }
            if tn >= nGranule { tn = tn / nGranule * nGranule }
            // Cut more tiles when there are fewer than the minimum, so that loads, compute and
            // stores overlap: along M when the pass's weights outweigh its inputs (their loads
            // then spread over the tiles), else along N.
            var mBlocks = Checked.divUp(m, tm)
            let passWeightBits = try SimulationError.counting(Checked.product([m, k, w], "weight bits of \(what())"))
            let passInputBits = try SimulationError.counting(Checked.mul(pass.inputElements, a, "input bits of \(what())"))
            func tiles(_ mb: Int64, _ nb: Int64) throws(SimulationError) -> Int64 {
                try SimulationError.counting(Checked.product([totalPasses, mb, kBlocks, nb], "tiles of \(what())"))
            }
            var existing = try tiles(mBlocks, Checked.divUp(n, tn))
            if existing < budget.minimumTiles && passWeightBits >= passInputBits && !sharedResident {
                let target = min(Checked.divUp(budget.minimumTiles, try tiles(1, Checked.divUp(n, tn))), Checked.divUp(m, cols))
                if target > mBlocks {
                    tm = max(Checked.divUp(Checked.divUp(m, target), cols) * cols, min(m, cols))
                    mBlocks = Checked.divUp(m, tm)
                }
                existing = try tiles(mBlocks, Checked.divUp(n, tn))
            }
            if existing < budget.minimumTiles {
                let target = Checked.divUp(budget.minimumTiles, try tiles(mBlocks, 1))
                let split = Checked.divUp(Checked.divUp(n, target), nGranule) * nGranule
                tn = max(min(tn, split), 1)
            }
            tilings.append(PassTiling(pass: pass, tileM: tm, tileK: tk, tileN: tn, inputsResident: passInputBits <= iHalf))
        }
        return GEMMTiling(passes: tilings, sharedWeightsResident: sharedResident, weightsResident: weightsResident,
                          accumulatorBits: acc)
    }

    /// Tiles of a vector workload: as many outputs as the input and output halves hold, cut
    /// into at least the minimum number of tiles.
    public static func tile(_ workload: VectorWorkload, layer: String, budget: TileBudget) throws(SimulationError) -> VectorTiling {
        // Built only when a check fails: the hot path never formats it.
        func what() -> String { "layer '\(layer)'" }
        let outputs = max(workload.outputElements, 1)
        let perOutputIn = Double(workload.inputElements) / Double(outputs) * Double(workload.precision.inputBits)
            + Double(workload.gatherBits) / Double(outputs)
        let byInput = try SimulationError.counting(Checked.count(Double(budget.inputHalfBits) / max(perOutputIn, 1e-9), rounding: .down, "input tile of \(what())"))
        let byOutput = budget.outputHalfBits / Int64(max(workload.precision.outputBits, 1))
        let tile = min(outputs, byInput, byOutput)
        guard tile >= 1 else {
            if byInput < 1 {
                let need = try SimulationError.counting(Checked.count(perOutputIn, "input tile of \(what())"))
                throw .tileDoesNotFit(layer: layer, buffer: .inputs, neededBits: need, halfCapacityBits: budget.inputHalfBits, file: budget.file)
            }
            throw .tileDoesNotFit(layer: layer, buffer: .outputs, neededBits: Int64(workload.precision.outputBits), halfCapacityBits: budget.outputHalfBits, file: budget.file)
        }
        return VectorTiling(tileOutputs: max(min(tile, Checked.divUp(outputs, budget.minimumTiles)), 1), inputBitsPerOutput: perOutputIn)
    }
}
