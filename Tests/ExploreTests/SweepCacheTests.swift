import Foundation
import Testing
import HWModel
import Quantizers
import CycleSim
@testable import Explore

/// The sweep cache must be invisible in the numbers: every point as the uncached evaluation gives it.
@Suite struct SweepCacheTests {
    /// Two results alike in every field (NaN equal to NaN: failed points carry NaN metrics).
    static func same(_ a: DesignResult, _ b: DesignResult) -> Bool {
        func alike(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return a.point == b.point && a.failure == b.failure && a.cycles == b.cycles && alike(a.latencyMs, b.latencyMs)
            && alike(a.framesPerSecond, b.framesPerSecond) && alike(a.modelSizeMiB, b.modelSizeMiB) && a.resourcePercent == b.resourcePercent
            && a.fits == b.fits && alike(a.qops, b.qops) && a.bops == b.bops && alike(a.peakFraction, b.peakFraction)
    }

    @Test func theCachedSweepEqualsTheUncachedOnePointByPoint() async throws {
        let config = try shippedNetwork("resnet18")
        let space = DesignSpace(network: config.network, basePlan: config.plan,
                                hardware: [("vu9p.json", try shippedHardware("vu9p")), ("vu9p-vcu118.json", try shippedHardware("vu9p-vcu118"))],
                                weights: [.binary, .post(bits: 4), .uniform(bits: 8)], activations: [.uniform(bits: 2), .uniform(bits: 8)],
                                arrays: [.configured, .auto, .fixed(rows: 32, cols: 32), .fixed(rows: 2, cols: 2)],
                                bandwidths: [9.6, 19.2], clocks: [150, 300, 5000])
        let cache = SweepCache(network: config.network, batch: 1)
        let cached = try await ParallelSweep.map(space.points, maxConcurrency: 2, evaluate: { space.evaluate($0, cache: cache) })
        let uncached = space.points.map { space.evaluate($0) }
        #expect(cached.count == uncached.count)
        for (a, b) in zip(cached, uncached) { #expect(Self.same(a, b), "\(a.point.key)") }
        // Failures are part of the comparison (clocks above the device's maximum).
        #expect(uncached.contains { $0.failure != nil } && uncached.contains { $0.failure == nil })
        // Of the 2 × 4 × 2 × 2 × 6 points at a valid clock, `auto` repeats the shipped config and
        // 9.6 GB/s at 150 MHz is 19.2 GB/s at 300 MHz: 2 × 3 × 3 × 6 distinct simulations.
        let statistics = cache.statistics
        let valid = space.points.filter { $0.clockMHz != 5000 }.count
        #expect(valid == 192)
        #expect(statistics.points == valid)
        #expect(statistics.simulations == 2 * 3 * 3 * 6)
        #expect(statistics.hits == valid - 2 * 3 * 3 * 6)
        #expect(statistics.preparedBuilds == 2 * 3 * 6)
        #expect(abs(statistics.hitRate - 84.0 / 192.0) < 1e-12)
    }

    @Test func aSystolicSweepIsCachedByItsArray() throws {
        let config = try shippedNetwork("lenet5")
        let space = DesignSpace(network: config.network, basePlan: config.plan, hardware: [("vu9p.json", try shippedHardware("vu9p"))],
                                weights: [.uniform(bits: 8)], activations: [.uniform(bits: 8)],
                                arrays: [.fixed(rows: 8, cols: 8), .fixed(rows: 16, cols: 16)], bandwidths: [9.6, 19.2], clocks: [150, 300],
                                architecture: .systolic(.outputStationary))
        let cache = SweepCache(network: config.network, batch: 1)
        for point in space.points { #expect(Self.same(space.evaluate(point, cache: cache), space.evaluate(point)), "\(point.key)") }
        #expect(cache.statistics.hits == 2)
        // A full cache simulates without storing, with the same numbers.
        let small = SweepCache(network: config.network, batch: 1, simulationLimit: 1)
        for point in space.points { #expect(Self.same(space.evaluate(point, cache: small), space.evaluate(point)), "\(point.key)") }
        // Only the first point is kept; the one at 19.2 GB/s and 300 MHz on the same array reuses it.
        #expect(small.statistics.simulations == space.points.count - 1 && small.statistics.hits == 1)
    }
}
