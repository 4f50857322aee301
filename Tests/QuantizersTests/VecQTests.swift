import Foundation
import Testing
@testable import Quantizers

@Suite struct VecQTests {
    /// VecQ Table 1 (§5.2.2); the solver must reproduce it to 4 decimal places.
    static let table1: [(k: Int, lambda: Double)] = [
        (2, 0.9957), (3, 0.5860), (4, 0.3352), (5, 0.1881), (6, 0.1041), (7, 0.0569), (8, 0.0308),
    ]

    @Test func solverReproducesTable1ToFourDecimals() {
        for (k, expected) in Self.table1 {
            let lambda = VecQ.solveTemplateLambda(bits: k)
            // "To 4 decimal places": rounding the solver's value gives the table's value.
            #expect((lambda * 10_000).rounded() / 10_000 == expected, "k = \(k): solver gives \(lambda)")
            #expect(VecQ.templateLambda(bits: k) == lambda)
        }
    }

    @Test func lambdaRulesOutsideTheTable() {
        #expect(VecQ.templateLambda(bits: 1) == 1)
        for k in 9...16 { #expect(VecQ.templateLambda(bits: k) == 6 / Double(1 << k)) }
    }

    /// The quadrature in the solver agrees with the closed-form Gaussian integrals
    /// (∫t p = p(a) − p(b), ∫p = Φ(b) − Φ(a)) to 1e-12.
    @Test func quadratureMatchesClosedForm() {
        func closedForm(_ lambda: Double, _ k: Int) -> Double {
            let n = 1 << k
            var cross = 0.0, squares = 0.0
            func pdf(_ t: Double) -> Double { t.isInfinite ? 0 : exp(-t * t / 2) / (2 * Double.pi).squareRoot() }
            func cdf(_ t: Double) -> Double { 0.5 * erfc(-t / 2.0.squareRoot()) }
            for i in 1...n {
                let q = (Double(i) - Double(n) / 2 - 0.5) * lambda
                let a = i == 1 ? -Double.infinity : (Double(i - 1) - Double(n) / 2) * lambda
                let b = i == n ? Double.infinity : (Double(i) - Double(n) / 2) * lambda
                cross += q * (pdf(a) - pdf(b))
                squares += q * q * (cdf(b) - cdf(a))
            }
            return 1 - cross / squares.squareRoot()
        }
        for k in [2, 3, 5, 8] {
            for lambda in [0.01, 0.1, 0.5, 1.0, 2.0] {
                let difference = abs(VecQ.templateOrientationLoss(lambda: lambda, bits: k) - closedForm(lambda, k))
                #expect(difference < 1e-12, "k = \(k), λ = \(lambda): \(difference)")
            }
        }
    }

    @Test func jOIsConstantForOneBit() {
        let a = VecQ.templateOrientationLoss(lambda: 0.3, bits: 1)
        let b = VecQ.templateOrientationLoss(lambda: 2.7, bits: 1)
        #expect(abs(a - b) < 1e-12)
        #expect(abs(a - (1 - (2 / Double.pi).squareRoot())) < 1e-12) // E|φ| = √(2/π)
    }

    @Test func steeringFollowsEquation12() {
        // k = 2: levels −1.5, −0.5, 0.5, 1.5 (×λ); intervals (−∞,−λ], (−λ,0], (0,λ], (λ,∞).
        #expect(VecQ.steer(0.3, interval: 1, bits: 2) == 0.5)
        #expect(VecQ.steer(-0.3, interval: 1, bits: 2) == -0.5)
        #expect(VecQ.steer(1.2, interval: 1, bits: 2) == 1.5)
        #expect(VecQ.steer(9, interval: 1, bits: 2) == 1.5)
        #expect(VecQ.steer(-9, interval: 1, bits: 2) == -1.5)
        #expect(VecQ.steer(0, interval: 1, bits: 2) == -0.5)   // 0 ∈ (−λ, 0]
        #expect(VecQ.steer(1, interval: 1, bits: 2) == 0.5)    // λ ∈ (0, λ]
        #expect(VecQ.steer(0.7, interval: 1, bits: 1) == 0.5)  // k = 1 is the sign
        #expect(VecQ.steer(-0.7, interval: 1, bits: 1) == -0.5)
    }

    /// §3: w = [2.5, 1.75], levels {−2..2}. The vector-loss optimum is α = 1.35, v = [2, 1]; the L2
    /// iteration can stop at α = 1.0625, v = [2, 2], which has a larger L2 distance.
    @Test func twoWeightExample() throws {
        let w = [2.5, 1.75]
        let levels = try LevelSet([-2, -1, 0, 1, 2])
        let optimum = try VecQ.exhaustiveVectorLossOptimum(weights: w, levels: levels)
        #expect(optimum.vector == [2, 1])
        #expect(abs(optimum.alpha - 1.35) < 1e-12)
        let l2 = VecQ.l2AlternatingFit(weights: w, levels: levels, initialAlpha: 1.0625)
        #expect(l2.vector == [2, 2])
        #expect(abs(l2.alpha - 1.0625) < 1e-12)
        let vectorDistance = Metrics.l2Loss(w, optimum.vector.map { $0 * optimum.alpha })
        let l2Distance = Metrics.l2Loss(w, l2.vector.map { $0 * l2.alpha })
        #expect(abs(vectorDistance - 0.2) < 1e-12)
        #expect(abs(l2Distance - 0.28125) < 1e-12)
        #expect(vectorDistance < l2Distance)
    }

    /// 10^6 samples of N(0, 1): VecQ's Jo is within 1e-3 of the template minimum and its L2 loss
    /// beats uniform quantization scaled to max|w|, for every k = 2…8.
    @Test func gaussianSamplesMatchTheTemplate() throws {
        let samples = SplitMix64.standardNormal(count: 1_000_000, seed: 7)
        let tensor = Tensor(samples)
        for k in 2...8 {
            let vecq = try VecQQuantizer(bits: k).quantize(tensor)
            let vecqLoss = Self.losses(samples, vecq.dequantized())
            let templateMinimum = VecQ.templateOrientationLoss(lambda: VecQ.templateLambda(bits: k), bits: k)
            #expect(abs(vecqLoss.jo - templateMinimum) < 1e-3, "k = \(k): Jo \(vecqLoss.jo) vs \(templateMinimum)")
            let uniform = try UniformQuantizer(bits: k, range: .signedNarrow).quantize(tensor)
            let uniformLoss = Self.losses(samples, uniform.dequantized())
            #expect(vecqLoss.l2 < uniformLoss.l2, "k = \(k): VecQ L2 \(vecqLoss.l2) vs uniform \(uniformLoss.l2)")
        }
    }

    /// Jo and L2 with a tight loop (the generic metrics are slow in debug builds at 10^6 elements).
    static func losses(_ w: [Float], _ q: [Float]) -> (jo: Double, l2: Double) {
        var cross = 0.0, ww = 0.0, qq = 0.0, l2 = 0.0
        w.withUnsafeBufferPointer { w in
            q.withUnsafeBufferPointer { q in
                for i in w.indices {
                    let a = Double(w[i]), b = Double(q[i])
                    cross += a * b; ww += a * a; qq += b * b; l2 += (a - b) * (a - b)
                }
            }
        }
        return (1 - cross / (ww * qq).squareRoot(), l2)
    }

    @Test func drivingScaleIsLeastSquares() {
        let w = [0.3, -1.2, 0.8, 2.0]
        let v = [0.5, -1.5, 0.5, 1.5]
        let alpha = VecQ.drivingScale(weights: w, orientation: v)
        let loss = { (a: Double) in Metrics.l2Loss(w, v.map { $0 * a }) }
        #expect(loss(alpha) <= loss(alpha + 1e-4))
        #expect(loss(alpha) <= loss(alpha - 1e-4))
    }

    @Test func dataDrivenLambdaIsOnTheGridAndNearTheTemplate() throws {
        let samples = SplitMix64.standardNormal(count: 20_000, seed: 11)
        for k in [2, 4] {
            let found = try VecQ.dataDrivenLambda(samples, bits: k)
            #expect(found.lambda > 0 && found.lambda <= 3)
            #expect(abs(found.lambda * 1000 - (found.lambda * 1000).rounded()) < 1e-9)
            #expect(abs(found.lambda - VecQ.templateLambda(bits: k)) < 0.05, "k = \(k): \(found.lambda)")
            // The search's loss is the real orientation loss of steering with that λ.
            let quantized = try VecQQuantizer(bits: k, lambda: .fixed(found.lambda)).quantize(Tensor(samples))
            let jo = Self.losses(samples, quantized.dequantized()).jo
            #expect(abs(jo - found.orientationLoss) < 1e-6)
            #expect(jo <= VecQ.templateOrientationLoss(lambda: VecQ.templateLambda(bits: k), bits: k) + 2e-3)
        }
    }

    @Test func levelsAreOddIntegersAtHalfTheScale() throws {
        let quantizer = try VecQQuantizer(bits: 2)
        #expect(quantizer.levelSet.levels == [-3, -1, 1, 3])
        let q = try quantizer.quantize(Tensor([0.1, -0.2, 1.5, -3]))
        let alpha = q.fits[0].parameters[2]
        #expect(abs(q.scales[0] - alpha / 2) < 1e-15)
    }

    @Test func rejectsBadInput() {
        #expect(throws: QuantizerError.unsupportedBits(scheme: "vecq", bits: 0, allowed: 1...16)) { try VecQQuantizer(bits: 0) }
        #expect(throws: QuantizerError.invalidParameter(name: "lambda", value: -1, reason: "λ must be positive and finite")) { try VecQQuantizer(bits: 4, lambda: .fixed(-1)) }
        #expect(throws: QuantizerError.emptyTensor) { try VecQ.dataDrivenLambda([], bits: 2) }
        #expect(throws: QuantizerError.nonFinite(index: 1, value: .infinity)) { try VecQ.dataDrivenLambda([1, .infinity], bits: 2) }
    }
}
