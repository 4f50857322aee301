import Foundation
@testable import HWModel

@_exported import TestSupport

func shippedConfig(_ name: String) throws -> NetworkConfig { try shippedNetwork(name) }

func parseConfig(_ text: String, file: String = "test.json") throws(ConfigError) -> NetworkConfig {
    try NetworkConfig.parse(Data(text.utf8), file: file)
}
