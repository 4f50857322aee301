import ArgumentParser
import Foundation
import ModelImport
import Quantizers

/// `hwsim quantize`: run the numeric quantizers on real weights and measure them.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize real weights — a NumPy .npy tensor, or every Conv/Gemm/MatMul weight of an ONNX model — with one or more schemes and print the loss metrics, chosen parameters and level histogram.")

    @Argument(help: "A NumPy .npy file (float32 or float64, little-endian, C order) or an ONNX model with its weights.")
    var file: String

    @Option(name: .customLong("scheme"), help: "A scheme to run (repeatable), e.g. vecq:4, post:3, ternary, qn:3bit-pm4.")
    var schemes: [String] = []

    @Flag(help: "Run every weight scheme at its common bitwidths.")
    var all = false

    @Flag(help: "One scale per output channel (axis 0) instead of one per tensor.")
    var perChannel = false

    @Flag(help: "Treat the tensor as activations (unsigned ranges) rather than weights.")
    var activations = false

    @OptionGroup var output: FormatOptions

    /// The schemes `--all` runs.
    static let allSchemes = ["binary", "ternary", "uniform:2", "uniform:4", "uniform:8", "lsq:4", "vecq:2", "vecq:3",
                             "vecq:4", "vecq:8", "pot:3", "pot:4", "post:3", "post:4", "apot:4", "qn:3bit-pm2", "qn:3bit-pm4"]

    func validate() throws {
        guard all || !schemes.isEmpty else { throw ValidationError("give at least one --scheme, or --all") }
        for text in schemes {
            do {
                _ = try QuantScheme(parsing: text)
            } catch {
                throw ValidationError("--scheme: \(error.description)")
            }
        }
    }

    /// A tensor to quantize, with the axis its output channels run along.
    struct Source {
        var label: String
        var tensor: Tensor
        var channelAxis: Int
    }

    func run() throws {
        var names = schemes
        if all { names += Self.allSchemes.filter { !names.contains($0) } }
        let sources = try Self.sources(file)
        let describe = sources.count == 1 ? "\(sources[0].tensor.shape)" : "\(sources.count) weight tensors"
        var report = Report(title: "\(file): \(describe), \(perChannel ? "per output channel" : "per tensor")", columns: [
            .init(key: "tensor", title: "tensor", alignRight: false),
            .init(key: "scheme", title: "scheme", alignRight: false),
            .init(key: "bits", title: "bits", alignRight: true),
            .init(key: "levels", title: "levels", alignRight: true),
            .init(key: "levels_used_fraction", title: "used", alignRight: true),
            .init(key: "l2_dql", title: "L2 DQL", alignRight: true),
            .init(key: "mse", title: "MSE", alignRight: true),
            .init(key: "jo", title: "Jo", alignRight: true),
            .init(key: "jm", title: "Jm", alignRight: true),
            .init(key: "sqnr_db", title: "SQNR dB", alignRight: true),
            .init(key: "parameters", title: "parameters", alignRight: false),
            .init(key: "histogram", title: "level histogram (level:count)", alignRight: false),
        ])
        for source in sources {
            let granularity: Granularity = perChannel ? .perChannel(axis: source.channelAxis) : .perTensor
            for name in names {
                do {
                    let scheme = try QuantScheme(parsing: name)
                    let quantized = try scheme.quantize(source.tensor, granularity: granularity, role: activations ? .activation : .weight)
                    let metrics = try QuantizationReport(original: source.tensor, quantized: quantized)
                    report.add([
                        .text(source.label), .text(scheme.description), .integer(Int64(quantized.codeBits)), .integer(Int64(metrics.levelCount)),
                        .number(metrics.fractionOfLevelsUsed, decimals: 3), .number(metrics.l2Loss, decimals: 6),
                        .number(metrics.meanSquaredError, decimals: 9), .number(metrics.orientationLoss, decimals: 6),
                        .number(metrics.modulusLoss, decimals: 6), .number(metrics.sqnrDecibels, decimals: 2),
                        .text(Self.parameters(quantized)), .text(Self.histogram(quantized)),
                    ])
                } catch {
                    throw CommandFailure("\(file): \(source.label): \(name): \(error)")
                }
            }
        }
        if output.format == .table || output.format == .md {
            // The histogram is too wide for a column; readers get it as lines under the table.
            let histogramColumn = report.columns.count - 1
            report.footer = ["levels used (level in units of the scale: count):"] + report.rows.map { row in
                "  \(sources.count > 1 ? row[0].plain + " " : "")\(row[1].plain): \(row[histogramColumn].plain)"
            }
            report.columns.removeLast()
            report.rows = report.rows.map { Array($0.dropLast()) }
            if sources.count == 1 {
                report.columns.removeFirst()
                report.rows = report.rows.map { Array($0.dropFirst()) }
            }
        }
        print(report.render(output.format), terminator: "")
    }

    /// The tensors in `file`: the array of a .npy file, or the weights of an ONNX model.
    static func sources(_ file: String) throws -> [Source] {
        if file.lowercased().hasSuffix(".onnx") {
            let weights: [ONNXWeight]
            do {
                weights = try ONNXModel.load(contentsOf: URL(fileURLWithPath: file)).computeWeights()
            } catch {
                throw CommandFailure(error.description)
            }
            var sources: [Source] = []
            for weight in weights where weight.tensor.hasPayload {
                do {
                    let values = try weight.tensor.values().map(Float.init)
                    sources.append(Source(label: weight.tensor.name, tensor: try Tensor(values: values, shape: weight.tensor.dims),
                                          channelAxis: weight.outputChannelAxis))
                } catch {
                    throw CommandFailure("\(file): weight '\(weight.tensor.name)' of node '\(weight.node.name)': \(error)")
                }
            }
            guard !sources.isEmpty else {
                throw CommandFailure("\(file): the model holds no Conv/Gemm/MatMul weight values (none, or all in external data that is not present); hwsim quantize needs the values")
            }
            return sources
        }
        let array: NPYArray
        do {
            array = try NPYArray(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CommandFailure("\(file): \(error.description)")
        }
        do {
            return [Source(label: URL(fileURLWithPath: file).lastPathComponent, tensor: try array.tensor(), channelAxis: 0)]
        } catch {
            throw CommandFailure("\(file): \(error.description)")
        }
    }

    /// `name=value` for one scale; `name=min…max` over channels.
    static func parameters(_ quantized: QuantizedTensor) -> String {
        let names = ["scale"] + quantized.parameterNames
        return names.enumerated().map { index, name in
            let values = quantized.fits.map { index == 0 ? $0.scale : (index - 1 < $0.parameters.count ? $0.parameters[index - 1] : .nan) }
            guard let low = values.min(), let high = values.max() else { return "\(name)=–" }
            return low == high ? "\(name)=\(Report.fixed(low, 6))" : "\(name)=\(Report.fixed(low, 6))…\(Report.fixed(high, 6))"
        }.joined(separator: " ")
    }

    static func histogram(_ quantized: QuantizedTensor) -> String {
        quantized.levelHistogram().filter { $0.count > 0 }.map { "\(Self.level($0.level)):\($0.count)" }.joined(separator: " ")
    }

    private static func level(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(format: "%.4g", value)
    }
}
