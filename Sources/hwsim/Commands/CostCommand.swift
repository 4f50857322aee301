import ArgumentParser
import HWModel
import Quantizers

/// `hwsim cost`: the analytic cost model, per layer and in total.
struct CostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Parameters, OPS, QOPS, BOPs and storage of every layer under a quantization plan.",
        discussion: "OPS are multiply-accumulates (ASQ Eq. 12-13); QOPS = OPS x b / 32 with b the wider operand; BOPs = MACs x weight bits x activation bits; storage packs weight codes densely and keeps biases, BatchNorm values and scale factors in FP32.")

    @Argument(help: "Network: a JSON config, an ONNX/QONNX model (.onnx) or a SCALE-Sim topology/GEMM CSV (.csv).")
    var config: String

    @OptionGroup var plan: PlanOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
        let loaded = try Loader.network(config)
        let cost: NetworkCost
        do {
            cost = try CostModel.evaluate(loaded.network, plan: try plan.apply(to: loaded.plan))
        } catch let error as CostError {
            throw CommandFailure("\(config): \(error.description)")
        }
        print(CostReport.make(cost).render(output.format), terminator: "")
    }
}

/// The per-layer cost table.
enum CostReport {
    static func make(_ cost: NetworkCost) -> Report {
        var report = Report(title: "Cost of \(cost.network)", columns: [
            .init(key: "layer", title: "layer", alignRight: false),
            .init(key: "type", title: "type", alignRight: false),
            .init(key: "output_shape", title: "output", alignRight: false),
            .init(key: "weights_scheme", title: "W", alignRight: false),
            .init(key: "activations_scheme", title: "A", alignRight: false),
            .init(key: "parameters", title: "params", alignRight: true),
            .init(key: "ops", title: "OPS (MACs)", alignRight: true),
            .init(key: "qops", title: "QOPS", alignRight: true),
            .init(key: "bops", title: "BOPs", alignRight: true),
            .init(key: "vector_ops", title: "vector ops", alignRight: true),
            .init(key: "storage_bytes", title: "storage B", alignRight: true),
            .init(key: "adapter_parameters", title: "adapter params", alignRight: true),
            .init(key: "adapter_ops", title: "adapter ops", alignRight: true),
        ])
        for layer in cost.layers {
            report.add([
                .text(layer.layer), .text(layer.type), .text(layer.outputShape.description),
                layer.quantization.map { .text($0.weights.description) } ?? .empty,
                layer.quantization.map { .text($0.activations.description) } ?? .empty,
                .integer(layer.parameters), .integer(layer.macs), .number(layer.qops, decimals: 1),
                .integer(layer.bops), .integer(layer.vectorOperations), .number(Double(layer.storageBits) / 8, decimals: 1),
                layer.adapter.map { .integer($0.parameters) } ?? .empty,
                layer.adapter.map { .integer($0.operations) } ?? .empty,
            ])
        }
        report.add([
            .text("total"), .empty, .empty, .empty, .empty,
            .integer(cost.parameters), .integer(cost.macs), .number(cost.qops, decimals: 1), .integer(cost.bops),
            .integer(cost.vectorOperations), .number(Double(cost.storageBits) / 8, decimals: 1),
            .integer(cost.adapterParameters), .integer(cost.adapterOperations),
        ])
        report.footer = [
            "parameters \(Report.grouped(cost.parameters)) (BatchNorm running statistics, stored but not trained: \(Report.grouped(cost.normBuffers)))",
            "OPS \(Report.grouped(cost.macs)) MACs, QOPS \(Report.fixed(cost.qops / 1e9, 4)) G, BOPs \(Report.fixed(Double(cost.bops) / 1e9, 3)) G",
            "model size \(Report.fixed(cost.modelSizeMiB, 3)) MiB; with ASQ adapters \(Report.fixed(cost.totalSizeMiB, 3)) MiB",
            "ASQ adapters: \(Report.fixed(cost.adapterParameterOverheadPercent, 2)) % of parameter storage (Eq. 14), \(Report.fixed(cost.adapterComputeOverheadPercent, 3)) % of QOPS",
        ]
        return report
    }
}
