import HWModel
import Quantizers

/// One tile of a GEMM as a compute engine sees it.
public struct TileExtent: Hashable, Sendable {
    /// Output rows in the tile.
    public var m: Int64
    /// Reduction length in the tile.
    public var k: Int64
    /// Output columns in the tile.
    public var n: Int64
}

/// Cycles an engine spends on one tile.
public struct TileCycles: Hashable, Sendable {
    /// Cycles the engine is busy with the tile, buffer-port throttling included.
    public var cycles: Int64
    /// Cycles without the port throttling (folds × cycles per fold).
    public var foldCycles: Int64
}

/// The compute seam (docs/simulation.md §3): how many cycles an engine needs for a tile. One
/// implementation per dataflow, behind one interface (SCALE-Sim's lesson), all feeding the same
/// load/compute/store pipeline.
///
/// Implementations: ``ArrayComputeModel`` (the tile arrays' weight- and output-stationary
/// closed forms) and ``SystolicComputeModel`` (SCALE-Sim's os/ws/is).
public protocol ComputeModel: Sendable {
    /// Multiply lanes: the engine's peak MACs per cycle.
    var lanes: Int64 { get }
    /// Cycles paid once per layer for operands to reach the results (pipeline fill).
    var fillCycles: Int64 { get }
    /// Cycles of one tile; they depend on its extent alone, so identical tiles take identical
    /// cycles and repeated work can be timed in closed form.
    func cycles(of tile: TileExtent) -> TileCycles
    /// Cycles the layer still owes once every tile has run with `tileCycles` in total: 0 for
    /// models whose tiles add up to the layer, the rounding left over for models that share a
    /// layer-wide count out over the tiles.
    func remainingCycles(afterTiles tileCycles: Int64) -> Int64
}

/// A tile array's closed forms (docs/simulation.md §2):
/// * weight-stationary: ⌈Tk/rows⌉ K folds, each dealing ⌈Tm/cols⌉·Tn items to the copies;
///   the weight buffer must also refill Tm·Tk·W bits within the tile;
/// * output-stationary: each copy owns a cols × rows block of outputs and streams K through it.
/// A fold step takes longer when the input buffer's ports cannot deliver rows·copies·A bits a
/// cycle (or, output-stationary, the weight ports cols·W bits).
public struct ArrayComputeModel: ComputeModel {
    /// The array's sizes.
    public let geometry: ArrayGeometry
    /// How GEMMs map onto its lanes.
    public let dataflow: Dataflow
    /// Cycles one fold step takes for the input buffer to keep up (≥ 1).
    public let inputThrottle: Int64
    /// Cycles one fold step takes for the weight buffer to keep up (≥ 1; 1 weight-stationary).
    public let weightThrottle: Int64
    /// Weight-buffer read bits per cycle.
    public let weightPortBits: Int64
    /// Bits of one weight code.
    public let weightBits: Int64
    /// The array's pipeline latency.
    public let fillCycles: Int64

    /// The model of `array` reading from `buffers` at `precision`.
    public init(array: ComputeArray, dataflow: Dataflow, buffers: BufferSet, precision: LayerPrecision) {
        let g = array.geometry
        geometry = g
        self.dataflow = dataflow
        weightBits = Int64(precision.weightBits)
        weightPortBits = buffers.weights.portBitsPerCycle
        inputThrottle = max(Checked.divUp(Int64(g.rows) * Int64(g.copies) * Int64(precision.inputBits), buffers.inputs.portBitsPerCycle), 1)
        weightThrottle = dataflow == .weightStationary ? 1 : max(Checked.divUp(Int64(g.cols) * weightBits, weightPortBits), 1)
        fillCycles = array.pipelineLatency
    }

    /// rows × cols × copies.
    public var lanes: Int64 { geometry.lanes }
    /// The tiles' closed forms are the layer's cycles.
    public func remainingCycles(afterTiles tileCycles: Int64) -> Int64 { 0 }

    /// The closed form of the dataflow.
    public func cycles(of tile: TileExtent) -> TileCycles {
        let rows = Int64(geometry.rows), cols = Int64(geometry.cols), copies = Int64(geometry.copies)
        switch dataflow {
        case .weightStationary:
            // Each K fold deals its (M fold, column) items to the copies.
            let items = Checked.divUp(tile.m, cols) * tile.n
            let folds = Checked.divUp(tile.k, rows) * Checked.divUp(items, copies)
            let refill = Checked.divUp(tile.m * tile.k * weightBits, weightPortBits)
            return TileCycles(cycles: max(folds * inputThrottle, refill), foldCycles: folds)
        case .outputStationary:
            // Each copy owns a cols × rows block of outputs and streams K through it.
            let items = Checked.divUp(tile.m, cols) * Checked.divUp(tile.n, rows)
            let folds = Checked.divUp(items, copies) * tile.k
            return TileCycles(cycles: folds * max(inputThrottle, weightThrottle), foldCycles: folds)
        }
    }
}

/// SCALE-Sim's compute model behind the seam: the layer's compute cycles are SCALE-Sim's
/// (``SystolicCompute``), shared out over hwsim's tiles in proportion to their MACs, rounded
/// down, with what the rounding leaves run after the last tile, so that they sum to
/// SCALE-Sim's figure exactly; memory stalls come from the common pipeline.
public struct SystolicComputeModel: ComputeModel {
    /// SCALE-Sim's figures for the whole layer.
    public let layer: SystolicComputeResult
    /// Multiply-accumulates of the whole layer, the denominator of each tile's share.
    public let layerMACs: Int64

    /// The model of `workload` (one layer, batch included) on `array`.
    public init(workload: SystolicWorkload, on array: SystolicArray) {
        layer = SystolicCompute.run(workload, on: array)
        layerMACs = Int64(max(workload.macs, 1))
    }

    /// R × C PEs.
    public var lanes: Int64 { Int64(layer.array.peCount) }
    /// SCALE-Sim's cycles per fold already include the fill and drain.
    public var fillCycles: Int64 { 0 }
    /// ⌊C · tile MACs / layer MACs⌋, C being SCALE-Sim's layer cycles (exact in 128 bits).
    public func cycles(of tile: TileExtent) -> TileCycles {
        let product = Int64(layer.computeCycles).multipliedFullWidth(by: min(tile.m * tile.k * tile.n, layerMACs))
        let cycles = layerMACs.dividingFullWidth(product).quotient
        return TileCycles(cycles: cycles, foldCycles: cycles)
    }

    /// C minus what the tiles took: the rounding, less than one cycle per tile.
    public func remainingCycles(afterTiles tileCycles: Int64) -> Int64 { max(Int64(layer.computeCycles) - tileCycles, 0) }
}
