import HWModel

/// The kinds of streaming unit a dataflow pipeline is built from, named as FINN names its nodes.
public enum DataflowUnit: String, Hashable, Sendable, CaseIterable {
    /// Matrix–vector unit (conv/linear): FINN `MVAU` (`StreamingFCLayer_Batch`, `MatrixVectorActivation`).
    case matrix = "MVAU"
    /// Vector–vector unit (depthwise conv): FINN `VVAU`.
    case vector = "VVAU"
    /// Sliding-window unit: FINN `ConvolutionInputGenerator`.
    case slidingWindow = "ConvolutionInputGenerator"
    /// A 1×1 window with stride: FINN `DownSampler`.
    case downSampler = "DownSampler"
    /// Multi-threshold activation not folded into a matrix unit: FINN `Thresholding`.
    case thresholding = "Thresholding"
    /// Max pooling with kernel = stride: FINN `StreamingMaxPool`.
    case maxPool = "StreamingMaxPool"
    /// Pooling over a sliding window (other strides, average): FINN `Pool`.
    case pool = "Pool"
    /// Global average pooling: FINN `GlobalAccPool`.
    case globalPool = "GlobalAccPool"
    /// Element-wise sum of two streams: FINN `AddStreams`.
    case addStreams = "AddStreams"
    /// Copies a stream to several consumers: FINN `DuplicateStreams`.
    case duplicateStreams = "DuplicateStreams"
    /// Arg-max over the classes (softmax at inference): FINN `LabelSelect`.
    case labelSelect = "LabelSelect"
    /// Changes the stream width: FINN `StreamingDataWidthConverter`.
    case widthConverter = "StreamingDataWidthConverter"
    /// A FIFO between stages: FINN `StreamingFIFO`.
    case fifo = "StreamingFIFO"
    /// Reads the frame from DRAM: FINN `IODMA` (input).
    case inputDMA = "IODMA_in"
    /// Writes the result to DRAM: FINN `IODMA` (output).
    case outputDMA = "IODMA_out"
}

/// A matrix unit's problem: MW × MH weights applied to `vectors` input vectors per frame.
public struct MatrixGeometry: Hashable, Sendable {
    /// Matrix width (fan-in, K of the GEMM).
    public var width: Int64
    /// Matrix height (fan-out, M of the GEMM).
    public var height: Int64
    /// Input vectors per frame (output pixels, N of the GEMM without the batch).
    public var vectors: Int64
}

/// A sliding window: a C × H × W input (padding included) read by a kh × kw kernel.
public struct WindowGeometry: Hashable, Sendable {
    /// Channels.
    public var channels: Int64
    /// Input height and width, padding included.
    public var inputHeight: Int64, inputWidth: Int64
    /// Kernel extent.
    public var kernelHeight: Int64, kernelWidth: Int64
    /// Stride.
    public var strideHeight: Int64, strideWidth: Int64
    /// Output extent.
    public var outputHeight: Int64, outputWidth: Int64
    /// Whether every channel has its own window (depthwise).
    public var depthwise: Bool
    /// Whether the feature map is one-dimensional (height 1).
    public var oneDimensional: Bool { inputHeight == 1 && kernelHeight == 1 }
}

/// What one stage computes, by unit.
public enum StageGeometry: Hashable, Sendable {
    /// A matrix unit with its arithmetic, thresholds and accumulator.
    case matrix(MatrixGeometry, unit: ArithmeticUnit, thresholds: Int64, accumulatorBits: Int)
    /// A vector unit: `channels` independent dot products of length `kernel` per vector.
    case vector(channels: Int64, kernel: Int64, vectors: Int64, unit: ArithmeticUnit, thresholds: Int64, accumulatorBits: Int)
    /// A sliding-window unit or down-sampler.
    case window(WindowGeometry)
    /// A per-channel stage over `vectors` pixels of `channels` channels (thresholding, adds,
    /// copies, label select, global pooling); `thresholds` per channel for a thresholding stage.
    case channels(channels: Int64, vectors: Int64, thresholds: Int64)
    /// Pooling: `kernel` taps per output over `vectors` output pixels (kernel² of a 2-D window).
    case pooling(WindowGeometry)
    /// A width converter moving `inputWords` words of `inputBits` per frame into words of `outputBits`.
    case converter(inputWords: Int64)
    /// A FIFO of `depth` words.
    case fifo(depth: Int64)
    /// A DMA moving `bits` per frame through the board's memory port.
    case dma(bits: Int64)
}

/// One stage of the pipeline: a FINN node with its folding, stream widths and geometry.
public struct DataflowStage: Hashable, Sendable {
    /// The node's FINN name, e.g. `MVAU_hls_3`, `ConvolutionInputGenerator_0`.
    public var name: String
    /// The unit kind.
    public var unit: DataflowUnit
    /// The network layer the stage belongs to (the layer it implements, or the consumer of a
    /// converter or FIFO).
    public var layer: String
    /// What the stage computes.
    public var geometry: StageGeometry
    /// PE, SIMD, MMV and memory styles.
    public var folding: UnitFolding
    /// Bits of one input element.
    public var inputBits: Int
    /// Bits of one output element.
    public var outputBits: Int
    /// Bits of one input word (stream width in).
    public var inputStreamBits: Int64
    /// Bits of one output word (stream width out).
    public var outputStreamBits: Int64
    /// Indices of the stages feeding this one, in input order.
    public var producers: [Int]
}
