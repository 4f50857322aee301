import Foundation
import HWModel

/// Files a command writes beside its standard output (plots, reports, configs): each is named on
/// standard error once written, and a path that cannot be written is an error in words.
enum WrittenFile {
    /// Writes `text` to `path`, then says so on standard error.
    static func save(_ text: String, to path: String, what: String) throws {
        do {
            try OutputFile.write(Data(text.utf8), to: path)
        } catch {
            throw CommandFailure("\(path): \(error.message)")
        }
        ConfigLocator.notice("hwsim: wrote \(what) \(path)")
    }

    /// Fails before any work when `path` cannot be written (a folder, a missing folder), so a
    /// long run does not end in an error.
    static func checkWritable(_ path: String?) throws {
        guard let path, let problem = OutputFile.problem(path) else { return }
        throw CommandFailure("\(path): \(problem.message)")
    }
}
