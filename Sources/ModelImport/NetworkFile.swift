import Foundation
import HWModel
import Quantizers

/// Any network file hwsim reads, the reader chosen by the file's extension, so that every
/// command (and any embedding program) accepts the same files in the same way.
public enum NetworkFile {
    /// Reads a network with its quantization plan, by extension (case ignored):
    /// * `.onnx`: an ONNX or QONNX model (``ImportedNetwork``), with the file's own quantization
    ///   as the plan;
    /// * `.csv`: a SCALE-Sim topology or GEMM CSV (``SCALESimInput``), with an FP32 plan;
    /// * anything else: a JSON network config (`NetworkConfig.load(path:)`).
    /// - Throws: ``NetworkFileError`` wrapping the reader's error; its description is one line
    ///   naming the file and the field, node or line at fault.
    public static func load(path: String) throws(NetworkFileError) -> NetworkConfig {
        let url = URL(fileURLWithPath: path)
        switch url.pathExtension.lowercased() {
        case "onnx":
            do {
                let imported = try ImportedNetwork.load(contentsOf: url)
                return NetworkConfig(network: imported.network, plan: imported.plan, source: path)
            } catch {
                throw .onnx(error)
            }
        case "csv":
            do {
                return NetworkConfig(network: try SCALESimInput.load(contentsOf: url).network(), plan: QuantizationPlan(), source: path)
            } catch {
                throw .scaleSim(error)
            }
        default:
            do {
                return try NetworkConfig.load(path: path)
            } catch {
                throw .config(error)
            }
        }
    }
}

/// Why ``NetworkFile/load(path:)`` could not read a network: the error of the reader the
/// extension chose.
public enum NetworkFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An `.onnx` file that could not be read or imported.
    case onnx(ONNXImportError)
    /// A `.csv` file that is not a valid SCALE-Sim topology or GEMM file.
    case scaleSim(SCALESimError)
    /// A JSON config that could not be read or validated.
    case config(ConfigError)

    /// The reader's own one-line message, which starts with the file.
    public var description: String {
        switch self {
        case .onnx(let error): error.description
        case .scaleSim(let error): error.description
        case .config(let error): error.description
        }
    }
}
