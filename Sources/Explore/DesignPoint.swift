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

    /// Reads the spelling ``description`` writes (`config`, `auto`, `RxC`), as results files
    /// hold it; `nil` for anything else.
    public init?(spelling text: String) {
        switch text.lowercased() {
        case "auto": self = .auto
        case "config", "configured": self = .configured
        default:
            let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
            guard parts.count == 2, let rows = Int(parts[0]), let cols = Int(parts[1]), rows > 0, cols > 0 else { return nil }
            self = .fixed(rows: rows, cols: cols)
        }
    }

    /// `template` with every array sized by this choice.
    public func applied(to template: AcceleratorTemplate) -> AcceleratorTemplate {
        switch self {
        case .configured: template
        case .auto: template.withEveryArray(rows: .auto, cols: .auto, copies: .auto)
        case .fixed(let rows, let cols): template.withEveryArray(rows: .fixed(rows), cols: .fixed(cols), copies: .fixed(1))
        }
    }

    /// `config`, `auto` or `RxC`.
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
    /// For a dataflow sweep, the frame rate the point's folding is searched to reach; `nil`
    /// there means the fastest folding that fits.
    public var targetFPS: Double?

    /// Creates a point.
    public init(index: Int, weights: QuantScheme, activations: QuantScheme, hardware: String, array: ArrayChoice,
                bandwidthGBps: Double?, clockMHz: Double?, targetFPS: Double? = nil) {
        self.index = index
        self.weights = weights
        self.activations = activations
        self.hardware = hardware
        self.array = array
        self.bandwidthGBps = bandwidthGBps
        self.clockMHz = clockMHz
        self.targetFPS = targetFPS
    }

    /// A text key naming every coordinate, used to match points across results files.
    public var key: String {
        "w=\(weights);a=\(activations);hw=\(hardware);array=\(array);bw=\(bandwidthGBps.map { DesignSpace.number($0) } ?? "board");clock=\(clockMHz.map { DesignSpace.number($0) } ?? "config")"
            + (targetFPS.map { ";fps=\(DesignSpace.number($0))" } ?? "")
    }

    /// The target frame rate a key names, if any (the inverse of the `;fps=` suffix of ``key``).
    public static func targetFPS(inKey key: String) -> Double? {
        guard let range = key.range(of: ";fps=") else { return nil }
        return Double(key[range.upperBound...])
    }
}

/// What can be minimised when looking for the Pareto front.
public enum Objective: String, CaseIterable, Hashable, Sendable {
    /// Latency (ms), model size (MiB), LUT, DSP or BRAM36 use (% of the device), binary
    /// operations and quantized operations of one sample.
    case latency, size, lut, dsp, bram, bops, qops
    /// The quantization-error proxy Σ NSR over the weight layers (``DesignSpace/error(of:table:)``).
    case error
    /// Milliseconds per frame in steady state (1 / frames/s): a streaming pipeline's throughput.
    case frameTime = "frame-time"

    /// Axis title with unit, for plots and reports.
    public var title: String {
        switch self {
        case .latency: "latency (ms)"
        case .size: "model size (MiB)"
        case .lut: "LUT (% of device)"
        case .dsp: "DSP (% of device)"
        case .bram: "BRAM36 (% of device)"
        case .bops: "BOPs per sample (MACs × weight bits × activation bits)"
        case .qops: "QOPS per sample"
        case .error: "error proxy (Σ noise/signal)"
        case .frameTime: "ms per frame (1 / frames/s)"
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
    /// Resources used, in percent of the device, by kind (kinds the device lacks are absent).
    public var resourcePercent: [ResourceKind: Double] = [:]
    /// Whether the design fits the utilisation budget.
    public var fits: Bool = false
    /// QOPS of one sample (ASQ Eq. 15–16 generalised); NaN when the point failed.
    public var qops: Double = .nan
    /// Binary operations of one sample (MACs × weight bits × activation bits); 0 when the point failed.
    public var bops: Int64 = 0
    /// Achieved over peak throughput.
    public var peakFraction: Double = .nan
    /// DDR bandwidth in GB/s the point ran with: the sweep's, or the board's (NaN if unknown).
    public var bandwidthGBps: Double = .nan
    /// Clock in MHz the point ran at: the sweep's, or the hardware config's (NaN if unknown).
    public var clockMHz: Double = .nan
    /// The quantization-error proxy of the point's plan (NaN unless the sweep measured it).
    public var quantizationError: Double = .nan

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
        case .bops: failure == nil ? Double(bops) : .nan
        case .qops: qops
        case .error: quantizationError
        case .frameTime: framesPerSecond > 0 ? 1000 / framesPerSecond : .nan
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
