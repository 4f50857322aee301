import Foundation
import Testing
@testable import Quantizers

@Suite struct QuantizationNetworksTests {
    static let sets = LevelSet.namedSets.map(\.set)

    @Test func stepHeightsAndOffsetFromTheLevelSet() throws {
        let pm4 = try QuantizationNetworkFunction.projection(onto: LevelSet(parsing: "3bit-pm4"), scale: 1)
        #expect(pm4.stepHeights == [2, 1, 1, 1, 1, 2]) // §3.1's example
        #expect(pm4.offset == 4)
        let binary = try QuantizationNetworkFunction.projection(onto: LevelSet(parsing: "binary"), scale: 1)
        #expect(binary.stepHeights == [2])
        #expect(binary.offset == 1)
        let activations = try QuantizationNetworkFunction.projection(onto: LevelSet(parsing: "act2"), scale: 1)
        #expect(activations.offset == 0) // §4.1: o = 0 for non-negative activations
    }

    @Test func hardFunctionIsProjectionOntoTheLevelSet() throws {
        var generator = SplitMix64(seed: 3)
        for set in Self.sets {
            let alpha = 0.37
            let function = try QuantizationNetworkFunction.projection(onto: set, scale: alpha)
            let scaled = set.levels.map { $0 * alpha }
            for _ in 0..<2000 {
                let x = (generator.nextOpenUnit() * 2 - 1) * (set.levels.last! - set.levels.first! + 2) * alpha
                let nearest = scaled.min { abs($0 - x) < abs($1 - x) }!
                #expect(abs(function.hard(x) - nearest) < 1e-12 || abs(abs(function.hard(x) - x) - abs(nearest - x)) < 1e-12)
            }
        }
    }

    @Test func hardOutputsAlwaysLieOnTheScaledLevelSet() throws {
        let data = SplitMix64.standardNormal(count: 5000, seed: 5)
        for set in Self.sets {
            let function = try QuantizationNetworkFunction.initialized(levels: set, data: data)
            for x in data.prefix(500) {
                let y = function.hard(Double(x)) / function.alpha
                #expect(set.levels.contains { abs($0 - y) < 1e-9 })
            }
        }
    }

    /// At T = 10^4 the soft function is within 1e-3 of the hard one except within 1e-3 (in βx)
    /// of a threshold.
    @Test func softApproachesHardAsTemperatureGrows() throws {
        let data = SplitMix64.standardNormal(count: 4000, seed: 9)
        for set in Self.sets {
            let function = try QuantizationNetworkFunction.initialized(levels: set, data: data)
            var worst = 0.0
            for x in data {
                let z = function.beta * Double(x)
                if function.biases.contains(where: { abs(z - $0) < 1e-3 }) { continue }
                worst = max(worst, abs(function.soft(Double(x), temperature: 1e4) - function.hard(Double(x))))
            }
            #expect(worst < 1e-3, "\(set): \(worst)")
            // And the worst gap away from the thresholds shrinks as T grows.
            let gaps = [10.0, 100, 1000].map { t in
                data.filter { x in !function.biases.contains { abs(function.beta * Double(x) - $0) < 0.05 } }
                    .map { abs(function.soft(Double($0), temperature: t) - function.hard(Double($0))) }.max() ?? 0
            }
            #expect(gaps[0] > gaps[1] && gaps[1] > gaps[2], "\(set): \(gaps)")
        }
    }

