import Quantizers
import HWModel

extension FoldingFile {
    /// FINN attributes hwsim reads but does not model; an entry setting one is named in the warning.
    static let ignoredAttributes: Set<String> = [
        "parallel_window", "preferred_impl_style", "impl_style", "depth", "slr", "mem_port", "partition_id", "device_id",
        "depth_trigger_uram", "depth_trigger_bram", "dynamic_mode", "M", "uniform_thres", "deep_pipeline", "accDataType",
        "outputDataType", "weightDataType", "inputDataType", "binaryXnorMode", "noActivation", "ActVal", "numSteps",
    ]

    /// The folding these entries give `graph`'s nodes, starting from `base`, and one warning
    /// naming the entries and attributes hwsim does not model (none when it models them all). An entry applies to the layer of its
    /// name; otherwise by its FINN op type and trailing index to the k-th node of that family
    /// (matrix units to the dense conv/linear layers in order, vector units to the depthwise
    /// convolutions). An unknown name, an index past the network or a bad value is an error
    /// naming the file and the entry.
    public func folding(for graph: DataflowGraph, base: Folding = Folding()) throws(DataflowError) -> (folding: Folding, warnings: [String]) {
        var folding = base
        var unmodelled: [String] = []
        var foldedThresholds: [String] = []
        var ignored: [String] = []
        var byName: [String: Int] = [:]
        // A layer name means the layer's own unit, which comes after its sliding window.
        for (index, node) in graph.nodes.enumerated() {
            byName[node.key] = index
            for alias in node.aliases where byName[alias] == nil { byName[alias] = index }
        }
        // A family named with one spelling maps by trailing index; with several (MVAU_hls_k and
        // MVAU_rtl_k, or finn-experimental's ConvDoublePacked_Batch beside StreamingFCLayer_Batch)
        // by the order of its entries in the file, which FINN writes in graph order.
        var spellings: [DataflowUnit: Set<String>] = [:]
        var inFileOrder: [DataflowUnit: [String]] = [:]
        for entry in entries where byName[entry.name] == nil {
            guard let (opType, _) = Self.split(entry.name), let family = Self.family(of: opType) else { continue }
            spellings[family, default: []].insert(opType)
            inFileOrder[family, default: []].append(entry.name)
        }
        var mixedIndex: [String: Int] = [:]
        for family in inFileOrder.keys.sorted(by: { $0.rawValue < $1.rawValue }) where (spellings[family]?.count ?? 0) > 1 {
            let names = inFileOrder[family] ?? []
            let members = graph.nodes(of: family).count
            let ordered = names.sorted { (position[$0] ?? 0) < (position[$1] ?? 0) }
            guard ordered.count == members else {
                throw .foldingFile(file: file, entry: ordered.first,
                                   reason: "mixes \(spellings[family, default: []].sorted().joined(separator: " and ")) names, so hwsim maps them in file order, which needs one entry per \(Self.familyName(family).split(separator: " (").first ?? "unit"): the file has \(ordered.count), the network \(members); name the entries by layer instead")
            }
            for (index, name) in ordered.enumerated() { mixedIndex[name] = index }
        }
        for (attribute, value, opTypes) in defaults {
            for node in graph.nodes where opTypes.map({ types in types.contains { Self.family(of: $0) == node.unit } }) ?? true {
                try apply(attribute, value, to: node, entry: "Defaults", folding: &folding, ignored: &ignored, strict: false)
            }
        }
        for entry in entries {
            let node: DataflowNode
            if let index = byName[entry.name] {
                node = graph.nodes[index]
            } else if let (opType, trailing) = Self.split(entry.name), let family = Self.family(of: opType) {
                let members = graph.nodes(of: family)
                let index = mixedIndex[entry.name] ?? trailing
                // FINN v0.10+ splits an RTL unit's thresholds into a Thresholding node; hwsim keeps
                // them in the unit, so such entries have nothing of their own to fold.
                if family == .thresholding, index >= members.count, graph.nodes.contains(where: Self.hasFusedThresholds) {
                    foldedThresholds.append(entry.name)
                    continue
                }
                guard index < members.count else {
                    let range = members.isEmpty ? "none" : "\(opType)_0 … \(opType)_\(members.count - 1)"
                    throw .foldingFile(file: file, entry: entry.name, reason: "the network has \(members.count) \(Self.familyName(family)) (\(range))")
                }
                node = members[index]
            } else if let (opType, _) = Self.split(entry.name), Self.unmodelledOpTypes.contains(opType) {
                unmodelled.append(entry.name)
                continue
            } else {
                throw .foldingFile(file: file, entry: entry.name, reason: "unknown node: neither a FINN node name (MVAU_hls_k, ConvolutionInputGenerator_k, …) nor a layer of \(graph.network)")
            }
            for attribute in entry.attributes.keys.sorted() {
                guard let value = entry.attributes[attribute] else { continue }
                try apply(attribute, value, to: node, entry: entry.name, folding: &folding, ignored: &ignored, strict: true)
            }
        }
        // One warning naming everything the file sets that hwsim does not model.
        var parts: [String] = []
        if !unmodelled.isEmpty {
            parts.append("not modelled by hwsim, ignored: \(unmodelled.joined(separator: ", ")) (hwsim places and sizes FIFOs and width converters itself, and folds padding into the sliding window)")
        }
        if !foldedThresholds.isEmpty {
            parts.append("\(foldedThresholds.joined(separator: ", ")): hwsim keeps these thresholds inside the matrix and vector units before them (their PE), so the entries set nothing")
        }
        if !ignored.isEmpty {
            parts.append("attributes hwsim does not model, ignored: \(ignored.joined(separator: ", "))")
        }
        let warnings = parts.isEmpty ? [] : ["\(file): " + parts.joined(separator: "; ")]
        return (folding, warnings)
    }

    /// Whether a matrix or vector unit carries the thresholds of the activation it feeds.
    static func hasFusedThresholds(_ node: DataflowNode) -> Bool {
        switch node.geometry {
        case .matrix(_, _, let thresholds, _), .vector(_, _, _, _, let thresholds, _): thresholds > 0
        default: false
        }
    }

    static func familyName(_ unit: DataflowUnit) -> String {
        switch unit {
        case .matrix: "matrix units (dense conv/linear layers)"
        case .vector: "vector units (depthwise convolutions)"
        case .slidingWindow: "sliding-window units"
        default: "\(unit.rawValue) units"
        }
    }

    /// One attribute of one entry on `node`'s folding.
    private func apply(_ attribute: String, _ value: JSONValue, to node: DataflowNode, entry: String, folding: inout Folding,
                       ignored: inout [String], strict: Bool) throws(DataflowError) {
        var unit = folding.layers[node.key] ?? UnitFolding()
        let source = FoldingSource(file: file, entry: entry)
        let window = node.unit == .slidingWindow || node.unit == .downSampler
        func count(_ minimum: Int) throws(DataflowError) -> Int {
            let number: Int
            switch value {
            case .integer(let whole) where whole >= Int64(Int32.min) && whole <= Int64(Int32.max): number = Int(whole)
            case .number(let real) where real == real.rounded() && abs(real) < 2e9: number = Int(real)
            default: throw .foldingFile(file: file, entry: entry, reason: "\(attribute) must be a whole number, got \(value)")
            }
            guard number >= minimum else {
                throw .foldingFile(file: file, entry: entry, reason: "\(attribute) must be \(minimum == 1 ? "a positive whole number" : "at least \(minimum)"), got \(number)")
            }
            return number
        }
        func text() throws(DataflowError) -> String {
            guard case .string(let string) = value else { throw .foldingFile(file: file, entry: entry, reason: "\(attribute) must be a string, got \(value)") }
            return string
        }
        func style() throws(DataflowError) -> RAMStyle {
            let name = try text()
            guard let style = RAMStyle(rawValue: name) else {
                throw .foldingFile(file: file, entry: entry, reason: "\(attribute) \(MessageText.quoted(name)): expected \(RAMStyle.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return style
        }
        func depth() throws(DataflowError) -> Int {
            if case .array(let items) = value {
                guard let first = items.first else { throw .foldingFile(file: file, entry: entry, reason: "\(attribute) is an empty list") }
                guard case .integer(let whole) = first, whole >= 0, whole < Int64(Int32.max) else {
                    throw .foldingFile(file: file, entry: entry, reason: "\(attribute) must list whole numbers ≥ 0, got \(first)")
                }
                return Int(whole)
            }
            return try count(0)
        }
        switch attribute {
        case "PE": unit.pe = try count(1)
        case "SIMD":
            let simd = try count(1)
            if window { unit.windowSIMD = simd } else { unit.simd = simd }
        case "MMV": unit.mmv = try count(1)
        case "ram_style":
            let value = try style()
            if window { unit.windowRAMStyle = value } else { unit.ramStyle = value }
        case "ram_style_thresholds": unit.thresholdRAMStyle = try style()
        case "mem_mode":
            let name = try text()
            guard let mode = MemoryMode(finnName: name) else {
                throw .foldingFile(file: file, entry: entry, reason: "mem_mode \(MessageText.quoted(name)): expected const, decoupled, external, internal_embedded or internal_decoupled")
            }
            unit.memoryMode = mode
        case "resType":
            let name = try text()
            guard let type = ResourceType(finnName: name) else {
                throw .foldingFile(file: file, entry: entry, reason: "resType \(MessageText.quoted(name)): expected auto, lut or dsp")
            }
            unit.resourceType = type
        case "runtime_writeable_weights":
            switch value {
            case .bool(let flag): unit.runtimeWritableWeights = flag
            default: unit.runtimeWritableWeights = try count(0) != 0
            }
        case "inFIFODepths", "inFIFODepth":
            if window { unit.windowInputFIFODepth = try depth() } else { unit.inputFIFODepth = try depth() }
        case "outFIFODepths", "outFIFODepth":
            // A window's output FIFO is the one in front of the unit it feeds.
            if window { unit.inputFIFODepth = try depth() } else { unit.outputFIFODepth = try depth() }
        default:
            guard Self.ignoredAttributes.contains(attribute) || !strict else {
                throw .foldingFile(file: file, entry: entry, reason: "unknown attribute \(MessageText.quoted(attribute))")
            }
            if strict { ignored.append("\(entry).\(attribute)") }
            return
        }
        unit.sources.append(source)
        folding.layers[node.key] = unit
    }
}
