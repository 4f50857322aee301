import Foundation
import Testing
import HWModel
import Quantizers
import CycleSim
@testable import Explore

func space(weights: String = "binary,ternary,post:3,uniform:8", activations: String = "2,8",
           arrays: [ArrayChoice] = [.configured], bandwidths: [Double?] = [nil]) throws -> DesignSpace {
    let config = try shippedNetwork("lenet5")
    return DesignSpace(network: config.network, basePlan: config.plan, hardware: [("vu9p.json", try shippedHardware("vu9p"))],
                       weights: try schemes(weights), activations: try schemes(activations, bare: "uniform"),
                       arrays: arrays, bandwidths: bandwidths)
}

@Suite struct DesignSpaceTests {
    @Test func pointsAreTheCartesianProductInAFixedOrder() throws {
        let sweep = try space(arrays: [.configured, .fixed(rows: 16, cols: 16)], bandwidths: [nil, 19.2])
        let points = sweep.points
        #expect(points.count == 4 * 2 * 2 * 2)
        #expect(sweep.count == points.count)
        #expect(points.map(\.index) == Array(points.indices))
        #expect(Set(points.map(\.key)).count == points.count)
        #expect(points[0].weights == .binary && points[0].activations == .uniform(bits: 2))
        #expect(points[1].activations == .uniform(bits: 8))
        #expect(try space().fingerprint == space().fingerprint)
        #expect(try space(activations: "2,4").fingerprint != space().fingerprint)
    }

    @Test func everyPointRunsAndReportsItsMetrics() throws {
        let sweep = try space()
        for point in sweep.points {
            let result = sweep.evaluate(point)
            #expect(result.failure == nil, "\(point.key): \(result.failure ?? "")")
            #expect(result.latencyMs > 0 && result.modelSizeMiB > 0 && result.cycles > 0)
            #expect(result.fits)
        }
    }

    @Test func aClockAboveTheDeviceMaximumIsAFailedPointNotATrap() throws {
        let config = try shippedNetwork("lenet5")
        let sweep = DesignSpace(network: config.network, basePlan: config.plan, hardware: [("vu9p.json", try shippedHardware("vu9p"))],
                                weights: [.binary], activations: [.binary], clocks: [250, 5000])
        let results = sweep.points.map { sweep.evaluate($0) }
        #expect(results[0].failure == nil)
        #expect(results[1].failure?.contains("maximum") == true)
        #expect(results[1].value(of: .latency) == .infinity)
    }

