import Testing
import HWModel
import TestSupport
import CycleSim
@testable import Reference

@Suite struct ComplexityTableTests {
    /// Quantization Networks Table 8 on the shipped ResNet-18 and VU9P config: every time and
    /// space ratio within ±15 % of the paper's.
    @Test func table8WithinTolerance() throws {
        let network = try shippedNetwork("resnet18").network
        let template = try shippedHardware("vu9p")
        let simulations = try ComplexityTable.simulations(network: network, template: template, batch: 1)
        let rows = ComplexityTable.rows(reference: try ReferenceTable.load(.qnComplexity), simulations: simulations)
        #expect(rows.count == 6)
        for row in rows {
            #expect(row.withinTolerance == true, "\(row.item) \(row.quantity): \(row.computed) vs \(row.paper ?? .nan)")
        }
        #expect(simulations.allSatisfy { $0.hardware.usage.fitsBudget })
    }
}
