import Foundation
import Quantizers
import HWModel

/// One row of a SCALE-Sim convolution topology CSV.
///
/// Values are kept exactly as written: IFMAP sizes already include padding, and the output size
/// SCALE-Sim derives is `⌈(IFMAP − Filter + Stride) / Stride⌉` per side (see ``ofmapHeight``).
public struct SCALESimConvLayer: Equatable, Sendable {
    /// `Layer name`.
    public let name: String
    /// `IFMAP Height` (padding included).
    public let ifmapHeight: Int
    /// `IFMAP Width` (padding included).
    public let ifmapWidth: Int
    /// `Filter Height`.
    public let filterHeight: Int
    /// `Filter Width`.
    public let filterWidth: Int
    /// `Channels`.
    public let channels: Int
    /// `Num Filter`.
    public let numFilters: Int
    /// `Strides` (or `Stride height`).
    public let strideHeight: Int
    /// `Stride width` when the file has that column, else the same as ``strideHeight``
    /// (SCALE-Sim's rule).
    public let strideWidth: Int
    /// 1-based line in the file (0 for layers built in code).
    public let line: Int

    /// Creates a layer; callers are responsible for positive values.
    public init(
        name: String, ifmapHeight: Int, ifmapWidth: Int, filterHeight: Int, filterWidth: Int,
        channels: Int, numFilters: Int, strideHeight: Int, strideWidth: Int, line: Int = 0
    ) {
        self.name = name
        self.ifmapHeight = ifmapHeight
        self.ifmapWidth = ifmapWidth
        self.filterHeight = filterHeight
        self.filterWidth = filterWidth
        self.channels = channels
        self.numFilters = numFilters
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.line = line
    }

    /// Output rows, `⌈(IFMAP H − Filter H + stride) / stride⌉` as in SCALE-Sim.
    public var ofmapHeight: Int { (ifmapHeight - filterHeight + strideHeight + strideHeight - 1) / strideHeight }
    /// Output columns, `⌈(IFMAP W − Filter W + stride) / stride⌉` as in SCALE-Sim.
    public var ofmapWidth: Int { (ifmapWidth - filterWidth + strideWidth + strideWidth - 1) / strideWidth }

    /// Whether SCALE-Sim's loader would expand this row per channel: its topology reader treats a
    /// layer whose name contains `DP` as depthwise and simulates `Channels` one-channel layers.
    public var isSCALESimDepthwise: Bool { name.contains("DP") }
}

/// One row of a SCALE-Sim GEMM CSV: an M×K by K×N matrix product.
public struct SCALESimGEMMLayer: Equatable, Sendable {
    /// `Layer Name`.
    public let name: String
    /// Rows of the left operand and of the result.
    public let m: Int
    /// Columns of the right operand and of the result.
    public let n: Int
    /// The reduction dimension.
    public let k: Int
    /// 1-based line in the file (0 for layers built in code).
    public let line: Int

    /// Creates a layer; callers are responsible for positive values.
    public init(name: String, m: Int, n: Int, k: Int, line: Int = 0) {
        self.name = name
        self.m = m
        self.n = n
        self.k = k
        self.line = line
    }

    /// The convolution SCALE-Sim substitutes for this GEMM (its `load_arrays_gemm`): IFMAP M×K,
    /// filter 1×K, one channel, N filters, stride 1, so that OFMAP pixels = M, window = K.
    public var asConvLayer: SCALESimConvLayer {
        SCALESimConvLayer(
            name: name, ifmapHeight: m, ifmapWidth: k, filterHeight: 1, filterWidth: k, channels: 1,
            numFilters: n, strideHeight: 1, strideWidth: 1, line: line)
    }
}

