import CycleSim
import HWModel

/// The `run` report of every architecture: one row per layer with work, a total row, and a
/// summary footer. A systolic run adds SCALE-Sim's per-layer compute figures.
enum RunReport {
    /// Per-layer stacked bars of `cycleBreakdown`, one fixed colour per ``CycleCategory``.
    static func chart(_ simulation: NetworkSimulation) -> String {
        let layers = simulation.layers.filter { $0.cycles > 0 }
        let stacks = CycleCategory.allCases.map { category in
            SVGChart.Stack(name: ChartStyle.name(category), colour: ChartStyle.colour(category),
                           values: layers.map { layer in Double(layer.cycleBreakdown.first { $0.category == category }?.cycles ?? 0) })
        }
        let template = simulation.hardware.template
        return SVGChart.stackedBars(title: "Cycles per layer: \(simulation.network) on \(template.name), \(Report.fixed(template.clockMHz, 0)) MHz, batch \(simulation.batch)",
                                    yTitle: "cycles", categories: layers.map(\.layer), stacks: stacks)
    }

    /// What the cycle plot's legend terms mean, for `--help` and docs/simulation.md.
    static var cyclePlotLegend: String {
        "The --plot bars stack each layer's cycles: " + CycleCategory.allCases.map { "\(ChartStyle.name($0)) = \(ChartStyle.meaning($0))" }.joined(separator: "; ") + "."
    }

    /// Where a layer ran, as the table prints it: the array's name, `vector`, `fused→<host>` or `-`.
    static func engineName(_ engine: Engine, in accelerator: Accelerator?) -> String {
        switch engine {
        case .array(let index): accelerator?.arrays[index].name ?? "array \(index)"
        case .vectorUnit(let bits):
            (accelerator?.vectorUnits.count ?? 1) > 1 ? "vector-\(bits >= 32 ? "fp32" : "int\(bits)")" : "vector"
        case .fused(let host): "fused→\(host)"
        case .none: "-"
        case .dataflow(let node): node
        }
    }

    /// `m×k×n`, with ` ×runs` when the passes run more than once.
    static func gemmText(_ gemm: GEMMShape) -> String {
        "\(gemm.m)×\(gemm.k)×\(gemm.n)" + (gemm.runs > 1 ? " ×\(gemm.runs)" : "")
    }

