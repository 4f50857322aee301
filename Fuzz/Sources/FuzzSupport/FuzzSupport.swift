import CycleSim
import Explore
import Foundation
import HWModel

/// What the fuzz targets share: where the shipped configs are, and the fixed hardware and
/// network a fuzzed input is simulated with.
public enum FuzzSupport {
    /// The shipped configs/ directory: `$HWSIM_CONFIGS` when set, else the repository's
    /// configs/ found from this source file (Fuzz/Sources/FuzzSupport/ → ../../../configs).
    public static let configs: String = {
        if let given = ProcessInfo.processInfo.environment["HWSIM_CONFIGS"], !given.isEmpty { return given }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("configs").path
    }()

    /// configs/hw, where hardware configs find their device files (what `hwsim` passes as
    /// `deviceFallbacks`).
    public static var hardwareDirectory: String { configs + "/hw" }

    /// A shipped hardware config, read the way `hwsim run --hw` reads it; a setup failure stops
    /// the fuzzer at once rather than making every input look harmless.
    public static func shippedHardware(_ name: String) -> AcceleratorTemplate {
        let path = "\(hardwareDirectory)/\(name).json"
        do {
            return try HardwareConfig.load(path: path, deviceFallbacks: [hardwareDirectory])
        } catch {
            fatalError("fuzz setup: cannot read \(path): \(error) (set HWSIM_CONFIGS to the repository's configs/)")
        }
    }

    /// A shipped network config, read the way `hwsim run` reads a JSON network.
    public static func shippedNetwork(_ name: String) -> NetworkConfig {
        let path = "\(configs)/\(name).json"
        do {
            return try NetworkConfig.load(path: path)
        } catch {
            fatalError("fuzz setup: cannot read \(path): \(error) (set HWSIM_CONFIGS to the repository's configs/)")
        }
    }

    /// The small device every fuzzed network is simulated on: the PYNQ-Z1 (xc7z020).
    public static let smallHardware: AcceleratorTemplate = shippedHardware("pynq-z1")

    /// The PYNQ-Z1 config with every array fixed at 8×8, one copy, as `--array 8x8` makes it:
    /// the simulation of the auto arrays without their sizing search (which makes a run of a
    /// ResNet-50 ten times longer, and the fuzzer that much slower).
    public static let smallHardware8x8: AcceleratorTemplate = ArrayChoice.fixed(rows: 8, cols: 8).applied(to: smallHardware)

    /// `HWSIM_FUZZ_VERBOSE=1`: every stage says on standard error what it returned or threw, to
    /// check that a seed gets as far as the simulator (`fuzz-onnx corpus/fuzz-onnx/x.onnx`).
    public static let verbose = ProcessInfo.processInfo.environment["HWSIM_FUZZ_VERBOSE"].map { !$0.isEmpty && $0 != "0" } ?? false

    /// Runs one stage of the CLI's path: its value, or nil when it threw (an answer, not a
    /// finding).
    @inline(__always)
    public static func stage<T>(_ name: @autoclosure () -> String, _ body: () throws -> T) -> T? {
        do {
            let value = try body()
            if verbose { FileHandle.standardError.write(Data("hwsim-fuzz: \(name()): ok\n".utf8)) }
            return value
        } catch {
            if verbose { FileHandle.standardError.write(Data("hwsim-fuzz: \(name()): threw \(String(describing: error).prefix(300))\n".utf8)) }
            return nil
        }
    }

    /// The fuzz input as `Data` (copied: the readers may keep it).
    public static func data(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> Data {
        Data(bytes: bytes, count: size)
    }

    /// A per-process scratch file for readers that take only a path; rewritten for each input.
    public static func scratchFile(extension ext: String) -> String {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return "\(directory)/hwsim-fuzz-\(getpid()).\(ext)"
    }
}
