import CycleSim
import FuzzSupport
import Foundation
import HWModel
import ModelImport

// The ONNX/QONNX importer on the path `hwsim cost model.onnx` and `hwsim run model.onnx` take
// (NetworkFile.load → ImportedNetwork.load = ONNXModel.load + importNetwork): decode the protobuf,
// import the graph and its QONNX quantization plan, evaluate the cost, simulate on the shipped
// PYNQ-Z1 config with 8×8 arrays (`hwsim run model.onnx --hw pynq-z1 --array 8x8`); and, as
// `hwsim quantize model.onnx` does, read the compute weights' values. Thrown errors
// are the readers' answers; only traps, sanitizer reports and timeouts are findings.

private let hardware = FuzzSupport.smallHardware8x8

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let model = FuzzSupport.stage("decode", { try ONNXModel(serializedData: FuzzSupport.data(data, size), sourceFile: "fuzz.onnx") })
    else { return 0 }
    if let weights = FuzzSupport.stage("weights", { try model.computeWeights() }) {
        for weight in weights where weight.tensor.hasPayload {
            _ = FuzzSupport.stage("weight values") { try weight.tensor.values() }
        }
    }
    guard let imported = FuzzSupport.stage("import", { try model.importNetwork() }) else { return 0 }
    _ = FuzzSupport.stage("cost") { try CostModel.evaluate(imported.network, plan: imported.plan) }
    _ = FuzzSupport.stage("simulate tile") { try Simulator.run(network: imported.network, plan: imported.plan, template: hardware, batch: 1) }
    return 0
}
