import Foundation
import Testing
@testable import Quantizers

@Suite struct TensorQuantizerTests {
    static let allSchemes = ["uniform:1", "uniform:4", "uniform:8", "uniform:16", "lsq:2", "lsq:4", "asq:3", "vecq:1", "vecq:2",
                             "vecq:4", "vecq:16", "pot:2", "pot:3", "pot:8", "post:3", "post:4", "apot:4", "apot:5",
                             "binary", "ternary", "qn:binary", "qn:ternary", "qn:3bit-pm2", "qn:3bit-pm4",
                             "qn:5bit", "qn:act2"]
    static let sample = Tensor(SplitMix64.standardNormal(count: 1003, seed: 99))

    @Test(arguments: allSchemes)
    func everySchemeQuantizesDequantizesAndPacks(text: String) throws {
        let scheme = try QuantScheme(parsing: text)
        if text == "uniform:1" {
            // Signed uniform needs a positive and a negative level; 1 bit is binary's job.
            #expect(throws: QuantizerError.self) { try scheme.quantizer() }
            #expect(try scheme.quantizer(role: .activation).levelSet.levels == [0, 1])
            return
        }
        let quantizer = try scheme.quantizer()
        #expect(quantizer.codeBits == scheme.bits)
        #expect(quantizer.codeLevels.count == 1 << quantizer.codeBits)
        #expect(try scheme.levelSet() == quantizer.levelSet)
        let q = try scheme.quantize(Self.sample)
        #expect(q.codes.allSatisfy { $0 < UInt32(1) << UInt32(q.codeBits) })
        // Every code's level is in the level set.
        for code in Set(q.codes) { #expect(q.levelSet.levels.contains(q.codeLevels[Int(code)])) }
        // Dequantized values are scale × level and beat the zero tensor.
        let report = try QuantizationReport(original: Self.sample, quantized: q)
        #expect(report.l2Loss < Self.sample.values.reduce(0) { $0 + Double($1 * $1) }, "\(text): \(report.l2Loss)")
        #expect(report.levelsUsed >= 2)
        // Packing round-trips at the scheme's width (1003 codes: not a multiple of 8).
        if BitPacking.supportedBits.contains(q.codeBits) {
            let packed = try q.packed()
            #expect(Int64(packed.count) == (Int64(q.codes.count * q.codeBits) + 7) / 8)
            #expect(try BitPacking.unpack(packed, count: q.codes.count, bits: q.codeBits) == q.codes)
        }
    }

    @Test func hardwareLevelSets() throws {
        #expect(try QuantScheme.fp32.levelSet() == nil)
        #expect(try QuantScheme(parsing: "uniform:3").levelSet()?.levels == [-4, -3, -2, -1, 0, 1, 2, 3])
        #expect(try QuantScheme(parsing: "uniform:2").levelSet(for: .activation)?.levels == [0, 1, 2, 3])
        #expect(try QuantScheme(parsing: "vecq:2").levelSet()?.levels == [-3, -1, 1, 3])
        #expect(try QuantScheme(parsing: "ternary").levelSet()?.levels == [-1, 0, 1])
        #expect(try QuantScheme(parsing: "pot:3").levelSet()?.isPowerOfTwo == true)
        #expect(try QuantScheme(parsing: "qn:3bit-pm4").levelSet()?.levels == [-4, -2, -1, 0, 1, 2, 4])
    }

    @Test func perChannelFitsOneScalePerSlice() throws {
        // Two output channels of very different magnitude along axis 0, and the same along axis 1.
        var values: [Float] = []
        // Multiples of max/7 so that 4-bit codes represent them (up to Float rounding).
        for c in 0..<2 { for i: Float in [-7, -3, 0, 1, 3, 7] { values.append(i * (c == 0 ? 0.03 : 30) / 7) } }
        let tensor = try Tensor(values: values, shape: [2, 2, 3])
        let perChannel = try QuantScheme.uniform(bits: 4).quantize(tensor, granularity: .perChannel(axis: 0))
        #expect(perChannel.scales.count == 2)
        #expect(abs(perChannel.scales[0] - 0.03 / 7) < 1e-9)
        #expect(abs(perChannel.scales[1] - 30.0 / 7) < 1e-5)
        let restored = perChannel.dequantized()
        for (x, y) in zip(values, restored) { #expect(abs(x - y) <= abs(x) * 1e-5 + 1e-7) }
        let perTensor = try QuantScheme.uniform(bits: 4).quantize(tensor)
        #expect(perTensor.scales.count == 1)
        // Axis 1 of [2, 2, 3]: channel j holds elements (i, j, ·).
        let axis1 = try QuantScheme.binary.quantize(tensor, granularity: .perChannel(axis: 1))
        #expect(axis1.scales.count == 2)
        let channel0 = [0, 1, 2, 6, 7, 8].map { abs(Double(values[$0])) }.reduce(0, +) / 6
        #expect(abs(axis1.scales[0] - channel0) < 1e-6)
        #expect(abs(axis1.scale(ofElement: 7) - channel0) < 1e-6)
    }

    @Test func binaryAndTernaryFollowBWNAndTWN() throws {
        let w: [Float] = [0.2, -0.4, 1.0, -2.0, 0.05]
        let binary = try BinaryQuantizer().quantize(Tensor(w))
        #expect(abs(binary.scales[0] - 3.65 / 5) < 1e-7)
        #expect(binary.codes == [1, 0, 1, 0, 1])
        let ternary = try TernaryQuantizer().quantize(Tensor(w))
        // Δ = 0.7 · 0.73 = 0.511: only 1.0 and −2.0 survive, α = 1.5.
        #expect(abs(ternary.fits[0].parameters[0] - 0.511) < 1e-6)
        #expect(abs(ternary.scales[0] - 1.5) < 1e-7)
        #expect(ternary.dequantized() == [0, 0, 1.5, -1.5, 0])
    }

    @Test func allZeroTensorsQuantizeToZero() throws {
        let zeros = Tensor([Float](repeating: 0, count: 10))
        for text in ["uniform:4", "lsq:4", "vecq:3", "pot:4", "binary", "ternary", "qn:ternary"] {
            let q = try QuantScheme(parsing: text).quantize(zeros)
            #expect(q.dequantized().allSatisfy { $0 == 0 }, "\(text)")
        }
    }

    @Test func metricsAndHistogram() throws {
        let w = [1.0, 0, 0]
        #expect(abs(Metrics.orientationLoss(w, [1, 1, 0]) - (1 - 1 / 2.0.squareRoot())) < 1e-15)
        #expect(Metrics.orientationLoss(w, [0, 0, 0]) == 1)
        #expect(Metrics.l2Loss([1, 2], [1, 4]) == 4)
        #expect(Metrics.modulusLoss([1, 2], [1, 4]) == 4)
        #expect(abs(Metrics.sqnrDecibels([3, 4], [3, 3]) - 10 * log10(25.0)) < 1e-12)
        #expect(Metrics.sqnrDecibels([3, 4], [3, 4]) == .infinity)
        let q = try QuantScheme(parsing: "uniform:3").quantize(Tensor([0.5, 1, 1, -1]))
        let histogram = q.levelHistogram()
        #expect(histogram.map(\.level) == [-4, -3, -2, -1, 0, 1, 2, 3])
        #expect(histogram.map(\.count) == [0, 1, 0, 0, 0, 0, 1, 2]) // 0.5 → 1.5 → 2 (ties to even)
        #expect(q.fractionOfLevelsUsed == 3.0 / 8)
        let report = try QuantizationReport(original: Tensor([0.5, 1, 1, -1]), quantized: q)
        #expect(report.levelsUsed == 3 && report.levelCount == 8)
    }
}

/// Every bad input gives a typed error, never a trap.
@Suite struct BadInputTests {
    @Test func nonFiniteWeights() {
        for bad: Float in [.nan, .infinity, -.infinity] {
            for text in ["uniform:4", "vecq:2", "pot:3", "post:4", "binary", "ternary", "qn:ternary", "lsq:4", "asq:4"] {
                let error = #expect(throws: QuantizerError.self) {
                    var values = [Float](repeating: 0.5, count: 12)
                    values[9] = bad
                    _ = try QuantScheme(parsing: text).quantize(Tensor(values))
                }
                guard case .nonFinite(let index, let value) = error else { Issue.record("\(text): \(String(describing: error))"); continue }
                #expect(index == 9)
                #expect(value.isNaN == bad.isNaN && (value.isNaN || value == bad))
            }
        }
    }

    @Test func emptyTensors() throws {
        for text in ["uniform:4", "vecq:2", "pot:3", "binary", "qn:ternary"] {
            #expect(throws: QuantizerError.emptyTensor) { try QuantScheme(parsing: text).quantize(Tensor([])) }
            #expect(throws: QuantizerError.emptyTensor) {
                try QuantScheme(parsing: text).quantize(try Tensor(values: [], shape: [0, 3]), granularity: .perChannel(axis: 0))
            }
        }
    }

