import ArgumentParser
import Foundation
import HWModel
import Reference

/// `hwsim table model-size`: VecQ Table 5.
struct ModelSizeTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model-size",
        abstract: "VecQ Table 5: model size of LeNet5, VGG-like, AlexNet, ResNet-18 and MobileNetV2 at 32 and 1-8 bits.")

    @OptionGroup var options: TableOptions

    func run() throws {
        try PaperTableReport.modelSize(.vecqModelSizes, columns: ModelSizeTable.imageColumns,
                                       title: "VecQ Table 5: model size (MiB), VecQ weights, FP32 activations", options: options)
    }
}

/// `hwsim table lstm-size`: VecQ Table 6.
struct LSTMSizeTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lstm-size",
        abstract: "VecQ Table 6: model size of the IMDB and THUCNews LSTM models.")

    @OptionGroup var options: TableOptions

    func run() throws {
        try PaperTableReport.modelSize(.vecqLSTMSizes, columns: ModelSizeTable.lstmColumns,
                                       title: "VecQ Table 6: model size (MiB) of the LSTM models", options: options)
    }
}

/// `hwsim table asq-overhead`: ASQ Table 1.
struct AdapterOverheadTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asq-overhead",
        abstract: "ASQ Table 1: parameter and compute overhead of the ASQ adapters on ResNet-18.",
        discussion: "The paper does not give the adapter's shape; the defaults are hwsim's documented choice (docs/cost-model.md). Change them to see how the table moves.")

    @OptionGroup var options: TableOptions

    @Option(help: "Statistic the adapter reads: channel-mean, channel-mean-std or tensor-mean-std.")
    var adapterStatistic: String = AdapterSpec().statistic.rawValue

    @Option(help: "Hidden widths of the adapter, comma-separated; empty for a single linear layer.")
    var adapterHidden: String = AdapterSpec().hiddenWidths.map(String.init).joined(separator: ",")

    @Option(help: "Operations per adapter MAC: 2 (multiply and add) or 1.")
    var adapterOpsPerMac: Int = AdapterSpec().operationsPerMAC

    @Option(help: "Layers with adapters: inner (all but the first and last weight layer) or all.")
    var adapterPlacement: String = AdapterSpec().placement.rawValue

    func validate() throws { _ = try adapter() }

    func adapter() throws -> AdapterSpec {
        guard let statistic = AdapterSpec.Statistic(rawValue: adapterStatistic) else {
            throw ValidationError("--adapter-statistic: expected one of \(AdapterSpec.Statistic.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let placement = AdapterSpec.Placement(rawValue: adapterPlacement) else {
            throw ValidationError("--adapter-placement: expected inner or all")
        }
        var widths: [Int] = []
        for item in adapterHidden.split(separator: ",") {
            guard let width = Int(item.trimmingCharacters(in: .whitespaces)), width > 0 else {
                throw ValidationError("--adapter-hidden: '\(item)' is not a positive width")
            }
            widths.append(width)
        }
        guard (1...2).contains(adapterOpsPerMac) else { throw ValidationError("--adapter-ops-per-mac: must be 1 or 2") }
        return AdapterSpec(statistic: statistic, hiddenWidths: widths, operationsPerMAC: adapterOpsPerMac, placement: placement)
    }

    func run() throws {
        let directory = try Loader.configsDirectory(options.configs)
        let network = try Loader.network(directory.appendingPathComponent("resnet18.json").path).network
        let reference = try PaperTableReport.reference(.asqOverhead)
        let spec = try adapter()
        let rows: [PaperComparison]
        do {
            rows = try AdapterOverheadTable.rows(reference: reference, network: network, adapter: spec)
        } catch {
            throw CommandFailure(error.description)
        }
        var report = PaperTableReport.make(title: "ASQ Table 1: adapter overhead on ResNet-18", rows: rows, decimals: 3)
        let hidden = spec.hiddenWidths.isEmpty ? "" : spec.hiddenWidths.map(String.init).joined(separator: " → ") + " → "
        report.footer.append("adapter: \(spec.statistic.rawValue) → \(hidden)1, FP32, \(spec.operationsPerMAC) ops per MAC, on \(spec.placement == .innerLayers ? "all but the first and last" : "all") weight layers")
        print(report.render(options.output.format), terminator: "")
    }
}

/// Shared rendering of paper comparisons.
enum PaperTableReport {
    static func reference(_ name: ReferenceTable.Name) throws -> ReferenceTable {
        do {
            return try ReferenceTable.load(name)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    static func modelSize(_ name: ReferenceTable.Name, columns: [ModelSizeTable.Column], title: String, options: TableOptions) throws {
        let directory = try Loader.configsDirectory(options.configs)
        var networks: [String: Network] = [:]
        for column in columns {
            networks[column.config] = try Loader.network(directory.appendingPathComponent("\(column.config).json").path).network
        }
        let table = try reference(name)
        let rows: [PaperComparison]
        do {
            rows = try ModelSizeTable.rows(reference: table, columns: columns, networks: networks)
        } catch {
            throw CommandFailure(error.description)
        }
        var report = make(title: title, rows: rows, decimals: 3)
        report.footer.append("size = weight codes packed at W bits + FP32 biases, BatchNorm γ, β, running mean and variance, and one FP32 scale per weight tensor; 1 MiB = 2^20 bytes")
        print(report.render(options.output.format), terminator: "")
    }

    static func make(title: String, rows: [PaperComparison], decimals: Int, paperDecimals: Int = 2, publishedTitle: String = "paper") -> Report {
        var report = Report(title: title, columns: [
            .init(key: "item", title: "item", alignRight: false),
            .init(key: "setting", title: "setting", alignRight: false),
            .init(key: "quantity", title: "quantity", alignRight: false),
            .init(key: "computed", title: "hwsim", alignRight: true),
            .init(key: "paper", title: publishedTitle, alignRight: true),
            .init(key: "difference", title: "diff", alignRight: true),
            .init(key: "difference_pct", title: "diff %", alignRight: true),
            .init(key: "tolerance", title: "tolerance", alignRight: true),
            .init(key: "within_tolerance", title: "ok", alignRight: false),
        ])
        for row in rows {
            report.add([
                .text(row.item), .text(row.setting), .text(row.quantity),
                .number(row.computed, decimals: decimals),
                row.paper.map { .number($0, decimals: paperDecimals) } ?? .empty,
                row.difference.map { .number($0, decimals: decimals) } ?? .empty,
                row.relativeDifferencePercent.map { .number($0, decimals: 1) } ?? .empty,
                row.tolerance.map { .number($0, decimals: decimals) } ?? .empty,
                row.withinTolerance.map { .flag($0) } ?? .empty,
            ])
        }
        let checked = rows.compactMap(\.withinTolerance)
        report.footer.append("\(checked.filter { $0 }.count) of \(checked.count) cells within tolerance")
        return report
    }
}
