import Foundation
import Testing
@testable import Quantizers

/// Large `qn:` level sets: capped at 2^16 levels, and every operation near-linear in their size.
@Suite struct LevelSetScaleTests {
    static func integers(_ count: Int) -> String {
        "{" + (0..<count).map { String($0 - count / 2) }.joined(separator: ",") + "}"
    }

    @Test("more than 2^16 levels is a typed error; 2^16 is accepted")
    func levelCap() throws {
        #expect(throws: LevelSetError.tooManyLevels(LevelSet.maximumLevelCount + 1)) {
            try LevelSet((0...LevelSet.maximumLevelCount).map(Double.init))
        }
        let largest = try LevelSet(parsing: Self.integers(LevelSet.maximumLevelCount))
        #expect(largest.levels.count == 65_536 && largest.codeBits == 16)
        #expect(throws: QuantSchemeError.self) { try QuantScheme(parsing: "qn:" + Self.integers(LevelSet.maximumLevelCount + 1)) }
    }

    @Test("levels beyond ±2^53 are a typed error (they would not print or count as integers)")
    func levelMagnitude() throws {
        #expect(throws: LevelSetError.levelTooLarge(-1e30)) { try LevelSet(parsing: "{-1e30,0,1e30}") }
        #expect(throws: QuantSchemeError.self) { try QuantScheme(parsing: "qn:{-1e30,0,1e30}") }
        #expect(try LevelSet([-LevelSet.maximumMagnitude, 0, LevelSet.maximumMagnitude]).levels.count == 3)
    }

    @Test("a 20,000-level qn set quantizes 65,536 weights in seconds, with the codes of the linear scan")
    func twentyThousandLevels() throws {
        let start = Date()
        let scheme = try QuantScheme(parsing: "qn:" + Self.integers(20_000))
        let values = (0..<65_536).map { Float(sin(Double($0) * 0.37)) }
        let tensor = try Tensor(values: values, shape: [values.count])
        let quantized = try scheme.quantize(tensor)
        let elapsed = Date().timeIntervalSince(start)
        // The old per-value scan over every bias took minutes here; the bound leaves room for a debug build on a busy machine.
        #expect(elapsed < 60, "took \(elapsed) s")
        guard case .qn(let levels) = scheme else { Issue.record("not qn"); return }
        let function = try values.withUnsafeBufferPointer { try QuantizationNetworkFunction.initialized(levels: levels, values: $0) }
        for index in stride(from: 0, to: values.count, by: 997) {
            #expect(Int(quantized.codes[index]) == function.levelIndex(Double(values[index])), "value \(index)")
        }
        let report = try QuantizationReport(original: tensor, quantized: quantized)
        #expect(report.l2Loss.isFinite)
    }
}
