import HWModel
import Quantizers

/// A stage's cycles per frame and the shape of its input and output traffic, as the pipeline
/// needs them (docs/dataflow.md §3). Every formula is FINN's `get_exp_cycles` for the node,
/// except where noted.
public struct StageTiming: Hashable, Sendable {
    /// Cycles to process one frame when never starved or blocked (the stage's initiation interval).
    public var cycles: Int64
    /// Words read per frame.
    public var inputWords: Int64
    /// Words written per frame.
    public var outputWords: Int64
    /// Input words read before the first output word leaves (at one word per cycle).
    public var fill: Int64
    /// Cycles from the last input word to the last output word.
    public var tail: Int64
    /// For a matrix or vector unit: input words read per vector and cycles per vector (its
    /// burst-read pattern, which the FIFO-coupling rule needs); 0 otherwise.
    public var wordsPerVector: Int64 = 0
    /// Cycles per input vector.
    public var cyclesPerVector: Int64 = 0

    /// The timing of `stage`. DMAs move `portBits` per word, limited to `bytesPerCycle` of DRAM bandwidth.
    ///
    /// The products here need no overflow checks: a unit's cycles are at most its layer's MACs
    /// and its words at most its tensors' elements, both counted with checked arithmetic when
    /// the network was bound.
    public static func of(_ stage: DataflowStage, bytesPerCycle: Double, portBits: Int) -> StageTiming {
        let folding = stage.folding
        let pe = Int64(max(folding.pe, 1)), simd = Int64(max(folding.simd, 1)), mmv = Int64(max(folding.mmv, 1))
        switch stage.geometry {
        case .matrix(let matrix, _, _, _):
            // MVAU: (MH/PE)·(MW/SIMD)·vectors/MMV, reading a vector's SF words while nf == 0.
            let sf = matrix.width / simd, nf = matrix.height / pe, vectors = matrix.vectors / mmv
            return StageTiming(cycles: sf * nf * vectors, inputWords: sf * vectors, outputWords: nf * vectors, fill: sf,
                               tail: (nf - 1) * sf + 1, wordsPerVector: sf, cyclesPerVector: sf * nf)
        case .vector(let channels, let kernel, let vectors, _, _, _):
            // VVAU (v0.10+): (C/PE)·(k²/SIMD)·pixels.
            let sf = kernel / simd, nf = channels / pe, count = vectors / mmv
            return StageTiming(cycles: sf * nf * count, inputWords: sf * nf * count, outputWords: nf * count, fill: sf, tail: sf,
                               wordsPerVector: sf * nf, cyclesPerVector: sf * nf)
        case .window(let window):
            return windowTiming(window, stage: stage, simd: simd)
        case .channels(let channels, let vectors, _):
            let folds = channels / pe
            switch stage.unit {
            case .globalPool:
                // GlobalAccPool: every pixel, then one word per channel fold.
                return StageTiming(cycles: vectors * folds + folds, inputWords: vectors * folds, outputWords: folds, fill: vectors * folds, tail: folds)
            case .labelSelect:
                return StageTiming(cycles: vectors * folds, inputWords: vectors * folds, outputWords: vectors, fill: folds, tail: 1)
            default:
                // Thresholding, AddStreams, DuplicateStreams: one word per cycle.
                return StageTiming(cycles: vectors * folds, inputWords: vectors * folds, outputWords: vectors * folds, fill: 1, tail: 1)
            }
        case .pooling(let window):
            let pixels = window.outputHeight * window.outputWidth
            let folds = window.channels / pe
            if stage.unit == .maxPool {
                if window.oneDimensional {
                    // StreamingMaxPool 1-D as FINN ≤ v0.7 built it: every channel of a pixel in one word,
                    // one word per cycle, W + k (FINN v0.8+'s PE-folded pool takes OW·(C/PE)·(k + 1)).
                    return StageTiming(cycles: window.inputWidth + window.kernelWidth, inputWords: window.inputWidth,
                                       outputWords: window.outputWidth, fill: window.kernelWidth, tail: 1)
                }
                // StreamingMaxPool 2-D (v0.8+): ImgDim²·(1 + 1/k²) = every input pixel plus every output pixel.
                let inputs = window.inputHeight * window.inputWidth
                return StageTiming(cycles: inputs + pixels, inputWords: inputs, outputWords: pixels,
                                   fill: (window.kernelHeight - 1) * window.inputWidth + window.kernelWidth, tail: 1)
            }
            // Pool_Batch: C·k²/PE per output pixel.
            let taps = window.kernelHeight * window.kernelWidth
            return StageTiming(cycles: folds * taps * pixels, inputWords: folds * taps * pixels, outputWords: folds * pixels, fill: taps, tail: taps)
        case .converter(let inputWords):
            // finn-hlslib StreamingDataWidthConverter_Batch: one loop at II = 1 over the larger word count.
            let bits = inputWords * stage.inputStreamBits
            let outputWords = Checked.divUp(bits, max(stage.outputStreamBits, 1))
            let ratio = max(Checked.divUp(stage.outputStreamBits, max(stage.inputStreamBits, 1)), 1)
            return StageTiming(cycles: max(inputWords, outputWords), inputWords: inputWords, outputWords: outputWords, fill: ratio, tail: 1)
        case .fifo:
            return StageTiming(cycles: 0, inputWords: 0, outputWords: 0, fill: 1, tail: 1)
        case .dma(let bits):
            // IODMA: one interface word per cycle, no faster than the DRAM bandwidth allows. FINN
            // sizes the interface gcd(frame bits, port width) so that a frame is whole words.
            let padded = Checked.divUp(bits, 8) * 8
            let words = Checked.divUp(padded, max(stage.outputStreamBits, 8))
            // A bandwidth too small to move the frame in 2^63 cycles saturates; the pipeline's checked
            // sums then report the overflow, naming the batch.
            let bandwidthCycles = bytesPerCycle.isFinite && bytesPerCycle > 0
                ? ((try? Checked.count(Double(bits) / 8 / bytesPerCycle, "DMA cycles")) ?? Int64.max / 4) : 0
            return StageTiming(cycles: max(words, bandwidthCycles), inputWords: words, outputWords: words, fill: 1, tail: 1)
        }
    }

