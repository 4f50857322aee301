import Foundation
import HWModel

/// FINN's `folding_config.json` (qonnx `ApplyConfig`): a `Defaults` object of `[value, op types]`
/// pairs and one object of node attributes per node name, in any of FINN's three generations of
/// names (docs/dataflow.md §6). Reading is separate from applying: ``folding(for:)`` matches the
/// entries to a network's dataflow graph.
public struct FoldingFile: Sendable {
    /// One per-node entry: its name and attributes, as the file has them.
    public struct Entry: Sendable {
        /// The node or layer name.
        public var name: String
        /// Attribute name → value.
        public var attributes: [String: JSONValue]
    }

    /// The file as the user named it.
    public let file: String
    /// `Defaults`: attribute → (value, op types it applies to; `nil` for "all").
    public let defaults: [(attribute: String, value: JSONValue, opTypes: [String]?)]
    /// Per-node entries, sorted by name so that application is deterministic.
    public let entries: [Entry]
    /// Each entry's position in the file. FINN writes a folding in graph order, which is the
    /// only order there is when a file mixes spellings of one unit (`MVAU_hls_k` and `MVAU_rtl_k`).
    public let position: [String: Int]

    /// Reads a folding file; a missing or malformed file is an error naming it.
    public static func load(path: String) throws(DataflowError) -> FoldingFile {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            throw .foldingFile(file: path, entry: nil, reason: error.message)
        }
        return try parse(data, file: path)
    }

    /// Parses folding-file text.
    public static func parse(_ data: Data, file: String) throws(DataflowError) -> FoldingFile {
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch {
            throw .foldingFile(file: file, entry: nil, reason: "malformed JSON: \(error.message)")
        }
        guard case .object(let members) = root else {
            throw .foldingFile(file: file, entry: nil, reason: "expected an object of node names, got \(root.typeName)")
        }
        var defaults: [(attribute: String, value: JSONValue, opTypes: [String]?)] = []
        var entries: [Entry] = []
        for name in members.keys.sorted() {
            guard let value = members[name] else { continue }
            guard case .object(let attributes) = value else {
                throw .foldingFile(file: file, entry: name, reason: "expected an object of attributes, got \(value.typeName)")
            }
            if name == "Defaults" {
                for attribute in attributes.keys.sorted() {
                    guard case .array(let pair) = attributes[attribute] ?? .null, pair.count == 2 else {
                        throw .foldingFile(file: file, entry: "Defaults.\(attribute)", reason: "expected [value, [\"OpType\", …]] or [value, \"all\"]")
                    }
                    switch pair[1] {
                    case .string("all"):
                        defaults.append((attribute, pair[0], nil))
                    case .array(let types):
                        var names: [String] = []
                        for type in types {
                            guard case .string(let text) = type else {
                                throw .foldingFile(file: file, entry: "Defaults.\(attribute)", reason: "op types must be strings, got \(type)")
                            }
                            names.append(text)
                        }
                        defaults.append((attribute, pair[0], names))
                    default:
                        throw .foldingFile(file: file, entry: "Defaults.\(attribute)", reason: "expected a list of op types or \"all\", got \(pair[1])")
                    }
                }
                continue
            }
            entries.append(Entry(name: name, attributes: attributes))
        }
        var position: [String: Int] = [:]
        for (index, key) in topLevelKeys(data).enumerated() where position[key] == nil { position[key] = index }
        return FoldingFile(file: file, defaults: defaults, entries: entries, position: position)
    }

    /// The keys of the top-level object in the order the text has them (the parsed value keeps
    /// no order). Only called on text that parsed as a JSON object.
    static func topLevelKeys(_ data: Data) -> [String] {
        var keys: [String] = []
        var depth = 0
        var inString = false, escaped = false
        var start: Data.Index?
        var pending: String?
        for index in data.indices {
            let byte = data[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    // A string at depth 1 is a key if a colon follows it. The text already parsed,
                    // so every string token decodes; a failure would only drop its position.
                    if depth == 1, let begin = start, case .string(let text)? = try? JSONValue.parse(Data(data[begin...index])) {
                        pending = text
                    }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true; start = index
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; pending = nil
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1; pending = nil
            case UInt8(ascii: ":"):
                if let key = pending { keys.append(key) }
                pending = nil
            case UInt8(ascii: ","): pending = nil
            default: break
            }
        }
        return keys
    }

    /// A FINN node name split into its op type and trailing index (`MVAU_hls_3` → (`MVAU_hls`, 3)).
    static func split(_ name: String) -> (opType: String, index: Int)? {
        guard let underscore = name.lastIndex(of: "_") else { return nil }
        let digits = name[name.index(after: underscore)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber), let index = Int(digits) else { return nil }
        return (String(name[..<underscore]), index)
    }

    /// The unit family of a FINN op type, any generation; `nil` for op types hwsim does not model.
    static func family(of opType: String) -> DataflowUnit? {
        switch opType {
        case "StreamingFCLayer_Batch", "MatrixVectorActivation", "MVAU", "MVAU_hls", "MVAU_rtl", "ConvDoublePacked_Batch": .matrix
        case "Vector_Vector_Activate_Batch", "VectorVectorActivation", "VVAU", "VVAU_hls", "VVAU_rtl": .vector
        case "ConvolutionInputGenerator", "ConvolutionInputGenerator1D", "ConvolutionInputGenerator_hls", "ConvolutionInputGenerator_rtl",
             "ConvolutionInputGenerator_MMV": .slidingWindow
        case "DownSampler", "DownSampler_hls": .downSampler
        case "Thresholding_Batch", "Thresholding", "Thresholding_hls", "Thresholding_rtl": .thresholding
        case "StreamingMaxPool_Batch", "StreamingMaxPool", "StreamingMaxPool_hls": .maxPool
        case "Pool_Batch", "Pool", "Pool_hls": .pool
        case "GlobalAccPool_Batch", "GlobalAccPool", "GlobalAccPool_hls": .globalPool
        case "AddStreams_Batch", "AddStreams", "AddStreams_hls": .addStreams
        case "DuplicateStreams_Batch", "DuplicateStreams", "DuplicateStreams_hls": .duplicateStreams
        case "LabelSelect_Batch", "LabelSelect", "LabelSelect_hls": .labelSelect
        default: nil
        }
    }

    /// FINN op types hwsim knows but does not model as a unit of its own: named in a warning.
    static let unmodelledOpTypes: Set<String> = [
        "StreamingFIFO", "StreamingFIFO_rtl", "StreamingFIFO_vivado", "StreamingDataWidthConverter_Batch", "StreamingDataWidthConverter",
        "StreamingDataWidthConverter_hls", "StreamingDataWidthConverter_rtl", "FMPadding_Batch", "FMPadding", "FMPadding_hls", "FMPadding_rtl",
        "FMPadding_Pixel", "FMPadding_Pixel_hls", "ChannelwiseOp_Batch", "ChannelwiseOp", "ChannelwiseOp_hls", "TLastMarker", "TLastMarker_hls",
        "IODMA", "IODMA_hls", "StreamingConcat", "StreamingConcat_hls", "StreamingEltwise", "StreamingEltwise_hls", "Lookup", "Lookup_hls",
        "UpsampleNearestNeighbour_Batch", "UpsampleNearestNeighbour", "UpsampleNearestNeighbour_hls", "CheckSum", "CheckSum_hls",
        "StreamingSplit", "StreamingSplit_hls", "ElementwiseBinaryOperation",
    ]
}
