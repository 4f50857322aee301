import Foundation
import HWModel
import Quantizers

/// FINN's published resource estimators, node by node (Xilinx/finn `res_estimation`;
/// docs/dataflow.md §4 gives each formula and the version it is taken from). FINN has no
/// flip-flop estimator: the FF entry stays 0 here and the structural count fills it.
enum FINNEstimates {
    static func of(_ stage: DataflowStage) -> ResourceVector {
        let folding = stage.folding
        let p = Double(max(folding.pe, 1)), q = Double(max(folding.simd, 1))
        switch stage.geometry {
        case .matrix(let matrix, let unit, let thresholds, _):
            let wmem = matrix.width * matrix.height / Int64(max(folding.pe * folding.simd, 1))
            // v0.5–v0.9's accumulator term: W + A + ⌈log2 MW⌉.
            let accumulator = unit.weightBits + unit.activationBits + ceilLog2(matrix.width)
            return unitEstimate(unit: unit, pe: p, simd: q, wmem: wmem, tmem: matrix.height / Int64(max(folding.pe, 1)), thresholds: thresholds,
                                accumulator: accumulator, folding: folding, vectorUnit: false)
        case .vector(let channels, let kernel, _, let unit, let thresholds, let accumulator):
            let wmem = kernel * channels / Int64(max(folding.pe * folding.simd, 1))
            return unitEstimate(unit: unit, pe: p, simd: q, wmem: wmem, tmem: channels / Int64(max(folding.pe, 1)), thresholds: thresholds,
                                accumulator: accumulator, folding: folding, vectorUnit: true)
        case .window(let window):
            guard stage.unit == .slidingWindow else { return .zero }
            // HLS 2-D generator: (k + stride) line buffers of IW·C/SIMD words of SIMD·A bits.
            let simd = Int64(max(folding.simd, 1))
            let depth = window.inputWidth * window.channels / simd
            let width = simd * Int64(stage.inputBits)
            let buffers = window.kernelHeight + window.strideHeight
            switch folding.ramStyle {
            case .distributed:
                return ResourceVector(lut: DataflowConstants.unitControlLUT + Double(buffers * width * Checked.divUp(depth, DataflowConstants.lutramDepth)))
            case .ultra:
                return ResourceVector(lut: DataflowConstants.unitControlLUT,
                                      uram: Double(buffers * Checked.divUp(width, 64) * Checked.divUp(depth, DataflowConstants.uramDepth)))
            case .block, .auto:
                return ResourceVector(lut: DataflowConstants.unitControlLUT,
                                      bram36: Double(buffers * Checked.divUp(width, ramWidth(depth: depth))) / 2)
            }
        case .channels(let channels, _, _):
            guard stage.unit == .thresholding else { return .zero }
            // Thresholding_hls: one comparator bit per input bit per PE, plus LUTRAM thresholds.
            let tmem = channels / Int64(max(folding.pe, 1))
            let bits = Double(stage.inputBits)
            if folding.ramStyle == .block, tmem > 1 {
                return ResourceVector(lut: bits * p, bram36: Double(Checked.divUp(Int64(stage.inputBits * folding.pe), 16) * Checked.divUp(tmem, 1024)) / 2)
            }
            let memory = tmem > 1 ? p * bits * Double(Checked.divUp(tmem, DataflowConstants.lutramDepth)) : 0
            return ResourceVector(lut: bits * p + memory)
        case .converter:
            return ResourceVector(lut: converterLUT(inBits: stage.inputStreamBits, outBits: stage.outputStreamBits))
        case .fifo(let depth):
            return fifo(depth: depth, width: stage.inputStreamBits)
        case .pooling, .dma:
            // StreamingMaxPool, Pool, IODMA: FINN estimates nothing.
            return .zero
        }
    }

