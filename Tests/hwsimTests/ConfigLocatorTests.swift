import Foundation
import Testing
@testable import hwsim

/// Names on the command line find the shipped configs from any folder; a file path wins.
@Suite(.serialized) struct ConfigLocatorTests {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theConfigsAreFoundFromTheExecutableWhereverItIsCalledFrom() throws {
        let nowhere = URL(fileURLWithPath: "/nonexistent-checkout")
        let built = root.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug/hwsim")
        let found = try ConfigLocator.directory(explicit: nil, environment: [:], executable: built, checkout: nowhere)
        #expect(found.standardizedFileURL.path == root.appendingPathComponent("configs").standardizedFileURL.path)
        // An executable outside any checkout falls back to the checkout it was built in.
        let elsewhere = try ConfigLocator.directory(explicit: nil, environment: [:], executable: URL(fileURLWithPath: "/usr/local/bin/hwsim"), checkout: root)
        #expect(elsewhere.standardizedFileURL.path == found.standardizedFileURL.path)
        #expect(throws: CommandFailure.self) {
            try ConfigLocator.directory(explicit: nil, environment: [:], executable: URL(fileURLWithPath: "/usr/local/bin/hwsim"), checkout: nowhere)
        }
    }

    @Test func anInstallPrefixAndTheEnvironmentVariableWork() throws {
        let prefix = try temporaryFolder("hwsim-locator")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let configs = prefix.appendingPathComponent("share/hwsim/configs")
        try FileManager.default.createDirectory(at: configs.appendingPathComponent("hw"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent("configs/resnet18.json"), to: configs.appendingPathComponent("resnet18.json"))
        try FileManager.default.copyItem(at: root.appendingPathComponent("configs/hw/vu9p.json"), to: configs.appendingPathComponent("hw/vu9p.json"))
        let nowhere = URL(fileURLWithPath: "/nonexistent-checkout")
        let installed = try ConfigLocator.directory(explicit: nil, environment: [:], executable: prefix.appendingPathComponent("bin/hwsim"), checkout: nowhere)
        #expect(installed.standardizedFileURL.path == configs.standardizedFileURL.path)
        let fromEnvironment = try ConfigLocator.directory(explicit: nil, environment: ["HWSIM_CONFIGS": configs.path], executable: nil, checkout: nowhere)
        #expect(fromEnvironment.path == configs.path)
        #expect {
            try ConfigLocator.directory(explicit: nil, environment: ["HWSIM_CONFIGS": prefix.path], executable: nil, checkout: nowhere)
        } throws: { error in
            "\(error)".contains("$HWSIM_CONFIGS")
        }
    }

    @Test func aNameIsTheShippedConfigAndSaysSo() throws {
        var notices: [String] = []
        let network = try ConfigLocator.resolve("resnet18", as: .network) { notices.append($0) }
        #expect(URL(fileURLWithPath: network).standardizedFileURL == root.appendingPathComponent("configs/resnet18.json").standardizedFileURL)
        let hardware = try ConfigLocator.resolve("zu9eg", as: .hardware) { notices.append($0) }
        #expect(hardware.hasSuffix("configs/hw/zu9eg.json"))
        #expect(notices.count == 2 && notices[1].hasPrefix("hwsim: hardware config 'zu9eg': using ") && notices[1].hasSuffix("configs/hw/zu9eg.json"))
        // README-style paths typed outside the checkout (the test itself runs inside it).
        #expect(ConfigLocator.candidates(for: "configs/hw/zu9eg.json", kind: .hardware) == ["configs/hw/zu9eg.json", "zu9eg.json"])
    }

    @Test func aFilePathAlwaysWins() throws {
        let folder = try temporaryFolder("hwsim-locator")
        defer { try? FileManager.default.removeItem(at: folder) }
        let own = folder.appendingPathComponent("resnet18.json").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: own))
        var notices: [String] = []
        #expect(try ConfigLocator.resolve(own, as: .network) { notices.append($0) } == own)
        #expect(notices.isEmpty)
    }

    @Test func anUnknownNameListsTheShippedOnes() {
        #expect {
            try ConfigLocator.resolve("resnet19", as: .network) { _ in }
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("resnet19: no such file, and no shipped network of that name (shipped: ") && text.contains("resnet18")
        }
        #expect {
            try ConfigLocator.resolve("/tmp/nowhere/hw.json", as: .hardware) { _ in }
        } throws: { error in
            "\(error)" == "/tmp/nowhere/hw.json: no such file"
        }
    }

    /// The built `hwsim`, run from an empty folder outside the checkout through a symlink on
    /// the PATH (so that argv[0] is a bare name), finds the shipped configs by name.
    @Test func theBuiltBinaryRunsFromAnEmptyFolder() throws {
        // The test runner sits beside the products it was built with.
        let binary = (ConfigLocator.executableURL()?.deletingLastPathComponent() ?? root.appendingPathComponent(".build/debug"))
            .appendingPathComponent("hwsim")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "swift test builds the hwsim executable at \(binary.path)")
        let folder = try temporaryFolder("hwsim-locator")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bin = folder.appendingPathComponent("bin"), work = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("hwsim"), withDestinationURL: binary.resolvingSymlinksInPath())

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec hwsim run resnet18 --hw zu9eg --clock 125"]
        process.currentDirectoryURL = work
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment.removeValue(forKey: "HWSIM_CONFIGS")
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(stdout.hasPrefix("Simulation of resnet18 on zu9eg (xczu9eg, zcu102, 125 MHz, batch 1)"))
        #expect(stderr.contains("hwsim: network 'resnet18': using ") && stderr.contains("hwsim: hardware config 'zu9eg': using "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty)
    }
}
