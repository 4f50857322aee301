/// How operands stay in a systolic array's PEs (SCALE-Sim's `Dataflow` setting).
public enum SystolicDataflow: String, Hashable, Sendable, CaseIterable {
    /// Output stationary: each PE accumulates one output pixel of one filter.
    case outputStationary = "os"
    /// Weight stationary: each PE holds one weight; input pixels stream through.
    case weightStationary = "ws"
    /// Input stationary: each PE holds one input-window element; filters stream through.
    case inputStationary = "is"
}

/// Why a systolic array or workload was rejected.
public enum SystolicError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A size that must be positive is not.
    case nonPositive(field: String, value: Int)
    /// A filter larger than its IFMAP (SCALE-Sim rejects these too).
    case filterLargerThanIFMAP(dimension: String, filter: Int, ifmap: Int)

    /// A message naming the field or dimension and the offending values.
    public var description: String {
        switch self {
        case .nonPositive(let field, let value):
            "\(field) must be at least 1, got \(value)"
        case .filterLargerThanIFMAP(let dimension, let filter, let ifmap):
            "filter \(dimension) \(filter) exceeds IFMAP \(dimension) \(ifmap)"
        }
    }
}

/// An R×C array of multiply-accumulate PEs with a dataflow, as SCALE-Sim models it.
public struct SystolicArray: Hashable, Sendable {
    /// PE rows (SCALE-Sim `ArrayHeight`).
    public let rows: Int
    /// PE columns (SCALE-Sim `ArrayWidth`).
    public let columns: Int
    /// Which operand stays in the PEs.
    public let dataflow: SystolicDataflow

    /// Creates an array.
    /// - Throws: ``SystolicError/nonPositive(field:value:)`` for a zero or negative size.
    public init(rows: Int, columns: Int, dataflow: SystolicDataflow) throws(SystolicError) {
        guard rows >= 1 else { throw .nonPositive(field: "array rows", value: rows) }
        guard columns >= 1 else { throw .nonPositive(field: "array columns", value: columns) }
        self.rows = rows
        self.columns = columns
        self.dataflow = dataflow
    }

    /// Number of PEs (MAC units).
    public var peCount: Int { rows * columns }
}

/// A convolution in SCALE-Sim's terms (one topology-CSV row): IFMAP sizes include padding.
public struct SystolicConvolution: Hashable, Sendable {
    /// IFMAP height, padding included.
    public let ifmapHeight: Int
    /// IFMAP width, padding included.
    public let ifmapWidth: Int
    /// Filter height Fh.
    public let filterHeight: Int
    /// Filter width Fw.
    public let filterWidth: Int
    /// Input channels C.
    public let channels: Int
    /// Filters (output channels) K.
    public let filters: Int
    /// Vertical stride.
    public let strideHeight: Int
    /// Horizontal stride.
    public let strideWidth: Int

    /// Creates a convolution; every size must be positive and the filter must fit the IFMAP.
    public init(
        ifmapHeight: Int, ifmapWidth: Int, filterHeight: Int, filterWidth: Int, channels: Int, filters: Int,
        strideHeight: Int, strideWidth: Int
    ) throws(SystolicError) {
        for (field, value) in [
            ("IFMAP height", ifmapHeight), ("IFMAP width", ifmapWidth), ("filter height", filterHeight),
            ("filter width", filterWidth), ("channels", channels), ("filters", filters),
            ("stride height", strideHeight), ("stride width", strideWidth),
        ] where value < 1 {
            throw .nonPositive(field: field, value: value)
        }
        guard filterHeight <= ifmapHeight else { throw .filterLargerThanIFMAP(dimension: "height", filter: filterHeight, ifmap: ifmapHeight) }
        guard filterWidth <= ifmapWidth else { throw .filterLargerThanIFMAP(dimension: "width", filter: filterWidth, ifmap: ifmapWidth) }
        self.ifmapHeight = ifmapHeight
        self.ifmapWidth = ifmapWidth
        self.filterHeight = filterHeight
        self.filterWidth = filterWidth
        self.channels = channels
        self.filters = filters
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
    }

    /// Eh = ⌈(IFMAP height − Filter height + stride) / stride⌉ (SCALE-Sim's `topology_utils`).
    public var ofmapHeight: Int { (ifmapHeight - filterHeight + strideHeight + strideHeight - 1) / strideHeight }
    /// Ew = ⌈(IFMAP width − Filter width + stride) / stride⌉.
    public var ofmapWidth: Int { (ifmapWidth - filterWidth + strideWidth + strideWidth - 1) / strideWidth }

    /// The GEMM this convolution runs as.
    public var workload: SystolicWorkload {
        SystolicWorkload(
            pixels: ofmapHeight * ofmapWidth, window: filterHeight * filterWidth * channels, filters: filters)
    }
}

/// A layer as the GEMM a systolic array runs: an (output pixels × window) IFMAP operand matrix
/// times a (window × filters) filter matrix, `repeats` independent times (one per group of a
/// grouped convolution).
public struct SystolicWorkload: Hashable, Sendable {
    /// Output pixels P = Eh·Ew (for a GEMM M×K·K×N: M).
    public let pixels: Int
    /// Window W = Fh·Fw·C (for a GEMM: K).
    public let window: Int
    /// Filters K (for a GEMM: N).
    public let filters: Int
    /// Independent copies run one after another (groups of a grouped convolution).
    public let repeats: Int

    /// Creates a workload; sizes are clamped to at least 1.
    public init(pixels: Int, window: Int, filters: Int, repeats: Int = 1) {
        self.pixels = max(pixels, 1)
        self.window = max(window, 1)
        self.filters = max(filters, 1)
        self.repeats = max(repeats, 1)
    }

    /// Multiply-accumulates: P·W·K per repeat.
    public var macs: Int { pixels * window * filters * repeats }
}

/// The operand-matrix extents SCALE-Sim folds onto the array: Sr along the PE rows, Sc along
/// the PE columns, T streamed in time.
public struct SystolicMapping: Hashable, Sendable {
    /// Sr.
    public let spatialRows: Int
    /// Sc.
    public let spatialColumns: Int
    /// T.
    public let temporal: Int

    /// SCALE-Sim v3's mapping (compute/systolic_compute_{os,ws,is}.py, `set_params`):
    /// os (Sr, Sc, T) = (P, K, W); ws (W, K, P); is (W, P, K).
    public init(_ workload: SystolicWorkload, dataflow: SystolicDataflow) {
        switch dataflow {
        case .outputStationary:
            (spatialRows, spatialColumns, temporal) = (workload.pixels, workload.filters, workload.window)
        case .weightStationary:
            (spatialRows, spatialColumns, temporal) = (workload.window, workload.filters, workload.pixels)
        case .inputStationary:
            (spatialRows, spatialColumns, temporal) = (workload.window, workload.pixels, workload.filters)
        }
    }
}
