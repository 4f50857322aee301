import HWModel
import Quantizers

/// The DMA between DRAM and the buffers: one DDR interface, bandwidth × efficiency.
public struct DMAChannel: Hashable, Sendable {
    /// Bytes the DMA moves per accelerator clock cycle.
    public var bytesPerCycle: Double

    /// Creates a channel.
    public init(bytesPerCycle: Double) { self.bytesPerCycle = bytesPerCycle }

    /// ⌈bits / (8 × bytes per cycle)⌉.
    func cycles(_ bits: Int64, _ what: @autoclosure () -> String) throws(SimulationError) -> Int64 {
        guard bits > 0 else { return 0 }
        return try SimulationError.counting(Checked.count(Double(bits) / (8 * bytesPerCycle), what()))
    }
}

/// The timing loop (docs/simulation.md §3): runs a layer's tiles through the load/compute/store
/// pipeline, with compute cycles from the engine's compute model.
enum LayerTiming {
    /// A GEMM layer: every tile of `tiling`, compute from `model`; `vectorLanes` time the
    /// element-wise work of each pass run, `adapterLanes` the ASQ adapter before the layer.
    /// In a `warm` frame, resident weights are already on chip and are not loaded.
    static func gemm<Model: ComputeModel>(_ workload: GEMMWorkload, tiling: GEMMTiling, model: Model, dma: DMAChannel,
                                          vectorLanes: Int64, adapterLanes: Int64, warm: Bool, layer: String,
                                          closedForm: Bool = true) throws(SimulationError) -> LayerActivity {
        // Built only when a check fails: the hot path never formats it.
        func what() -> String { "layer '\(layer)'" }
        let w = Int64(workload.precision.weightBits), a = Int64(workload.precision.inputBits), o = Int64(workload.precision.outputBits)
        var state = TimingState()
        for (passNumber, pass) in tiling.passes.enumerated() {
            let m = pass.pass.m, k = pass.pass.k, n = pass.pass.n
            let (tm, tk, tn) = (pass.tileM, pass.tileK, pass.tileN)
            let (mBlocks, kBlocks, nBlocks) = (pass.mBlocks, pass.kBlocks, pass.nBlocks)
            let inputPerColumn = pass.inputPerColumn
            let passVectorCycles = Checked.divUp(pass.pass.vectorOperations, vectorLanes)
            // One K block of one (run, M block, N block).
            func kTile(_ state: inout TimingState, kb: Int64, loadPassWeights: Bool, mb: Int64, nb: Int64) throws(SimulationError) {
                let curM = min(tm, m - mb * tm)
                let curN = min(tn, n - nb * tn)
                let curK = min(tk, k - kb * tk)
                var load: Int64 = 0
                if loadPassWeights && (kBlocks > 1 || nb == 0) {
                    let bits = curM * curK * w
                    load += bits
                    state.weightBits &+= bits
                }
                if !pass.inputsResident || mb == 0 {
                    let elements = try SimulationError.counting(Checked.count(inputPerColumn * Double(curN) * Double(curK) / Double(k), "input tile of \(what())"))
                    load += elements * a
                }
                let tile = model.cycles(of: TileExtent(m: curM, k: curK, n: curN))
                state.modelCycles &+= tile.cycles
                var compute = tile.cycles, folds = tile.foldCycles
                if kb == kBlocks - 1 && mb == mBlocks - 1 && nb == nBlocks - 1 {
                    compute += passVectorCycles
                    folds += passVectorCycles
                }
                state.foldCycles &+= folds
                let store = kb == kBlocks - 1 ? curM * curN * o : 0
                state.loadedBits &+= load
                state.storedBits &+= store
                state.pipeline.push(load: try dma.cycles(load, "load of \(what())"), compute: compute, store: try dma.cycles(store, "store of \(what())"))
            }
            // The tiles of one (run, M block, N block): its K blocks. Only the first and last
            // differ (the last may be shorter and stores the outputs), so the ones between are
            // repeated in closed form too: a layer with 10^6 K blocks is not stepped tile by tile.
            func kTiles(_ state: inout TimingState, loadPassWeights: Bool, mb: Int64, nb: Int64) throws(SimulationError) {
                for segment in loopSegments(kBlocks) {
                    try state.repeating(segment.times, closedForm: closedForm, what: what()) { (state: inout TimingState) throws(SimulationError) in
                        try kTile(&state, kb: segment.index, loadPassWeights: loadPassWeights, mb: mb, nb: nb)
                    }
                }
            }
            // Runs after the first of the first pass find shared weights on chip.
            for run in loopSegments(pass.pass.count) {
                let loadPassWeights = !(warm && tiling.weightsResident) && (!tiling.sharedWeightsResident || (passNumber == 0 && run.index == 0))
                try state.repeating(run.times, closedForm: closedForm, what: what()) { (state: inout TimingState) throws(SimulationError) in
                    for block in loopSegments(mBlocks) {
                        try state.repeating(block.times, closedForm: closedForm, what: what()) { (state: inout TimingState) throws(SimulationError) in
                            for column in loopSegments(nBlocks) {
                                try state.repeating(column.times, closedForm: closedForm, what: what()) { (state: inout TimingState) throws(SimulationError) in
                                    try kTiles(&state, loadPassWeights: loadPassWeights, mb: block.index, nb: column.index)
                                }
                            }
                        }
                    }
                }
            }
        }
        // What the compute model's rounding left: run after the last tile, loading and storing nothing.
        let remainder = model.remainingCycles(afterTiles: state.modelCycles)
        if remainder > 0 {
            state.pipeline.push(load: 0, compute: remainder, store: 0)
            state.foldCycles &+= remainder
        }
        var pipeline = state.pipeline
        let (pure, loadedBits, weightBits, storedBits) = (state.foldCycles, state.loadedBits, state.weightBits, state.storedBits)
        let engineEnd = pipeline.finish()
        guard engineEnd >= 0, pipeline.busy >= 0, loadedBits >= 0, storedBits >= 0, pure >= 0 else {
            throw .overflow(CountOverflow(quantity: "cycles of \(what())"))
        }
        let macs = try workload.macs("MACs of \(what())")
        let adapterCycles = Checked.divUp(workload.adapterMACs, adapterLanes)
        var vectorOperations: Int64 = 0
        for pass in tiling.passes {
            let operations = try SimulationError.counting(Checked.mul(pass.pass.vectorOperations, pass.pass.count, "vector operations of \(what())"))
            vectorOperations = try SimulationError.counting(Checked.add(vectorOperations, operations, "vector operations of \(what())"))
        }
        return LayerActivity(
            macs: macs, vectorOperations: vectorOperations, tiles: pipeline.tiles,
            cycles: try SimulationError.counting(Checked.sum([engineEnd, model.fillCycles, adapterCycles], "cycles of \(what())")),
            idealCycles: Checked.divUp(macs, max(model.lanes, 1)), busyCycles: pure,
            stalls: Stalls(load: pipeline.loadStall, store: pipeline.storeStall, ports: pipeline.busy - pure, fill: model.fillCycles, adapter: adapterCycles),
            bytesLoaded: Checked.divUp(loadedBits, 8), weightBytesLoaded: Checked.divUp(weightBits, 8), bytesStored: Checked.divUp(storedBits, 8),
            dmaCycles: pipeline.loadCycles + pipeline.storeCycles, lanes: model.lanes)
    }

