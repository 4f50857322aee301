import Foundation

/// Why a file a command was asked to write could not be written, in words a user can act on
/// rather than the system's error domain and code.
public enum OutputFileError: Error, Equatable, Sendable {
    /// The path names a directory.
    case directory
    /// The folder the file would go in does not exist.
    case missingFolder(String)
    /// A component of the path above the file is a file, not a folder.
    case notAFolder(String)
    /// The folder exists but refuses new files (permissions, a read-only file system).
    case folderNotWritable(String)
    /// Writing failed for another reason, with the system's reason.
    case failed(String)

    /// The message after the file name, e.g. `is a folder, not a file`.
    public var message: String {
        switch self {
        case .directory: "is a directory, not a file: name a file to write"
        case .missingFolder(let folder): "cannot be written: the folder \(folder) does not exist"
        case .notAFolder(let folder): "cannot be written: \(folder) is a file, not a folder"
        case .folderNotWritable(let folder): "cannot be written: the folder \(folder) does not accept new files"
        case .failed(let reason): "cannot be written: \(reason)"
        }
    }
}

/// Writing of the files users name on the command line (reports, plots, configs, results).
public enum OutputFile {
    /// Writes `data` to `path`. A regular file (or a new one) is replaced in one rename, so a
    /// failure leaves the old file whole; a device such as `/dev/stdout` or `/dev/null` is
    /// written in place, never replaced.
    public static func write(_ data: Data, to path: String) throws(OutputFileError) {
        if let problem = problem(path) { throw problem }
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) != S_IFREG {
            guard let handle = FileHandle(forWritingAtPath: path) else { throw .failed("it cannot be opened for writing") }
            defer { try? handle.close() }
            do { try handle.write(contentsOf: data) } catch { throw .failed(error.localizedDescription) }
            return
        }
        let temporary = path + ".hwsim-\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw .folderNotWritable(folder(of: path))
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .failed(String(cString: strerror(errno)))
        }
    }

    /// Why `path` cannot be written, checked before any work is done, or nil when it can.
    public static func problem(_ path: String) -> OutputFileError? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return isDirectory.boolValue ? .directory : nil
        }
        let parent = folder(of: path)
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) else { return .missingFolder(parent) }
        guard isDirectory.boolValue else { return .notAFolder(parent) }
        guard FileManager.default.isWritableFile(atPath: parent) else { return .folderNotWritable(parent) }
        return nil
    }

    private static func folder(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }
}
