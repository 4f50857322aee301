import HWModel
import Quantizers

extension DataflowGraph {
    /// The folded stages of the pipeline: every node with its PE, SIMD and stream widths, and a
    /// data-width converter wherever a producer's words differ from its consumer's (FINN's
    /// `InsertDWC`). The input and output DMAs move words of `portBits`.
    ///
    /// A PE, SIMD or MMV that does not divide its dimension is an error naming the layer, the
    /// legal values and the folding entry it came from.
    public func stages(folding: Folding, portBits: Int, streamingIO: Bool = false) throws(SimulationError) -> [DataflowStage] {
        var stages: [DataflowStage] = []
        stages.reserveCapacity(nodes.count + nodes.count / 2)
        var stageOfNode: [Int] = []
        var converters = 0
        for node in nodes {
            let producers = node.producers.map { stageOfNode[$0] }
            var stage = try folded(node, folding: folding, portBits: portBits, producers: producers.map { stages[$0] })
            var inputs: [Int] = []
            for producer in producers {
                // Out of context the accelerator's ports are streams at its first and last units' widths.
                if streamingIO && stages[producer].unit == .inputDMA {
                    stages[producer].inputStreamBits = stage.inputStreamBits
                    stages[producer].outputStreamBits = stage.inputStreamBits
                }
                if streamingIO && stage.unit == .outputDMA {
                    stage.inputStreamBits = stages[producer].outputStreamBits
                    stage.outputStreamBits = stages[producer].outputStreamBits
                }
                let source = stages[producer]
                guard source.outputStreamBits != stage.inputStreamBits else {
                    inputs.append(producer)
                    continue
                }
                let words = Self.outputWords(source, portBits: portBits)
                stages.append(DataflowStage(name: "StreamingDataWidthConverter_rtl_\(converters)", unit: .widthConverter, layer: node.key,
                                            geometry: .converter(inputWords: words), folding: UnitFolding(), inputBits: source.outputBits,
                                            outputBits: stage.inputBits, inputStreamBits: source.outputStreamBits,
                                            outputStreamBits: stage.inputStreamBits, producers: [producer]))
                converters += 1
                inputs.append(stages.count - 1)
            }
            stage.producers = inputs
            stages.append(stage)
            stageOfNode.append(stages.count - 1)
        }
        return stages
    }

    /// The stages of the nodes folded by `key` alone (no converters, no producers): what a
    /// folding search scores one layer by.
    public func stages(ofKey key: String, folding: UnitFolding, portBits: Int) throws(SimulationError) -> [DataflowStage] {
        let single = Folding(layers: [key: folding])
        var result: [DataflowStage] = []
        for node in nodes(ofKey: key) {
            result.append(try folded(node, folding: single, portBits: portBits, producers: []))
        }
        return result
    }

    /// The folding keys of the graph in pipeline order: one per layer with a unit of its own
    /// (DMAs excluded).
    public var keys: [String] {
        var seen = Set<String>()
        var result: [String] = []
        for node in nodes where node.unit != .inputDMA && node.unit != .outputDMA && seen.insert(node.key).inserted {
            result.append(node.key)
        }
        return result
    }

    /// Words a stage emits per frame (its output stream width's words).
    static func outputWords(_ stage: DataflowStage, portBits: Int) -> Int64 {
        StageTiming.of(stage, bytesPerCycle: .infinity, portBits: portBits).outputWords
    }

    /// The width of a DMA's words for `frameBits` per frame through a `portBits` port: FINN's
    /// `intfWidth = gcd(transfer bits, port width)` (the frame padded to whole bytes).
    static func dmaInterfaceBits(frameBits: Int64, portBits: Int) -> Int64 {
        let padded = Checked.divUp(frameBits, 8) * 8
        return max(FINNEstimates.gcd(padded, Int64(max(portBits, 8))), 8)
    }

    /// Elements in one output word of a stage.
    static func elementsPerWord(_ stage: DataflowStage) -> Int64 {
        max(stage.outputStreamBits / Int64(max(stage.outputBits, 1)), 1)
    }

    private func check(_ value: Int, divides size: Int64, attribute: String, dimension: String, layer: String, source: FoldingSource?) throws(SimulationError) {
        guard value >= 1 else {
            throw .dataflow(.invalidFolding(layer: layer, reason: "\(attribute) must be a positive whole number, got \(value)", source: source))
        }
        guard size % Int64(value) == 0 else {
            throw .dataflow(.doesNotDivide(layer: layer, attribute: attribute, value: value, dimension: dimension, size: size,
                                           legal: divisors(of: size), source: source))
        }
    }

    /// The PE of a per-channel stage: the folding's (FINN's attribute default is 1).
    private func channelPE(_ node: DataflowNode, folding: Folding, channels: Int64) throws(SimulationError) -> Int {
        let entry = folding[node.key]
        try check(entry.pe, divides: channels, attribute: "PE", dimension: "channels", layer: node.key, source: entry.source)
        return entry.pe
    }