    /// A vector layer on `lanes` lanes, tile by tile.
    static func vector(_ workload: VectorWorkload, tiling: VectorTiling, lanes: Int64, dma: DMAChannel, layer: String) throws(SimulationError) -> LayerActivity {
        // Built only when a check fails: the hot path never formats it.
        func what() -> String { "layer '\(layer)'" }
        let outputs = max(workload.outputElements, 1)
        var state = TimingState()
        let full = outputs / tiling.tileOutputs, rest = outputs % tiling.tileOutputs
        // Every full tile is the same; the last may be shorter.
        for (count, times) in [(tiling.tileOutputs, full), (rest, rest > 0 ? 1 : 0)] where times > 0 {
            let load = try SimulationError.counting(Checked.count(tiling.inputBitsPerOutput * Double(count), "input of \(what())"))
            let operations = try SimulationError.counting(Checked.count(Double(workload.operations) * Double(count) / Double(outputs), "operations of \(what())"))
            let store = try SimulationError.counting(Checked.mul(count, Int64(workload.precision.outputBits), "output bits of \(what())"))
            let loadCycles = try dma.cycles(load, "load of \(what())"), storeCycles = try dma.cycles(store, "store of \(what())")
            try state.repeating(times, what: what()) { (state: inout TimingState) throws(SimulationError) in
                state.loadedBits &+= load
                state.storedBits &+= store
                state.pipeline.push(load: loadCycles, compute: Checked.divUp(operations, lanes), store: storeCycles)
            }
        }
        var pipeline = state.pipeline
        let (loaded, stored) = (state.loadedBits, state.storedBits)
        let end = pipeline.finish()
        guard end >= 0, loaded >= 0, stored >= 0 else { throw .overflow(CountOverflow(quantity: "cycles of \(what())")) }
        return LayerActivity(
            macs: 0, vectorOperations: workload.operations, tiles: pipeline.tiles, cycles: end,
            idealCycles: Checked.divUp(workload.operations, lanes), busyCycles: pipeline.busy,
            stalls: Stalls(load: pipeline.loadStall, store: pipeline.storeStall),
            bytesLoaded: Checked.divUp(loaded, 8), weightBytesLoaded: Checked.divUp(workload.gatherBits, 8), bytesStored: Checked.divUp(stored, 8),
            dmaCycles: pipeline.loadCycles + pipeline.storeCycles, lanes: lanes)
    }
}
