import CycleSim
import HWModel

/// The `run --arch systolic` report, with SCALE-Sim's per-layer compute figures.
enum SystolicReport {
    static func make(_ run: SystolicRun) -> Report {
        let template = run.tileSimulation.accelerator.template
        var report = Report(title: "Systolic simulation of \(run.tileSimulation.network): \(run.array.rows)×\(run.array.columns) PEs, dataflow \(run.array.dataflow.rawValue), \(template.board.name), \(Report.fixed(template.clockMHz, 0)) MHz", columns: [
            .init(key: "layer", title: "layer", alignRight: false),
            .init(key: "mapping", title: "Sr×Sc×T", alignRight: false),
            .init(key: "folds", title: "folds", alignRight: true),
            .init(key: "cycles_per_fold", title: "cycles/fold", alignRight: true),
            .init(key: "compute_cycles", title: "compute cycles", alignRight: true),
            .init(key: "mapping_efficiency_pct", title: "mapping eff %", alignRight: true),
            .init(key: "compute_utilization_pct", title: "compute util %", alignRight: true),
            .init(key: "stall_load", title: "load stall", alignRight: true),
            .init(key: "stall_store", title: "store stall", alignRight: true),
            .init(key: "cycles", title: "cycles", alignRight: true),
            .init(key: "bytes_loaded", title: "loaded B", alignRight: true),
            .init(key: "bytes_stored", title: "stored B", alignRight: true),
        ])
        for layer in run.layers {
            if let compute = layer.compute {
                let mapping = compute.mapping
                report.add([
                    .text(layer.layer), .text("\(mapping.spatialRows)×\(mapping.spatialColumns)×\(mapping.temporal)" + (compute.repeats > 1 ? " ×\(compute.repeats)" : "")),
                    .integer(Int64(compute.folds)), .integer(Int64(compute.cyclesPerFold)), .integer(Int64(compute.computeCycles)),
                    .number(100 * compute.mappingEfficiency, decimals: 2), .number(100 * compute.computeUtilization, decimals: 2),
                    .integer(layer.tile.stalls.load), .integer(layer.tile.stalls.store), .integer(layer.cycles),
                    .integer(layer.tile.bytesLoaded), .integer(layer.tile.bytesStored),
                ])
            } else {
                report.add([
                    .text(layer.layer), .text("vector"), .empty, .empty, .empty, .empty, .empty,
                    .integer(layer.tile.stalls.load), .integer(layer.tile.stalls.store), .integer(layer.cycles),
                    .integer(layer.tile.bytesLoaded), .integer(layer.tile.bytesStored),
                ])
            }
        }
        report.add([
            .text("total"), .empty, .empty, .empty, .integer(run.computeCycles), .empty, .empty,
            .integer(run.layers.reduce(0) { $0 + $1.tile.stalls.load }), .integer(run.layers.reduce(0) { $0 + $1.tile.stalls.store }),
            .integer(run.cycles), .integer(run.tileSimulation.bytesLoaded), .integer(run.tileSimulation.bytesStored),
        ])
        report.footer = [
            "cycles \(Report.grouped(run.cycles)) = SCALE-Sim compute \(Report.grouped(run.computeCycles)) + memory stalls \(Report.grouped(run.memoryStallCycles)) + vector layers; latency \(Report.fixed(run.latencySeconds * 1e3, 3)) ms at \(Report.fixed(template.clockMHz, 0)) MHz",
            "compute cycles, mapping efficiency and compute utilisation follow SCALE-Sim v2/v3 (compute/systolic_compute_{os,ws,is}.py); memory stalls and bytes come from hwsim's tile simulation of the same layers on \(run.array.rows)×\(run.array.columns) lanes with the hardware config's buffers and DMA (\(Report.fixed(template.board.bandwidthGBps * template.dmaEfficiency, 1)) GB/s)",
        ]
        return report
    }
}
