import HWModel
import Quantizers

/// hwsim's structural resource count, unit by unit (docs/dataflow.md §5): products, ripple adder
/// trees and comparators on the carry chain, memories placed on primitives, FINN's c0 of control
/// per unit with address generation. No factor is fitted to a published build.
enum StructuralEstimates {
    static func of(_ stage: DataflowStage, dspType: DSPType) -> ResourceVector {
        let folding = stage.folding
        let pe = Int64(max(folding.pe, 1)), simd = Int64(max(folding.simd, 1))
        let a = Int64(stage.inputBits), b = Int64(stage.outputBits)
        switch stage.geometry {
        case .matrix(let matrix, let unit, let thresholds, let accumulator):
            let wmem = matrix.width * matrix.height / (pe * simd)
            return computeUnit(unit: unit, pe: pe, simd: simd, wmem: wmem, tmem: matrix.height / pe, thresholds: thresholds,
                               accumulator: Int64(accumulator), outputBits: b, inputWords: matrix.width / simd, folding: folding, dspType: dspType)
        case .vector(let channels, let kernel, _, let unit, let thresholds, let accumulator):
            let wmem = kernel * channels / (pe * simd)
            return computeUnit(unit: unit, pe: pe, simd: simd, wmem: wmem, tmem: channels / pe, thresholds: thresholds,
                               accumulator: Int64(accumulator), outputBits: b, inputWords: 1, folding: folding, dspType: dspType)
        case .window(let window):
            let control = ResourceVector(lut: DataflowConstants.unitControlLUT, ff: DataflowConstants.unitControlFF + Double(stage.outputStreamBits))
            guard stage.unit == .slidingWindow else { return control }
            // The line buffer holds kh − 1 rows and kw pixels (FINN's RTL generator's minimum depth).
            let folds = window.channels / simd
            let depth = ((window.kernelHeight - 1) * window.inputWidth + window.kernelWidth) * folds
            let buffer = UnitMemory(depth: depth, width: simd * a, count: 1, style: folding.ramStyle, constant: false)
            return control + buffer.structural
        case .channels(let channels, _, let thresholds):
            switch stage.unit {
            case .thresholding:
                // PE × (2^B − 1) comparators of the input width, the B-bit encoder, and the thresholds.
                let compare = Double(pe * thresholds * a) * DataflowConstants.carryChainLUTPerBit
                let encoder = Double(pe * adderTreeLUT(inputs: thresholds, bits: 1))
                let style = folding.ramStyle == .auto ? RAMStyle.distributed : folding.ramStyle
                let memory = UnitMemory(depth: channels / pe, width: thresholds * a, count: pe, style: style, constant: false)
                return ResourceVector(lut: compare + encoder, ff: DataflowConstants.flipFlopsPerLogicLUT * (compare + encoder) + Double(pe * b))
                    + memory.structural
            case .addStreams:
                let adders = Double(pe * b) * DataflowConstants.carryChainLUTPerBit
                return ResourceVector(lut: adders, ff: adders)
            case .globalPool:
                let adders = Double(pe * b) * DataflowConstants.carryChainLUTPerBit
                let sums = UnitMemory(depth: channels / pe, width: pe * b, count: 1, style: .distributed, constant: false)
                return ResourceVector(lut: DataflowConstants.unitControlLUT + adders, ff: DataflowConstants.unitControlFF + adders) + sums.structural
            case .labelSelect:
                let compare = Double(pe * a) * DataflowConstants.carryChainLUTPerBit
                return ResourceVector(lut: compare, ff: compare + Double(ceilLog2(channels)))
            default:
                // DuplicateStreams: wires and one output register per consumer.
                return ResourceVector(ff: 2 * Double(stage.outputStreamBits))
            }
        case .pooling(let window):
            let width = Double(stage.inputStreamBits)
            if stage.unit == .maxPool {
                // One max per element of the word, and a row of partial maxima.
                let rowWords = window.outputWidth * (window.channels / pe)
                let row = UnitMemory(depth: rowWords, width: stage.inputStreamBits, count: 1, style: .distributed, constant: false)
                return ResourceVector(lut: DataflowConstants.unitControlLUT + width, ff: DataflowConstants.unitControlFF + width) + row.structural
            }
            let accumulate = Double(stage.outputStreamBits) * DataflowConstants.carryChainLUTPerBit
            return ResourceVector(lut: DataflowConstants.unitControlLUT + accumulate, ff: DataflowConstants.unitControlFF + accumulate)
        case .converter:
            let lut = FINNEstimates.converterLUT(inBits: stage.inputStreamBits, outBits: stage.outputStreamBits)
            let lcm = stage.inputStreamBits / FINNEstimates.gcd(stage.inputStreamBits, stage.outputStreamBits) * stage.outputStreamBits
            return ResourceVector(lut: lut, ff: Double(lcm))
        case .fifo(let depth):
            return fifo(depth: depth, width: stage.inputStreamBits)
        case .dma:
            return .zero
        }
    }

    /// A FIFO: SRLC32E shift registers up to 32 words (one LUT per bit), block RAM beyond (an
    /// HLS stream deeper than that is a RAM: BNN-PYNQ's 128-deep streams show no SRLs), plus
    /// FINN's 2·⌈log2 depth⌉ address LUTs.
    static func fifo(depth: Int64, width: Int64) -> ResourceVector {
        guard depth > DataflowConstants.shallowFIFODepth else { return .zero }
        let address = 2 * Double(ceilLog2(depth))
        if depth <= DataflowConstants.srlDepth {
            return ResourceVector(lut: address + Double(width), ff: address + Double(width))
        }
        return ResourceVector(lut: address, ff: address + Double(width), bram36: Double(MemoryPlacement.aspectBRAM18(depth: depth, width: width)) / 2)
    }

