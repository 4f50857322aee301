import Foundation
import HWModel
@_exported import TestSupport
import Quantizers

/// Comma-separated scheme names; with `bare`, a bare width k means `bare:k` (32: fp32).
func schemes(_ text: String, bare: String? = nil) throws -> [QuantScheme] {
    try text.split(separator: ",").map { item in
        if let bare, let bits = Int(item) { return bits == 32 ? .fp32 : try QuantScheme(parsing: "\(bare):\(bits)") }
        return try QuantScheme(parsing: String(item))
    }
}
