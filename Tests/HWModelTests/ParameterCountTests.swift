import Testing
@testable import HWModel

@Suite struct ParameterCountTests {
    /// torchvision's counts of trainable parameters, BatchNorm γ and β included.
    @Test(arguments: [
        ("resnet18", Int64(11_689_512)),
        ("resnet34", Int64(21_797_672)),
        ("resnet50", Int64(25_557_032)),
        ("mobilenetv2", Int64(3_504_872)),
    ])
    func torchvisionParameterCounts(name: String, expected: Int64) throws {
        let config = try shippedConfig(name)
        let cost = try CostModel.evaluate(config.network, plan: QuantizationPlan())
        #expect(cost.parameters == expected)
    }
}
