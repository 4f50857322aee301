import CycleSim
import HWModel

/// The dataflow columns and footer lines of the `run` report (formatting only).
enum DataflowReport {
    static let columns: [Report.Column] = [
        .init(key: "folding", title: "PE×SIMD", alignRight: false),
        .init(key: "stage_cycles", title: "stage cycles", alignRight: true),
        .init(key: "lut", title: "LUT", alignRight: true),
        .init(key: "ff", title: "FF", alignRight: true),
        .init(key: "bram36", title: "BRAM36", alignRight: true),
        .init(key: "dsp", title: "DSP", alignRight: true),
    ]

    /// `PE16×SIMD3`, with the window's SIMD first for a convolution (`w3 · PE16×SIMD3`).
    static func foldingText(_ record: DataflowLayerRecord) -> String {
        record.stages.compactMap { stage -> String? in
            switch stage.unit {
            case .matrix, .vector:
                return "PE\(stage.folding.pe)×SIMD\(stage.folding.simd)" + (stage.folding.mmv > 1 ? "×MMV\(stage.folding.mmv)" : "")
            case .slidingWindow, .downSampler:
                return "w\(stage.folding.simd)"
            case .thresholding, .pool, .globalPool, .addStreams, .duplicateStreams, .labelSelect:
                return "PE\(stage.folding.pe)"
            default:
                return nil
            }
        }.joined(separator: " · ")
    }

    static func cells(_ layer: LayerSimulation, model: ResourceModel) -> [Report.Cell] {
        guard let record = layer.dataflow else { return Array(repeating: .empty, count: columns.count) }
        let total = record.stages.reduce(record.fifoResources.value(model)) { $0 + $1.resources.value(model) }
        let cycles = record.stages.map { $0.coupledCycles ?? $0.cycles }.max() ?? 0
        return [.text(foldingText(record)), .integer(cycles), .integer(Int64(total.lut.rounded(.up))), .integer(Int64(total.ff.rounded(.up))),
                .number(total.bram36, decimals: 1), .integer(Int64(total.dsp.rounded(.up)))]
    }

    static func totalCells(_ result: DataflowSimulation) -> [Report.Cell] {
        let total = result.acceleratorResources(result.options.resourceModel)
        return [.empty, .integer(result.pipeline.initiationInterval), .integer(Int64(total.lut.rounded(.up))), .integer(Int64(total.ff.rounded(.up))),
                .number(total.bram36, decimals: 1), .integer(Int64(total.dsp.rounded(.up)))]
    }

    static func resourcesText(_ r: ResourceVector) -> String {
        "LUT \(Report.grouped(Int64(r.lut.rounded(.up)))), FF \(Report.grouped(Int64(r.ff.rounded(.up)))), BRAM36 \(Report.fixed(r.bram36, 1)), URAM \(Report.grouped(Int64(r.uram.rounded(.up)))), DSP \(Report.grouped(Int64(r.dsp.rounded(.up))))"
    }

    static func footer(_ result: DataflowSimulation, origin: DataflowFlags.Origin) -> [String] {
        let simulation = result.simulation
        let template = simulation.hardware.template
        let pipeline = result.pipeline
        let clock = template.clockMHz
        var lines: [String] = []
        let bottleneck = result.stages[pipeline.bottleneck]
        lines.append("dataflow pipeline: II \(Report.grouped(pipeline.initiationInterval)) cycles, set by \(bottleneck.name) (\(bottleneck.layer)); \(Report.fixed(simulation.framesPerSecond, 1)) frames/s at \(Report.fixed(clock, 1)) MHz in steady state (clock / II)")
        lines.append("frame latency \(Report.grouped(pipeline.latency)) cycles (\(Report.fixed(Double(pipeline.latency) / clock / 1e3, 4)) ms); batch of \(simulation.batch): latency + (batch − 1) · II = \(Report.grouped(simulation.cycles)) cycles")
        let host = template.board.hostCallSeconds
        lines.append("with the host's call (\(Report.fixed(host * 1e6, 0)) µs per batch on \(template.board.name)): \(Report.fixed(result.measuredFramesPerSecond, 1)) frames/s for this batch")
        for link in pipeline.links where link.coupledCycles > 0 {
            lines.append("FIFO coupling: the \(link.depth)-word FIFO \(result.stages[link.producer].name) → \(result.stages[link.consumer].name) is shallower than a burst; the consumer's frame period becomes \(Report.grouped(link.coupledCycles)) cycles (docs/dataflow.md §3.2)")
        }
        switch origin {
        case .file(let path): lines.append("folding: \(path)")
        case .target(let fps): lines.append("folding: the cheapest (fewest LUTs) whose every layer reaches \(Report.fixed(fps, 1)) frames/s, relaxed to the interval reached (FINN's two-pass SetFolding)")
        case .fit: lines.append("folding: the fastest whose resources fit \(template.device.name)'s utilisation budget")
        }
        let model = result.options.resourceModel
        lines.append("accelerator (\(model.rawValue) model): " + resourcesText(result.acceleratorResources(model)))
        let other: ResourceModel = model == .structural ? .finn : .structural
        lines.append("accelerator (\(other.rawValue) model, for comparison): " + resourcesText(result.acceleratorResources(other)))
        lines.append(result.options.outOfContext ? "shell: not charged (out of context)" : "shell (\(template.board.name), board constant): " + resourcesText(result.shell))
        let fifos = pipeline.links.filter { $0.depth > DataflowConstants.shallowFIFODepth }
        if !fifos.isEmpty {
            lines.append("FIFOs: \(fifos.count) (" + fifos.prefix(12).map { "\($0.depth)×\($0.width)b\($0.given ? "" : " sized")" }.joined(separator: ", ") + (fifos.count > 12 ? ", …" : "") + ")")
        }
        return lines
    }
}
