import CycleSim
import FuzzSupport
import HWModel
import Quantizers

// The network-config reader on the path `hwsim cost` and `hwsim run` take: parse the JSON
// config (NetworkConfig, as Loader.network → NetworkFile.load does for a .json), evaluate the
// analytic cost (`hwsim cost`), then simulate on the shipped PYNQ-Z1 hardware config with its
// arrays fixed at 8×8 (`hwsim run FILE --hw pynq-z1 --array 8x8`: the same simulation as the
// config's auto arrays without the sizing search, which would make each run ten times longer) and
// on an 8×8 systolic array (`--arch systolic --array 8x8`). Thrown errors are the readers'
// answers; only traps, sanitizer reports and timeouts are findings.

private let hardware = FuzzSupport.smallHardware8x8
private let systolic = try! SystolicArray(rows: 8, columns: 8, dataflow: .outputStationary)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let config = FuzzSupport.stage("parse", { try NetworkConfig.parse(FuzzSupport.data(data, size), file: "fuzz.json") }) else { return 0 }
    _ = FuzzSupport.stage("cost") { try CostModel.evaluate(config.network, plan: config.plan) }
    _ = FuzzSupport.stage("simulate tile") { try Simulator.run(network: config.network, plan: config.plan, template: hardware, batch: 1) }
    _ = FuzzSupport.stage("simulate systolic") {
        try Simulator.runSystolic(network: config.network, plan: config.plan, template: hardware, array: systolic, batch: 1)
    }
    return 0
}
