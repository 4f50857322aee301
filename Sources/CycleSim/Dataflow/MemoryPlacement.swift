import HWModel
import Quantizers

/// How a memory of `depth` words of `width` bits maps onto FPGA primitives (docs/dataflow.md §4.1).
public enum MemoryPlacement {
    /// RAMB18 units by FINN's ladder (`bram_estimation`): widths 1, 2, ≤4, ≤9 by the matching
    /// aspect, otherwise 1K×18 blocks once deeper than 512 words, else 512×36 blocks.
    public static func finnBRAM18(depth: Int64, width: Int64) -> Int64 {
        guard depth > 0, width > 0 else { return 0 }
        if width == 1 { return Checked.divUp(depth, 16384) }
        if width == 2 { return Checked.divUp(depth, 8192) }
        if width <= 4 { return Checked.divUp(depth, 4096) * Checked.divUp(width, 4) }
        if width <= 9 { return Checked.divUp(depth, 2048) * Checked.divUp(width, 9) }
        if width <= 18 || depth > 512 { return Checked.divUp(depth, 1024) * Checked.divUp(width, 18) }
        return Checked.divUp(depth, 512) * Checked.divUp(width, 36)
    }

    /// RAMB18 units when every block is as deep as the memory (the narrowest aspect covering
    /// `depth`: 512×36 … 16K×1, then 32K×1 RAMB36 = 2 units per bit), so no read multiplexer is
    /// needed; a memory deeper than 32K is full 32K×1 sections plus its remainder placed the
    /// same way [D].
    public static func aspectBRAM18(depth: Int64, width: Int64) -> Int64 {
        guard depth > 0, width > 0 else { return 0 }
        for aspect in DataflowConstants.ramb18Aspects where depth <= aspect.depth {
            return Checked.divUp(width, aspect.width)
        }
        let sections = depth / DataflowConstants.ramb36DeepestDepth
        let rest = depth % DataflowConstants.ramb36DeepestDepth
        let remainder = rest == 0 ? 0 : (rest > 16384 ? 2 * width : aspectBRAM18(depth: rest, width: width))
        return 2 * width * sections + remainder
    }

    /// LUTs of a distributed RAM: one LUT6 per bit per 64 words (FINN's `ceil(WMEM/64)`).
    public static func lutram(depth: Int64, width: Int64) -> Int64 {
        guard depth > 0, width > 0 else { return 0 }
        return width * Checked.divUp(depth, DataflowConstants.lutramDepth)
    }

    /// UltraRAMs (4K × 72).
    public static func uram(depth: Int64, width: Int64) -> Int64 {
        guard depth > 0, width > 0 else { return 0 }
        return Checked.divUp(width, DataflowConstants.uramWidth) * Checked.divUp(depth, DataflowConstants.uramDepth)
    }
}

/// Resources of one stage under both models, and which one the run reports.
public struct StageResources: Hashable, Sendable {
    /// hwsim's structural count (docs/dataflow.md §5).
    public var structural: ResourceVector
    /// FINN's published estimators (docs/dataflow.md §4); FINN has no flip-flop estimator, so
    /// its FF figure is the structural one.
    public var finn: ResourceVector

    /// No resources.
    public static let zero = StageResources(structural: .zero, finn: .zero)

    /// The figure of `model`.
    public func value(_ model: ResourceModel) -> ResourceVector { model == .structural ? structural : finn }

    /// Component-wise sum.
    public static func + (a: StageResources, b: StageResources) -> StageResources {
        StageResources(structural: a.structural + b.structural, finn: a.finn + b.finn)
    }
}

/// Which resource model a run reports.
public enum ResourceModel: String, Hashable, Sendable, CaseIterable {
    /// hwsim's structural count: adder trees, comparators and memories by primitive.
    case structural
    /// FINN's `res_estimation` formulas.
    case finn
}

/// A memory a unit instantiates: `count` copies of `depth` × `width`, placed by `style`.
struct UnitMemory {
    var depth: Int64
    var width: Int64
    var count: Int64
    var style: RAMStyle
    /// Contents fixed at build time (constant weights), which HLS folds into logic when shallow.
    var constant: Bool

    /// Resources under the structural placement (`auto` resolved by ``resolvedStyle``).
    var structural: ResourceVector {
        switch resolvedStyle {
        case .distributed:
            return ResourceVector(lut: Double(count * MemoryPlacement.lutram(depth: depth, width: width)))
        case .ultra:
            return ResourceVector(uram: Double(count * MemoryPlacement.uram(depth: depth, width: width)))
        case .block, .auto:
            return ResourceVector(bram36: Double(count * MemoryPlacement.aspectBRAM18(depth: depth, width: width)) / 2)
        }
    }

    /// `auto` resolved: constants of at most 128 words embedded in the unit are folded into LUTs
    /// (FINN's `const` rule); RAMs, which the tools cannot fold, and FINN's decoupled weight
    /// streamers go to block RAM (BNN-PYNQ's runtime-written weights of 36 words sit in RAMB18s,
    /// the cybersecurity MLP's decoupled 60-word weights in RAMB36s: docs/dataflow.md §5.2).
    var resolvedStyle: RAMStyle {
        guard style == .auto else { return style }
        return constant && depth <= DataflowConstants.embeddedWeightsInLogicDepth ? .distributed : .block
    }
}
