import CycleSim
import HWModel
import Quantizers

/// Quantization Networks' Table 8: time and space of a binary (W1/A1), a ternary (W2/A2) and
/// an FP32 network on a VU9P, as ratios to the binary one.
///
/// The paper gives neither network, clock nor unit costs. hwsim simulates the same network
/// three times on the same hardware config, each with its arrays auto-sized to the budget;
/// time is the simulated cycle count, space the model size of the cost model. Nothing here
/// scales a ratio: docs/hardware-model.md §6 gives the assumption set that produces them.
public enum ComplexityTable {
    /// One column of the table.
    public struct Setting: Hashable, Sendable {
        /// The reference CSV's `config` cell.
        public var name: String
        /// Weight scheme of every layer, first and last included.
        public var weights: QuantScheme
        /// Activation scheme of every layer, first and last included.
        public var activations: QuantScheme
    }

    /// Binary: 1-bit weights and activations; ternary: 2-bit weights and activations (ternary
    /// weights, 2-bit uniform activations); full precision: FP32. Every layer, first and last
    /// included, as the table's caption describes whole networks.
    public static let settings = [
        Setting(name: "binary", weights: .binary, activations: .binary),
        Setting(name: "ternary", weights: .ternary, activations: .uniform(bits: 2)),
        Setting(name: "full-precision", weights: .fp32, activations: .fp32),
    ]

    /// Each ratio reproduces the paper within 15 % of its value.
    public static let relativeTolerance = 0.15

    /// The plan of a setting.
    public static func plan(_ setting: Setting) -> QuantizationPlan {
        QuantizationPlan(weights: setting.weights, activations: setting.activations, firstLast: .quantizeAll, scales: .perTensor)
    }

    /// The three simulations, in `settings` order.
    public static func simulations(network: Network, template: AcceleratorTemplate, batch: Int) throws(SimulationError) -> [NetworkSimulation] {
        var result: [NetworkSimulation] = []
        for setting in settings {
            result.append(try Simulator.run(network: network, plan: plan(setting), template: template, batch: batch))
        }
        return result
    }

    /// Time and space ratios against binary, beside the reference's.
    public static func rows(reference: ReferenceTable, simulations: [NetworkSimulation]) -> [PaperComparison] {
        guard let binary = simulations.first else { return [] }
        var rows: [PaperComparison] = []
        for (setting, simulation) in zip(settings, simulations) {
            let time = Double(simulation.cycles) / Double(max(binary.cycles, 1))
            let space = Double(simulation.cost.storageBits) / Double(max(binary.cost.storageBits, 1))
            let paperTime = reference.value("time_ratio", where: ["config": setting.name])
            let paperSpace = reference.value("space_ratio", where: ["config": setting.name])
            let label = "W\(setting.weights.bits)/A\(setting.activations.bits)"
            rows.append(PaperComparison(item: setting.name, setting: label, quantity: "time (× binary)", computed: time,
                                        paper: paperTime, tolerance: paperTime.map { relativeTolerance * $0 }))
            rows.append(PaperComparison(item: setting.name, setting: label, quantity: "space (× binary)", computed: space,
                                        paper: paperSpace, tolerance: paperSpace.map { relativeTolerance * $0 }))
        }
        return rows
    }
}
