import Foundation
import Testing
@testable import Quantizers

@Suite struct UniformASQTests {
    @Test func rangesFollowLSQNotation() throws {
        #expect(try UniformRange.signedFull.bounds(bits: 4) == UniformBounds(negative: 8, positive: 7))
        #expect(try UniformRange.signedNarrow.bounds(bits: 4) == UniformBounds(negative: 7, positive: 7))
        #expect(try UniformRange.unsigned.bounds(bits: 4) == UniformBounds(negative: 0, positive: 15))
        #expect(try UniformRange.unsigned.bounds(bits: 1) == UniformBounds(negative: 0, positive: 1))
        #expect(throws: QuantizerError.unsupportedBits(scheme: "uniform (signedFull)", bits: 1, allowed: 2...16)) { try UniformRange.signedFull.bounds(bits: 1) }
        #expect(throws: QuantizerError.unsupportedBits(scheme: "uniform (unsigned)", bits: 17, allowed: 1...16)) { try UniformRange.unsigned.bounds(bits: 17) }
    }

    @Test func lsqInitialStepAndForward() throws {
        let values: [Float] = [0.5, -1.5, 2.0, -0.25]
        let bounds = try UniformRange.signedFull.bounds(bits: 3) // [−4, 3]
        let expected = 2 * (0.5 + 1.5 + 2.0 + 0.25) / 4 / 3.0.squareRoot()
        let q = try LSQQuantizer(bits: 3).quantize(Tensor(values))
        #expect(abs(q.scales[0] - expected) < 1e-12)
        #expect(LSQ.forward(10, step: 1, bounds: bounds) == 3)
        #expect(LSQ.forward(-10, step: 1, bounds: bounds) == -4)
        #expect(LSQ.forward(1.4, step: 0.5, bounds: bounds) == 1.5)
        // Dequantized values equal the scalar forward pass.
        let dequantized = q.dequantized()
        for (x, y) in zip(values, dequantized) {
            #expect(abs(Double(y) - LSQ.forward(Double(x), step: q.scales[0], bounds: bounds)) < 1e-6)
        }
    }

    @Test func uniformCalibratesToTheLargestMagnitude() throws {
        let q = try UniformQuantizer(bits: 4, range: .signedNarrow).quantize(Tensor([0.7, -1.4, 0.1]))
        #expect(abs(q.scales[0] - 1.4 / 7) < 1e-7)
        #expect(q.dequantized()[1] == -1.4)
        let unsigned = try UniformQuantizer(bits: 2, range: .unsigned).quantize(Tensor([0, 0.3, 0.9, -1]))
        #expect(unsigned.codes == [0, 1, 3, 0])
    }

    /// Straight-through gradients checked against finite differences of the function they
    /// differentiate: where x/s is clipped the quantizer is smooth and plain differences apply;
    /// inside the range STE treats the rounding residual ⌊v⌉ − v as a constant, so the differences
    /// are taken with that residual frozen at the base point.
    @Test func lsqGradientsMatchFiniteDifferences() throws {
        let bounds = try UniformRange.signedFull.bounds(bits: 3)
        var generator = SplitMix64(seed: 31)
        let xs = (0..<40).map { _ in (generator.nextOpenUnit() - 0.5) * 12 }
        let upstream = xs.map { _ in generator.nextOpenUnit() - 0.5 }
        let step = 0.9
        let gradients = try LSQ.backward(inputs: xs, upstream: upstream, step: step, bounds: bounds)
        let g = LSQ.gradientScale(count: xs.count, bounds: bounds)
        #expect(abs(g - 1 / (40.0 * 3).squareRoot()) < 1e-15)
        func surrogate(_ x: Double, _ s: Double, residualAt x0: Double, _ s0: Double) -> Double {
            let v0 = x0 / s0
            let lower = Double(-bounds.negative), upper = Double(bounds.positive)
            if v0 <= lower || v0 >= upper { return LSQ.forward(x, step: s, bounds: bounds) } // smooth: true function
            let residual = (v0).rounded(.toNearestOrEven) - v0
            return s * (x / s + residual)
        }
        let h = 1e-6
        var numericStep = 0.0
        for (x, u) in zip(xs, upstream) {
            numericStep += u * (surrogate(x, step + h, residualAt: x, step) - surrogate(x, step - h, residualAt: x, step)) / (2 * h)
        }
        numericStep *= g
        #expect(abs(gradients.step - numericStep) / abs(numericStep) < 1e-3)
        for (index, x) in xs.enumerated() {
            let numeric = upstream[index] * (surrogate(x + h, step, residualAt: x, step) - surrogate(x - h, step, residualAt: x, step)) / (2 * h)
            #expect(abs(gradients.input[index] - numeric) < 1e-6)
        }
        // In the clipped region the true derivative exists and equals Qp (or −Qn).
        let clipped = (LSQ.forward(20, step: step + h, bounds: bounds) - LSQ.forward(20, step: step - h, bounds: bounds)) / (2 * h)
        #expect(abs(LSQ.stepDerivative(20, step: step, bounds: bounds) - clipped) < 1e-6)
    }

