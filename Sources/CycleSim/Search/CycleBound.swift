import HWModel
import Quantizers

/// The terms of a layer's lower bound on one candidate that no DMA rate changes.
public struct BoundTerms: Hashable, Sendable {
    /// Compute cycles the folds need at least.
    var compute: Double
    /// Bits the DDR interface moves at least.
    var bits: Double
    /// Cycles every layer pays besides: fill and adapter.
    var fixed: Double
}

extension OverlayArchitecture {
    /// The lower bound of `terms` at this architecture's DMA rate.
    func cyclesLowerBound(_ terms: BoundTerms) -> Int64? {
        // A margin below the exact quotient absorbs the rounding of the Doubles.
        let memory = (terms.bits / (8 * dma.bytesPerCycle) * (1 - 1e-9)).rounded(.down)
        let bound = (max(terms.compute, memory) + terms.fixed) * (1 - 1e-12)
        // A bound past 64 bits is no bound: the candidate is then never skipped.
        return try? Checked.count(max(bound, 0), rounding: .down, "cycle bound")
    }

    /// ``boundTerms(_:at:on:)`` at this architecture's DMA rate.
    func cyclesLowerBound(_ gemm: GEMMWorkload, at position: Int, on array: ComputeArray) -> Int64? {
        boundTerms(gemm, at: position, on: array).flatMap(cyclesLowerBound)
    }

    /// The terms of a lower bound on the steady-state cycles of GEMM layer `position` on
    /// `array`, from the geometry alone (no tiling): what lets ``ArraySizingSearch`` skip
    /// candidates that cannot win. Every term is one the timing loop (docs/simulation.md §3) can only exceed:
    ///
    /// * compute — the tiles' folds are at least ⌈K/rows⌉ · ⌈⌈M/cols⌉ · N / copies⌉
    ///   (weight-stationary) or K · ⌈⌈M/cols⌉ · ⌈N/rows⌉ / copies⌉ (output-stationary) per pass
    ///   run, since a sum of ceilings is at least the ceiling of the sum; each fold takes the
    ///   port throttle, a weight-stationary pass at least its weight refill M · K · W / port
    ///   bits, and the last tile of a run its vector work;
    /// * memory — the one DDR interface moves at least the weights not yet on chip, the input
    ///   once and the output once;
    ///
    /// the larger of the two, plus the fill and the adapter, which every layer pays. `nil` for
    /// compute models without a closed form here (systolic: no pruning).
    func boundTerms(_ gemm: GEMMWorkload, at position: Int, on array: ComputeArray) -> BoundTerms? {
        guard kind == .tile else { return nil }
        let model = ArrayComputeModel(array: array, dataflow: accelerator.template.dataflow, buffers: buffers, precision: gemm.precision)
        let g = array.geometry
        let rows = Int64(g.rows), cols = Int64(g.cols), copies = Int64(max(g.copies, 1))
        let w = Double(gemm.precision.weightBits), a = Double(gemm.precision.inputBits), o = Double(gemm.precision.outputBits)
        let vectorLanes = vectorLanes(forData: gemm.precision.outputBits)
        let resident = isResident(position)
        // Doubles: a bound only needs to be low, and cannot overflow on the way.
        var compute = 0.0, bits = 0.0
        for (index, pass) in Tiler.passes(gemm, cols: g.cols).enumerated() {
            let m = pass.m, k = pass.k, n = pass.n
            let mFolds = Double(Checked.divUp(m, cols))
            let perRun: Double
            switch model.dataflow {
            case .weightStationary:
                let folds = Double(Checked.divUp(k, rows)) * (mFolds * Double(n) / Double(copies)).rounded(.up)
                perRun = max(folds * Double(model.inputThrottle), (Double(m) * Double(k) * w / Double(model.weightPortBits)).rounded(.up))
            case .outputStationary:
                let folds = Double(k) * (mFolds * Double(Checked.divUp(n, rows)) / Double(copies)).rounded(.up)
                perRun = folds * Double(max(model.inputThrottle, model.weightThrottle))
            }
            let runs = Double(pass.count)
            compute += runs * (perRun + Double(Checked.divUp(pass.vectorOperations, vectorLanes)))
            // Shared weights (LSTM steps) may load once for the layer; resident ones not at all.
            let weightRuns = resident ? 0 : (gemm.weightsShared ? (index == 0 ? 1 : 0) : runs)
            bits += weightRuns * Double(m) * Double(k) * w + runs * (Double(pass.inputElements) * a + Double(m) * Double(n) * o)
        }
        let adapter = Double(Checked.divUp(gemm.adapterMACs, adapterLanes))
        return BoundTerms(compute: compute, bits: bits, fixed: Double(model.fillCycles) + adapter)
    }
}
