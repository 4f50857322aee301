import Foundation

/// Why an input file could not be read; every reader (configs, hardware, ONNX, CSV) maps it to
/// its own error type so that the message names the file the same way everywhere.
public enum InputFileError: Error, Equatable, Sendable {
    /// Nothing exists at the path.
    case notFound
    /// The path names a directory.
    case directory
    /// The file exists but reading failed, with the system's reason.
    case unreadable(String)

    /// The message after the file name, e.g. `no such file`.
    public var message: String {
        switch self {
        case .notFound: "no such file"
        case .directory: "is a directory, not a file"
        case .unreadable(let reason): "cannot be read: \(reason)"
        }
    }
}

/// Reading of the files users name on the command line.
public enum InputFile {
    /// The bytes of the file at `path`.
    public static func read(_ path: String) throws(InputFileError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound }
        guard !isDirectory.boolValue else { throw .directory }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw .unreadable(error.localizedDescription)
        }
    }
}
