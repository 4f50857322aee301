/// How operands stay in a systolic array's PEs (SCALE-Sim's `Dataflow` setting).
public enum SystolicDataflow: String, Hashable, Sendable, CaseIterable {
    /// Output stationary: each PE accumulates one output pixel of one filter.
    case outputStationary = "os"
    /// Weight stationary: each PE holds one weight; input pixels stream through.
    case weightStationary = "ws"
    /// Input stationary: each PE holds one input-window element; filters stream through.
    case inputStationary = "is"
}

/// Why a systolic array was rejected.
public enum SystolicError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A size that must be positive is not.
    case nonPositive(field: String, value: Int)

    /// A message naming the field or dimension and the offending values.
    public var description: String {
        switch self {
        case .nonPositive(let field, let value):
            "\(field) must be at least 1, got \(value)"
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
