import Testing
import HWModel
@testable import CycleSim

/// A transposed convolution lowers to its stride phases as GEMMs (docs/simulation.md §1).
@Suite struct TransposedConvolutionLoweringTests {
    private func network(kernel: Int, stride: Int, padding: Padding, input: [Int] = [64, 8, 8], out: Int = 32) throws -> Network {
        try Network(name: "up", layers: [
            Layer(name: "input", kind: .input(TensorShape(input)), inputs: []),
            Layer(name: "up", kind: .transposedConvolution(TransposedConvolution(
                outChannels: out, kernel: [kernel, kernel], stride: [stride, stride], padding: padding, outputPadding: [0, 0],
                dilation: [1, 1], groups: 1, bias: false)), inputs: ["input"]),
        ])
    }

    private func gemm(_ network: Network, batch: Int64 = 1) throws -> GEMMWorkload {
        let bound = try BoundNetwork(network: network, plan: QuantizationPlan(weights: .uniform(bits: 8), activations: .uniform(bits: 8)))
        let layer = try #require(bound.layers.first { $0.layer.name == "up" }, "the bound network holds the layer")
        let workload = try Lowering.workload(of: layer, batch: batch)
        var gemm: GEMMWorkload?
        if case .gemm(let lowered) = workload { gemm = lowered }
        return try #require(gemm, "a transposed convolution lowers to a GEMM")
    }

    @Test func fourByFourStrideTwoIsFourPhasesOfTwoByTwoTaps() throws {
        let network = try network(kernel: 4, stride: 2, padding: .same)
        let gemm = try gemm(network, batch: 2)
        // 4 phases; each output of a phase sees 2 × 2 taps of each of the 64 input channels.
        #expect(gemm.m == 32 && gemm.k == 64 * 4 && gemm.n == 8 * 8 * 2 && gemm.groups == 4)
        // The phases share one read of the input.
        #expect(gemm.inputElementsPerGroup * gemm.groups == 64 * 8 * 8 * 2)
        let cost = try CostModel.evaluate(network, plan: QuantizationPlan())
        #expect(try gemm.macs("up") == 2 * (cost.layers.last?.macs ?? 0))
    }

    @Test func aKernelThatIsNoMultipleOfTheStrideCountsItsZeroTaps() throws {
        // 3×3, stride 2: phases of ⌈3/2⌉² = 4 taps against 9 / 4 on average.
        let gemm = try gemm(try network(kernel: 3, stride: 2, padding: .explicit(begin: [1, 1], end: [1, 1])))
        #expect(gemm.k == 64 * 4 && gemm.groups == 4 && gemm.n == 8 * 8)
    }

    @Test func theDecodersSimulateAndTheirMACsAreTheCostModels() throws {
        for name in ["unet-resnet50", "unetpp-resnet50"] {
            let config = try shippedNetwork(name)
            let simulation = try Simulator.run(network: config.network, plan: QuantizationPlan(weights: .uniform(bits: 8), activations: .uniform(bits: 8)),
                                               template: try shippedHardware("vu9p"))
            #expect(simulation.macs == simulation.cost.macs, "\(name)")
            #expect(simulation.layers.contains { $0.type == "conv_transpose2d" && $0.cycles > 0 })
        }
    }
}