    static func make(_ simulation: NetworkSimulation, dataflow: (DataflowSimulation, DataflowFlags.Origin)? = nil) -> Report {
        let accelerator = simulation.accelerator
        let template = simulation.hardware.template
        var systolicArray: SystolicArray?
        if case .systolic(let array) = simulation.architecture { systolicArray = array }
        let systolicColumns: [Report.Column] = systolicArray == nil ? [] : [
            .init(key: "mapping", title: "Sr×Sc×T", alignRight: false),
            .init(key: "folds", title: "folds", alignRight: true),
            .init(key: "cycles_per_fold", title: "cycles/fold", alignRight: true),
            .init(key: "compute_cycles", title: "SCALE-Sim cycles", alignRight: true),
            .init(key: "mapping_efficiency_pct", title: "mapping eff %", alignRight: true),
            .init(key: "compute_utilization_pct", title: "compute util %", alignRight: true),
        ]
        let dataflowColumns: [Report.Column] = dataflow == nil ? [] : DataflowReport.columns
        let architecture = systolicArray.map { "\($0.rows)×\($0.columns) systolic array (\($0.dataflow.rawValue)) of " }
            ?? (dataflow == nil ? "" : "a dataflow pipeline on ")
        var report = Report(title: "Simulation of \(simulation.network) on \(architecture)\(template.name) (\(template.device.name), \(template.board.name), \(Report.fixed(template.clockMHz, 0)) MHz, batch \(simulation.batch))", columns: [
            .init(key: "layer", title: "layer", alignRight: false),
            .init(key: "type", title: "type", alignRight: false),
            .init(key: "engine", title: "on", alignRight: false),
            .init(key: "unit", title: "unit", alignRight: false),
            .init(key: "gemm", title: "GEMM m×k×n", alignRight: false),
        ] + systolicColumns + dataflowColumns + [
            .init(key: "macs", title: "MACs", alignRight: true),
            .init(key: "cycles", title: "cycles", alignRight: true),
            .init(key: "ideal_cycles", title: "ideal", alignRight: true),
            .init(key: "utilization_pct", title: "util %", alignRight: true),
            .init(key: "stall_load", title: "stall load", alignRight: true),
            .init(key: "stall_store", title: "stall store", alignRight: true),
            .init(key: "stall_other", title: "stall other", alignRight: true),
            .init(key: "bytes_loaded", title: "loaded B", alignRight: true),
            .init(key: "bytes_stored", title: "stored B", alignRight: true),
            .init(key: "bound", title: "bound", alignRight: false),
        ])
        for layer in simulation.layers where layer.cycles > 0 {
            var systolic: [Report.Cell] = []
            if systolicArray != nil {
                if let compute = layer.systolic {
                    let mapping = compute.mapping
                    systolic = [
                        .text("\(mapping.spatialRows)×\(mapping.spatialColumns)×\(mapping.temporal)" + (compute.repeats > 1 ? " ×\(compute.repeats)" : "")),
                        .integer(Int64(compute.folds)), .integer(Int64(compute.cyclesPerFold)), .integer(Int64(compute.computeCycles)),
                        .number(100 * compute.mappingEfficiency, decimals: 2), .number(100 * compute.computeUtilization, decimals: 2),
                    ]
                } else {
                    systolic = Array(repeating: .empty, count: systolicColumns.count)
                }
            }
            let stages = dataflow.map { DataflowReport.cells(layer, model: $0.0.options.resourceModel) } ?? []
            report.add([
                .text(layer.layer), .text(layer.type), .text(engineName(layer.engine, in: accelerator)), layer.unit.map { .text($0.name) } ?? .empty,
                layer.gemm.map { .text(gemmText($0)) } ?? .empty,
            ] + systolic + stages + [
                .integer(layer.macs), .integer(layer.cycles), .integer(layer.idealCycles),
                .number(100 * layer.utilization, decimals: 1), .integer(layer.stalls.load), .integer(layer.stalls.store),
                .integer(layer.stalls.ports + layer.stalls.fill + layer.stalls.adapter), .integer(layer.bytesLoaded),
                .integer(layer.bytesStored), .text(layer.bound.rawValue),
            ])
        }
        let stalls = simulation.stalls
        let systolicTotal: [Report.Cell] = systolicArray == nil ? [] : [.empty, .empty, .empty,
            .integer(simulation.layers.reduce(0) { $0 + Int64($1.systolic?.computeCycles ?? 0) }), .empty, .empty]
        let dataflowTotal: [Report.Cell] = dataflow.map { DataflowReport.totalCells($0.0) } ?? []
        report.add([.text("total"), .empty, .empty, .empty, .empty] + systolicTotal + dataflowTotal + [
            .integer(simulation.macs), .integer(simulation.cycles), .integer(simulation.idealCycles),
            .number(100 * simulation.arrayUtilization, decimals: 1),
            .integer(stalls.load), .integer(stalls.store), .integer(stalls.ports + stalls.fill + stalls.adapter),
            .integer(simulation.bytesLoaded), .integer(simulation.bytesStored), .empty,
        ])
        report.footer = footer(simulation, systolic: systolicArray)
        if let dataflow { report.footer.insert(contentsOf: DataflowReport.footer(dataflow.0, origin: dataflow.1), at: 1) }
        report.rowsKey = "layers"
        report.summary = summary(simulation)
        return report
    }

    /// The totals every architecture fills, as `--format json` prints them under `summary`.
    static func summary(_ simulation: NetworkSimulation) -> [(key: String, value: Report.Cell)] {
        let usage = simulation.hardware.usage
        let template = simulation.hardware.template
        let architecture: String = switch simulation.architecture {
        case .tile: "tile"
        case .systolic: "systolic"
        case .dataflow: "dataflow"
        }
        var cells: [(key: String, value: Report.Cell)] = [
            ("network", .text(simulation.network)), ("architecture", .text(architecture)), ("hardware", .text(template.name)),
            ("device", .text(template.device.name)), ("board", .text(template.board.name)), ("batch", .integer(Int64(simulation.batch))),
            ("cycles", .integer(simulation.cycles)), ("latency_ms", .number(simulation.latencySeconds * 1e3, decimals: 6)),
            ("fps", .number(simulation.framesPerSecond, decimals: 3)), ("clock_mhz", .number(simulation.clockMHz, decimals: 3)),
            ("ii_cycles", .integer(simulation.cyclesBetweenBatches)),
            ("bottleneck_layer", simulation.slowestLayer.map { .text($0) } ?? .empty),
            ("macs", .integer(simulation.macs)), ("gops", .number(simulation.effectiveOpsPerSecond / 1e9, decimals: 3)),
            ("peak_pct", .number(100 * simulation.peakFraction, decimals: 3)),
            ("model_size_mib", .number(simulation.cost.modelSizeMiB, decimals: 6)),
            ("bytes_loaded", .integer(simulation.bytesLoaded)), ("bytes_stored", .integer(simulation.bytesStored)),
        ]
        for kind in ResourceKind.allCases {
            cells.append((kind.rawValue, .integer(Int64(usage.used[kind]))))
        }
        for kind in ResourceKind.allCases {
            cells.append(("\(kind.rawValue)_pct", usage.percentOfDevice(kind).map { .number($0, decimals: 3) } ?? .empty))
        }
        cells.append(("fits", .flag(usage.fitsBudget)))
        cells.append(("limiting_resource", usage.limitingResource.map { .text($0.rawValue) } ?? .empty))
        return cells
    }

