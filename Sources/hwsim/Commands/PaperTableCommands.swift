import ArgumentParser
import Foundation
import Quantizers
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

/// `hwsim table sod-size`: VecQ Table 11.
struct SalientObjectTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sod-size",
        abstract: "VecQ Table 11: convolutions, parameters, FP32 and 2-bit sizes of U-Net, FPN, LinkNet and UNet++ on a ResNet-50 encoder.",
        discussion: "The networks are the shipped configs unet-resnet50, fpn-resnet50, linknet-resnet50 and unetpp-resnet50, written after qubvel's Keras segmentation_models 0.1.2 (as vendored in MrGiovanni/UNetPlusPlus), whose layers reproduce every cell; segmentation_models.pytorch matches none of the parameter counts (docs/cost-model.md).")

    @OptionGroup var options: TableOptions

    func run() throws {
        let directory = try ConfigLocator.directory(explicit: options.configs)
        var networks: [String: Network] = [:]
        for model in SalientObjectTable.models {
            networks[model.config] = try Loader.network(directory.appendingPathComponent("\(model.config).json").path).network
        }
        let reference = try PaperTableReport.reference(.vecqSalientObjectSizes)
        let rows: [PaperComparison]
        do {
            rows = try SalientObjectTable.rows(reference: reference, networks: networks)
        } catch {
            throw CommandFailure(error.description)
        }
        var report = try PaperTableReport.make(title: "VecQ Table 11: salient-object-detection models on a ResNet-50 encoder", rows: rows,
                                               decimals: 3, table: .vecqSalientObjectSizes)
        report.footer.append("convolutions count conv2d and conv_transpose2d layers; parameters are Keras' count_params (trained values plus BatchNorm running statistics); sizes as Table 5 (2-bit: VecQ codes, FP32 biases and BatchNorm); tolerance: half a unit of the paper's last printed digit")
        print(report.render(options.output.format), terminator: "")
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
                throw ValidationError("--adapter-hidden: \(MessageText.quoted(item)) is not a positive width")
            }
            widths.append(width)
        }
        guard (1...2).contains(adapterOpsPerMac) else { throw ValidationError("--adapter-ops-per-mac: must be 1 or 2") }
        return AdapterSpec(statistic: statistic, hiddenWidths: widths, operationsPerMAC: adapterOpsPerMac, placement: placement)
    }

    func run() throws {
        let directory = try ConfigLocator.directory(explicit: options.configs)
        let network = try Loader.network(directory.appendingPathComponent("resnet18.json").path).network
        let reference = try PaperTableReport.reference(.asqOverhead)
        let spec = try adapter()
        let rows: [PaperComparison]
        do {
            rows = try AdapterOverheadTable.rows(reference: reference, network: network, adapter: spec)
        } catch {
            throw CommandFailure(error.description)
        }
        var report = try PaperTableReport.make(title: "ASQ Table 1: adapter overhead on ResNet-18", rows: rows, decimals: 3, table: .asqOverhead)
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
        let directory = try ConfigLocator.directory(explicit: options.configs)
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
        var report = try make(title: title, rows: rows, decimals: 3, table: name)
        report.footer.append("size = weight codes packed at W bits + FP32 biases, BatchNorm γ, β, running mean and variance, and one FP32 scale per weight tensor; 1 MiB = 2^20 bytes")
        print(report.render(options.output.format), terminator: "")
    }

    /// The comparison table: hwsim's value, the published one, the difference, the tolerance,
    /// and a note (``ReferenceNotes``) that explains a miss.
    static func make(title: String, rows given: [PaperComparison], decimals: Int, paperDecimals: Int = 2, publishedTitle: String = "paper",
                     table: ReferenceTable.Name) throws -> Report {
        let notes: ReferenceNotes
        do {
            notes = try ReferenceNotes.load()
        } catch {
            throw CommandFailure(error.description)
        }
        let rows = notes.annotate(given, table: table)
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
            .init(key: "note", title: "note", alignRight: false),
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
                .text(row.note ?? ""),
            ])
        }
        let checked = rows.compactMap(\.withinTolerance)
        let explained = rows.filter { $0.withinTolerance == false && $0.note != nil }.count
        let misses = checked.filter { !$0 }.count
        report.footer.append("\(checked.filter { $0 }.count) of \(checked.count) cells within tolerance"
                             + (misses == 0 ? "" : "; \(explained) of the \(misses) miss(es) explained in the note column"))
        return report
    }
}
