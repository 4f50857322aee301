import HWModel

/// What every layer's simulation shares: buffers, DMA rate, vector and adapter lanes.
public struct SimulationContext: Hashable, Sendable {
    /// The hardware config file, named in errors such as a tile that does not fit.
    public var file: String
    /// Buffer for weight tiles; a tile may use half of it (double buffering).
    public var weightBuffer: BufferInstance
    /// Buffer for input tiles; a tile may use half of it.
    public var inputBuffer: BufferInstance
    /// Buffer for output tiles and partial sums; a tile may use half of it.
    public var outputBuffer: BufferInstance
    /// DMA bytes per cycle: board bandwidth × efficiency / clock.
    public var dmaBytesPerCycle: Double
    /// Lanes of the vector unit (at least 1).
    public var vectorLanes: Int64
    /// FP32 MAC lanes of the ASQ adapter unit (at least 1, so adapter time stays finite).
    public var adapterLanes: Int64
    /// Fewest tiles a layer is cut into when its sizes allow (at least 1), so loads, compute and stores overlap.
    public var minimumTiles: Int64
    /// How the arrays map GEMMs onto their lanes, from the template.
    public var dataflow: Dataflow

    /// Creates a context from an accelerator, which must have all three buffers.
    public init(accelerator: Accelerator) throws(SimulationError) {
        guard let weights = accelerator.buffer(.weights) else { throw .missingBuffer(.weights) }
        guard let inputs = accelerator.buffer(.inputs) else { throw .missingBuffer(.inputs) }
        guard let outputs = accelerator.buffer(.outputs) else { throw .missingBuffer(.outputs) }
        let template = accelerator.template
        file = template.file
        weightBuffer = weights
        inputBuffer = inputs
        outputBuffer = outputs
        dmaBytesPerCycle = template.dmaBytesPerCycle
        vectorLanes = Int64(max(accelerator.vectorLanes, 1))
        adapterLanes = Int64(max(accelerator.adapterLanes, 1))
        minimumTiles = Int64(max(template.minimumTiles, 1))
        dataflow = template.dataflow
    }

    /// DMA cycles to move `bits`.
    func dmaCycles(_ bits: Int64) -> Int64 {
        guard bits > 0 else { return 0 }
        return Int64((Double(bits) / (8 * dmaBytesPerCycle)).rounded(.up))
    }
}

/// The bit widths a layer's data moves at.
public struct LayerPrecision: Hashable, Sendable {
    /// Bits of each weight code as stored in DRAM and loaded.
    public var weightBits: Int
    /// Bits of each input element as stored.
    public var inputBits: Int
    /// Bits of each output element as stored.
    public var outputBits: Int

    /// Creates a precision triple.
    public init(weightBits: Int, inputBits: Int, outputBits: Int) {
        self.weightBits = weightBits
        self.inputBits = inputBits
        self.outputBits = outputBits
    }
}

