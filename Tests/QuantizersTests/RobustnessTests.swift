import Foundation
import Testing
@testable import Quantizers

/// Inputs a fuzzer found trapping or giving ∞/NaN metrics: every quantizer must either refuse
/// them with a typed error or give a finite, correct result.
@Suite struct RobustnessTests {
    static let schemes = [
        "uniform:4", "uniform:8", "lsq:4", "asq:4", "vecq:2", "vecq:4", "pot:3", "pot:5", "post:3", "apot:4",
        "ternary", "binary", "qn:ternary", "qn:3bit-pm4",
    ]

    static func quantizer(_ text: String) throws -> any TensorQuantizer {
        try QuantScheme(parsing: text).quantizer()
    }

    /// A deterministic weight-like tensor of 64 values in (−1, 1).
    static let base: [Float] = (0..<64).map { Float(sin(Double($0) * 1.7)) * 0.9 }

    @Test("denormal weights (|w| ≈ 1e-45) quantize without a trap", arguments: schemes)
    func denormals(_ scheme: String) throws {
        let values = (0..<64).map { Float(bitPattern: UInt32($0 % 5)) * ($0 % 2 == 0 ? 1 : -1) }
        let hasDenormals = values.contains { $0 != 0 && !$0.isNormal }
        #expect(hasDenormals)
        for granularity in [Granularity.perTensor, .perChannel(axis: 0)] {
            let quantized = try Self.quantizer(scheme).quantize(try Tensor(values: values, shape: [4, 16]), granularity: granularity)
            let finiteScales = quantized.scales.allSatisfy { $0.isFinite }
            #expect(finiteScales, "\(scheme) \(granularity)")
            let report = try QuantizationReport(original: try Tensor(values: values, shape: [4, 16]), quantized: quantized)
            #expect(report.l2Loss.isFinite && report.orientationLoss.isFinite, "\(scheme) \(granularity)")
        }
    }

    @Test("weights near Float.greatestFiniteMagnitude give the codes of the scaled-down tensor and finite metrics", arguments: schemes)
    func nearFloatMax(_ scheme: String) throws {
        guard let quantizer = try? Self.quantizer(scheme), quantizer.parameterScaleExponents != nil else { return }
        let factor = Float(sign: .plus, exponent: 127, significand: 1) // base·2^127 reaches 1.5e38
        let huge = try Tensor(values: Self.base.map { $0 * factor }, shape: [64])
        let ordinary = try Tensor(values: Self.base, shape: [64])
        let big = try quantizer.quantize(huge)
        let small = try quantizer.quantize(ordinary)
        #expect(big.codes == small.codes, "\(scheme)")
        #expect(big.scales[0] == small.scales[0] * Double(factor), "\(scheme)")
        let report = try QuantizationReport(original: huge, quantized: big)
        #expect(report.meanSquaredError.isFinite && report.orientationLoss.isFinite && report.sqnrDecibels.isFinite, "\(scheme)")
        let reference = try QuantizationReport(original: ordinary, quantized: small)
        #expect(abs(report.orientationLoss - reference.orientationLoss) < 1e-9, "\(scheme)")
    }

    @Test("ASQ (not scale-equivariant) on near-FLT_MAX and denormal weights stays finite")
    func asqExtremes() throws {
        let quantizer = try Self.quantizer("asq:4")
        #expect(quantizer.parameterScaleExponents == nil)
        for factor in [Float(1e38), Float.leastNonzeroMagnitude] {
            let tensor = try Tensor(values: Self.base.map { $0 * factor }, shape: [64])
            let report = try QuantizationReport(original: tensor, quantized: try quantizer.quantize(tensor))
            #expect(report.l2Loss.isFinite && !report.orientationLoss.isNaN)
        }
    }

    @Test("NaN or ±∞ anywhere is a typed error in every scheme", arguments: schemes)
    func nonFinite(_ scheme: String) throws {
        for bad in [Float.nan, .infinity, -.infinity] {
            var values = Self.base
            values[37] = bad
            let tensor = try Tensor(values: values, shape: [64])
            #expect(throws: QuantizerError.self) { try Self.quantizer(scheme).quantize(tensor) }
            #expect(throws: QuantizerError.self) { try Self.quantizer(scheme).quantize(try Tensor(values: values, shape: [4, 16]), granularity: .perChannel(axis: 0)) }
        }
    }

    @Test("a direct quantizeChannel call with NaN or a denormal step does not trap")
    func directChannelCalls() throws {
        let values: [Float] = [.nan, 1, -1, 0, Float.leastNonzeroMagnitude]
        for scheme in Self.schemes {
            var codes = [UInt32](repeating: 0, count: values.count)
            let quantizer = try Self.quantizer(scheme)
            _ = values.withUnsafeBufferPointer { v in codes.withUnsafeMutableBufferPointer { quantizer.quantizeChannel(v, codes: $0) } }
            let levelCount = quantizer.codeLevels.count
            let inRange = codes.allSatisfy { Int($0) < levelCount }
            #expect(inRange, "\(scheme)")
        }
        let percentile = UniformCalibration.percentile(.nan)
        let clip = [Float(1), 2, 3].withUnsafeBufferPointer { percentile.clip($0, bounds: UniformBounds(negative: 7, positive: 7), unsigned: false) }
        #expect(clip == 3)
    }

    @Test("huge and malformed bitwidths are parse errors, not traps")
    func hugeBits() {
        for text in ["uniform:99999999999999999999", "uniform:9223372036854775807", "pot:-1", "vecq:0", "asq:17", "post:1e3", "apot:4.5"] {
            #expect(throws: QuantSchemeError.self, "\(text)") { try QuantScheme(parsing: text) }
        }
        #expect(throws: QuantSchemeError.self) { try QuantScheme.uniform(bits: 4).withBits(Int.max) }
        #expect(throws: QuantizerError.self) { try VecQQuantizer(bits: Int.max) }
        #expect(throws: QuantizerError.self) { try PowerQuantizer(family: .pot, bits: Int.min) }
        #expect(throws: QuantizerError.self) { try UniformRange.signedFull.bounds(bits: 1 << 40) }
        #expect(VecQ.templateOrientationLoss(lambda: 0.5, bits: 64).isNaN)
        #expect(VecQ.templateLambda(bits: 63) > 0 && VecQ.templateLambda(bits: 1 << 40) == 0)
    }

    @Test("a scheme error quotes a long user value cut to 80 characters")
    func longSchemeText() {
        let text = "bogus" + String(repeating: "x", count: 500) + "\n"
        let error = #expect(throws: QuantSchemeError.self) { try QuantScheme(parsing: text) }
        let message = error?.description ?? ""
        #expect(!message.contains("\n") && message.count < 300 && message.contains("characters)"))
    }
}
