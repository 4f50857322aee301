import Foundation
import HWModel
import Quantizers

/// The repository, found from this file so tests run from a fresh clone.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func shippedNetwork(_ name: String) throws -> NetworkConfig {
    try NetworkConfig.load(path: repositoryRoot.appendingPathComponent("configs/\(name).json").path)
}

func shippedHardware(_ name: String, board: String? = nil) throws -> AcceleratorTemplate {
    try HardwareConfig.load(path: repositoryRoot.appendingPathComponent("configs/hw/\(name).json").path, board: board)
}

/// Comma-separated scheme names; with `bare`, a bare width k means `bare:k` (32: fp32).
func schemes(_ text: String, bare: String? = nil) throws -> [QuantScheme] {
    try text.split(separator: ",").map { item in
        if let bare, let bits = Int(item) { return bits == 32 ? .fp32 : try QuantScheme(parsing: "\(bare):\(bits)") }
        return try QuantScheme(parsing: String(item))
    }
}
