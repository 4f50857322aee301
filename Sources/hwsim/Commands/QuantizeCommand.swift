import ArgumentParser
import Foundation
import ModelImport
import Quantizers

/// `hwsim quantize`: run the numeric quantizers on real weights and measure them.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize real weights — a NumPy .npy tensor, or every Conv/Gemm/MatMul weight of an ONNX model — with one or more schemes and print the loss metrics, chosen parameters and level histogram.",
        discussion: """
        Columns (w: the tensor, ŵ: its quantized values, N: its size):
          layer    for ONNX input, the layer name `hwsim run` gives the node
          bits     bits per stored code; levels: size of the level set
          used     fraction of the levels at least one value lands on
          L2 DQL   VecQ's L2 direct quantization loss ‖w − ŵ‖² (Eq. 1–2)
          MSE      ‖w − ŵ‖² / N, comparable across tensor sizes
          Jo       VecQ's orientation loss 1 − cos(w, ŵ) (Eq. 3)
          Jm       VecQ's modulus loss ‖w − αv‖² (Eq. 3); = L2 DQL for ŵ = αv
          SQNR dB  10·log10(‖w‖² / ‖w − ŵ‖²)
        The parameters each quantizer chose (scale, step, λ, α, …; min…max over channels) and the level histogram are listed under the table. Lines fit 120 columns (long layer names are shortened in the middle) unless --wide.

        uniform:k clips at the MSE-optimal value by default (--calibration mse); --calibration max gives the no-clipping baseline, percentile:P the P-th percentile of |w|. Other schemes calibrate as their papers do. See docs/quantizers.md.
        """)

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

    @Option(help: "Clip of uniform:k: mse (default: the least squared error), max (no clipping) or percentile:P, e.g. percentile:99.9.")
    var calibration: String = "mse"

    @Flag(help: "Do not fit the table to 120 columns: parameters stay a column and layer names whole.")
    var wide = false

    @OptionGroup var output: FormatOptions

    /// Text and Markdown lines are kept within this width unless `--wide`.
    static let lineWidth = 120

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
        _ = try uniformCalibration()
    }

    /// `--calibration`, parsed.
    func uniformCalibration() throws -> UniformCalibration {
        do {
            return try UniformCalibration(parsing: calibration)
        } catch {
            throw ValidationError("--calibration: \(error.description)")
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
        let clip = try uniformCalibration()
        let describe = sources.count == 1 ? "\(sources[0].tensor.shape)" : "\(sources.count) weight tensors"
        // The file's name, not its path, so the title fits the line width too.
        let shown = wide ? file : URL(fileURLWithPath: file).lastPathComponent
        var report = Report(title: "\(shown): \(describe), \(perChannel ? "per output channel" : "per tensor"); uniform clip: \(clip)", columns: [
            .init(key: "layer", title: "layer", alignRight: false),
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
                    let quantized = try scheme.quantize(source.tensor, granularity: granularity, role: activations ? .activation : .weight, calibration: clip)
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
            report = Self.readable(report, oneSource: sources.count == 1, width: wide ? nil : Self.lineWidth, format: output.format)
        }
        print(report.render(output.format), terminator: "")
    }

    /// The table and Markdown layout: the histogram (and, to fit `width`, the parameters) as
    /// lines under the table, wrapped; long layer names shortened in the middle.
    static func readable(_ full: Report, oneSource: Bool, width: Int?, format: OutputFormat) -> Report {
        var report = full
        let layer = 0, parameters = report.columns.count - 2, histogram = report.columns.count - 1
        func label(_ row: [Report.Cell]) -> String { (oneSource ? "" : row[layer].plain + " ") + row[1].plain }
        var below: [String] = []
        // Markdown turns footer lines into list items, two characters wider.
        let lineWidth = width.map { format == .md ? $0 - 2 : $0 }
        var drop: [Int] = [histogram]
        var candidate = report
        candidate.columns.remove(at: histogram)
        candidate.rows = candidate.rows.map { row in var row = row; row.remove(at: histogram); return row }
        if let width, candidate.tableWidth(format) > width {
            drop.append(parameters)
            below.append("parameters chosen:")
            below += full.rows.flatMap { Report.wrap("  \(label($0)): \($0[parameters].plain)", width: lineWidth ?? width, indent: "      ") }
        }
        below.append("levels used (level in units of the scale: count):")
        below += full.rows.flatMap { row in
            let line = "  \(label(row)): \(row[histogram].plain)"
            return lineWidth.map { Report.wrap(line, width: $0, indent: "      ") } ?? [line]
        }
        if oneSource { drop.append(layer) }
        for index in drop.sorted(by: >) {
            report.columns.remove(at: index)
            report.rows = report.rows.map { row in var row = row; row.remove(at: index); return row }
        }
        if let width, !oneSource { report = shortened(report, column: layer, width: width, format: format) }
        report.footer = below
        return report
    }

    /// `report` with the cells of `column` cut in the middle (`…`) until its lines fit `width`.
    static func shortened(_ report: Report, column: Int, width: Int, format: OutputFormat) -> Report {
        var result = report
        let excess = report.tableWidth(format) - width
        guard excess > 0 else { return result }
        let longest = report.rows.map { $0[column].plain.count }.max() ?? 0
        let keep = max(longest - excess, 12)
        result.rows = report.rows.map { row in
            var row = row
            let text = row[column].plain
            if text.count > keep {
                let head = (keep - 1) / 2, tail = keep - 1 - head
                row[column] = .text(String(text.prefix(head)) + "…" + String(text.suffix(tail)))
            }
            return row
        }
        return result
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
                    // The layer name `hwsim run` gives the node, not the exporter's tensor name (onnx::Conv_32).
                    sources.append(Source(label: weight.node.displayName, tensor: try Tensor(values: values, shape: weight.tensor.dims),
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
        let array = try Loader.npy(file)
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
        guard let whole = Int64(exactly: value), abs(value) < 1e15 else { return String(format: "%.4g", value) }
        return String(whole)
    }
}