/// Why a SCALE-Sim CSV could not be read. Every case names the file; row problems name the line.
public enum SCALESimError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file at the path.
    case fileNotFound(file: String)
    /// The file exists but could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not UTF-8 text.
    case notText(file: String)
    /// The file has no header line.
    case empty(file: String)
    /// A quoted cell that starts on `line` is never closed.
    case unterminatedQuote(file: String, line: Int)
    /// The header lacks a required column.
    case missingHeaderColumn(file: String, line: Int, column: String, expectedHeader: String)
    /// The header is neither a convolution topology's nor a GEMM file's.
    case unrecognizedHeader(file: String, line: Int, header: String)
    /// A row has no cell (or an empty one) under a required column.
    case missingCell(file: String, line: Int, column: String)
    /// A cell under a numeric column is not a whole number.
    case nonNumericCell(file: String, line: Int, column: String, text: String)
    /// A numeric cell is zero or negative.
    case nonPositiveCell(file: String, line: Int, column: String, value: Int)
    /// A numeric cell is larger than ``SCALESimTopology/maximumCellValue`` (`text` as written).
    case cellTooLarge(file: String, line: Int, column: String, text: String)
    /// A filter is larger than its IFMAP (SCALE-Sim rejects these too).
    case filterLargerThanIFMAP(file: String, line: Int, dimension: String, filter: Int, ifmap: Int)
    /// The file has a header but no layer rows.
    case noLayers(file: String)
    /// A row does not make a valid hwsim layer (see ``SCALESimInput/network(name:)``).
    case invalidLayer(file: String, line: Int, reason: String)

    /// A message that starts with the file (and line) and says what the CSV should hold.
    public var description: String { ONNXImportError.oneLine(message) }

    private var message: String {
        switch self {
        case .fileNotFound(let file):
            "\(file): no such file"
        case .unreadable(let file, let reason):
            "\(file): cannot read the file: \(reason)"
        case .notText(let file):
            "\(file): not a UTF-8 text file; expected a SCALE-Sim CSV"
        case .empty(let file):
            "\(file): the file is empty; expected a SCALE-Sim CSV with a header line"
        case .unterminatedQuote(let file, let line):
            "\(file):\(line): a quoted cell is never closed; add the missing \""
        case .missingHeaderColumn(let file, let line, let column, let expected):
            "\(file):\(line): the header has no \(MessageText.quoted(column)) column; expected `\(expected)`"
        case .unrecognizedHeader(let file, let line, let header):
            "\(file):\(line): \(MessageText.quoted(header)) is neither a SCALE-Sim topology header (`\(SCALESimTopology.expectedHeader)`) "
                + "nor a GEMM header (`\(SCALESimGEMMTopology.expectedHeader)`)"
        case .missingCell(let file, let line, let column):
            "\(file):\(line): no value in column \(MessageText.quoted(column))"
        case .nonNumericCell(let file, let line, let column, let text):
            "\(file):\(line): column \(MessageText.quoted(column)) holds \(MessageText.quoted(text)), which is not a whole number"
        case .nonPositiveCell(let file, let line, let column, let value):
            "\(file):\(line): column \(MessageText.quoted(column)) is \(value); it must be at least 1"
        case .cellTooLarge(let file, let line, let column, let text):
            "\(file):\(line): column \(MessageText.quoted(column)) is \(MessageText.quoted(text)); it must be at most \(SCALESimTopology.maximumCellValue)"
        case .filterLargerThanIFMAP(let file, let line, let dimension, let filter, let ifmap):
            "\(file):\(line): filter \(dimension) \(filter) exceeds IFMAP \(dimension) \(ifmap) "
                + "(IFMAP sizes must already include padding)"
        case .noLayers(let file):
            "\(file): the header is followed by no layer rows"
        case .invalidLayer(let file, let line, let reason):
            "\(file):\(line): \(reason)"
        }
    }
}

/// A SCALE-Sim convolution topology (`Layer name, IFMAP Height, IFMAP Width, Filter Height,
/// Filter Width, Channels, Num Filter, Strides,`).
///
/// Columns are found by header name (case, spaces and underscores ignored), so extra columns
/// — SCALE-Sim's trailing empty cell, notes such as `#dw`, or added columns — are ignored. An
/// optional `Stride width` column gives a separate horizontal stride. Blank rows and rows of
/// only commas are skipped. Cells are split by hwsim's RFC 4180 reader (``CSV``), so a quoted
/// cell may hold a comma; SCALE-Sim itself does not read quotes.
public struct SCALESimTopology: Equatable, Sendable {
    /// The header SCALE-Sim's own files use, quoted in error messages.
    public static let expectedHeader =
        "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,"

    /// The largest value a numeric cell may hold, 2^31 − 1: a size, as for ONNX dims. Products
    /// of cells (a row's IFMAP, filter or matrix elements) are bounded separately, by 2^40.
    public static let maximumCellValue = ONNXTensor.maximumDimension

    /// Path or name of the file.
    public let sourceFile: String
    /// Layers in file order.
    public let layers: [SCALESimConvLayer]

    /// Reads a topology CSV.
    public static func load(contentsOf url: URL) throws(SCALESimError) -> SCALESimTopology {
        let (text, path) = try CSVText.read(url)
        return try SCALESimTopology(csv: text, sourceFile: path)
    }