    static func footer(_ simulation: NetworkSimulation, systolic: SystolicArray?) -> [String] {
        let hardware = simulation.hardware
        let template = hardware.template
        var footer: [String] = []
        let steady = simulation.firstFrame == nil ? "" : " in the steady state (resident weights on chip)"
        footer.append("cycles \(Report.grouped(simulation.cycles))\(steady); latency \(Report.duration(milliseconds: simulation.latencySeconds * 1e3)) at \(Report.fixed(template.clockMHz, 0)) MHz; \(Report.fixed(simulation.framesPerSecond, 1)) frames/s")
        if let first = simulation.firstFrame {
            footer.append("first frame: \(Report.grouped(first.cycles)) cycles (\(Report.duration(milliseconds: Double(first.cycles) / (template.clockMHz * 1e3)))), loading \(Report.fixed(Double(first.weightBytesLoaded) / 1e6, 3)) MB of weights that later frames keep on chip")
        }
        if let systolic {
            footer.append("compute cycles, mapping efficiency and compute utilisation of the \(systolic.rows)×\(systolic.columns) array follow SCALE-Sim v2/v3 (compute/systolic_compute_{os,ws,is}.py), shared over hwsim's tiles by their MACs; memory stalls come from the same load/compute/store pipeline with the hardware config's buffers and DMA")
        }
        footer.append("effective \(Report.fixed(simulation.effectiveOpsPerSecond / 1e9, 1)) GOPS (2 ops per MAC) = \(Report.fixed(100 * simulation.peakFraction, 1)) % of the arrays' peak \(Report.fixed(hardware.peakOpsPerSecond / 1e9, 1)) GOPS")
        let stalls = simulation.stalls
        footer.append("stalls: load \(Report.grouped(stalls.load)), store \(Report.grouped(stalls.store)), buffer ports \(Report.grouped(stalls.ports)), pipeline fill \(Report.grouped(stalls.fill)), ASQ adapter \(Report.grouped(stalls.adapter)) cycles")
        footer.append("DRAM traffic: \(Report.fixed(Double(simulation.bytesLoaded) / 1e6, 3)) MB loaded (weights \(Report.fixed(Double(simulation.weightBytesLoaded) / 1e6, 3)) MB), \(Report.fixed(Double(simulation.bytesStored) / 1e6, 3)) MB stored; DMA \(Report.fixed(template.board.bandwidthGBps * template.dmaEfficiency, 1)) GB/s (\(Report.fixed(template.board.bandwidthGBps, 1)) GB/s × \(Report.fixed(template.dmaEfficiency, 2)))")
        footer.append("model size \(Report.fixed(simulation.cost.modelSizeMiB, 3)) MiB (cost model: packed weight codes + FP32 biases, BatchNorm values and scales)")
        if let accelerator = simulation.accelerator { footer += overlayLines(simulation, accelerator) }
        let usage = hardware.usage
        footer.append("resources: " + ResourceKind.allCases.map { kind in
            "\(kind.title) \(Report.grouped(Int64(usage.used[kind]))) (\(Report.fixed(usage.percentOfDevice(kind) ?? 0, 1)) % of \(Report.grouped(Int64(usage.device[kind]))))"
        }.joined(separator: ", "))
        if let limiting = usage.limitingResource {
            footer.append("limiting resource: \(limiting.title), \(Report.fixed(100 * usage.exact[limiting] / max(usage.budget[limiting], 1e-9), 1)) % of its budget (\(Report.grouped(Int64(usage.budget[limiting].rounded(.down)))))")
        }
        if usage.fitsBudget {
            footer.append("fits: yes, within the utilisation budget (" + ResourceKind.allCases.map { "\($0.title) \(Report.fixed(100 * template.device.budget[$0], 0)) %" }.joined(separator: ", ") + ")")
        } else {
            let over = usage.overBudget.map { "\($0.kind.title) \(Report.grouped(Int64(($0.used - 1e-6).rounded(.up)))) > \(Report.grouped(Int64($0.limit.rounded(.down)))) allowed" }
            footer.append("fits: NO — does not fit the utilisation budget: \(over.joined(separator: "; "))" + (usage.fitsDevice ? " (it would fit the bare device)" : "; it exceeds the device itself"))
        }
        return footer
    }

