import Foundation
import HWModel

/// The repository, found from this file so tests run from a fresh clone.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func shippedNetwork(_ name: String) throws -> NetworkConfig {
    try NetworkConfig.load(path: repositoryRoot.appendingPathComponent("configs/\(name).json").path)
}

func shippedHardware(_ name: String, board: String? = nil) throws -> AcceleratorTemplate {
    try HardwareConfig.load(path: repositoryRoot.appendingPathComponent("configs/hw/\(name).json").path, board: board)
}
