import FuzzSupport
import Quantizers

// The .npy reader on the path `hwsim quantize weights.npy --scheme …` takes: parse the array
// (NPYArray, as QuantizeCommand.sources does for a .npy), make the tensor, quantize it per tensor
// and per output channel, and compute the report's error metrics (QuantizationReport). Thrown
// errors are the readers' answers; only traps, sanitizer reports and timeouts are findings.

private let schemes: [QuantScheme] = ["binary", "ternary", "uniform:4", "lsq:4", "asq:4", "vecq:3", "pot:4", "post:3", "apot:4", "qn:3bit-pm4"]
    .map { try! QuantScheme(parsing: $0) }
private let calibrations: [UniformCalibration] = ["max", "mse", "percentile:99.9"].map { try! UniformCalibration(parsing: $0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let tensor = FuzzSupport.stage("parse", { try NPYArray(bytes: Array(UnsafeBufferPointer(start: data, count: size))).tensor() })
    else { return 0 }
    // A third of the schemes per input, picked by its length (so every scheme, role and uniform
    // calibration is exercised across the corpus while each run stays short).
    let role: TensorRole = size % 2 == 0 ? .weight : .activation
    let calibration = calibrations[size % calibrations.count]
    for (index, scheme) in schemes.enumerated() where (index + size) % 3 == 0 {
        for granularity in [Granularity.perTensor, .perChannel(axis: 0)] {
            guard let quantized = FuzzSupport.stage("quantize \(scheme)", {
                try scheme.quantize(tensor, granularity: granularity, role: role, calibration: calibration)
            }) else { continue }
            _ = FuzzSupport.stage("metrics \(scheme)") { try QuantizationReport(original: tensor, quantized: quantized) }
        }
    }
    return 0
}