/// Tile-level simulation of one layer.
public enum LayerSimulator {
    /// Simulates a GEMM workload on `array`. `adapterMACs` are the ASQ adapter's MACs for
    /// the whole batch, computed before the layer starts.
    public static func simulateGEMM(layer: String, passes: [GEMMPass], weights: Int64, weightsShared: Bool, array: ComputeArray,
                                     precision: LayerPrecision, adapterMACs: Int64, context: SimulationContext) throws(SimulationError) -> LayerSimulation {
        let g = array.geometry
        let rows = Int64(g.rows), cols = Int64(g.cols), copies = Int64(g.copies)
        let w = Int64(precision.weightBits), a = Int64(precision.inputBits), o = Int64(precision.outputBits)
        let acc = Int64(array.unit.multiplier == .fp32 ? 32 : array.unit.accumulatorBits(maximumReduction: array.maximumReduction))
        let ws = context.dataflow == .weightStationary
        let wHalf = context.weightBuffer.halfCapacityBits
        let iHalf = context.inputBuffer.halfCapacityBits
        let oHalf = context.outputBuffer.halfCapacityBits
        let what = "layer '\(layer)'"

        // Buffer-port throttles (≥ 1): how many cycles one fold step takes for the buffers to keep up.
        let inputBitsPerStep = rows * copies * a
        let inputThrottle = max(Checked.divUp(inputBitsPerStep, context.inputBuffer.portBitsPerCycle), 1)
        let weightThrottle = ws ? 1 : max(Checked.divUp(cols * w, context.weightBuffer.portBitsPerCycle), 1)

        var pipeline = Pipeline()
        var result = LayerSimulation(layer: layer, type: "", placement: .none)
        var pure: Int64 = 0
        var loadedBits: Int64 = 0
        var weightBits: Int64 = 0
        var storedBits: Int64 = 0
        let totalWeightBits = try Checked.mul(weights, w, "weight bits of \(what)")
        let sharedResident = weightsShared && totalWeightBits <= wHalf
        let totalPasses = passes.reduce(Int64(0)) { $0 + $1.count }
        var passIndex: Int64 = 0

        for pass in passes {
            let m = pass.m, k = pass.k, n = pass.n
            // Weight tile: as much of M as fits with the whole K, else split K in multiples of rows.
            let minTm = min(m, cols)
            let kGranule = ws ? min(rows, k) : 1
            var tk = k
            if try Checked.mul(minTm * k, w, "weights of \(what)") > wHalf {
                tk = (wHalf / max(minTm * w, 1)) / kGranule * kGranule
                guard tk >= 1 else {
                    throw .tileDoesNotFit(layer: layer, buffer: .weights, neededBits: minTm * kGranule * w, halfCapacityBits: wHalf, file: context.file)
                }
            }
            let kBlocks = Checked.divUp(k, tk)
            var tm = min(m, max((wHalf / max(tk * w, 1)) / cols * cols, minTm))
            if tm < 1 { tm = minTm }

            // Output-column tile: what the input and output halves hold.
            let inputPerColumn = Double(pass.inputElements) / Double(max(n, 1))
            let kShare = Double(tk) / Double(k)
            let byInput = Int64((Double(iHalf) / max(inputPerColumn * kShare * Double(a), 1e-9)).rounded(.down))
            let byOutput = oHalf / max(tm * acc, 1)
            let nGranule = ws ? 1 : rows
            var tn = min(n, byInput, byOutput)
            guard tn >= 1 else {
                let inputNeed = Int64((inputPerColumn * kShare * Double(a)).rounded(.up))
                if byInput < 1 {
                    throw .tileDoesNotFit(layer: layer, buffer: .inputs, neededBits: inputNeed, halfCapacityBits: iHalf, file: context.file)
                }
                throw .tileDoesNotFit(layer: layer, buffer: .outputs, neededBits: tm * acc, halfCapacityBits: oHalf, file: context.file)
            }
            if tn >= nGranule { tn = tn / nGranule * nGranule }
            // Cut more tiles when there are fewer than the minimum, so that loads, compute and
            // stores overlap: along M when the pass's weights outweigh its inputs (their loads
            // then spread over the tiles), else along N.
            var mBlocks = Checked.divUp(m, tm)
            let passWeightBits = try Checked.mul(m * k, w, "weight bits of \(what)")
            let passInputBitsTotal = try Checked.mul(pass.inputElements, a, "input bits of \(what)")
            var existing = try Checked.mul(totalPasses, mBlocks * kBlocks * Checked.divUp(n, tn), "tiles of \(what)")
            if existing < context.minimumTiles && passWeightBits >= passInputBitsTotal && !sharedResident {
                let target = min(Checked.divUp(context.minimumTiles, try Checked.mul(totalPasses, kBlocks * Checked.divUp(n, tn), "tiles of \(what)")), Checked.divUp(m, cols))
                if target > mBlocks {
                    tm = max(Checked.divUp(Checked.divUp(m, target), cols) * cols, min(m, cols))
                    mBlocks = Checked.divUp(m, tm)
                }
                existing = try Checked.mul(totalPasses, mBlocks * kBlocks * Checked.divUp(n, tn), "tiles of \(what)")
            }
            if existing < context.minimumTiles {
                let target = Checked.divUp(context.minimumTiles, try Checked.mul(totalPasses, mBlocks * kBlocks, "tiles of \(what)"))
                let split = Checked.divUp(Checked.divUp(n, target), nGranule) * nGranule
                tn = max(min(tn, split), 1)
            }
            let nBlocks = Checked.divUp(n, tn)
            let inputsResident = passInputBitsTotal <= iHalf
            let passVectorCycles = Checked.divUp(pass.vectorOperations, context.vectorLanes)

            for _ in 0..<pass.count {
                let loadPassWeights = !sharedResident || passIndex == 0
                for mb in 0..<mBlocks {
                    let curM = min(tm, m - mb * tm)
                    for nb in 0..<nBlocks {
                        let curN = min(tn, n - nb * tn)
                        for kb in 0..<kBlocks {
                            let curK = min(tk, k - kb * tk)
                            var load: Int64 = 0
                            if loadPassWeights && (kBlocks > 1 || nb == 0) {
                                let bits = curM * curK * w
                                load += bits
                                weightBits += bits
                            }
                            if !inputsResident || mb == 0 {
                                load += Int64((inputPerColumn * Double(curN) * Double(curK) / Double(k)).rounded(.up)) * a
                            }
                            var compute: Int64
                            var ideal: Int64
                            if ws {
                                // Each K fold deals its (M fold, column) items to the copies.
                                let items = Checked.divUp(curM, cols) * curN
                                ideal = Checked.divUp(curK, rows) * Checked.divUp(items, copies)
                                let refill = Checked.divUp(curM * curK * w, context.weightBuffer.portBitsPerCycle)
                                compute = max(ideal * inputThrottle, refill)
                            } else {
                                // Each copy owns a cols × rows block of outputs and streams K through it.
                                let items = Checked.divUp(curM, cols) * Checked.divUp(curN, rows)
                                ideal = Checked.divUp(items, copies) * curK
                                compute = ideal * max(inputThrottle, weightThrottle)
                            }
                            if kb == kBlocks - 1 && mb == mBlocks - 1 && nb == nBlocks - 1 {
                                compute += passVectorCycles
                                ideal += passVectorCycles
                            }
                            pure &+= ideal
                            let store = kb == kBlocks - 1 ? curM * curN * o : 0
                            loadedBits &+= load
                            storedBits &+= store
                            pipeline.push(load: context.dmaCycles(load), compute: compute, store: context.dmaCycles(store))
                        }
                    }
                }
                passIndex += 1
            }
        }
        let engineEnd = pipeline.finish()
        guard engineEnd >= 0, pipeline.busy >= 0, loadedBits >= 0, storedBits >= 0 else { throw .overflow("cycles of \(what)") }

        var macs: Int64 = 0
        for pass in passes {
            macs = try Checked.add(macs, try Checked.mul(try Checked.mul(pass.m * pass.k, pass.n, "MACs of \(what)"), pass.count, "MACs of \(what)"), "MACs of \(what)")
        }
        let adapterCycles = Checked.divUp(adapterMACs, context.adapterLanes)
        result.macs = macs
        result.vectorOperations = passes.reduce(0) { $0 + $1.vectorOperations * $1.count }
        result.tiles = pipeline.tiles
        result.busyCycles = pure
        result.stalls = Stalls(load: pipeline.loadStall, store: pipeline.storeStall, ports: pipeline.busy - pure,
                               fill: array.pipelineLatency, adapter: adapterCycles)
        result.cycles = try Checked.add(engineEnd, array.pipelineLatency + adapterCycles, "cycles of \(what)")
        result.lanes = array.lanes
        result.idealCycles = Checked.divUp(macs, max(array.lanes, 1))
        result.bytesLoaded = Checked.divUp(loadedBits, 8)
        result.weightBytesLoaded = Checked.divUp(weightBits, 8)
        result.bytesStored = Checked.divUp(storedBits, 8)
        result.dmaCycles = pipeline.loadCycles + pipeline.storeCycles
        result.bound = result.dmaCycles > pipeline.busy ? .memory : .compute
        return result
    }

