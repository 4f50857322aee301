import Foundation

/// ASQ's adapter (Zhou et al., "Precision Neural Network Quantization via Learnable Adaptive
/// Modules", §3.2): one or two linear layers mapping a statistic of the input activations to the
/// factor β that rescales the learned step (s_a = s·β, Eq. 4).
///
/// The input features are per-channel means of |x| (global average pooling, as in the dynamic
/// convolution the paper builds on [24]). The two-layer form is Linear → ReLU → Linear. The last
/// layer starts with zero weights and bias 1, so β = 1 for every input at initialisation ("output
/// values close to 1", §4.1.2) while its weights still receive gradient.
public struct ASQAdapter: Sendable, Equatable {
    /// Number of input features.
    public let inputCount: Int
    /// Hidden width of the two-layer form; nil for one linear layer.
    public let hiddenCount: Int?
    /// First layer weights, row-major [hidden × inputs] (or [1 × inputs] for one layer).
    public var weights1: [Double]
    /// First-layer biases, one per hidden unit; for the one-layer form, the single output bias (starts at 1, so β = 1).
    public var bias1: [Double]
    /// Second layer weights [1 × hidden]; empty for one layer.
    public var weights2: [Double]
    /// Output bias of the two-layer form (starts at 1, so β = 1); unused and 0 for one layer.
    public var bias2: Double

    /// Smallest β the adapter hands out; the step must stay positive. Below it the gradient is 0.
    public static let minimumOutput = 1e-3

    /// An adapter whose output is exactly 1. Two-layer first-layer weights are drawn uniformly from
    /// ±1/√inputs with `seed`, so hidden units differ once the last layer starts learning.
    public init(inputs: Int, hidden: Int? = nil, seed: UInt64 = 0x5EED) throws(QuantizerError) {
        guard inputs >= 1 else { throw .invalidParameter(name: "inputs", value: Double(inputs), reason: "the adapter needs at least one input feature") }
        if let hidden, hidden < 1 { throw .invalidParameter(name: "hidden", value: Double(hidden), reason: "a hidden layer needs at least one unit") }
        inputCount = inputs
        hiddenCount = hidden
        if let hidden {
            var generator = SplitMix64(seed: seed)
            let bound = 1 / Double(inputs).squareRoot()
            weights1 = (0..<(hidden * inputs)).map { _ in (2 * generator.nextOpenUnit() - 1) * bound }
            bias1 = [Double](repeating: 0, count: hidden)
            weights2 = [Double](repeating: 0, count: hidden)
            bias2 = 1
        } else {
            weights1 = [Double](repeating: 0, count: inputs)
            bias1 = [1]
            weights2 = []
            bias2 = 0
        }
    }

    /// Hidden activations (after ReLU) and the raw output, for the backward pass.
    private func evaluate(_ features: [Double]) -> (hidden: [Double], raw: Double) {
        if let hidden = hiddenCount {
            var activations = [Double](repeating: 0, count: hidden)
            var raw = bias2
            for h in 0..<hidden {
                var z = bias1[h]
                for i in 0..<inputCount { z += weights1[h * inputCount + i] * features[i] }
                activations[h] = max(z, 0)
                raw += weights2[h] * activations[h]
            }
            return (activations, raw)
        }
        var raw = bias1[0]
        for i in 0..<inputCount { raw += weights1[i] * features[i] }
        return ([], raw)
    }

    /// β for the given features.
    public func callAsFunction(_ features: [Double]) throws(QuantizerError) -> Double {
        guard features.count == inputCount else { throw .lengthMismatch(expected: inputCount, actual: features.count) }
        return beta(validated: features)
    }

    /// β for features whose count the caller guarantees is ``inputCount``.
    func beta(validated features: [Double]) -> Double {
        precondition(features.count == inputCount, "\(features.count) features for a \(inputCount)-input adapter")
        return max(evaluate(features).raw, Self.minimumOutput)
    }

    /// Gradients of the adapter's parameters given ∂L/∂β, in the same layout as the parameters.
    public func backward(_ features: [Double], betaGradient g: Double) throws(QuantizerError)
        -> (weights1: [Double], bias1: [Double], weights2: [Double], bias2: Double)
    {
        guard features.count == inputCount else { throw .lengthMismatch(expected: inputCount, actual: features.count) }
        let (hiddenValues, raw) = evaluate(features)
        let upstream = raw >= Self.minimumOutput ? g : 0
        if let hidden = hiddenCount {
            var dW1 = [Double](repeating: 0, count: weights1.count)
            var dB1 = [Double](repeating: 0, count: hidden)
            var dW2 = [Double](repeating: 0, count: hidden)
            for h in 0..<hidden {
                dW2[h] = upstream * hiddenValues[h]
                let back = hiddenValues[h] > 0 ? upstream * weights2[h] : 0
                dB1[h] = back
                for i in 0..<inputCount { dW1[h * inputCount + i] = back * features[i] }
            }
            return (dW1, dB1, dW2, upstream)
        }
        return (features.map { upstream * $0 }, [upstream], [], 0)
    }