    /// The overlay's parts: arrays and their lanes, vector and adapter units, buffers, where the
    /// cycles go, and what each part uses of the budget.
    static func overlayLines(_ simulation: NetworkSimulation, _ accelerator: Accelerator) -> [String] {
        var lines: [String] = []
        for array in accelerator.arrays {
            lines.append("array \(array.name): \(array.unit.name), \(array.geometry) = \(Report.grouped(array.lanes)) lanes, \(array.dataflow.rawValue); \(laneText(array.unit))")
        }
        let vector = accelerator.vectorUnits.map { "\($0.lanes) lanes of \($0.widthName)" }.joined(separator: ", ")
        lines.append("vector units: \(vector.isEmpty ? "none (no element-wise work)" : vector)"
                     + (accelerator.adapterLanes > 0 ? "; ASQ adapter unit: \(accelerator.adapterLanes) FP32 lanes\(accelerator.template.adapterLanes == nil ? " (sized from its work)" : "")" : ""))
        lines.append("buffers (sized to the mapping where auto): " + accelerator.buffers.map { "\($0.role.rawValue) \($0.blocks) \($0.memory.rawValue.uppercased()) (\(Report.fixed(Double($0.capacityBits) / 8 / 1_048_576, 2)) MiB)" }.joined(separator: ", "))
        let shares = simulation.cyclesByEngine
        let total = Double(max(shares.reduce(Int64(0)) { $0 &+ $1.cycles }, 1))
        lines.append("cycles by engine: " + shares.map { "\(engineShareName($0.engine, accelerator)) \(Report.fixed(100 * Double($0.cycles) / total, 1)) %" }.joined(separator: ", "))
        if let dominant = simulation.dominantEngine {
            lines.append("note: the \(engineShareName(dominant.engine, accelerator)) takes \(Report.fixed(100 * dominant.fraction, 1)) % of the cycles: it sets the design's speed")
        }
        lines.append("resources by part: " + accelerator.resourcesByPart.map { part in
            let used = ResourceKind.allCases.filter { part.resources[$0] > 1e-9 }.map { "\($0.title) \(Report.grouped(Int64((part.resources[$0] - 1e-6).rounded(.up))))" }
            return "\(partName(part.part, accelerator)) \(used.isEmpty ? "nothing" : used.joined(separator: " "))"
        }.joined(separator: "; "))
        return lines
    }

    /// What one lane of `unit` costs and why, for units whose cost needs saying.
    static func laneText(_ unit: ArithmeticUnit) -> String {
        let lut = Report.fixed(UnitCostConstants.finnLUTScale * unit.multiplierLUT, 1)
        switch unit.multiplier {
        case .shift(let positions):
            return "multiplier \(lut) LUT per lane: a barrel shifter over \(positions) shift amounts (2^0 … 2^-\(positions - 1))"
        case .shiftSqrt2(let positions):
            return "multiplier \(lut) LUT per lane: a shifter over \((positions + 1) / 2) shift amounts plus the √2·a table (ASQ Eq. 18), since √2 steps span \(positions) magnitudes in half the octaves of POT"
        case .fp32:
            return "FP32 multiply-add per lane"
        default:
            return "multiplier \(lut) LUT per lane on LUTs (FINN-R)"
        }
    }

    static func engineShareName(_ engine: EngineShare, _ accelerator: Accelerator) -> String {
        switch engine {
        case .array(let index): "array \(accelerator.arrays[index].name)"
        case .vectorUnit(let bits): "\(bits >= 32 ? "FP32" : "\(bits)-bit") vector unit"
        case .adapterUnit: "ASQ adapter unit"
        }
    }

    static func partName(_ part: AcceleratorPart, _ accelerator: Accelerator) -> String {
        switch part {
        case .shell: "board shell"
        case .ddrControllers: "DDR controllers"
        case .buffers: "buffers"
        case .vectorUnits: "vector units"
        case .adapterUnit: "ASQ adapter unit"
        case .array(let index): "array \(accelerator.arrays[index].name)"
        }
    }
}