    /// ConvolutionInputGenerator (FINN HLS 2-D, `get_exp_cycles`):
    /// IW·kh·(C/SIMD) + OH·max(OW·kw·kh·(C/SIMD)/MMV, stride·IW·(C/SIMD)); the 1-D variant
    /// 1 + OW·kw·(C/SIMD); a parallel window (SIMD covering whole pixels) reads one pixel per
    /// cycle: input words + 2 (RTL `parallel`). A down-sampler reads every pixel.
    static func windowTiming(_ window: WindowGeometry, stage: DataflowStage, simd: Int64) -> StageTiming {
        let folds = window.channels / simd
        let mmv = Int64(max(stage.folding.mmv, 1))
        let inputs = window.inputHeight * window.inputWidth * folds
        let taps = window.kernelHeight * window.kernelWidth
        let elementsOut = stage.outputStreamBits / Int64(max(stage.outputBits, 1))
        let outputs = window.outputHeight * window.outputWidth * taps * window.channels / max(elementsOut, 1)
        let lineFill = ((window.kernelHeight - 1) * window.inputWidth + window.kernelWidth) * folds
        if stage.unit == .downSampler {
            return StageTiming(cycles: inputs, inputWords: inputs, outputWords: window.outputHeight * window.outputWidth * folds,
                               fill: folds, tail: 1)
        }
        if elementsOut > simd {
            return StageTiming(cycles: inputs + 2, inputWords: inputs, outputWords: outputs, fill: lineFill, tail: 2)
        }
        if window.oneDimensional {
            let write = window.outputWidth * window.kernelWidth * folds / mmv
            return StageTiming(cycles: 1 + max(write, inputs), inputWords: inputs, outputWords: outputs, fill: lineFill, tail: window.kernelWidth * folds)
        }
        let write = window.outputWidth * taps * folds / mmv
        let read = window.strideWidth * window.inputWidth * folds
        let cycles = window.inputWidth * window.kernelHeight * folds + window.outputHeight * max(write, read)
        return StageTiming(cycles: cycles, inputWords: inputs, outputWords: outputs, fill: lineFill, tail: write)
    }
}
