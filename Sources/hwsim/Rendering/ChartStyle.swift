import CycleSim
import Foundation
import Quantizers

/// The fixed visual vocabulary of every plot hwsim draws, so that a category looks the same
/// in every file: a cycle category always has one colour, a weight scheme one colour, an
/// activation width one marker (docs/compare.md, "Plots").
enum ChartStyle {
    // MARK: Cycle categories

    /// Legend name of a part of a layer's cycles.
    static func name(_ category: CycleCategory) -> String {
        switch category {
        case .idealCompute: "compute (ideal)"
        case .mappingLoss: "mapping loss"
        case .bufferPorts: "buffer ports"
        case .loadStall: "load stall"
        case .storeStall: "store stall"
        case .pipelineFill: "pipeline fill"
        case .adapter: "ASQ adapter"
        case .other: "other"
        }
    }

    /// What a part of the cycles means, for `--help` and the HTML report.
    static func meaning(_ category: CycleCategory) -> String {
        switch category {
        case .idealCompute: "MACs ÷ lanes: the cycles at full use of the engine"
        case .mappingLoss: "busy cycles beyond the ideal: lanes the tiling leaves idle (folds of M, K or N that do not fill the array)"
        case .bufferPorts: "cycles the buffers' read ports could not deliver operands"
        case .loadStall: "compute waiting for a tile's load from DRAM"
        case .storeStall: "compute waiting for the store DMA to free a buffer half, and the last store"
        case .pipelineFill: "the engine's fill latency, once per layer"
        case .adapter: "the ASQ adapter's MACs before the layer"
        case .other: "what the overlap of load, compute and store leaves unexplained by the parts above"
        }
    }

    /// Colour of a part of the cycles (Okabe–Ito; grey for the remainder).
    static func colour(_ category: CycleCategory) -> String {
        switch category {
        case .idealCompute: "#0072B2"
        case .mappingLoss: "#56B4E9"
        case .bufferPorts: "#CC79A7"
        case .loadStall: "#009E73"
        case .storeStall: "#E69F00"
        case .pipelineFill: "#F0E442"
        case .adapter: "#D55E00"
        case .other: "#999999"
        }
    }

    // MARK: Weight schemes

    /// Hue of a scheme family; the bitwidth sets the shade (darker = more bits).
    static func familyColour(_ family: String) -> (red: Double, green: Double, blue: Double) {
        switch family {
        case "binary": (0x33, 0x22, 0x88)
        case "ternary": (0x88, 0xCC, 0xEE)
        case "uniform": (0x00, 0x72, 0xB2)
        case "lsq": (0x44, 0xAA, 0x99)
        case "vecq": (0x11, 0x77, 0x33)
        case "asq": (0x99, 0x99, 0x33)
        case "pot": (0xE6, 0x9F, 0x00)
        case "post": (0xD5, 0x5E, 0x00)
        case "apot": (0xCC, 0x79, 0xA7)
        case "qn": (0x88, 0x22, 0x55)
        default: (0x55, 0x55, 0x55)
        }
    }

    /// Colour of a weight scheme: its family's hue, lightened for fewer bits, so `uniform:2`
    /// … `uniform:8` read as one ordered family in every plot.
    static func colour(_ scheme: QuantScheme) -> String {
        let base = familyColour(scheme.familyName)
        let hasBits: Bool = switch scheme {
        case .fp32, .binary, .ternary, .qn: false
        default: true
        }
        // 2 bits: 55 % towards white; 8 bits and more: the family colour itself.
        let lighten = hasBits ? 0.55 * Double(max(0, 8 - min(scheme.bits, 8))) / 6 : 0
        func channel(_ value: Double) -> Int { Int((value + (255 - value) * lighten).rounded()) }
        return String(format: "#%02X%02X%02X", channel(base.red), channel(base.green), channel(base.blue))
    }

    // MARK: Activation widths

    /// Marker shapes, one per activation width.
    enum Marker: CaseIterable {
        case circle, square, diamond, triangleUp, triangleDown, plus, cross, star
    }

    /// The marker of an activation width: 1, 2, 3, 4, 5–6, 7–8, 9–16 and 32 (FP32) bits.
    static func marker(activationBits bits: Int) -> Marker {
        switch bits {
        case ...1: .triangleDown
        case 2: .circle
        case 3: .plus
        case 4: .square
        case 5...6: .cross
        case 7...8: .diamond
        case 9...16: .star
        default: .triangleUp
        }
    }

    /// The legend text of an activation scheme's marker.
    static func activationName(_ scheme: QuantScheme) -> String {
        scheme == .fp32 ? "A fp32" : "A \(scheme)"
    }
}