    /// The adapter's input: mean |x| of each channel along `axis` (or of the whole tensor when
    /// `axis` is nil) — a cheap statistic that tracks how large this input's activations are.
    public static func features(of tensor: Tensor, channelAxis axis: Int?) throws(QuantizerError) -> [Double] {
        guard !tensor.values.isEmpty else { throw .emptyTensor }
        guard let axis else {
            return [tensor.values.reduce(0.0) { $0 + Double(abs($1)) } / Double(tensor.values.count)]
        }
        let layout = try tensor.channelLayout(axis: axis)
        var sums = [Double](repeating: 0, count: layout.channels)
        for (index, value) in tensor.values.enumerated() { sums[(index / layout.inner) % layout.channels] += Double(abs(value)) }
        let perChannel = Double(tensor.values.count / max(layout.channels, 1))
        return sums.map { $0 / perChannel }
    }
}

/// ASQ's quantizer arithmetic: Eq. 4–6 forward, Eq. 7–9 gradients (straight-through estimator).
public enum ASQ {
    /// x̂ = clamp(⌊x/s_a⌉, n, p)·s_a with s_a = s·β (Eq. 4–5). Eq. 6 prints the dequantization with
    /// s, but the gradient of Eq. 7 and Algorithm 1 (step 4, Quantize(A, s_a, b_a)) are those of
    /// x̂ = x_int·s_a, which is what is computed here.
    public static func forward(_ x: Double, step s: Double, beta: Double, bounds: UniformBounds) -> Double {
        LSQ.forward(x, step: s * beta, bounds: bounds)
    }

    /// Back-propagates ∂L/∂x̂ to x (STE), s (Eq. 8) and β (Eq. 9). ∂L/∂s_a (Eq. 7) is scaled by
    /// LSQ's gradient scale 1/√(N·Qp) unless `gradientScale` is given, as ASQ follows LSQ.
    public static func backward(
        inputs: [Double], upstream: [Double], step s: Double, beta: Double, bounds: UniformBounds, gradientScale: Double? = nil
    ) throws(QuantizerError) -> (input: [Double], step: Double, beta: Double) {
        guard beta > 0, beta.isFinite else { throw .invalidParameter(name: "beta", value: beta, reason: "β must be positive and finite") }
        let adapted = try LSQ.backward(inputs: inputs, upstream: upstream, step: s * beta, bounds: bounds, gradientScale: gradientScale)
        return (adapted.input, adapted.step * beta, adapted.step * s)
    }
}

/// ASQ as a tensor quantizer: the step is LSQ's initial step (or a trained one), rescaled by the
/// adapter's β for this particular input. With an untrained adapter β = 1 and ASQ equals LSQ.
public struct ASQQuantizer: UniformLevelQuantizer {
    /// Code width b: 1…16 bits for the unsigned range, 2…16 for the signed ones.
    public let bits: Int
    /// Integer range of the codes; unsigned by default because ASQ's adapter targets activations.
    public let range: UniformRange
    /// [−Qn, Qp] for `bits` and `range` (LSQ's notation, which ASQ follows).
    public let bounds: UniformBounds
    /// The adapter; its input is the per-channel mean |x| of the channel being quantized (one feature).
    public let adapter: ASQAdapter
    /// A trained step s; nil means LSQ's initial step for the data.
    public let step: Double?

    /// Validates `bits` and `step`. Without an adapter it uses a one-input adapter whose β is exactly 1,
    /// so the quantizer starts out as LSQ; an adapter with more than one input is rejected.
    public init(bits: Int, range: UniformRange = .unsigned, adapter: ASQAdapter? = nil, step: Double? = nil) throws(QuantizerError) {
        self.bits = bits
        self.range = range
        self.bounds = try range.bounds(bits: bits)
        if let step, !(step > 0 && step.isFinite) { throw .invalidParameter(name: "step", value: step, reason: "the step must be positive and finite") }
        let resolved: ASQAdapter
        if let adapter { resolved = adapter } else { resolved = try ASQAdapter(inputs: 1) }
        guard resolved.inputCount == 1 else { throw .lengthMismatch(expected: 1, actual: resolved.inputCount) }
        self.adapter = resolved
        self.step = step
    }

    /// `asq:b` — stored like `uniform:b`, but the step adapts to each input.
    public var scheme: QuantScheme { .asq(bits: bits) }
    /// Per channel: `step` s (trained or LSQ's initial step), `beta` β from the adapter, and
    /// `adaptedStep` s·β (Eq. 4), which is also the channel's scale.
    public var parameterNames: [String] { ["step", "beta", "adaptedStep"] }

    /// Feeds the channel's mean |x| to the adapter for β, then encodes with s_a = s·β (Eq. 4–5).
    public func quantizeChannel(_ values: UnsafeBufferPointer<Float>, codes: UnsafeMutableBufferPointer<UInt32>) -> ChannelFit {
        let meanAbs = UniformQuantization.absStatistics(values).mean
        let s = step ?? LSQ.initialStep(meanAbs: meanAbs, bounds: bounds)
        // init accepts one-input adapters only, so the single feature always fits.
        let beta = adapter.beta(validated: [meanAbs])
        let adapted = s * beta
        UniformQuantization.encode(values, codes: codes, step: adapted, bounds: bounds, bits: bits)
        return ChannelFit(scale: adapted, parameters: [s, beta, adapted])
    }
}