    /// MVAU (v0.5–v0.9 `lut_estimation`) and VVAU (v0.10 HLS, its accumulator FINN's v0.10 bound):
    /// c0 + c1·P·(mult + adder + acc + thr + cmp) + c2, weights in BRAM by FINN's ladder.
    static func unitEstimate(unit: ArithmeticUnit, pe p: Double, simd q: Double, wmem: Int64, tmem: Int64, thresholds: Int64, accumulator: Int,
                             folding: UnitFolding, vectorUnit: Bool) -> ResourceVector {
        let w = Int64(unit.weightBits)
        let dsp = folding.resourceType == .dsp
        let mult = dsp ? 0 : q * unit.multiplierLUT
        let adder = Double(unit.productBits) * (2 * q - 1)
        let acc = Double(accumulator)
        let levels = Double(thresholds)
        let tmemWords = vectorUnit ? Double(tmem) / Double(DataflowConstants.lutramDepth) : Double(Checked.divUp(tmem, DataflowConstants.lutramDepth))
        let thr = thresholds > 0 ? levels * acc * tmemWords : 0
        let cmp = thresholds > 0 ? levels * acc : 0
        let embeddedSmall = folding.memoryMode == .embedded && wmem <= DataflowConstants.embeddedWeightsInLogicDepth
        let lutWeights = (folding.memoryMode == .decoupled && folding.ramStyle == .distributed) || embeddedSmall
        let width = Int64(p) * Int64(q) * w
        let c2 = lutWeights ? Double(width * Checked.divUp(wmem, DataflowConstants.lutramDepth)) : 0
        var result = ResourceVector(lut: (DataflowConstants.unitControlLUT + DataflowConstants.finnLUTScale * p * (mult + adder + acc + thr + cmp) + c2).rounded(.down))
        let noBRAM = (folding.memoryMode == .decoupled && (folding.ramStyle == .distributed || folding.ramStyle == .ultra)) || embeddedSmall
            || folding.memoryMode == .external || (vectorUnit && folding.ramStyle == .auto && wmem <= DataflowConstants.embeddedWeightsInLogicDepth)
        if !noBRAM {
            result.bram36 = Double(vectorUnit ? vectorLadder(depth: wmem, width: width) : MemoryPlacement.finnBRAM18(depth: wmem, width: width)) / 2
        }
        if folding.memoryMode == .decoupled && folding.ramStyle == .ultra {
            result.uram = Double(MemoryPlacement.uram(depth: wmem, width: width))
        }
        if dsp {
            result.dsp = p * q * Double(Checked.divUp(w + Int64(unit.activationBits), DataflowConstants.finnDSPBitsPerSlice))
            if vectorUnit { result.dsp = p * Double(Checked.divUp(w + Int64(unit.activationBits), DataflowConstants.finnDSPBitsPerSlice)) }
        }
        return result
    }

    /// The VVAU's BRAM ladder, whose divisors are 8/16/32 where the MVAU's are 9/18/36.
    static func vectorLadder(depth: Int64, width: Int64) -> Int64 {
        if width == 1 { return Checked.divUp(depth, 16384) }
        if width == 2 { return Checked.divUp(depth, 8192) }
        if width <= 4 { return Checked.divUp(depth, 4096) * Checked.divUp(width, 4) }
        if width <= 9 { return Checked.divUp(depth, 2048) * Checked.divUp(width, 8) }
        if width <= 18 || depth > 512 { return Checked.divUp(depth, 1024) * Checked.divUp(width, 16) }
        return Checked.divUp(depth, 512) * Checked.divUp(width, 32)
    }

    /// The sliding window's RAMB18 width for a buffer of `depth` words.
    static func ramWidth(depth: Int64) -> Int64 {
        for aspect in DataflowConstants.ramb18Aspects where depth <= aspect.depth { return aspect.width }
        return 1
    }

    /// StreamingDataWidthConverter `lut_estimation`: shift-based, LUTs tied into its control sets.
    static func converterLUT(inBits: Int64, outBits: Int64) -> Double {
        guard inBits > 0, outBits > 0 else { return 0 }
        let lcm = inBits / gcd(inBits, outBits) * outBits
        var count = 0.0, set = 0.0
        if inBits != lcm {
            count += abs(log2(Double(inBits) / Double(lcm)).rounded(.up))
            set += Double(lcm)
        }
        if lcm != outBits {
            count += abs(log2(Double(lcm) / Double(outBits)).rounded(.up))
            set += Double(outBits)
        }
        return count + set
    }

    /// StreamingFIFO: an SRL FIFO up to FINN's `max_qsrl_depth`, a block-RAM Vivado FIFO beyond.
    static func fifo(depth: Int64, width: Int64) -> ResourceVector {
        let address = 2 * Double(ceilLog2(depth))
        if depth <= DataflowConstants.maximumSRLFIFODepth {
            return ResourceVector(lut: address + Double(Checked.divUp(depth, DataflowConstants.srlDepth) * Checked.divUp(width, 2)))
        }
        return ResourceVector(lut: address, bram36: Double(MemoryPlacement.finnBRAM18(depth: depth, width: width)) / 2)
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
}
