import HWModel

extension FoldingFile {
    /// `folding` in FINN's `folding_config.json` format, with FINN v0.10+ node names
    /// (`MVAU_hls_k`, `ConvolutionInputGenerator_rtl_k`, `Thresholding_rtl_k`, …) and only the
    /// attributes FINN's nodes have (MMV is not one: it is left out). Nodes in pipeline order;
    /// the same folding always gives the same bytes.
    public static func render(_ folding: Folding, graph: DataflowGraph) -> String {
        var members: [(key: String, value: JSONOutput)] = [("Defaults", .object([]))]
        for node in graph.nodes {
            let unit = folding[node.key]
            var attributes: [(key: String, value: JSONOutput)] = []
            switch node.unit {
            case .matrix, .vector:
                attributes.append(("PE", .integer(Int64(unit.pe))))
                attributes.append(("SIMD", .integer(Int64(unit.simd))))
                attributes.append(("ram_style", .string(unit.ramStyle.rawValue)))
                attributes.append(("mem_mode", .string(unit.memoryMode.rawValue)))
                attributes.append(("resType", .string(unit.resourceType.rawValue)))
                if unit.runtimeWritableWeights { attributes.append(("runtime_writeable_weights", .integer(1))) }
                if node.unit == .matrix && unit.thresholdRAMStyle != .auto {
                    attributes.append(("ram_style_thresholds", .string(unit.thresholdRAMStyle.rawValue)))
                }
            case .slidingWindow, .downSampler:
                let simd = windowSIMD(of: node, in: graph, folding: unit)
                attributes.append(("SIMD", .integer(Int64(simd))))
                if node.unit == .slidingWindow { attributes.append(("ram_style", .string(unit.windowRAMStyle.rawValue))) }
                if let depth = unit.windowInputFIFODepth { attributes.append(("inFIFODepths", .oneLine(.integers([depth])))) }
            case .thresholding, .pool, .globalPool, .addStreams, .duplicateStreams, .labelSelect:
                attributes.append(("PE", .integer(Int64(unit.pe))))
            case .maxPool, .widthConverter, .fifo, .inputDMA, .outputDMA:
                continue
            }
            if node.unit != .slidingWindow && node.unit != .downSampler {
                if let depth = unit.inputFIFODepth { attributes.append(("inFIFODepths", .oneLine(.integers([depth])))) }
                if let depth = unit.outputFIFODepth { attributes.append(("outFIFODepths", .oneLine(.integers([depth])))) }
            }
            members.append((node.finnName, .object(attributes)))
        }
        return JSONOutput.object(members).rendered(pretty: true) + "\n"
    }

    /// The SIMD a window runs at under `folding`: what the stage builder gives it.
    static func windowSIMD(of node: DataflowNode, in graph: DataflowGraph, folding: UnitFolding) -> Int {
        // A folding that cannot be applied never reaches a writer (the run simulated it first);
        // should one, its own SIMD is the best answer.
        let stages = (try? graph.stages(ofKey: node.key, folding: folding, portBits: 64)) ?? []
        // The key's stages come in node order; the window is the first.
        return stages.first { $0.unit == node.unit }?.folding.simd ?? folding.windowSIMD ?? folding.simd
    }
}