    @Test func asqGradientsFollowEquations7To9() throws {
        let bounds = try UniformRange.unsigned.bounds(bits: 2)
        var generator = SplitMix64(seed: 41)
        let xs = (0..<30).map { _ in generator.nextOpenUnit() * 5 }
        let upstream = xs.map { _ in generator.nextOpenUnit() - 0.5 }
        let s = 0.8, beta = 1.3
        let result = try ASQ.backward(inputs: xs, upstream: upstream, step: s, beta: beta, bounds: bounds, gradientScale: 1)
        let adapted = try LSQ.backward(inputs: xs, upstream: upstream, step: s * beta, bounds: bounds, gradientScale: 1)
        #expect(abs(result.step - adapted.step * beta) < 1e-12) // Eq. 8
        #expect(abs(result.beta - adapted.step * s) < 1e-12)    // Eq. 9
        // Against finite differences of the STE surrogate in s and β.
        func loss(_ s: Double, _ b: Double) -> Double {
            zip(xs, upstream).reduce(0) { total, pair in
                let (x, u) = pair
                let v0 = x / (0.8 * 1.3)
                let sa = s * b
                let value: Double
                if v0 <= 0 || v0 >= Double(bounds.positive) { value = ASQ.forward(x, step: s, beta: b, bounds: bounds) }
                else { value = sa * (x / sa + (v0.rounded(.toNearestOrEven) - v0)) }
                return total + u * value
            }
        }
        let h = 1e-6
        let numericS = (loss(s + h, beta) - loss(s - h, beta)) / (2 * h)
        let numericB = (loss(s, beta + h) - loss(s, beta - h)) / (2 * h)
        #expect(abs(result.step - numericS) / max(abs(numericS), 1e-9) < 1e-3)
        #expect(abs(result.beta - numericB) / max(abs(numericB), 1e-9) < 1e-3)
    }

    @Test func adapterStartsAtOneAndLearns() throws {
        for hidden in [nil, 4] as [Int?] {
            var adapter = try ASQAdapter(inputs: 3, hidden: hidden)
            for features in [[0.1, 2, 3], [10, 0, -4], [0, 0, 0]] { #expect(try adapter(features) == 1) }
            // Gradient check of the adapter parameters against finite differences of β.
            if hidden != nil {
                adapter.weights2 = [0.3, -0.2, 0.5, 0.1] // move off the zero init so every path is live
            }
            let features = [0.4, 1.2, -0.3]
            let gradients = try adapter.backward(features, betaGradient: 1)
            let h = 1e-6
            for i in adapter.weights1.indices {
                var plus = adapter, minus = adapter
                plus.weights1[i] += h; minus.weights1[i] -= h
                let numeric = (try plus(features) - minus(features)) / (2 * h)
                #expect(abs(gradients.weights1[i] - numeric) < 1e-6)
            }
            for i in adapter.weights2.indices {
                var plus = adapter, minus = adapter
                plus.weights2[i] += h; minus.weights2[i] -= h
                #expect(abs(gradients.weights2[i] - (try plus(features) - minus(features)) / (2 * h)) < 1e-6)
            }
        }
        #expect(throws: QuantizerError.lengthMismatch(expected: 3, actual: 2)) { try ASQAdapter(inputs: 3)([1, 2]) }
        #expect(throws: QuantizerError.invalidParameter(name: "inputs", value: 0, reason: "the adapter needs at least one input feature")) {
            try ASQAdapter(inputs: 0)
        }
    }

    @Test func adapterFeaturesArePerChannelMeanMagnitudes() throws {
        let tensor = try Tensor(values: [1, -3, 2, 4, 0, -2], shape: [1, 2, 3])
        #expect(try ASQAdapter.features(of: tensor, channelAxis: 1) == [2, 2])
        #expect(try ASQAdapter.features(of: tensor, channelAxis: nil) == [2])
    }

    @Test func asqWithUntrainedAdapterEqualsLSQ() throws {
        let data = Tensor(SplitMix64.standardNormal(count: 1000, seed: 4).map { abs($0) })
        let asq = try ASQQuantizer(bits: 3).quantize(data)
        let lsq = try LSQQuantizer(bits: 3, range: .unsigned).quantize(data)
        #expect(asq.codes == lsq.codes)
        #expect(asq.fits[0].parameters[1] == 1)
    }
}
