import Testing
import Quantizers
@testable import HWModel

@Suite struct CostModelTests {
    private func single(_ input: [Int], _ kind: LayerKind) throws -> Network {
        try Network(name: "t", layers: [
            Layer(name: "in", kind: .input(TensorShape(input)), inputs: []),
            Layer(name: "x", kind: kind, inputs: ["in"]),
        ])
    }

    private func cost(_ network: Network, _ weights: String, _ activations: String,
                      scales: ScaleGranularity = .perTensor) throws -> LayerCost {
        let plan = QuantizationPlan(weights: try QuantScheme(parsing: weights), activations: try QuantScheme(parsing: activations),
                                    scales: scales)
        return try CostModel.evaluate(network, plan: plan).layers.last!
    }

    /// Conv 16→32, 3×3, stride 1, padding 1 on 16×10×10: hand-computed.
    @Test func convolutionEquations10And12() throws {
        let net = try single([16, 10, 10], .convolution(Convolution(
            outChannels: 32, kernel: [3, 3], stride: [1, 1], padding: .explicit(begin: [1, 1], end: [1, 1]),
            dilation: [1, 1], groups: 1, bias: true)))
        let layer = try cost(net, "uniform:4", "uniform:8")
        #expect(layer.equationParameters == 16 * 32 * 3 * 3)          // Eq. 10: 4,608
        #expect(layer.parameters == 4_608 + 32)                       // plus biases
        #expect(layer.macs == 16 * 32 * 10 * 10 * 3 * 3)              // Eq. 12: 460,800
        #expect(layer.qops == 460_800.0 * 8 / 32)                     // Eq. 15 with b = max(4, 8)
        #expect(layer.bops == 460_800 * 4 * 8)
        // Storage: 4,608 four-bit codes = 2,304 bytes; FP32 bias ×32, one weight scale, one activation step.
        #expect(layer.weightStorageBits == 2_304 * 8)
        #expect(layer.fp32StorageBits == (32 + 1 + 1) * 32)
    }

    @Test func depthwiseCountsOneInputChannelPerFilter() throws {
        let net = try single([32, 56, 56], .convolution(Convolution(
            outChannels: 32, kernel: [3, 3], stride: [2, 2], padding: .explicit(begin: [1, 1], end: [1, 1]),
            dilation: [1, 1], groups: 32, bias: false)))
        let layer = try cost(net, "fp32", "fp32")
        #expect(layer.weights == 32 * 9)
        #expect(layer.macs == 32 * 28 * 28 * 9)
        #expect(layer.qops == Double(32 * 28 * 28 * 9))               // FP32: QOPS = OPS
        #expect(layer.weightStorageBits == 32 * 9 * 32)
    }

    @Test func linearEquations11And13And16() throws {
        let net = try single([512], .linear(Linear(outFeatures: 1000, bias: true)))
        let layer = try cost(net, "asq:4", "asq:4", scales: .perChannel)
        #expect(layer.equationParameters == 512 * 1000 + 1000)        // Eq. 11
        #expect(layer.macs == 512 * 1000)                             // Eq. 13
        #expect(layer.qops == 512_000.0 / 8)                          // Eq. 16: 4-bit → OPS/8
        #expect(layer.scaleFactors == 1000)
    }

    @Test func linearOverASequenceRunsAtEveryPosition() throws {
        let net = try single([24, 70], .linear(Linear(outFeatures: 10, bias: false)))
        #expect(try cost(net, "fp32", "fp32").macs == 24 * 70 * 10)
    }

    @Test func lstmCountsGateMatricesPerStep() throws {
        let net = try single([24, 64], .lstm(LSTM(hiddenSize: 70, returnSequences: false, bidirectional: false, biasVectors: 1)))
        let layer = try cost(net, "vecq:2", "fp32")
        #expect(layer.weights == 4 * 70 * (64 + 70))                  // 37,520
        #expect(layer.biases == 4 * 70)
        #expect(layer.macs == 24 * 37_520)
        // W_ih (17,920 codes) and W_hh (19,600 codes) packed separately at 2 bits.
        #expect(layer.weightStorageBits == (4_480 + 4_900) * 8)
    }

    @Test func embeddingIsALookUpWithoutMACs() throws {
        let net = try single([100], .embedding(Embedding(vocabulary: 20000, dimension: 128)))
        let layer = try cost(net, "vecq:2", "uniform:8")
        #expect(layer.macs == 0 && layer.bops == 0)
        #expect(layer.weights == 2_560_000)
        #expect(layer.quantization?.activations == .fp32)             // token ids are not quantized
    }

