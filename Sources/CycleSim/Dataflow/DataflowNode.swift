import HWModel

/// One unit of the pipeline before folding: what it computes, the layer it serves and where its
/// inputs come from. The folding (PE, SIMD, memory styles) is applied later (``DataflowGraph/stages(folding:)``).
public struct DataflowNode: Hashable, Sendable {
    /// The unit kind.
    public var unit: DataflowUnit
    /// The key of its folding: the layer it implements (a convolution's window shares its layer).
    public var key: String
    /// Other layer names a folding entry may use for this node (BatchNorm and activations it absorbs).
    public var aliases: [String]
    /// Position among the nodes of its FINN family (MVAU_k, ConvolutionInputGenerator_k, …).
    public var index: Int
    /// What it computes, unfolded.
    public var geometry: StageGeometry
    /// Bits of one input element.
    public var inputBits: Int
    /// Bits of one output element.
    public var outputBits: Int
    /// Nodes feeding it, in input order.
    public var producers: [Int]
    /// For a window: the unit reading it (matrix, vector or pool), whose folding sets its SIMD.
    public var consumerOfWindow: DataflowUnit?

    /// The FINN node name in the newest generation's spelling (what `--write-folding` writes).
    public var finnName: String {
        switch unit {
        case .matrix: "MVAU_hls_\(index)"
        case .vector: "VVAU_hls_\(index)"
        case .slidingWindow: "ConvolutionInputGenerator_rtl_\(index)"
        case .downSampler: "DownSampler_hls_\(index)"
        case .thresholding: "Thresholding_rtl_\(index)"
        case .maxPool: "StreamingMaxPool_hls_\(index)"
        case .pool: "Pool_hls_\(index)"
        case .globalPool: "GlobalAccPool_hls_\(index)"
        case .addStreams: "AddStreams_hls_\(index)"
        case .duplicateStreams: "DuplicateStreams_hls_\(index)"
        case .labelSelect: "LabelSelect_hls_\(index)"
        case .widthConverter: "StreamingDataWidthConverter_rtl_\(index)"
        case .fifo: "StreamingFIFO_rtl_\(index)"
        case .inputDMA: "IODMA_hls_\(index)"
        case .outputDMA: "IODMA_hls_out_\(index)"
        }
    }
}
