import CycleSim
import Foundation
import HWModel
import Quantizers

/// Published FPGA builds of FINN-style dataflow accelerators, recomputed by hwsim's dataflow
/// architecture beside the published frame rates and resources (docs/dataflow.md §9–§10).
/// The calibration set is BNN-PYNQ's CNV and LFC; the validation set other networks, boards and
/// foldings. Published values are expectations, never inputs to the model.
public enum FPGABuildTable {
    /// Which builds.
    public enum Set: String, CaseIterable, Sendable {
        /// BNN-PYNQ CNV and LFC on Pynq-Z1 and Ultra96 (`fpga-builds.csv`).
        case calibration
        /// Other published builds (`fpga-validation.csv`).
        case validation

        var table: ReferenceTable.Name { self == .calibration ? .fpgaBuilds : .fpgaValidation }
    }

    /// A published figure.
    public enum Quantity: String, CaseIterable, Sendable {
        /// Frames per second as measured, or cycles per frame from FINN's RTL simulation.
        case fps, ii
        /// Resources.
        case lut, ff, dsp, bram36, uram
    }

    /// Frames/s of a compute-bound build reproduce the measurement within 10 %.
    public static let fpsTolerance = 0.10
    /// LUTs and block RAMs within 15 %.
    public static let lutTolerance = 0.15
    /// Block RAMs within 15 %.
    public static let bramTolerance = 0.15
    /// Flip-flops within 25 %.
    public static let ffTolerance = 0.25

    /// One published build and how to rebuild it.
    public struct Build: Hashable, Sendable {
        /// Row name.
        public var name: String
        /// Network config in `configs/finn/` (without `.json`).
        public var network: String
        /// Hardware config in `configs/hw/` (without `.json`).
        public var hardware: String
        /// Accelerator clock of the build.
        public var clockMHz: Double
        /// Frames per call of the measurement.
        public var images: Int
        /// Bits per input element the host sends, when not the first layer's width.
        public var inputBits: Int?
        /// Whether the published resources are the accelerator alone (FINN's out-of-context run).
        public var outOfContext: Bool
        /// The folding file in `fpga-builds/`.
        public var folding: String
        /// Published values.
        public var published: [Quantity: Double]
        /// Whether the published BRAM counts RAMB18 and RAMB36 primitives alike (not tiles).
        public var bramCountsPrimitives: Bool
        /// Whether the build publishes its clock; without it the frame rate has no tolerance.
        public var clockPublished: Bool
        /// Where the numbers come from.
        public var source: String
    }

    /// The builds of `set`, from the shipped CSV.
    public static func builds(_ set: Set) throws(ReferenceError) -> [Build] {
        let table = try ReferenceTable.load(set.table)
        func cell(_ row: [String], _ column: String) -> String? {
            guard let index = table.columns.firstIndex(of: column), index < row.count, !row[index].isEmpty else { return nil }
            return row[index]
        }
        var result: [Build] = []
        for row in table.rows {
            guard let name = cell(row, "build"), let network = cell(row, "network"), let hardware = cell(row, "hw"),
                  let clock = cell(row, "clock_mhz").flatMap(Double.init), let images = cell(row, "images").flatMap(Int.init),
                  let folding = cell(row, "folding") else {
                throw .malformed(set.table.rawValue, line: result.count + 1)
            }
            var published: [Quantity: Double] = [:]
            for quantity in Quantity.allCases {
                let column = quantity == .ii ? "ii_rtlsim" : quantity.rawValue
                if let value = cell(row, column).flatMap(Double.init) { published[quantity] = value }
            }
            result.append(Build(name: name, network: network, hardware: hardware, clockMHz: clock, images: images,
                                inputBits: cell(row, "input_bits").flatMap(Int.init), outOfContext: cell(row, "context") == "ooc",
                                folding: folding, published: published, bramCountsPrimitives: cell(row, "bram_counting") == "primitives",
                                clockPublished: cell(row, "clock_known") != "no",
                                source: cell(row, "source") ?? ""))
        }
        return result
    }

