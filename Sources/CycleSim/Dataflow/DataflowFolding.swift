/// Where a unit's weights or buffers are kept (FINN's `ram_style`).
public enum RAMStyle: String, Hashable, Sendable, CaseIterable {
    /// The tool chooses: small memories in LUTs, the rest in block RAM (docs/dataflow.md §4.1).
    case auto
    /// Block RAM (RAMB18/RAMB36).
    case block
    /// LUTRAM (distributed RAM).
    case distributed
    /// UltraRAM.
    case ultra
}

/// How a matrix or vector unit holds its weights (FINN's `mem_mode`, both generations' names).
public enum MemoryMode: String, Hashable, Sendable, CaseIterable {
    /// Weights inside the unit, one memory per PE (FINN ≤ v0.9 `const`, v0.10 `internal_embedded`).
    case embedded = "internal_embedded"
    /// Weights in a memory streamer beside the unit, one memory P·SIMD·W bits wide (`decoupled`,
    /// `internal_decoupled`): FINN's default since v0.5.
    case decoupled = "internal_decoupled"
    /// Weights streamed from DRAM every frame (`external`).
    case external

    /// Reads both generations' spellings.
    public init?(finnName: String) {
        switch finnName {
        case "const", "internal_embedded": self = .embedded
        case "decoupled", "internal_decoupled": self = .decoupled
        case "external": self = .external
        default: return nil
        }
    }
}

/// Where a unit's multiplications go (FINN's `resType`).
public enum ResourceType: String, Hashable, Sendable, CaseIterable {
    /// FINN treats `auto` as LUTs (its estimator tests `resType == "dsp"`).
    case auto
    /// LUT multipliers.
    case lut
    /// DSP slices.
    case dsp

    /// Reads FINN's spellings, including v0.4's `ap_resource_lut()` / `ap_resource_dsp()`.
    public init?(finnName: String) {
        switch finnName {
        case "auto", "ap_resource_dflt()": self = .auto
        case "lut", "ap_resource_lut()": self = .lut
        case "dsp", "ap_resource_dsp()": self = .dsp
        default: return nil
        }
    }
}

/// Where a folding value came from, so that an error can name the file and the entry.
public struct FoldingSource: Hashable, Sendable {
    /// The folding file as the user named it.
    public var file: String
    /// The entry (FINN node name or layer name).
    public var entry: String

    /// Creates a source.
    public init(file: String, entry: String) {
        self.file = file
        self.entry = entry
    }
}

/// The folding of one network layer's dataflow unit: FINN's attributes of its node.
public struct UnitFolding: Hashable, Sendable {
    /// Processing elements (output channels in parallel).
    public var pe: Int
    /// Input elements per PE per cycle.
    public var simd: Int
    /// Output pixels computed at once (BNN-PYNQ's MMV; FINN ignores it).
    public var mmv: Int
    /// Weight memory (matrix and vector units) or buffer (others).
    public var ramStyle: RAMStyle
    /// Where the thresholds of a matrix unit live (FINN's `ram_style_thresholds`).
    public var thresholdRAMStyle: RAMStyle
    /// How a matrix or vector unit holds its weights.
    public var memoryMode: MemoryMode
    /// LUT or DSP multipliers.
    public var resourceType: ResourceType
    /// Weights written at run time (a RAM the tools cannot fold into logic).
    public var runtimeWritableWeights: Bool
    /// SIMD of the sliding-window unit feeding a convolution; `nil`: the unit's own SIMD (PE for a
    /// vector unit), as FINN requires.
    public var windowSIMD: Int?
    /// Buffer style of that sliding-window unit (FINN's default is distributed).
    public var windowRAMStyle: RAMStyle
    /// Depth of the FIFO in front of the sliding-window unit (its `inFIFODepths[0]`).
    public var windowInputFIFODepth: Int?
    /// Depth of the FIFO in front of the unit (FINN's `inFIFODepths[0]`, or its window's
    /// `outFIFODepths[0]`); `nil`: sized by hwsim.
    public var inputFIFODepth: Int?
    /// Depth of the FIFO after the unit (`outFIFODepths[0]`); `nil`: sized by hwsim.
    public var outputFIFODepth: Int?
    /// The file entries that set these values.
    public var sources: [FoldingSource]

    /// Fully folded: one PE of one lane, FINN's attribute defaults.
    public init(pe: Int = 1, simd: Int = 1, mmv: Int = 1, ramStyle: RAMStyle = .auto, thresholdRAMStyle: RAMStyle = .auto,
                memoryMode: MemoryMode = .decoupled, resourceType: ResourceType = .auto, runtimeWritableWeights: Bool = false,
                windowSIMD: Int? = nil, windowRAMStyle: RAMStyle = .distributed, inputFIFODepth: Int? = nil, outputFIFODepth: Int? = nil,
                sources: [FoldingSource] = []) {
        self.pe = pe
        self.simd = simd
        self.mmv = mmv
        self.ramStyle = ramStyle
        self.thresholdRAMStyle = thresholdRAMStyle
        self.memoryMode = memoryMode
        self.resourceType = resourceType
        self.runtimeWritableWeights = runtimeWritableWeights
        self.windowSIMD = windowSIMD
        self.windowRAMStyle = windowRAMStyle
        windowInputFIFODepth = nil
        self.inputFIFODepth = inputFIFODepth
        self.outputFIFODepth = outputFIFODepth
        self.sources = sources
    }

    /// The entry to name in an error: the last file entry that set a value, if any.
    public var source: FoldingSource? { sources.last }
}

/// A network's folding: one entry per layer name, for every layer that has a dataflow unit.
/// Layers without an entry are fully folded (PE = SIMD = 1).
public struct Folding: Hashable, Sendable {
    /// Folding by network layer name.
    public var layers: [String: UnitFolding]

    /// Creates a folding.
    public init(layers: [String: UnitFolding] = [:]) { self.layers = layers }

    /// The folding of `layer`, fully folded when absent.
    public subscript(layer: String) -> UnitFolding {
        get { layers[layer] ?? UnitFolding() }
        set { layers[layer] = newValue }
    }
}
