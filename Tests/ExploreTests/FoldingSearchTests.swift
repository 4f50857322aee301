import CycleSim
import Explore
import Foundation
import HWModel
import Quantizers
import TestSupport
import Testing

/// The folding searches: the cheapest folding reaching a frame rate, the fastest that fits,
/// FINN's SetFolding for comparison, and the dataflow sweep of `compare`.
@Suite struct FoldingSearchTests {
    let bound: BoundNetwork
    let architecture: DataflowArchitecture
    let graph: DataflowGraph
    let bnnPynq: Folding

    init() throws {
        let config = try NetworkConfig.load(path: repositoryRoot.appendingPathComponent("configs/finn/cnv-w1a1.json").path)
        bound = try BoundNetwork(network: config.network, plan: config.plan)
        architecture = DataflowArchitecture(template: try shippedHardware("pynq-z1"))
        graph = try architecture.graph(of: bound)
        bnnPynq = try FoldingFile.load(path: repositoryRoot.appendingPathComponent("configs/finn/cnv-w1a1.folding.json").path).folding(for: graph).folding
    }

    /// `--target-fps 3000` on CNV-W1A1 on a Pynq-Z1 (100 MHz) reaches 3,000 frames/s with no
    /// more LUTs than BNN-PYNQ's own folding, both with BNN-PYNQ's memory settings and FIFOs
    /// sized by hwsim, under the same model.
    @Test func cheapestReaching3000IsNoDearerThanBNNPYNQ() throws {
        let search = try FoldingSearch(architecture: architecture, graph: graph, base: bnnPynq)
        let found = search.reaching(framesPerSecond: 3000).folding
        let ours = try architecture.simulate(bound, graph: graph, folding: found, batch: 1)
        var theirs = bnnPynq
        for key in theirs.layers.keys {
            theirs.layers[key]?.inputFIFODepth = nil
            theirs.layers[key]?.outputFIFODepth = nil
            theirs.layers[key]?.windowInputFIFODepth = nil
        }
        let reference = try architecture.simulate(bound, graph: graph, folding: theirs, batch: 1)
        #expect(ours.simulation.framesPerSecond >= 3000)
        #expect(ours.acceleratorResources(.structural).lut <= reference.acceleratorResources(.structural).lut)
        #expect(ours.simulation.hardware.usage.fitsBudget)
    }

    /// The cheapest folding per layer is never dearer than FINN's SetFolding at the same target.
    @Test func cheapestBeatsSetFolding() throws {
        let search = try FoldingSearch(architecture: architecture, graph: graph)
        let target: Int64 = 33_333
        let finn = try architecture.simulate(bound, graph: graph, folding: search.setFolding(targetCycles: target), batch: 1)
        let ours = try architecture.simulate(bound, graph: graph, folding: search.cheapest(targetCycles: target).folding, batch: 1)
        #expect(finn.pipeline.initiationInterval <= target && ours.pipeline.initiationInterval <= target)
        #expect(ours.acceleratorResources(.structural).lut <= finn.acceleratorResources(.structural).lut)
    }

    /// `--fit`: the result fits the budget, and the next faster interval any layer can reach does not.
    @Test func fastestFittingFits() throws {
        let search = try FoldingSearch(architecture: architecture, graph: graph)
        let found = try #require(try search.fastestFitting(bound))
        #expect(found.simulation.simulation.hardware.usage.fitsBudget)
        let interval = found.simulation.pipeline.initiationInterval
        let faster = search.cheapest(targetCycles: interval - 1)
        if faster.cycles < interval {
            let next = try architecture.simulate(bound, graph: graph, folding: faster.folding, batch: 1)
            #expect(!next.simulation.hardware.usage.fitsBudget)
        }
        // Faster than BNN-PYNQ's hand folding on the same part.
        #expect(found.simulation.simulation.framesPerSecond > 3000)
    }

    /// `compare --arch dataflow`: one point per scheme pair and target frame rate.
    @Test func dataflowSweep() throws {
        let config = try NetworkConfig.load(path: repositoryRoot.appendingPathComponent("configs/finn/cnv-w1a1.json").path)
        let space = DesignSpace(network: config.network, basePlan: config.plan, hardware: [("pynq-z1", try shippedHardware("pynq-z1"))],
                                weights: [.binary], activations: [.binary, .uniform(bits: 2)],
                                architecture: .dataflow(targetFPS: [500, 3000], options: DataflowOptions()))
        let points = space.points
        #expect(points.count == 4 && space.count == 4)
        #expect(points.map(\.targetFPS) == [500, 3000, 500, 3000])
        #expect(points[1].key.hasSuffix(";fps=3000"))
        let results = points.map { space.evaluate($0) }
        for (point, result) in zip(points, results) {
            #expect(result.failure == nil)
            #expect(result.framesPerSecond >= (point.targetFPS ?? 0))
        }
        // More frames/s cost more LUTs.
        #expect((results[1].resourcePercent[.lut] ?? 0) > (results[0].resourcePercent[.lut] ?? 0))
        #expect(DesignPoint.targetFPS(inKey: points[1].key) == 3000)
    }
}