    @Test func moreBandwidthNeverMakesAPointSlower() throws {
        let sweep = try space(weights: "uniform:8", activations: "8", bandwidths: [4, 8, 16, 64])
        let latencies = sweep.points.map { sweep.evaluate($0).latencyMs }
        for (slower, faster) in zip(latencies, latencies.dropFirst()) { #expect(faster <= slower * (1 + 1e-9)) }
    }

    /// A result with only the front's objectives filled in.
    private func result(_ index: Int, latency: Double, size: Double, fits: Bool = true) -> DesignResult {
        var result = DesignResult(point: DesignPoint(index: index, weights: .binary, activations: .binary, hardware: "h",
                                                     array: .configured, bandwidthGBps: nil, clockMHz: nil))
        result.latencyMs = latency
        result.modelSizeMiB = size
        result.fits = fits
        return result
    }

    @Test func paretoFrontSkipsPointsThatDoNotFit() {
        let results = [result(0, latency: 1, size: 5, fits: true), result(1, latency: 0.5, size: 1, fits: false),
                       result(2, latency: 2, size: 2, fits: true), result(3, latency: 3, size: 3, fits: true)]
        #expect(DesignSpace.paretoFront(results, objectives: [.latency, .size]) == [0, 2])
    }

    @Test func aMuchSlowerPointIsNotOptimalForANegligiblySmallerModel() {
        // 20× slower for 0.001 MiB of 10 MiB; a clearly smaller point stays.
        let results = [result(0, latency: 1, size: 10.001), result(1, latency: 20, size: 10.000), result(2, latency: 30, size: 5)]
        #expect(DesignSpace.paretoFront(results, objectives: [.latency, .size], tolerance: 0) == [0, 1, 2])
        #expect(DesignSpace.paretoFront(results, objectives: [.latency, .size]) == [0, 2])
        #expect(Pareto.defaultTolerance == 0.01)
        // Equal points are all kept; a front of one point is that point.
        #expect(Pareto.front([[1, 1], [1, 1]], tolerance: 0.01) == [0, 1])
        #expect(Pareto.front([[1, 2]], tolerance: 0.01) == [0])
    }

    @Test func bopsAndQOPSAreObjectives() {
        var small = DesignResult(point: DesignPoint(index: 0, weights: .binary, activations: .binary, hardware: "h", array: .configured,
                                                    bandwidthGBps: nil, clockMHz: nil))
        small.fits = true
        small.bops = 100
        small.qops = 7
        var large = small
        large.point.index = 1
        large.bops = 400
        large.qops = 3
        #expect(DesignSpace.paretoFront([small, large], objectives: [.bops]) == [0])
        #expect(DesignSpace.paretoFront([small, large], objectives: [.qops]) == [1])
        #expect(DesignSpace.paretoFront([small, large], objectives: [.bops, .qops]) == [0, 1])
    }

    @Test func arrayChoicesReadTheirOwnSpelling() {
        for choice in [ArrayChoice.configured, .auto, .fixed(rows: 64, cols: 32)] { #expect(ArrayChoice(spelling: choice.description) == choice) }
        #expect(ArrayChoice(spelling: "0x32") == nil)
        #expect(ArrayChoice(spelling: "64by32") == nil)
    }
}

@Suite struct SweepResultsFileTests {
    private func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("hwsim-\(UUID().uuidString).csv").path
    }

    private func results() throws -> (DesignSpace, [DesignResult]) {
        let config = try shippedNetwork("lenet5")
        let sweep = DesignSpace(network: config.network, basePlan: config.plan, hardware: [("vu9p.json", try shippedHardware("vu9p"))],
                                weights: [.binary, .ternary, .post(bits: 3)], activations: [.uniform(bits: 4)])
        return (sweep, sweep.points.map { sweep.evaluate($0) })
    }

    @Test func rowsRoundTrip() throws {
        let (sweep, computed) = try results()
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let opened = try SweepResultsFile.openForAppend(path: path, fingerprint: sweep.fingerprint, resume: false)
        for result in computed { try SweepResultsFile.append(result, fingerprint: sweep.fingerprint, to: opened.handle, path: path) }
        try opened.handle.close()
        let contents = try SweepResultsFile.read(path: path)
        #expect(contents.fingerprint == sweep.fingerprint)
        #expect(contents.unreadableLines.isEmpty)
        #expect(contents.results.map(\.point) == computed.map(\.point))
        for (read, original) in zip(contents.results, computed) {
            // Exact: a resumed or merged report must print what a fresh run prints.
            #expect(read.latencyMs == original.latencyMs && read.modelSizeMiB == original.modelSizeMiB)
            #expect(read.resourcePercent == original.resourcePercent && read.qops == original.qops)
            #expect(read.fits == original.fits && read.bops == original.bops && read.cycles == original.cycles)
            #expect(read.bandwidthGBps == 68.3 && read.clockMHz == 250)
        }
    }

    @Test func numericColumnsHoldNumbersAndSourcesSaySo() throws {
        let config = try shippedNetwork("lenet5")
        let sweep = DesignSpace(network: config.network, basePlan: config.plan, hardware: [("vu9p", try shippedHardware("vu9p"))],
                                weights: [.binary], activations: [.binary], bandwidths: [nil, 19.2], clocks: [nil, 200])
        let rows = sweep.points.map { point in
            let fields = SweepResultsFile.row(sweep.evaluate(point), fingerprint: sweep.fingerprint, pareto: nil).map(\.text)
            return Dictionary(uniqueKeysWithValues: zip(SweepResultsFile.columns, fields))
        }
        #expect(rows.map { $0["bandwidth_gbps"] } == ["68.3", "68.3", "19.2", "19.2"])
        #expect(rows.map { $0["bandwidth_source"] } == ["board", "board", "sweep", "sweep"])
        #expect(rows.map { $0["clock_mhz"] } == ["250", "200", "250", "200"])
        #expect(rows.map { $0["clock_source"] } == ["config", "sweep", "config", "sweep"])
        #expect(rows.allSatisfy { $0["hardware"] == "vu9p" && $0["pareto"] == "" && Int64($0["cycles"] ?? "") != nil })
    }

    @Test func anExistingFileIsNeverTruncatedOrMixedWithAnotherSweep() throws {
        let (sweep, computed) = try results()
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let opened = try SweepResultsFile.openForAppend(path: path, fingerprint: sweep.fingerprint, resume: false)
        try SweepResultsFile.append(computed[0], fingerprint: sweep.fingerprint, to: opened.handle, path: path)
        try opened.handle.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        #expect(throws: SweepFileError.exists(path)) { try SweepResultsFile.openForAppend(path: path, fingerprint: sweep.fingerprint, resume: false) }
        let other = try space(activations: "2,4").fingerprint
        #expect(throws: SweepFileError.differentSweep(path, differences: ["axes"])) {
            try SweepResultsFile.openForAppend(path: path, fingerprint: other, resume: true)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)

        let resumed = try SweepResultsFile.openForAppend(path: path, fingerprint: sweep.fingerprint, resume: true)
        #expect(Set(resumed.done.keys) == [computed[0].point.key])
        try resumed.handle.close()
        // Resuming a sweep that has not started yet starts it.
        let fresh = try SweepResultsFile.openForAppend(path: path + ".new", fingerprint: sweep.fingerprint, resume: true)
        defer { try? FileManager.default.removeItem(atPath: path + ".new") }
        #expect(fresh.done.isEmpty)
        try fresh.handle.close()
        #expect(try String(contentsOfFile: path + ".new", encoding: .utf8) == SweepResultsFile.header + "\n")
    }

