import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, seedable generator whose output is the same on
/// every platform, so tests and benchmarks that draw "random" weights are reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// The same seed gives the same sequence on every platform.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits: SplitMix64's mix of a Weyl sequence (increment 0x9E3779B97F4A7C15).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in the open interval (0, 1), never 0 so that `log` stays finite.
    public mutating func nextOpenUnit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// `count` samples of N(0, 1) by the Box–Muller transform; two samples per pair of uniforms.
    /// Deterministic for a given seed, which is what reproducible experiments need.
    public static func standardNormal(count: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        var result = [Float](repeating: 0, count: max(count, 0))
        result.withUnsafeMutableBufferPointer { out in
            var index = 0
            while index < out.count {
                let u1 = generator.nextOpenUnit()
                let u2 = generator.nextOpenUnit()
                let radius = (-2 * Foundation.log(u1)).squareRoot()
                let angle = 2 * Double.pi * u2
                out[index] = Float(radius * Foundation.cos(angle))
                if index + 1 < out.count { out[index + 1] = Float(radius * Foundation.sin(angle)) }
                index += 2
            }
        }
        return result
    }
}

/// Numerical helpers shared by the quantizers: quadrature, 1-D minimisation, the normal density.
public enum Numerics {
    /// Standard normal density φ(t).
    @inlinable
    public static func normalDensity(_ t: Double) -> Double {
        Foundation.exp(-0.5 * t * t) / (2 * Double.pi).squareRoot()
    }

    /// 20-point Gauss–Legendre nodes and weights on [−1, 1], computed once by Newton's method on
    /// the Legendre polynomial (never typed in), so they are exact to double precision.
    static let gaussLegendre20: (nodes: [Double], weights: [Double]) = gaussLegendre(order: 20)

    static func gaussLegendre(order n: Int) -> (nodes: [Double], weights: [Double]) {
        var nodes = [Double](repeating: 0, count: n)
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<(n + 1) / 2 {
            var x = Foundation.cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = x
                for k in 2...n {
                    let p2 = ((2 * Double(k) - 1) * x * p1 - (Double(k) - 1) * p0) / Double(k)
                    p0 = p1
                    p1 = p2
                }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            nodes[i] = -x
            nodes[n - 1 - i] = x
            let w = 2 / ((1 - x * x) * derivative * derivative)
            weights[i] = w
            weights[n - 1 - i] = w
        }
        return (nodes, weights)
    }

    /// ∫ f over [a, b] by composite 20-point Gauss–Legendre on panels no wider than `panel`.
    /// Smooth integrands such as Gaussian moments converge to machine precision with unit panels.
    public static func integrate(_ a: Double, _ b: Double, panel: Double = 0.5, _ f: (Double) -> Double) -> Double {
        guard b > a else { return 0 }
        let pieces = max(1, Int(((b - a) / panel).rounded(.up)))
        let width = (b - a) / Double(pieces)
        let (nodes, weights) = gaussLegendre20
        var total = 0.0
        for piece in 0..<pieces {
            let left = a + Double(piece) * width
            let half = width / 2
            let mid = left + half
            var sum = 0.0
            for j in 0..<nodes.count { sum += weights[j] * f(mid + half * nodes[j]) }
            total += sum * half
        }
        return total
    }

    /// Golden-section search for the minimum of a unimodal function on [lower, upper].
    /// Chosen over Newton because the objectives here (VecQ's Jo) are cheap and only known to be
    /// unimodal, not to have well-behaved second derivatives.
    public static func goldenSectionMinimum(
        _ lower: Double, _ upper: Double, tolerance: Double = 1e-12, _ f: (Double) -> Double
    ) -> (x: Double, value: Double) {
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = lower, b = upper
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = f(c), fd = f(d)
        var iterations = 0
        while b - a > tolerance * max(1, abs(c) + abs(d)) && iterations < 400 {
            if fc < fd {
                b = d; d = c; fd = fc
                c = b - ratio * (b - a); fc = f(c)
            } else {
                a = c; c = d; fc = fd
                d = a + ratio * (b - a); fd = f(d)
            }
            iterations += 1
        }
        return fc < fd ? (c, fc) : (d, fd)
    }

    /// Numerically stable logistic sigmoid 1 / (1 + e^(−z)).
    @inlinable
    public static func sigmoid(_ z: Double) -> Double {
        if z >= 0 { return 1 / (1 + Foundation.exp(-z)) }
        let e = Foundation.exp(z)
        return e / (1 + e)
    }
}