    private func folded(_ node: DataflowNode, folding: Folding, portBits: Int, producers: [DataflowStage]) throws(SimulationError) -> DataflowStage {
        var entry = folding[node.key]
        let source = entry.source
        var inStream: Int64 = 0
        var outStream: Int64 = 0
        let a = Int64(node.inputBits), b = Int64(node.outputBits)
        switch node.geometry {
        case .matrix(let matrix, _, _, _):
            try check(entry.pe, divides: matrix.height, attribute: "PE", dimension: "MH (output channels)", layer: node.key, source: source)
            try check(entry.simd, divides: matrix.width, attribute: "SIMD", dimension: "MW (inputs per output)", layer: node.key, source: source)
            try check(entry.mmv, divides: matrix.vectors, attribute: "MMV", dimension: "output pixels", layer: node.key, source: source)
            inStream = try Self.width([entry.mmv, entry.simd], bits: a, layer: node.key)
            outStream = try Self.width([entry.mmv, entry.pe], bits: b, layer: node.key)
        case .vector(let channels, let kernel, let vectors, _, _, _):
            try check(entry.pe, divides: channels, attribute: "PE", dimension: "channels", layer: node.key, source: source)
            try check(entry.simd, divides: kernel, attribute: "SIMD", dimension: "kernel taps", layer: node.key, source: source)
            try check(entry.mmv, divides: vectors, attribute: "MMV", dimension: "output pixels", layer: node.key, source: source)
            inStream = try Self.width([entry.mmv, entry.pe, entry.simd], bits: a, layer: node.key)
            outStream = try Self.width([entry.mmv, entry.pe], bits: b, layer: node.key)
        case .window(let window):
            let (simd, elements) = try windowSIMD(node, entry: entry, channels: window.channels)
            try check(simd, divides: window.channels, attribute: "SIMD", dimension: "channels of the sliding window", layer: node.key,
                      source: source)
            entry = UnitFolding(pe: entry.pe, simd: simd, mmv: node.consumerOfWindow == .matrix ? entry.mmv : 1, ramStyle: entry.windowRAMStyle,
                                inputFIFODepth: entry.windowInputFIFODepth, sources: entry.sources)
            inStream = Int64(simd) * a
            outStream = elements * a
        case .channels(let channels, _, _):
            let pe = node.unit == .maxPool ? Int(channels) : try channelPE(node, folding: folding, channels: channels)
            entry.pe = pe
            inStream = Int64(pe) * a
            outStream = node.unit == .labelSelect ? b : Int64(pe) * b
            if node.unit == .globalPool { outStream = Int64(pe) * b }
        case .pooling(let window):
            let pe: Int
            if node.unit == .maxPool {
                // FINN's StreamingMaxPool takes every channel of a pixel in one word (2-D; 1-D up to v0.7).
                pe = Int(window.channels)
            } else {
                pe = try channelPE(node, folding: folding, channels: window.channels)
            }
            entry.pe = pe
            inStream = Int64(pe) * a
            outStream = Int64(pe) * b
        case .dma(let bits):
            // FINN's IODMA moves words of gcd(frame bits, port width), so a frame is whole words.
            let interface = Self.dmaInterfaceBits(frameBits: bits, portBits: portBits)
            inStream = interface
            outStream = interface
        case .converter, .fifo:
            preconditionFailure("converters and FIFOs are placed by the pipeline, not the graph")
        }
        return DataflowStage(name: node.finnName, unit: node.unit, layer: node.key, geometry: node.geometry, folding: entry,
                             inputBits: node.inputBits, outputBits: node.outputBits, inputStreamBits: inStream, outputStreamBits: outStream,
                             producers: [])
    }

    /// The SIMD of a sliding window and the elements of its output words, set by the unit it
    /// feeds (FINN's SetFolding ties them): a matrix unit's SIMD — with a parallel window when
    /// SIMD exceeds the channels — a vector unit's PE, a pool's PE.
    /// A stream's width in bits: the product of the folding factors and the element width,
    /// checked because the factors come from a folding file.
    private static func width(_ factors: [Int], bits: Int64, layer: String) throws(SimulationError) -> Int64 {
        try SimulationError.counting(Checked.product(factors.map(Int64.init) + [bits], "stream width of '\(layer)'"))
    }

    private func windowSIMD(_ node: DataflowNode, entry: UnitFolding, channels: Int64) throws(SimulationError) -> (Int, Int64) {
        switch node.consumerOfWindow {
        case .vector:
            let simd = entry.windowSIMD ?? entry.pe
            return (simd, try Self.width([entry.pe, entry.simd], bits: 1, layer: node.key))
        case .pool:
            let simd = entry.windowSIMD ?? entry.pe
            return (simd, Int64(simd))
        default:
            if Int64(entry.simd) > channels {
                guard Int64(entry.simd) % channels == 0 else {
                    throw .dataflow(.invalidFolding(layer: node.key, reason: "SIMD \(entry.simd) exceeds the \(channels) input channels and is not a multiple of them: a parallel sliding window emits whole pixels", source: entry.source))
                }
                return (Int(channels), try Self.width([entry.simd, entry.mmv], bits: 1, layer: node.key))
            }
            let simd = entry.windowSIMD ?? entry.simd
            return (simd, try Self.width([simd, entry.mmv], bits: 1, layer: node.key))
        }
    }
}
