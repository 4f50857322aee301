import Testing
@testable import Quantizers

/// Clipping calibration of `uniform:k`: max clips nothing, percentile and MSE clip the tails.
@Suite struct UniformCalibrationTests {
    static let samples = SplitMix64.standardNormal(count: 100_000, seed: 11)

    private func quantized(_ calibration: UniformCalibration, bits: Int = 2) throws -> (tensor: QuantizedTensor, mse: Double, zeros: Double) {
        let result = try UniformQuantizer(bits: bits, calibration: calibration).quantize(Tensor(Self.samples))
        let values = result.dequantized()
        var squared = 0.0
        for (a, b) in zip(Self.samples, values) { squared += Double(a - b) * Double(a - b) }
        let zeros = Double(values.filter { $0 == 0 }.count) / Double(values.count)
        return (result, squared / Double(values.count), zeros)
    }

    /// The case: 2-bit per-tensor codes (Qp = 1) calibrated to max|w| put nearly every
    /// Gaussian weight on 0; the MSE-optimal clip does not.
    @Test func twoBitCodesNoLongerRoundNearlyEverythingToZero() throws {
        let max = try quantized(.max)
        let mse = try quantized(.mse)
        #expect(max.zeros > 0.97)
        #expect(mse.zeros < 0.6)
        #expect(mse.mse < 0.5 * max.mse)
    }

    /// The MSE clip is at least as good as any fixed step on a fine grid (within 0.1 %, the
    /// histogram's resolution), for 2, 3, 4 and 8 bits.
    @Test(arguments: [2, 3, 4, 8])
    func theMSEClipIsOptimalOnAGrid(bits: Int) throws {
        let mse = try quantized(.mse, bits: bits).mse
        let bounds = try UniformRange.signedFull.bounds(bits: bits)
        for k in 1...200 {
            let step = 5.0 * Double(k) / 200 / Double(bounds.positive)
            var squared = 0.0
            for x in Self.samples {
                let level = UniformQuantization.level(Double(x), inverseStep: 1 / step, lower: Double(-bounds.negative), upper: Double(bounds.positive))
                squared += (Double(x) - level * step) * (Double(x) - level * step)
            }
            #expect(mse <= squared / Double(Self.samples.count) * 1.001, "bits \(bits), step \(step)")
        }
    }

    @Test func percentilesClipAtTheirRank() throws {
        let full = try quantized(.percentile(100))
        #expect(full.tensor.codes == (try quantized(.max)).tensor.codes)
        let sorted = Self.samples.map { abs($0) }.sorted()
        let p99 = try quantized(.percentile(99)).tensor
        #expect(p99.scales[0] == Double(sorted[98_999]) / 1)
        #expect(try quantized(.percentile(99.9), bits: 4).mse < (try quantized(.max, bits: 4)).mse)
    }

    @Test func anAllZeroChannelKeepsStepZero() throws {
        for calibration in [UniformCalibration.max, .mse, .percentile(99)] {
            let result = try UniformQuantizer(bits: 4, calibration: calibration).quantize(Tensor([0, 0, 0, 0]))
            #expect(result.scales == [0] && result.codes == [0, 0, 0, 0])
        }
    }

    @Test func spellingsRoundTripAndBadOnesAreRefused() throws {
        for text in ["max", "mse", "percentile:99.9", "percentile:99"] {
            #expect(try UniformCalibration(parsing: text).description == text)
        }
        #expect(throws: UniformCalibrationError.percentileOutOfRange(0)) { try UniformCalibration(parsing: "percentile:0") }
        #expect(throws: UniformCalibrationError.unknown("entropy")) { try UniformCalibration(parsing: "entropy") }
        #expect(try UniformCalibration(parsing: "MSE") == .mse)
    }

    @Test func onlyUniformUsesTheCalibration() throws {
        let tensor = Tensor(Self.samples)
        let plain = try QuantScheme.lsq(bits: 2).quantize(tensor)
        let calibrated = try QuantScheme.lsq(bits: 2).quantize(tensor, calibration: .mse)
        #expect(plain.codes == calibrated.codes)
        #expect(try QuantScheme.uniform(bits: 2).quantize(tensor, calibration: .mse).codes != (try QuantScheme.uniform(bits: 2).quantize(tensor)).codes)
    }
}
