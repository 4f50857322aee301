import Foundation
import HWModel
import Quantizers

/// How a design point sizes the compute arrays of its hardware config.
public enum ArrayChoice: Hashable, Sendable, CustomStringConvertible {
    /// As the hardware config says.
    case configured
    /// Every array `auto`: the largest that fits the utilisation budget.
    case auto
    /// Every array `rows × cols` lanes (one copy).
    case fixed(rows: Int, cols: Int)

    /// Parses `auto`, `config` or `RxC` (e.g. `32x32`).
    public init(parsing text: String) throws(SweepSpecError) {
        let lower = text.lowercased()
        switch lower {
        case "auto": self = .auto
        case "config", "configured": self = .configured
        default:
            let parts = lower.split(separator: "x", omittingEmptySubsequences: false)
            guard parts.count == 2, let rows = Int(parts[0]), let cols = Int(parts[1]) else {
                throw .badItem(axis: "array", item: text, reason: "expected ROWSxCOLS (e.g. 32x32), auto or config")
            }
            guard rows > 0, cols > 0 else { throw .badItem(axis: "array", item: text, reason: "rows and columns must be positive") }
            self = .fixed(rows: rows, cols: cols)
        }
    }

    /// The spelling `init(parsing:)` accepts: `config`, `auto` or `RxC`.
    public var description: String {
        switch self {
        case .configured: "config"
        case .auto: "auto"
        case .fixed(let rows, let cols): "\(rows)x\(cols)"
        }
    }
}

/// One point of a design-space sweep.
public struct DesignPoint: Hashable, Sendable {
    /// Position in the sweep's deterministic order (shards and results files refer to it).
    public var index: Int
    /// Weight scheme replacing the base plan's default at this point.
    public var weights: QuantScheme
    /// Activation scheme replacing the base plan's default at this point.
    public var activations: QuantScheme
    /// The hardware config, as the user named it.
    public var hardware: String
    /// How the point sizes the compute arrays.
    public var array: ArrayChoice
    /// DDR bandwidth in GB/s replacing the board's, if given.
    public var bandwidthGBps: Double?
    /// Clock in MHz replacing the config's, if given.
    public var clockMHz: Double?

    /// Creates a point.
    public init(index: Int, weights: QuantScheme, activations: QuantScheme, hardware: String, array: ArrayChoice,
                bandwidthGBps: Double?, clockMHz: Double?) {
        self.index = index
        self.weights = weights
        self.activations = activations
        self.hardware = hardware
        self.array = array
        self.bandwidthGBps = bandwidthGBps
        self.clockMHz = clockMHz
    }

    /// A text key naming every coordinate, used to match points across results files.
    public var key: String {
        "w=\(weights);a=\(activations);hw=\(hardware);array=\(array);bw=\(bandwidthGBps.map { DesignSpace.number($0) } ?? "board");clock=\(clockMHz.map { DesignSpace.number($0) } ?? "config")"
    }
}

/// What can be minimised when looking for the Pareto front.
public enum Objective: String, CaseIterable, Hashable, Sendable {
    /// Latency (ms), model size (MiB), and LUT, DSP or BRAM36 use (% of the device).
    case latency, size, lut, dsp, bram

    /// Parses a comma-separated list such as `latency,size`. `energy` is refused: hwsim has no
    /// energy model yet.
    public static func list(_ text: String) throws(SweepSpecError) -> [Objective] {
        var result: [Objective] = []
        for item in try SweepAxes.words(text, axis: "objectives") {
            guard let objective = Objective(rawValue: item.lowercased()) else {
                let reason = item.lowercased() == "energy"
                    ? "hwsim has no energy model yet; choose from \(allCases.map(\.rawValue).joined(separator: ", "))"
                    : "unknown objective; choose from \(allCases.map(\.rawValue).joined(separator: ", "))"
                throw .badItem(axis: "objectives", item: item, reason: reason)
            }
            result.append(objective)
        }
        return result
    }

    /// Axis title with unit, for plots and reports.
    public var title: String {
        switch self {
        case .latency: "latency (ms)"
        case .size: "model size (MiB)"
        case .lut: "LUT (% of device)"
        case .dsp: "DSP (% of device)"
        case .bram: "BRAM36 (% of device)"
        }
    }
}