    @Test func bitsOutsideTheSupportedRange() {
        for scheme in [QuantScheme.uniform(bits: 0), .uniform(bits: 17), .lsq(bits: -1), .asq(bits: 40), .vecq(bits: 0),
                       .vecq(bits: 17), .pot(bits: 1), .post(bits: 9), .apot(bits: 16)] {
            #expect(throws: QuantizerError.self) { try scheme.quantizer() }
        }
        for text in ["uniform:0", "uniform:17", "vecq:99", "pot:1", "post:9"] {
            #expect(throws: QuantSchemeError.self) { try QuantScheme(parsing: text) }
        }
        #expect(throws: QuantizerError.notQuantized(scheme: "fp32")) { try QuantScheme.fp32.quantizer() }
    }

    @Test func unsortedOrDuplicateLevelSets() {
        #expect(throws: LevelSetError.unsorted(previous: 1, next: 0)) { try LevelSet([1, 0]) }
        #expect(throws: LevelSetError.duplicate(0)) { try LevelSet([-1, 0, 0, 1]) }
        #expect(throws: LevelSetError.nonFinite) { try LevelSet([0, .nan]) }
        #expect(throws: LevelSetError.tooFewLevels(1)) { try LevelSet([3]) }
        #expect(throws: QuantSchemeError.invalidLevelSet(scheme: "qn:{2,1,0}", reason: "levels must be increasing, but 2.0 comes before 1.0")) {
            try QuantScheme(parsing: "qn:{2,1,0}")
        }
        #expect(throws: QuantSchemeError.invalidLevelSet(scheme: "qn:{0,1,1}", reason: "level 1.0 appears twice")) { try QuantScheme(parsing: "qn:{0,1,1}") }
    }

    @Test func shapesAndAxes() {
        #expect(throws: QuantizerError.invalidShape(shape: [2, 2], count: 3)) { try Tensor(values: [1, 2, 3], shape: [2, 2]) }
        #expect(throws: QuantizerError.invalidShape(shape: [-1, -3], count: 3)) { try Tensor(values: [1, 2, 3], shape: [-1, -3]) }
        #expect(throws: QuantizerError.invalidShape(shape: [1 << 62, 4], count: 3)) { try Tensor(values: [1, 2, 3], shape: [1 << 62, 4]) }
        #expect(throws: QuantizerError.invalidAxis(axis: 2, rank: 2)) {
            try QuantScheme.binary.quantize(try Tensor(values: [1, 2, 3, 4], shape: [2, 2]), granularity: .perChannel(axis: 2))
        }
        #expect(throws: QuantizerError.lengthMismatch(expected: 2, actual: 3)) {
            try QuantizationReport(original: Tensor([1, 2, 3]), quantized: try QuantScheme.binary.quantize(Tensor([1, 2])))
        }
    }

    @Test func errorMessagesSayWhatToDo() {
        #expect(QuantizerError.nonFinite(index: 3, value: .nan).description.contains("remove NaN"))
        #expect(NPYError.unsupportedDType("<i4").description.contains("astype(np.float32)"))
        #expect(QuantizerError.unsupportedBits(scheme: "pot", bits: 9, allowed: 2...8).description.contains("2–8"))
    }
}