    /// Parses topology CSV text; `sourceFile` names it in error messages.
    public init(csv text: String, sourceFile: String) throws(SCALESimError) {
        let table = try CSVText(text, sourceFile: sourceFile)
        let columns = try table.locate(
            [
                ("Layer name", ["layername", "layer", "name"]),
                ("IFMAP Height", ["ifmapheight"]),
                ("IFMAP Width", ["ifmapwidth"]),
                ("Filter Height", ["filterheight"]),
                ("Filter Width", ["filterwidth"]),
                ("Channels", ["channels", "numchannels"]),
                ("Num Filter", ["numfilter", "numfilters"]),
                ("Strides", ["strides", "stride", "strideheight"]),
            ],
            expectedHeader: Self.expectedHeader)
        let strideWidthColumn = table.column(named: ["stridewidth"])
        var layers = [SCALESimConvLayer]()
        for row in table.rows {
            let name = try row.text(columns[0])
            let ifmapH = try row.positive(columns[1])
            let ifmapW = try row.positive(columns[2])
            let filterH = try row.positive(columns[3])
            let filterW = try row.positive(columns[4])
            let channels = try row.positive(columns[5])
            let filters = try row.positive(columns[6])
            let strideH = try row.positive(columns[7])
            var strideW = strideH
            if let strideWidthColumn { strideW = try row.positive(strideWidthColumn) }
            if filterH > ifmapH {
                throw .filterLargerThanIFMAP(file: sourceFile, line: row.line, dimension: "height", filter: filterH, ifmap: ifmapH)
            }
            if filterW > ifmapW {
                throw .filterLargerThanIFMAP(file: sourceFile, line: row.line, dimension: "width", filter: filterW, ifmap: ifmapW)
            }
            try CSVText.checkElements([channels, ifmapH, ifmapW], "the IFMAP (Channels × IFMAP Height × IFMAP Width)", row)
            try CSVText.checkElements([filters, channels, filterH, filterW], "the filters (Num Filter × Channels × Filter Height × Filter Width)", row)
            layers.append(SCALESimConvLayer(
                name: name, ifmapHeight: ifmapH, ifmapWidth: ifmapW, filterHeight: filterH,
                filterWidth: filterW, channels: channels, numFilters: filters, strideHeight: strideH,
                strideWidth: strideW, line: row.line))
        }
        if layers.isEmpty { throw .noLayers(file: sourceFile) }
        self.sourceFile = sourceFile
        self.layers = layers
    }
}

/// A SCALE-Sim GEMM CSV (`Layer Name, M, N, K,`; SCALE-Sim's own files also write `Layer,M,N,K`).
public struct SCALESimGEMMTopology: Equatable, Sendable {
    /// The header SCALE-Sim documents, quoted in error messages.
    public static let expectedHeader = "Layer Name, M, N, K,"

    /// Path or name of the file.
    public let sourceFile: String
    /// Layers in file order.
    public let layers: [SCALESimGEMMLayer]

    /// Reads a GEMM CSV.
    public static func load(contentsOf url: URL) throws(SCALESimError) -> SCALESimGEMMTopology {
        let (text, path) = try CSVText.read(url)
        return try SCALESimGEMMTopology(csv: text, sourceFile: path)
    }

    /// Parses GEMM CSV text; `sourceFile` names it in error messages.
    public init(csv text: String, sourceFile: String) throws(SCALESimError) {
        let table = try CSVText(text, sourceFile: sourceFile)
        let columns = try table.locate(
            [("Layer Name", ["layername", "layer", "name"]), ("M", ["m"]), ("N", ["n"]), ("K", ["k"])],
            expectedHeader: Self.expectedHeader)
        var layers = [SCALESimGEMMLayer]()
        for row in table.rows {
            let layer = SCALESimGEMMLayer(
                name: try row.text(columns[0]), m: try row.positive(columns[1]),
                n: try row.positive(columns[2]), k: try row.positive(columns[3]), line: row.line)
            try CSVText.checkElements([layer.m, layer.k], "the M × K operand", row)
            try CSVText.checkElements([layer.k, layer.n], "the K × N operand", row)
            try CSVText.checkElements([layer.m, layer.n], "the M × N result", row)
            layers.append(layer)
        }
        if layers.isEmpty { throw .noLayers(file: sourceFile) }
        self.sourceFile = sourceFile
        self.layers = layers
    }
}

/// A SCALE-Sim input of either kind, told apart by its header.
public enum SCALESimInput: Equatable, Sendable {
    /// A convolution topology CSV (one conv layer per row).
    case convolution(SCALESimTopology)
    /// A GEMM CSV (M, N, K per row), simulated as the convolutions SCALE-Sim substitutes.
    case gemm(SCALESimGEMMTopology)

    /// Reads a CSV and decides from its header whether it is a topology or a GEMM file.
    public static func load(contentsOf url: URL) throws(SCALESimError) -> SCALESimInput {
        let (text, path) = try CSVText.read(url)
        return try SCALESimInput(csv: text, sourceFile: path)
    }

    /// Parses CSV text of either kind.
    public init(csv text: String, sourceFile: String) throws(SCALESimError) {
        let table = try CSVText(text, sourceFile: sourceFile)
        if table.column(named: ["ifmapheight"]) != nil {
            self = .convolution(try SCALESimTopology(csv: text, sourceFile: sourceFile))
        } else if table.column(named: ["m"]) != nil, table.column(named: ["n"]) != nil, table.column(named: ["k"]) != nil {
            self = .gemm(try SCALESimGEMMTopology(csv: text, sourceFile: sourceFile))
        } else {
            throw .unrecognizedHeader(file: sourceFile, line: table.headerLine, header: table.headerText)
        }
    }

    /// The layers as convolutions (GEMMs through ``SCALESimGEMMLayer/asConvLayer``).
    public var convLayers: [SCALESimConvLayer] {
        switch self {
        case .convolution(let t): t.layers
        case .gemm(let g): g.layers.map(\.asConvLayer)
        }
    }
}