/// The outcome of one design point.
public struct DesignResult: Hashable, Sendable {
    /// The coordinates that were simulated.
    public var point: DesignPoint
    /// Why the point could not be simulated (a tile that does not fit its buffer, a clock
    /// above the device's maximum, ...); `nil` when it ran.
    public var failure: String?
    /// Cycles for the whole batch; 0 when the point failed.
    public var cycles: Int64 = 0
    /// Latency of the whole batch in milliseconds; NaN when the point failed.
    public var latencyMs: Double = .nan
    /// Samples per second; NaN when the point failed.
    public var framesPerSecond: Double = .nan
    /// Model size in MiB from the cost model (VecQ's M); NaN when the point failed.
    public var modelSizeMiB: Double = .nan
    /// Resources used, in percent of the device, by kind.
    public var resourcePercent: [ResourceKind: Double] = [:]
    /// Whether the design fits the utilisation budget.
    public var fits: Bool = false
    /// QOPS of one sample (ASQ Eq. 15–16 generalised); NaN when the point failed.
    public var qops: Double = .nan
    /// Binary operations of one sample (MACs × weight bits × activation bits); 0 when the point failed.
    public var bops: Int64 = 0
    /// Achieved over peak throughput.
    public var peakFraction: Double = .nan

    /// Creates a result.
    public init(point: DesignPoint, failure: String? = nil) {
        self.point = point
        self.failure = failure
    }

    /// The measured value of an objective, whether or not the point fits (NaN when missing).
    public func metric(_ objective: Objective) -> Double {
        switch objective {
        case .latency: latencyMs
        case .size: modelSizeMiB
        case .lut: resourcePercent[.lut] ?? .nan
        case .dsp: resourcePercent[.dsp] ?? .nan
        case .bram: resourcePercent[.bram36] ?? .nan
        }
    }

    /// The value of an objective for the Pareto front (smaller is better); infinite when the
    /// point failed, does not fit or lacks the value, so that such points never reach the front.
    public func value(of objective: Objective) -> Double {
        guard failure == nil, fits else { return .infinity }
        let value = metric(objective)
        return value.isFinite ? value : .infinity
    }
}

/// A sweep: a network and base plan, and the axes whose cartesian product are the points.
public struct DesignSpace: Sendable {
    /// The network every point simulates.
    public var network: Network
    /// The plan every point starts from; each point replaces its weight and activation schemes.
    public var basePlan: QuantizationPlan
    /// Hardware configs by the name the user gave them, in axis order.
    public var hardware: [(name: String, template: AcceleratorTemplate)]
    /// Weight-scheme axis.
    public var weights: [QuantScheme]
    /// Activation-scheme axis.
    public var activations: [QuantScheme]
    /// Array-sizing axis; `[.configured]` when none is given.
    public var arrays: [ArrayChoice]
    /// DDR bandwidth axis in GB/s; nil keeps the board's.
    public var bandwidths: [Double?]
    /// Clock axis in MHz; nil keeps the config's.
    public var clocks: [Double?]
    /// Samples per simulation, the same at every point.
    public var batch: Int

    /// Creates a sweep; empty optional axes mean "as configured".
    public init(network: Network, basePlan: QuantizationPlan, hardware: [(name: String, template: AcceleratorTemplate)],
                weights: [QuantScheme], activations: [QuantScheme], arrays: [ArrayChoice] = [.configured],
                bandwidths: [Double?] = [nil], clocks: [Double?] = [nil], batch: Int = 1) {
        self.network = network
        self.basePlan = basePlan
        self.hardware = hardware
        self.weights = weights
        self.activations = activations
        self.arrays = arrays.isEmpty ? [.configured] : arrays
        self.bandwidths = bandwidths.isEmpty ? [nil] : bandwidths
        self.clocks = clocks.isEmpty ? [nil] : clocks
        self.batch = batch
    }

