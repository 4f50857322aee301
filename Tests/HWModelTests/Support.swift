import Foundation
@testable import HWModel

/// The repository's configs/ folder, found from this file's location so tests run from a
/// fresh clone without any setup.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func shippedConfig(_ name: String) throws -> NetworkConfig {
    try NetworkConfig.load(path: repositoryRoot.appendingPathComponent("configs/\(name).json").path)
}

func parseConfig(_ text: String, file: String = "test.json") throws(ConfigError) -> NetworkConfig {
    try NetworkConfig.parse(Data(text.utf8), file: file)
}