    /// Simulates element-wise work on the vector unit, tiled by the input and output buffers.
    public static func simulateVector(layer: String, operations: Int64, inputElements: Int64, outputElements: Int64, gatherBits: Int64,
                                      precision: LayerPrecision, context: SimulationContext) throws(SimulationError) -> LayerSimulation {
        let what = "layer '\(layer)'"
        let outputs = max(outputElements, 1)
        let perOutputIn = Double(inputElements) / Double(outputs) * Double(precision.inputBits) + Double(gatherBits) / Double(outputs)
        let byInput = Int64((Double(context.inputBuffer.halfCapacityBits) / max(perOutputIn, 1e-9)).rounded(.down))
        let byOutput = context.outputBuffer.halfCapacityBits / Int64(max(precision.outputBits, 1))
        var tile = min(outputs, byInput, byOutput)
        guard tile >= 1 else {
            if byInput < 1 {
                throw .tileDoesNotFit(layer: layer, buffer: .inputs, neededBits: Int64(perOutputIn.rounded(.up)), halfCapacityBits: context.inputBuffer.halfCapacityBits, file: context.file)
            }
            throw .tileDoesNotFit(layer: layer, buffer: .outputs, neededBits: Int64(precision.outputBits), halfCapacityBits: context.outputBuffer.halfCapacityBits, file: context.file)
        }
        tile = max(min(tile, Checked.divUp(outputs, context.minimumTiles)), 1)
        var pipeline = Pipeline()
        var loaded: Int64 = 0
        var stored: Int64 = 0
        var start: Int64 = 0
        while start < outputs {
            let count = min(tile, outputs - start)
            let load = Int64((perOutputIn * Double(count)).rounded(.up))
            let compute = Checked.divUp(Int64((Double(operations) * Double(count) / Double(outputs)).rounded(.up)), context.vectorLanes)
            let store = try Checked.mul(count, Int64(precision.outputBits), "output bits of \(what)")
            loaded &+= load
            stored &+= store
            pipeline.push(load: context.dmaCycles(load), compute: compute, store: context.dmaCycles(store))
            start += count
        }
        let end = pipeline.finish()
        guard end >= 0, loaded >= 0, stored >= 0 else { throw .overflow("cycles of \(what)") }
        var result = LayerSimulation(layer: layer, type: "", placement: .vectorUnit)
        result.vectorOperations = operations
        result.tiles = pipeline.tiles
        result.cycles = end
        result.busyCycles = pipeline.busy
        result.idealCycles = Checked.divUp(operations, context.vectorLanes)
        result.stalls = Stalls(load: pipeline.loadStall, store: pipeline.storeStall)
        result.lanes = context.vectorLanes
        result.bytesLoaded = Checked.divUp(loaded, 8)
        result.weightBytesLoaded = Checked.divUp(gatherBits, 8)
        result.bytesStored = Checked.divUp(stored, 8)
        result.dmaCycles = pipeline.loadCycles + pipeline.storeCycles
        result.bound = result.dmaCycles > pipeline.busy ? .memory : .compute
        return result
    }
}
