import Testing
import HWModel
@testable import CycleSim

/// The tile architecture against a real overlay: Xilinx/QNN-MO-PYNQ on a Pynq-Z1
/// (docs/overlay-validation.md). The published numbers are expectations, never inputs.
@Suite struct OverlayValidationTests {
    struct Published {
        var network: String
        var hardware: String
        var lut: Double, ff: Double, bram36: Double, dsp: Double
        /// The latency of the offloaded layers estimated from the overlay's HLS loops
        /// (docs/overlay-validation.md §3); the notebooks' times include the host's work.
        var fabricMs: Double
    }

    static let builds = [
        Published(network: "dorefanet-offload", hardware: "qnn-mo-pynq-w1a2", lut: 43_043, ff: 38_379, bram36: 139, dsp: 58, fabricMs: 8.3),
        Published(network: "tinier-yolo-offload", hardware: "qnn-mo-pynq-w1a3", lut: 46_888, ff: 43_139, bram36: 140, dsp: 57, fabricMs: 20.7),
    ]

    /// Every cell outside ±25 %, named: a miss that closes or a new one fails the test, so the
    /// table in the docs stays the computed one.
    static let knownMisses: Set<String> = [
        "qnn-mo-pynq-w1a2 DSP", "qnn-mo-pynq-w1a3 DSP", "qnn-mo-pynq-w1a3 BRAM36",
        "qnn-mo-pynq-w1a2 latency", "qnn-mo-pynq-w1a3 latency",
    ]

    @Test func qnnMOPYNQWithinAQuarterOrAKnownMiss() throws {
        var misses: Set<String> = []
        for build in Self.builds {
            let config = try shippedNetwork(build.network)
            let simulation = try Simulator.run(network: config.network, plan: config.plan, template: try shippedHardware(build.hardware))
            let used = simulation.hardware.usage.used
            let cells: [(String, Double, Double)] = [
                ("LUT", used.lut, build.lut), ("FF", used.ff, build.ff), ("BRAM36", used.bram36, build.bram36),
                ("DSP", used.dsp, build.dsp), ("latency", simulation.latencySeconds * 1e3, build.fabricMs),
            ]
            for (name, computed, published) in cells where abs(computed - published) > 0.25 * published {
                misses.insert("\(build.hardware) \(name)")
            }
            // The array is the overlay's 32 PE × 64 SIMD, and weights are reloaded on every layer.
            #expect(simulation.accelerator?.arrays.first?.lanes == 2048)
            #expect(simulation.firstFrame == nil)
            #expect(simulation.weightBytesLoaded > 0)
        }
        #expect(misses == Self.knownMisses)
    }
}
