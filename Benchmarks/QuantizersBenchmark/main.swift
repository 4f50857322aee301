import Foundation
import Quantizers

// Quantizes 10^7 N(0, 1) weights with each scheme on one thread and prints weights per second.
// Run in release: swift run -c release --scratch-path .build-q-rel quantizers-bench [count]

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 10_000_000
let weights = SplitMix64.standardNormal(count: count, seed: 2024)
let tensor = Tensor(weights)

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

print("quantizing \(count) N(0,1) weights per scheme, one core, per-tensor")
print("scheme".padding(toLength: 16, withPad: " ", startingAt: 0), "   M weights/s   time (s)   SQNR (dB)")
let schemes = ["uniform:4", "uniform:8", "lsq:4", "asq:4", "vecq:2", "vecq:4", "vecq:8", "pot:3", "pot:4",
               "post:3", "post:4", "apot:4", "apot:5", "binary", "ternary", "qn:ternary", "qn:3bit-pm4"]
for text in schemes {
    do {
        let quantizer = try QuantScheme(parsing: text).quantizer()
        // Warm up once (λ solver cache, page faults), then take the best of three runs.
        _ = try quantizer.quantize(tensor)
        var best = Double.infinity
        var result: QuantizedTensor?
        for _ in 0..<3 {
            let time = try seconds { result = try quantizer.quantize(tensor) }
            best = min(best, time)
        }
        var sqnr = Double.nan
        if let result { sqnr = try QuantizationReport(original: tensor, quantized: result).sqnrDecibels }
        let rate = Double(count) / best / 1e6
        print(text.padding(toLength: 16, withPad: " ", startingAt: 0),
              String(format: "%14.1f %10.4f %11.2f", rate, best, sqnr))
    } catch {
        print("\(text): \(error)")
    }
}

// Breakdown of the power-of-two path: scale search versus projection.
for text in ["pot:4", "post:4", "apot:5"] {
    guard let quantizer = try? QuantScheme(parsing: text).quantizer() as? PowerQuantizer else { continue }
    var alpha = 0.0
    var codes = [UInt32](repeating: 0, count: count)
    let fit = weights.withUnsafeBufferPointer { values in seconds { alpha = quantizer.fitScale(values) } }
    let encode = weights.withUnsafeBufferPointer { values in
        codes.withUnsafeMutableBufferPointer { out in seconds { quantizer.encode(values, codes: out, alpha: alpha) } }
    }
    print(String(format: "%@: alpha search %.1f M/s, projection %.1f M/s (alpha = %.4f)", text,
                 Double(count) / fit / 1e6, Double(count) / encode / 1e6, alpha))
}

// VecQ's template λ*(k) as the solver computes it (Table 1 for k = 2…8).
print("VecQ template lambda: " + (1...10).map { String(format: "k=%d %.6f", $0, VecQ.templateLambda(bits: $0)) }.joined(separator: ", "))
