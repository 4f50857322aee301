import CycleSim
import FuzzSupport
import HWModel
import ModelImport
import Quantizers

// The SCALE-Sim CSV reader on the path `hwsim run topology.csv --arch systolic --array 8x8`
// takes (NetworkFile.load → SCALESimInput → network(), FP32 plan): parse the topology or GEMM
// CSV, build the network, evaluate the cost and simulate it on a small systolic array, the
// dataflow (os, ws, is) chosen by the input's length so that all three are exercised. Thrown
// errors are the readers' answers; only traps, sanitizer reports and timeouts are findings.

private let hardware = FuzzSupport.smallHardware
private let arrays: [SystolicArray] = [SystolicDataflow.outputStationary, .weightStationary, .inputStationary].map {
    try! SystolicArray(rows: 8, columns: 8, dataflow: $0)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The CLI's CSV reader takes the file as UTF-8 text; other bytes are refused before parsing.
    guard let text = String(bytes: UnsafeBufferPointer(start: data, count: size), encoding: .utf8) else { return 0 }
    guard let network = FuzzSupport.stage("parse", { try SCALESimInput(csv: text, sourceFile: "fuzz.csv").network() }) else { return 0 }
    let plan = QuantizationPlan()
    _ = FuzzSupport.stage("cost") { try CostModel.evaluate(network, plan: plan) }
    _ = FuzzSupport.stage("simulate systolic") {
        try Simulator.runSystolic(network: network, plan: plan, template: hardware, array: arrays[size % arrays.count], batch: 1)
    }
    return 0
}
