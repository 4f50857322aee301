import Foundation
import HWModel

/// The file-level failures every ModelImport reader reports in its own error type.
protocol InputFileFailure: Error {
    static func fileNotFound(file: String) -> Self
    static func unreadable(file: String, reason: String) -> Self
}

extension ONNXImportError: InputFileFailure {}
extension SCALESimError: InputFileFailure {}

/// Reads `path` with `InputFile`, reporting a missing, directory or unreadable file as `Failure`.
func readInputFile<Failure: InputFileFailure>(_ path: String, as _: Failure.Type) throws(Failure) -> Data {
    do {
        return try InputFile.read(path)
    } catch {
        switch error {
        case .notFound: throw .fileNotFound(file: path)
        case .directory: throw .unreadable(file: path, reason: "it is a directory")
        case .unreadable(let reason): throw .unreadable(file: path, reason: reason)
        case .notRegularFile, .tooLarge, .permissionDenied:
            // The message already starts "cannot be read" or "is …"; the reason is what follows.
            throw .unreadable(file: path, reason: error.message.hasPrefix("cannot be read: ") ? String(error.message.dropFirst("cannot be read: ".count)) : error.message)
        }
    }
}