    /// The text of a shipped folding file.
    public static func foldingData(_ name: String) throws(ReferenceError) -> Data {
        let base = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        // An unreadable bundled file is the same failure as a missing one: the installation is incomplete.
        guard let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "reference/fpga-builds"),
              let data = try? Data(contentsOf: url) else {
            throw .missing("fpga-builds/\(name)")
        }
        return data
    }

    /// Why a build could not be recomputed.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// A config or the folding file could not be read.
        case config(ConfigError)
        /// The folding does not apply or the simulation failed.
        case simulation(SimulationError)
        /// The folding file is malformed.
        case folding(DataflowError)
        /// The shipped data is missing.
        case reference(ReferenceError)

        /// The wrapped message.
        public var description: String {
            switch self {
            case .config(let error): error.description
            case .simulation(let error): error.description
            case .folding(let error): error.description
            case .reference(let error): error.description
            }
        }
    }

    /// A recomputed build.
    public struct Evaluation: Sendable {
        /// The build.
        public var build: Build
        /// The dataflow run.
        public var result: DataflowSimulation
        /// Whether the model finds the build compute-bound (its interval is a unit's own period,
        /// neither a FIFO coupling nor the DMA); only then is the frame rate held to 10 %.
        public var computeBound: Bool
        /// Computed beside published, with the tolerance where the issue sets one.
        public var rows: [PaperComparison]
        /// Warnings from reading the folding (nodes hwsim does not model).
        public var warnings: [String]
    }

    /// Recomputes `build` with the network and hardware configs under `configs`.
    public static func evaluate(_ build: Build, configs: URL) throws(Failure) -> Evaluation {
        let network: NetworkConfig
        var template: AcceleratorTemplate
        do {
            network = try NetworkConfig.load(path: configs.appendingPathComponent("finn/\(build.network).json").path)
            template = try HardwareConfig.load(path: configs.appendingPathComponent("hw/\(build.hardware).json").path)
        } catch {
            throw .config(error)
        }
        do {
            template = try template.withClock(build.clockMHz)
        } catch {
            throw .simulation(.hardware(error))
        }
        let architecture = DataflowArchitecture(template: template, options: DataflowOptions(outOfContext: build.outOfContext, inputBits: build.inputBits))
        let folding: (folding: Folding, warnings: [String])
        let result: DataflowSimulation
        do {
            let bound = try BoundNetwork(network: network.network, plan: network.plan)
            let graph = try architecture.graph(of: bound)
            let file: FoldingFile
            do {
                file = try FoldingFile.parse(try foldingData(build.folding), file: "fpga-builds/\(build.folding)")
                folding = try file.folding(for: graph)
            } catch let error as DataflowError {
                throw Failure.folding(error)
            }
            result = try architecture.simulate(bound, graph: graph, folding: folding.folding, batch: build.images)
        } catch let error as Failure {
            throw error
        } catch let error as BindingError {
            throw .simulation(.binding(error))
        } catch let error as SimulationError {
            throw .simulation(error)
        } catch let error as ReferenceError {
            throw .reference(error)
        } catch {
            throw .simulation(.overflow(CountOverflow(quantity: "\(error)")))
        }
        let computeBound = isComputeBound(result)
        return Evaluation(build: build, result: result, computeBound: computeBound, rows: rows(build, result: result, computeBound: computeBound),
                          warnings: folding.warnings)
    }

    /// Whether the interval is a compute unit's own period: no FIFO coupling and no DMA sets it.
    public static func isComputeBound(_ result: DataflowSimulation) -> Bool {
        let pipeline = result.pipeline
        let stage = result.stages[pipeline.bottleneck]
        guard stage.unit != .inputDMA && stage.unit != .outputDMA else { return false }
        return pipeline.timings[pipeline.bottleneck].cycles == pipeline.initiationInterval
    }

    static func rows(_ build: Build, result: DataflowSimulation, computeBound: Bool) -> [PaperComparison] {
        var rows: [PaperComparison] = []
        let usage = result.simulation.hardware.usage.exact
        let finn = result.acceleratorResources(.finn) + result.shell
        func add(_ quantity: String, _ computed: Double, _ published: Double?, _ tolerance: Double?) {
            guard let published else { return }
            rows.append(PaperComparison(item: build.name, setting: build.outOfContext ? "out of context" : "with shell", quantity: quantity,
                                        computed: computed, paper: published, tolerance: tolerance.map { $0 * published }))
        }
        let fpsLabel = !build.clockPublished ? "frames/s (clock not published)" : computeBound ? "frames/s" : "frames/s (not compute-bound)"
        add(fpsLabel, result.measuredFramesPerSecond, build.published[.fps], computeBound && build.clockPublished ? fpsTolerance : nil)
        add("cycles/frame (rtlsim)", Double(result.pipeline.initiationInterval), build.published[.ii], nil)
        add("LUT", usage.lut, build.published[.lut], lutTolerance)
        add("LUT (FINN estimator)", finn.lut, build.published[.lut], nil)
        add("FF", usage.ff, build.published[.ff], ffTolerance)
        add(build.bramCountsPrimitives ? "BRAM (primitives published)" : "BRAM36", usage.bram36, build.published[.bram36],
            build.bramCountsPrimitives ? nil : bramTolerance)
        add("BRAM36 (FINN estimator)", finn.bram36, build.published[.bram36], nil)
        add("DSP", usage.dsp, build.published[.dsp], nil)
        add("URAM", usage.uram, build.published[.uram], nil)
        return rows
    }
}