    @Test func analyticGradientsMatchFiniteDifferences() throws {
        let data = SplitMix64.standardNormal(count: 64, seed: 21).map(Double.init)
        var generator = SplitMix64(seed: 22)
        let upstream = data.map { _ in generator.nextOpenUnit() - 0.5 }
        for set in Self.sets {
            let base = try QuantizationNetworkFunction.initialized(levels: set, data: data.map(Float.init))
            let t = 2.0
            let analytic = try base.gradients(x: data, upstream: upstream, temperature: t)
            func loss(_ f: QuantizationNetworkFunction, _ xs: [Double]) -> Double {
                zip(xs, upstream).reduce(0) { $0 + f.soft($1.0, temperature: t) * $1.1 }
            }
            func check(_ analyticValue: Double, _ perturbed: (Double) -> Double, _ what: String) {
                let h = 1e-6
                let numeric = (perturbed(h) - perturbed(-h)) / (2 * h)
                let error = abs(analyticValue - numeric) / max(abs(numeric), abs(analyticValue), 1e-8)
                #expect(error < 1e-3 || abs(analyticValue - numeric) < 1e-9, "\(set) \(what): analytic \(analyticValue), numeric \(numeric)")
            }
            check(analytic.alpha, { h in var f = base; f.alpha += h; return loss(f, data) }, "α")
            check(analytic.beta, { h in var f = base; f.beta += h; return loss(f, data) }, "β")
            for i in base.biases.indices {
                check(analytic.biases[i], { h in var f = base; f.biases[i] += h; return loss(f, data) }, "b\(i)")
            }
            for d in [0, 7, 31] {
                check(analytic.input[d], { h in var xs = data; xs[d] += h; return loss(base, xs) }, "x\(d)")
            }
        }
    }

    @Test func initialisationFollowsSection41() throws {
        let data: [Float] = [-2, -1, -0.5, 0, 0.25, 1, 4]
        let ternary = try QuantizationNetworkFunction.initialized(levels: LevelSet(parsing: "ternary"), data: data)
        #expect(abs(ternary.beta - 5.0 * 1 / (4 * 4)) < 1e-15) // β = 5p/(4q), p = 1, q = 4
        #expect(abs(ternary.alpha - 1 / ternary.beta) < 1e-15)
        #expect(ternary.biases == [-0.05, 0.05])
        let binary = try QuantizationNetworkFunction.initialized(levels: LevelSet(parsing: "binary"), data: data)
        #expect(binary.biases == [0])
        // Clustered data: k-means centres at the clusters, biases at their midpoints (in βx).
        var clustered: [Float] = []
        for centre: Float in [-4, -2, -1, 0, 1, 2, 4] { for j in 0..<50 { clustered.append(centre + Float(j - 25) * 0.001) } }
        let pm4 = try QuantizationNetworkFunction.initialized(levels: LevelSet(parsing: "3bit-pm4"), data: clustered)
        let q = Double(clustered.map { abs($0) }.max()!)
        #expect(abs(pm4.beta - 5 * 4 / (4 * q)) < 1e-12)
        let expected = [-3.0, -1.5, -0.05 / pm4.beta, 0.05 / pm4.beta, 1.5, 3.0].map { $0 * pm4.beta }
        for (got, want) in zip(pm4.biases, expected) { #expect(abs(got - want) < 2e-3, "\(pm4.biases)") }
        #expect(pm4.biases[2] == -0.05 && pm4.biases[3] == 0.05)
    }

    @Test func temperatureSchedule() {
        #expect(QuantizationNetworkFunction.temperature(epoch: 3, rate: 10) == 30)
        #expect(QuantizationNetworkFunction.temperature(epoch: 55, rate: 5) == 275)
    }

    @Test func rejectsBadParameters() throws {
        let set = try LevelSet(parsing: "ternary")
        #expect(throws: QuantizerError.lengthMismatch(expected: 2, actual: 1)) {
            try QuantizationNetworkFunction(levels: set, alpha: 1, beta: 1, biases: [0])
        }
        #expect(throws: QuantizerError.invalidParameter(name: "alpha", value: 0, reason: "α must be positive and finite")) {
            try QuantizationNetworkFunction(levels: set, alpha: 0, beta: 1, biases: [0, 1])
        }
        #expect(throws: QuantizerError.emptyTensor) { try QuantizationNetworkFunction.initialized(levels: set, data: []) }
        #expect(throws: QuantizerError.nonFinite(index: 0, value: .infinity)) {
            try QuantizationNetworkFunction.initialized(levels: set, data: [.infinity])
        }
    }
}