    /// Every point, in a fixed order: hardware, array, bandwidth, clock, weights, activations
    /// (the last varies fastest).
    public var points: [DesignPoint] {
        var result: [DesignPoint] = []
        for (name, _) in hardware {
            for array in arrays {
                for bandwidth in bandwidths {
                    for clock in clocks {
                        for weight in weights {
                            for activation in activations {
                                result.append(DesignPoint(index: result.count, weights: weight, activations: activation, hardware: name,
                                                          array: array, bandwidthGBps: bandwidth, clockMHz: clock))
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Number of points, without building them.
    public var count: Int {
        hardware.count * arrays.count * bandwidths.count * clocks.count * weights.count * activations.count
    }

    /// Identifies the sweep (network, plan, axes, batch), so that `--resume` and `merge`
    /// refuse results from a different one. Shards of one sweep share it.
    public var fingerprint: String {
        var text = "\(network.name)|\(network.layers.count)|\(network.layers.map(\.name).joined(separator: ","))|"
        text += "\(basePlan.firstLast.name)|\(basePlan.scales.rawValue)|\(basePlan.overrides.keys.sorted().joined(separator: ","))|"
        text += hardware.map(\.name).joined(separator: ",") + "|" + arrays.map(\.description).joined(separator: ",")
        text += "|" + bandwidths.map { $0.map(Self.number) ?? "board" }.joined(separator: ",")
        text += "|" + clocks.map { $0.map(Self.number) ?? "config" }.joined(separator: ",")
        text += "|" + weights.map(\.description).joined(separator: ",") + "|" + activations.map(\.description).joined(separator: ",")
        text += "|batch=\(batch)"
        return Self.fnv1a(text)
    }

    /// The template a point runs on.
    public func template(for point: DesignPoint) throws(SweepSpecError) -> AcceleratorTemplate {
        guard var template = hardware.first(where: { $0.name == point.hardware })?.template else {
            throw .badItem(axis: "hw", item: point.hardware, reason: "not part of this sweep")
        }
        switch point.array {
        case .configured: break
        case .auto:
            for index in template.arrays.indices {
                template.arrays[index].rows = .auto
                template.arrays[index].cols = .auto
                template.arrays[index].copies = .auto
            }
        case .fixed(let rows, let cols):
            for index in template.arrays.indices {
                template.arrays[index].rows = .fixed(rows)
                template.arrays[index].cols = .fixed(cols)
                template.arrays[index].copies = .fixed(1)
            }
        }
        if let bandwidth = point.bandwidthGBps { template.board.bandwidthGBps = bandwidth }
        if let clock = point.clockMHz {
            guard clock <= template.device.maximumClockMHz else {
                throw .badItem(axis: "clock", item: Self.number(clock),
                               reason: "exceeds \(template.device.name)'s maximum of \(Self.number(template.device.maximumClockMHz)) MHz")
            }
            template.clockMHz = clock
        }
        return template
    }

    /// The plan a point runs: the base plan with the point's schemes (and the base plan's
    /// per-layer overrides of those schemes dropped, as the command-line flags do).
    public func plan(for point: DesignPoint) -> QuantizationPlan {
        basePlan.replacing(weights: point.weights, activations: point.activations)
    }

    /// Simulates one point. Never throws: a point that cannot run is a result with a failure.
    public func evaluate(_ point: DesignPoint, prepared cache: PreparedNetworkCache? = nil) -> DesignResult {
        var result = DesignResult(point: point)
        do {
            let template = try template(for: point)
            let plan = plan(for: point)
            let prepared = try cache?.prepared(for: plan) ?? PreparedNetwork(network: network, plan: plan, batch: batch)
            let built = try AcceleratorBuilder.build(template: template, prepared: prepared)
            let simulation = try Simulator.simulate(prepared, on: built.accelerator, assignment: built.assignment)
            result.cycles = simulation.cycles
            result.latencyMs = simulation.latencySeconds * 1e3
            result.framesPerSecond = simulation.framesPerSecond
            result.modelSizeMiB = simulation.cost.modelSizeMiB
            let used = built.accelerator.resources.roundedUp
            let device = template.device.resources
            for kind in ResourceKind.allCases where device[kind] > 0 {
                result.resourcePercent[kind] = 100 * used[kind] / device[kind]
            }
            result.fits = built.accelerator.fitsBudget
            result.qops = simulation.cost.qops
            result.bops = simulation.cost.bops
            result.peakFraction = simulation.peakFraction
        } catch let error as SweepSpecError {
            result.failure = error.description
        } catch let error as SimulationError {
            result.failure = error.description
        } catch {
            result.failure = "\(error)"
        }
        return result
    }

    /// Marks the Pareto-optimal results for `objectives` (all minimised).
    public static func paretoFront(_ results: [DesignResult], objectives: [Objective]) -> Set<Int> {
        Pareto.front(results.map { result in objectives.map { result.value(of: $0) } })
    }

    /// Locale-independent shortest rendering of a number (`38.4`, `250`).
    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// 64-bit FNV-1a of the text, in hex: a stable fingerprint across runs and machines.
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// Prepared networks (cost model and unit selection) shared by the points with the same plan;
/// safe to use from many tasks at once.
public final class PreparedNetworkCache: @unchecked Sendable {
    private let network: Network
    private let batch: Int
    private var entries: [QuantizationPlan: PreparedNetwork] = [:]
    private let lock = NSLock()

    /// A cache for one network and batch size.
    public init(network: Network, batch: Int) {
        self.network = network
        self.batch = batch
    }

    /// The prepared network for `plan`, built on first use.
    public func prepared(for plan: QuantizationPlan) throws(SimulationError) -> PreparedNetwork {
        lock.lock()
        if let hit = entries[plan] {
            lock.unlock()
            return hit
        }
        lock.unlock()
        let prepared = try PreparedNetwork(network: network, plan: plan, batch: batch)
        lock.lock()
        entries[plan] = prepared
        lock.unlock()
        return prepared
    }
}
