import CycleSim
import FuzzSupport
import HWModel

// The hardware-config reader on the path `hwsim run --hw FILE` takes: parse the JSON
// (HardwareConfig.parse, as HardwareLoader.template → HardwareConfig.load does; a `device` file
// name resolves in the shipped configs/hw), then simulate the shipped LeNet-5 (configs/lenet5.json,
// its own plan) on it. Thrown errors are the readers' answers; only traps, sanitizer reports and
// timeouts are findings.

private let lenet = FuzzSupport.shippedNetwork("lenet5")
private let directory = FuzzSupport.hardwareDirectory

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let template = FuzzSupport.stage("parse", {
        try HardwareConfig.parse(FuzzSupport.data(data, size), file: "\(directory)/fuzz.json", directory: directory, deviceFallbacks: [directory])
    }) else { return 0 }
    _ = FuzzSupport.stage("simulate lenet5") { try Simulator.run(network: lenet.network, plan: lenet.plan, template: template, batch: 1) }
    return 0
}
