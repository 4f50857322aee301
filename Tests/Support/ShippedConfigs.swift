import Foundation
import HWModel

/// The repository, found from this file so tests run from a fresh clone without any setup.
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A shipped network config, `configs/<name>.json`.
public func shippedNetwork(_ name: String) throws -> NetworkConfig {
    try NetworkConfig.load(path: repositoryRoot.appendingPathComponent("configs/\(name).json").path)
}

/// A shipped hardware config, `configs/hw/<name>.json`, optionally on another board.
public func shippedHardware(_ name: String, board: String? = nil) throws -> AcceleratorTemplate {
    try HardwareConfig.load(path: repositoryRoot.appendingPathComponent("configs/hw/\(name).json").path, board: board)
}
