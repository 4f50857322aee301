import Foundation
import Testing
@testable import hwsim
#if canImport(Glibc)
import Glibc
#endif

/// Every input the fuzzers (Fuzz/, docs/fuzzing.md) found crashing a reader, kept as a file under
/// Fixtures/fuzz/<fuzz target>/ and run through the command the fuzz target stands for. The
/// command may succeed or fail with a message; it must not trap or run on: each input runs in an
/// exit test (a child process), so one that still traps fails its own test and the rest still run,
/// and the child ends itself (SIGALRM) after ``childSeconds``, so an input that made its fuzz
/// target time out fails too instead of holding up the run.
///
/// Fixtures are found from this file (no resources in the hwsimTests target), like the ONNX
/// fixtures RunFlagsTests uses.
@Suite struct FuzzRegressionTests {
    /// How long one input's commands may take in the child (a debug build; each takes well under
    /// a second once its reader bounds the work).
    static let childSeconds: UInt32 = 60

    /// Tests/hwsimTests/Fixtures/fuzz.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")

    /// The inputs kept for one fuzz target (its folder under Fixtures/fuzz), by name.
    static func inputs(_ target: String) -> [String] {
        let folder = fixtures.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { folder.appendingPathComponent($0).path }
    }

    /// `hwsim cost FILE`, `hwsim run FILE --hw pynq-z1` and `hwsim run FILE --hw pynq-z1 --arch systolic
    /// --array 8x8`, as fuzz-network-config feeds a network config (a file without .json works the
    /// same: anything but .onnx and .csv is read as a JSON config).
    @Test(arguments: inputs("network-config"))
    func networkConfig(_ path: String) async {
        await #expect(processExitsWith: .success) { [path] in
            FuzzRegressionTests.limitTime()
            for arguments in [["cost", path], ["run", path, "--hw", "pynq-z1"], ["run", path, "--hw", "pynq-z1", "--arch", "systolic", "--array", "8x8"]] {
                do { try FuzzRegressionTests.run(arguments) } catch {}
            }
        }
    }

    /// `hwsim run lenet5 --hw FILE`, as fuzz-hardware-config feeds a hardware config.
    @Test(arguments: inputs("hardware-config"))
    func hardwareConfig(_ path: String) async {
        await #expect(processExitsWith: .success) { [path] in
            FuzzRegressionTests.limitTime()
            do { try FuzzRegressionTests.run(["run", "lenet5", "--hw", path]) } catch {}
        }
    }

    /// `hwsim cost FILE`, `hwsim run FILE --hw pynq-z1` and `hwsim quantize FILE --scheme uniform:4`
    /// on an ONNX/QONNX model, as fuzz-onnx feeds one. The fixture is copied to a .onnx name
    /// first, since the commands choose the reader by extension.
    @Test(arguments: inputs("onnx"))
    func onnx(_ path: String) async {
        await #expect(processExitsWith: .success) { [path] in
            FuzzRegressionTests.limitTime()
            let file = try FuzzRegressionTests.copy(path, extension: "onnx")
            for arguments in [["cost", file], ["run", file, "--hw", "pynq-z1"], ["quantize", file, "--scheme", "uniform:4"]] {
                do { try FuzzRegressionTests.run(arguments) } catch {}
            }
        }
    }

    /// `hwsim cost FILE` and `hwsim run FILE --arch systolic --array 8x8 --dataflow os|ws|is` on a
    /// SCALE-Sim CSV, as fuzz-scalesim-csv feeds one (copied to a .csv name first).
    @Test(arguments: inputs("scalesim-csv"))
    func scaleSimCSV(_ path: String) async {
        await #expect(processExitsWith: .success) { [path] in
            FuzzRegressionTests.limitTime()
            let file = try FuzzRegressionTests.copy(path, extension: "csv")
            do { try FuzzRegressionTests.run(["cost", file]) } catch {}
            for dataflow in ["os", "ws", "is"] {
                do { try FuzzRegressionTests.run(["run", file, "--hw", "pynq-z1", "--arch", "systolic", "--array", "8x8", "--dataflow", dataflow]) } catch {}
            }
        }
    }

    /// `hwsim quantize FILE --scheme S [--per-channel] [--activations] [--calibration C]` for the
    /// schemes fuzz-npy uses, on a .npy file.
    @Test(arguments: inputs("npy"))
    func npy(_ path: String) async {
        await #expect(processExitsWith: .success) { [path] in
            FuzzRegressionTests.limitTime()
            let file = try FuzzRegressionTests.copy(path, extension: "npy")
            let schemes = ["binary", "ternary", "uniform:4", "lsq:4", "asq:4", "vecq:3", "pot:4", "post:3", "apot:4", "qn:3bit-pm4"]
            for scheme in schemes {
                for flags in [[], ["--per-channel"], ["--activations"], ["--per-channel", "--activations"]] {
                    for calibration in scheme == "uniform:4" ? ["max", "mse", "percentile:99.9"] : ["mse"] {
                        do { try FuzzRegressionTests.run(["quantize", file, "--scheme", scheme, "--calibration", calibration] + flags) } catch {}
                    }
                }
            }
        }
    }

    /// In the child: SIGALRM, whose default action ends the process, after ``childSeconds``.
    static func limitTime() {
        #if canImport(Glibc)
        alarm(childSeconds)
        #endif
    }

    /// Parses and runs one hwsim command line (without the leading `hwsim`), as the tool does.
    static func run(_ arguments: [String]) throws {
        var command = try HWSim.parseAsRoot(arguments)
        try command.run()
    }

    /// `path` copied into a new temporary folder under a name ending in `.ext`.
    static func copy(_ path: String, extension ext: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwsim-fuzz-regression-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + "." + ext)
        try FileManager.default.copyItem(atPath: path, toPath: file.path)
        return file.path
    }
}