    /// A matrix or vector unit: per PE, SIMD products, their adder tree, the accumulator, the
    /// threshold comparators and encoder; weights and thresholds in memories; c0 of control.
    static func computeUnit(unit: ArithmeticUnit, pe: Int64, simd: Int64, wmem: Int64, tmem: Int64, thresholds: Int64, accumulator: Int64,
                            outputBits: Int64, inputWords: Int64, folding: UnitFolding, dspType: DSPType) -> ResourceVector {
        let w = Int64(unit.weightBits)
        let packing = folding.resourceType == .dsp ? unit.macsPerDSP(dspType) : nil
        var result = ResourceVector()
        let lanes = Double(pe * simd)
        var laneLUT = productLUT(unit)
        if let packing {
            laneLUT = UnitCostConstants.dspLaneLUT
            result.dsp = dspType == .dsp58 ? Double(pe * Checked.divUp(simd, Int64(packing))) : Double(Checked.divUp(pe, Int64(packing)) * simd)
        } else if unit.multiplier == .fp32 {
            result.dsp = lanes * UnitCostConstants.fp32MultiplierDSP
        }
        let tree = Double(adderTreeLUT(inputs: simd, bits: Int64(productBits(unit))))
        let compare = Double(thresholds * accumulator)
        let encoder = Double(adderTreeLUT(inputs: thresholds, bits: 1))
        let perPE = tree + Double(accumulator) + compare + encoder
        // finn-hlslib's MVAU keeps the vector it reads in registers (`inputBuf[SF]`, partitioned
        // completely) and reads one of the SF words per cycle through a multiplexer.
        let wordBits = Double(simd * Int64(unit.activationBits) * Int64(max(folding.mmv, 1)))
        let bufferWords = Double(inputWords)
        let multiplexer = wordBits * Double(multiplexerLUT(inputs: inputWords))
        let arithmetic = Double(pe) * perPE * DataflowConstants.carryChainLUTPerBit
        let logic = lanes * laneLUT + arithmetic
        result.lut = DataflowConstants.unitControlLUT + logic + multiplexer
        // Registers after every adder, accumulator and comparator bit; a product feeds its adder
        // in the same cycle (docs/dataflow.md §5.4), so it adds none.
        result.ff = DataflowConstants.unitControlFF + DataflowConstants.flipFlopsPerLogicLUT * arithmetic + Double(pe * simd * w + pe * outputBits)
            + (inputWords > 1 ? bufferWords * wordBits : 0)
        switch folding.memoryMode {
        case .external:
            break
        case .embedded:
            result += UnitMemory(depth: wmem, width: simd * w, count: pe, style: folding.ramStyle, constant: !folding.runtimeWritableWeights).structural
        case .decoupled:
            // FINN's memory streamer is a separate memory, never folded into the unit's logic.
            result += UnitMemory(depth: wmem, width: pe * simd * w, count: 1, style: folding.ramStyle, constant: false).structural
        }
        if thresholds == 0 && outputBits < DataflowConstants.unthresholdedOutputBits(Int(accumulator)) {
            // Wider than thresholds go: the unit library's multiplier requantizer per PE.
            result += Double(pe) * ResourceVector(lut: UnitCostConstants.requantizerLUTPerAccumulatorBit * Double(accumulator),
                                                  ff: Double(accumulator), dsp: UnitCostConstants.requantizerDSP)
        }
        if thresholds > 0 {
            // FINN keeps thresholds in LUTRAM unless told otherwise (v0.9 estimator; BNN-PYNQ's builds).
            let style = folding.thresholdRAMStyle == .auto ? RAMStyle.distributed : folding.thresholdRAMStyle
            result += UnitMemory(depth: tmem, width: thresholds * accumulator, count: pe, style: style, constant: false).structural
        }
        return result
    }

    /// LUTs of one lane's product: an XNOR; a conditional negation (binary weights) or negation
    /// and zeroing (ternary) of one LUT per product bit; the unit library's multiplier otherwise
    /// (FINN-R's LUT multiplier, shifters for POT/POST/APoT).
    static func productLUT(_ unit: ArithmeticUnit) -> Double {
        switch unit.multiplier {
        case .xnor: DataflowConstants.xnorLUT
        case .signSelect, .ternary: Double(unit.activationBits + 1)
        case .fp32: UnitCostConstants.fp32MultiplierLUT + UnitCostConstants.fp32FabricAdderLUT
        default: unit.multiplierLUT
        }
    }

    /// Bits of one product entering the adder tree: 1 for an XNOR (a popcount), else the unit's.
    static func productBits(_ unit: ArithmeticUnit) -> Int {
        unit.multiplier == .xnor ? 1 : unit.productBits
    }

    /// LUT6s of an n:1 multiplexer built from 4:1 multiplexers (a LUT6 is one; each removes
    /// three inputs).
    static func multiplexerLUT(inputs: Int64) -> Int64 {
        inputs > 1 ? (inputs - 1 + 2) / 3 : 0
    }

    /// LUTs of a tree of ripple adders summing `inputs` operands of `bits` bits: each level adds
    /// pairs, one bit wider than the level before (an n-bit ripple adder is n LUTs).
    static func adderTreeLUT(inputs: Int64, bits: Int64) -> Int64 {
        var operands = inputs, width = bits, total: Int64 = 0
        while operands > 1 {
            let pairs = operands / 2
            total += pairs * width
            operands = pairs + operands % 2
            width += 1
        }
        return total
    }
}
