import Foundation
import HWModel

/// Where the shipped configs are, and how a name on the command line becomes a file.
///
/// A file path always wins. Otherwise `resnet18` is `configs/resnet18.json` and `--hw zu9eg` is
/// `configs/hw/zu9eg.json` of the shipped configs, from any working directory; the file used
/// is named on standard error so that a name never silently means another file.
enum ConfigLocator {
    /// The environment variable that names the shipped configs folder (an install outside a
    /// checkout); `--configs` overrides it.
    static let environmentVariable = "HWSIM_CONFIGS"

    /// The checkout this executable was compiled in: the last place to look, for a binary
    /// copied elsewhere whose checkout still exists.
    static let buildCheckout = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Kinds of config a name can stand for.
    enum Kind {
        case network, hardware

        var folder: String { self == .network ? "" : "hw" }
        var noun: String { self == .network ? "network" : "hardware config" }
    }

    /// The shipped configs folder: `explicit` (`--configs`), else `$HWSIM_CONFIGS`, else the
    /// `configs/` of a checkout or `share/hwsim/configs` of an install prefix above the
    /// executable's real location, else the checkout it was built in.
    ///
    /// The executable is located through the operating system (`/proc/self/exe`), not through
    /// `argv[0]`, which is a bare name when hwsim is found on the `PATH`.
    static func directory(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                          executable: URL? = executableURL(), checkout: URL = buildCheckout) throws -> URL {
        if let explicit {
            guard isConfigsFolder(URL(fileURLWithPath: explicit)) else {
                throw CommandFailure("\(explicit): not a configs folder (--configs): it needs resnet18.json and hw/vu9p.json")
            }
            return URL(fileURLWithPath: explicit)
        }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            guard isConfigsFolder(URL(fileURLWithPath: fromEnvironment)) else {
                throw CommandFailure("\(fromEnvironment): not a configs folder ($\(environmentVariable)): it needs resnet18.json and hw/vu9p.json")
            }
            return URL(fileURLWithPath: fromEnvironment)
        }
        if let executable {
            var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<8 {
                for candidate in [folder.appendingPathComponent("configs"), folder.appendingPathComponent("share/hwsim/configs")]
                where isConfigsFolder(candidate) {
                    return candidate
                }
                folder.deleteLastPathComponent()
            }
        }
        let built = checkout.appendingPathComponent("configs")
        if isConfigsFolder(built) { return built }
        throw CommandFailure("cannot find the shipped configs/ folder; pass --configs DIR or set \(environmentVariable)=DIR")
    }

    /// The running executable, symlinks resolved.
    static func executableURL() -> URL? {
        #if os(Linux)
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: target)
        }
        #endif
        return Bundle.main.executableURL?.resolvingSymlinksInPath()
    }

    /// Whether `url` holds the shipped configs.
    static func isConfigsFolder(_ url: URL) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: url.appendingPathComponent("resnet18.json").path)
            && manager.fileExists(atPath: url.appendingPathComponent("hw/vu9p.json").path)
    }

    /// The file `text` names: itself when it exists, else the shipped config of that name
    /// (`resnet18`, `resnet18.json`, `configs/resnet18.json`; `zu9eg` for hardware), reported
    /// on standard error. A name that is neither is an error listing the shipped names.
    static func resolve(_ text: String, as kind: Kind, notify: (String) -> Void = ConfigLocator.notice) throws -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else { throw CommandFailure("\(text): \(InputFileError.directory.message)") }
            return text
        }
        guard !text.hasPrefix("/"), let shipped = try? directory(explicit: nil) else {
            throw CommandFailure("\(text): no such file")
        }
        let folder = kind.folder.isEmpty ? shipped : shipped.appendingPathComponent(kind.folder)
        if let found = candidates(for: text, kind: kind).map({ folder.appendingPathComponent($0) })
            .first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            notify("hwsim: \(kind.noun) '\(text)': using \(found.path)")
            return found.path
        }
        let known = shippedNames(in: folder)
        throw CommandFailure("\(text): no such file, and no shipped \(kind.noun) of that name (shipped: \(known.joined(separator: ", ")))")
    }

    /// Relative names to try inside the kind's folder of the shipped configs.
    static func candidates(for text: String, kind: Kind) -> [String] {
        var names = [text]
        // README-style paths (`configs/hw/zu9eg.json`) typed outside the checkout.
        let prefix = kind.folder.isEmpty ? "configs/" : "configs/\(kind.folder)/"
        if text.hasPrefix(prefix) { names.append(String(text.dropFirst(prefix.count))) }
        for name in names where URL(fileURLWithPath: name).pathExtension.isEmpty { names.append(name + ".json") }
        return names
    }

    /// The shipped configs' names in `folder` (file names without `.json`), sorted.
    static func shippedNames(in folder: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The folders a hardware config's `device` file is looked up in after its own: the
    /// shipped configs/hw, when there is one.
    static func deviceFallbacks() -> [String] {
        guard let shipped = try? directory(explicit: nil) else { return [] }
        return [shipped.appendingPathComponent("hw").path]
    }

    /// Prints a one-line notice on standard error.
    static func notice(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
