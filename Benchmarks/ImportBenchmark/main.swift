// import-bench: how long hwsim takes to import an ONNX model (shapes only) and cost it.
//
//   swift run -c release import-bench [model.onnx] [runs]
//
// Default model: the ResNet-18 fixture without weight payloads. Prints the median of the runs
// for reading + decoding, mapping to an hwsim network (shape inference included), and the
// analytic cost model, then the end-to-end total.
import Foundation
import HWModel
import ModelImport

let arguments = CommandLine.arguments
let defaultModel = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Tests/ModelImportTests/Fixtures/onnx/resnet18_fp32.noweights.onnx")
let model = arguments.count > 1 ? URL(fileURLWithPath: arguments[1]) : defaultModel
let runs = arguments.count > 2 ? max(Int(arguments[2]) ?? 25, 1) : 25

func milliseconds(_ start: DispatchTime, _ end: DispatchTime) -> Double {
    Double(end.uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

var load = [Double]()
var mapping = [Double]()
var costing = [Double]()
var total = [Double]()
var summary = ""
do {
    for _ in 0..<runs {
        let t0 = DispatchTime.now()
        let onnx = try ONNXModel.load(contentsOf: model)
        let t1 = DispatchTime.now()
        let imported = try onnx.importNetwork()
        let t2 = DispatchTime.now()
        let cost = try CostModel.evaluate(imported.network, plan: imported.plan)
        let t3 = DispatchTime.now()
        load.append(milliseconds(t0, t1))
        mapping.append(milliseconds(t1, t2))
        costing.append(milliseconds(t2, t3))
        total.append(milliseconds(t0, t3))
        summary = "\(imported.network.layers.count) layers, \(cost.macs) MACs, \(cost.parameters) parameters"
    }
} catch {
    FileHandle.standardError.write(Data("import-bench: \(error)\n".utf8))
    exit(1)
}
print("model: \(model.lastPathComponent) (\(summary))")
print(String(format: "median of %d runs: load %.3f ms, import %.3f ms, cost %.3f ms, total %.3f ms",
             runs, median(load), median(mapping), median(costing), median(total)))
