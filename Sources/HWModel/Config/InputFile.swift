import Foundation

/// Why an input file could not be read; every reader (configs, hardware, ONNX, CSV) maps it to
/// its own error type so that the message names the file the same way everywhere.
public enum InputFileError: Error, Equatable, Sendable {
    /// Nothing exists at the path.
    case notFound
    /// The path names a directory.
    case directory
    /// The path names a device, pipe or socket: reading one could block forever or never end.
    case notRegularFile
    /// The file is larger than ``InputFile/maximumBytes``.
    case tooLarge(bytes: Int64)
    /// The file exists but the system refused to read it (permissions).
    case permissionDenied
    /// The file exists but reading failed, with the system's reason.
    case unreadable(String)

    /// The message after the file name, e.g. `no such file`.
    public var message: String {
        switch self {
        case .notFound: "no such file"
        case .directory: "is a directory, not a file"
        case .notRegularFile: "is not a regular file (a device, pipe or socket); give a file"
        case .tooLarge(let bytes): "is \(bytes) bytes, more than the \(InputFile.maximumBytes) bytes hwsim reads (docs/limits.md)"
        case .permissionDenied: "cannot be read: permission denied"
        case .unreadable(let reason): "cannot be read: \(reason)"
        }
    }
}

/// Reading of the files users name on the command line.
public enum InputFile {
    /// The largest file read: 4 GiB, above the largest ONNX model protobuf can hold (2 GiB)
    /// and any config or tensor hwsim's limits allow, below what would exhaust memory.
    public static let maximumBytes: Int64 = 1 << 32

    /// The bytes of the file at `path`.
    public static func read(_ path: String) throws(InputFileError) -> Data {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw errno == EACCES ? .permissionDenied : .notFound
        }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: throw .directory
        case S_IFREG: break
        default: throw .notRegularFile
        }
        guard Int64(status.st_size) <= maximumBytes else { throw .tooLarge(bytes: Int64(status.st_size)) }
        guard access(path, R_OK) == 0 else { throw .permissionDenied }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw .unreadable(error.localizedDescription)
        }
    }
}