    @Test func batchNormStoresFourValuesPerChannelButTrainsTwo() throws {
        let net = try single([64, 8, 8], .batchNorm(BatchNorm()))
        let layer = try cost(net, "fp32", "fp32")
        #expect(layer.parameters == 128 && layer.normBuffers == 128)
        #expect(layer.storageBits == 256 * 32)
    }

    @Test func aLayerOf2To40MACsDoesNotTrap() throws {
        // 2^40 MACs: 2^10 filters × 2^10 inputs × 1×1 kernel × 2^20 positions.
        let net = try single([1024, 1024, 1024], .convolution(Convolution(
            outChannels: 1024, kernel: [1, 1], stride: [1, 1], padding: .explicit(begin: [0, 0], end: [0, 0]),
            dilation: [1, 1], groups: 1, bias: false)))
        let layer = try cost(net, "binary", "binary")
        #expect(layer.macs == 1 << 40)
        #expect(layer.bops == 1 << 40)
        let fp = try cost(net, "fp32", "fp32")
        #expect(fp.bops == (1 << 40) * 1024)
    }

    @Test func countsBeyond64BitsAreAnErrorNotATrap() throws {
        // Every size within NetworkLimits, yet 3×3 outputs × a (2^31 − 1)² kernel pass 2^63 MACs.
        let big = NetworkLimits.maximumSize
        let net = try single([1, 1, 1], .convolution(Convolution(
            outChannels: 1, kernel: [big, big], stride: [1, 1], padding: .explicit(begin: [1 << 30, 1 << 30], end: [1 << 30, 1 << 30]),
            dilation: [1, 1], groups: 1, bias: false)))
        #expect(throws: CostError.overflow(CountOverflow(quantity: "MACs of layer 'x'"))) { try cost(net, "fp32", "fp32") }
    }

    @Test func firstLastPolicyKeepsEdgeLayersAt8Bits() throws {
        let config = try shippedConfig("resnet18")
        let plan = QuantizationPlan(weights: .post(bits: 3), activations: .asq(bits: 3), firstLast: .keep(bits: 8))
        let resolved = try plan.resolve(for: config.network)
        #expect(resolved["conv1"]?.weights == .uniform(bits: 8))
        #expect(resolved["fc"]?.activations == .asq(bits: 8))
        #expect(resolved["layer2.0.conv1"]?.weights == .post(bits: 3))
        var withOverride = plan
        withOverride.overrides["fc"] = LayerOverride(weights: .fp32)
        #expect(try withOverride.resolve(for: config.network)["fc"]?.weights == .fp32)
        withOverride.overrides["fcc"] = LayerOverride(weights: .fp32)
        #expect(throws: PlanError.unknownLayer("fcc", suggestion: "fc")) { try withOverride.resolve(for: config.network) }
    }

    @Test func fewerWeightBitsNeverNeedMoreStorage() throws {
        for name in ["lenet5", "resnet18", "mobilenetv2", "imdb-lstm"] {
            let network = try shippedConfig(name).network
            var previous = Int64.max
            for bits in (1...8).reversed() {
                let size = try CostModel.evaluate(network, plan: QuantizationPlan(weights: .uniform(bits: bits))).storageBits
                #expect(size <= previous)
                previous = size
            }
        }
    }
}

@Suite struct PlanReplacementTests {
    @Test func replacingASchemeDropsTheOverridesOfThatSchemeOnly() {
        let plan = QuantizationPlan(weights: .uniform(bits: 4), activations: .uniform(bits: 4), firstLast: .keep(bits: 8),
                                    overrides: ["a": LayerOverride(weights: .binary, scales: .perChannel), "b": LayerOverride(activations: .fp32)])
        let replaced = plan.replacing(weights: .post(bits: 3))
        #expect(replaced.weights == .post(bits: 3) && replaced.activations == .uniform(bits: 4))
        #expect(replaced.overrides == ["a": LayerOverride(scales: .perChannel), "b": LayerOverride(activations: .fp32)])
        #expect(replaced.firstLast == .keep(bits: 8))
        let cleared = replaced.replacing(activations: .asq(bits: 2), scales: .perTensor)
        #expect(cleared.overrides.isEmpty)
        #expect(plan.replacing() == plan)
    }
}