    @Test func aLineCutShortByACrashIsSkippedAndNotContinued() throws {
        let (sweep, computed) = try results()
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let full = SweepResultsFile.line(computed[0], fingerprint: sweep.fingerprint)
        let torn = String(SweepResultsFile.line(computed[1], fingerprint: sweep.fingerprint).prefix(40))
        try Data((SweepResultsFile.header + "\n" + full + "\n" + torn).utf8).write(to: URL(fileURLWithPath: path))
        let opened = try SweepResultsFile.openForAppend(path: path, fingerprint: sweep.fingerprint, resume: true)
        #expect(opened.done.count == 1)
        try SweepResultsFile.append(computed[2], fingerprint: sweep.fingerprint, to: opened.handle, path: path)
        try opened.handle.close()
        let contents = try SweepResultsFile.read(path: path)
        #expect(contents.results.map(\.point.index) == [0, 2])
        #expect(contents.unreadableLines == [3])
    }

    @Test func otherFilesAreRefused() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("a,b,c\n1,2,3\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SweepFileError.self) { try SweepResultsFile.read(path: path) }
        #expect(throws: SweepFileError.self) { try SweepResultsFile.openForAppend(path: path, fingerprint: try space().fingerprint, resume: true) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,b,c\n1,2,3\n")
    }

    @Test func csvQuotingRoundTrips() {
        #expect(SweepResultsFile.split("a,\"b,c\",\"d \"\"e\"\"\",") == ["a", "b,c", "d \"e\"", ""])
        #expect(SweepResultsFile.split("\"open") == nil)
        #expect(SweepResultsFile.split(CSV.format(["x, \"y\""])) == ["x, \"y\""])
    }
}

/// The `error` objective: the search's quantization-error proxy, per sweep point.
@Suite struct ErrorObjectiveTests {
    @Test func moreBitsLowerTheProxyAndTheFrontReadsIt() throws {
        let config = try shippedNetwork("lenet5")
        var sweep = DesignSpace(network: config.network, basePlan: config.plan, hardware: [("vu9p", try shippedHardware("vu9p"))],
                                weights: [.binary, .uniform(bits: 2), .uniform(bits: 8)], activations: [.uniform(bits: 2), .uniform(bits: 8)])
        sweep.errors = try sweep.errorTable(tensors: [:])
        let results = sweep.points.map { sweep.evaluate($0) }
        let errors = results.map(\.quantizationError)
        #expect(errors.allSatisfy { $0.isFinite && $0 > 0 })
        // uniform:8 weights and activations have the least error; wider activations lower it at every weight scheme.
        #expect(errors.firstIndex(of: errors.min() ?? 0) == 5)
        #expect(errors[0] > errors[1] && errors[2] > errors[3] && errors[4] > errors[5])
        // Four weight layers, each adding its weights' and its input activations' noise.
        let table = try #require(sweep.errors)
        let layers = config.network.weightLayers.map(\.name)
        let expected = layers.reduce(0.0) { $0 + table.error(layer: $1, weights: .uniform(bits: 8), activations: .uniform(bits: 8), metric: .nsr) }
        #expect(abs(errors[5] - expected) <= 1e-12 * expected)
        #expect(DesignSpace.paretoFront(results, objectives: [.error]) == [5])
        // Without a table there is no error, and no front on it.
        #expect(DesignSpace.paretoFront(sweep.points.map { DesignSpace(network: config.network, basePlan: config.plan, hardware: sweep.hardware,
                                                                          weights: sweep.weights, activations: sweep.activations).evaluate($0) },
                                        objectives: [.error]).isEmpty)
    }

    @Test func theResultsFileKeepsTheError() throws {
        let config = try shippedNetwork("lenet5")
        var sweep = DesignSpace(network: config.network, basePlan: config.plan, hardware: [("vu9p", try shippedHardware("vu9p"))],
                                weights: [.ternary], activations: [.uniform(bits: 4)])
        sweep.errors = try sweep.errorTable(tensors: [:])
        let result = sweep.evaluate(sweep.points[0])
        let text = SweepResultsFile.text([result], fingerprint: sweep.fingerprint, front: nil)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hwsim-error-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try SweepResultsFile.read(path: path).results.first?.quantizationError == result.quantizationError)
    }
}
