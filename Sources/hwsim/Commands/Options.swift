import ArgumentParser
import Foundation
import HWModel
import ModelImport
import Quantizers

/// `--format`, shared by every command that prints a report.
struct FormatOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Output format: table, csv, json or md.")
    var format: OutputFormat = .table
}

extension OutputFormat: ExpressibleByArgument {}

/// Flags that replace parts of a config's quantization plan.
struct PlanOptions: ParsableArguments {
    @Option(help: "Weight scheme for every weight layer: fp32, uniform:k, lsq:k, vecq:k, asq:k, pot:k, post:k, apot:k, ternary, binary, qn:<levels>.")
    var weights: String?

    @Option(help: "Activation scheme for the inputs of every weight layer (same names as --weights).")
    var activations: String?

    @Option(name: .customLong("first-last"), help: "First/last weight layer policy: quantize, keep-8bit (any keep-<k>bit) or keep-fp32.")
    var firstLast: String?

    @Option(help: "Weight scale factors per 'tensor' or per output 'channel'.")
    var scales: String?

    func validate() throws {
        _ = try parsed()
    }

    /// The parsed flags, validated.
    func parsed() throws -> (weights: QuantScheme?, activations: QuantScheme?, firstLast: FirstLastPolicy?, scales: ScaleGranularity?) {
        func scheme(_ text: String?, _ flag: String) throws -> QuantScheme? {
            guard let text else { return nil }
            do {
                return try QuantScheme(parsing: text)
            } catch {
                throw ValidationError("--\(flag): \(error.description)")
            }
        }
        return (try scheme(weights, "weights"), try scheme(activations, "activations"),
                try PlanFlags.firstLast(firstLast), try PlanFlags.scales(scales))
    }

    /// `plan` with the flags applied: a flag replaces the file's default, and a scheme flag
    /// also clears the file's per-layer overrides of that scheme, so that what the user typed
    /// is what runs.
    func apply(to plan: QuantizationPlan) throws -> QuantizationPlan {
        let flags = try parsed()
        return plan.replacing(weights: flags.weights, activations: flags.activations, firstLast: flags.firstLast, scales: flags.scales)
    }
}

/// Parsing of the plan flags that `run`, `cost` and `compare` share.
enum PlanFlags {
    /// `--first-last`.
    static func firstLast(_ text: String?) throws -> FirstLastPolicy? {
        guard let text else { return nil }
        guard let policy = FirstLastPolicy(name: text) else {
            throw ValidationError("--first-last: unknown policy '\(text)'; expected quantize, keep-8bit (any keep-<k>bit) or keep-fp32")
        }
        return policy
    }

    /// `--scales`.
    static func scales(_ text: String?) throws -> ScaleGranularity? {
        guard let text else { return nil }
        guard let granularity = ScaleGranularity(rawValue: text.lowercased()) else {
            throw ValidationError("--scales: expected 'tensor' or 'channel', got '\(text)'")
        }
        return granularity
    }
}

/// A user-facing failure: printed as one line, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Loading of the files a command names.
enum Loader {
    /// Reads a network by file type (`NetworkFile.load(path:)`: `.onnx`, `.csv` or a JSON
    /// config), turning every failure into one line naming the file and the field, node or line.
    static func network(_ path: String) throws -> NetworkConfig {
        do {
            return try NetworkFile.load(path: path)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// The folder holding the shipped configs: `--configs` if given, else `configs/` in the
    /// working directory, else the one beside the checkout the executable was built in.
    static func configsDirectory(_ explicit: String?) throws -> URL {
        let fileManager = FileManager.default
        if let explicit {
            guard fileManager.fileExists(atPath: explicit) else { throw CommandFailure("\(explicit): no such directory (--configs)") }
            return URL(fileURLWithPath: explicit)
        }
        let local = URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent("configs")
        if fileManager.fileExists(atPath: local.appendingPathComponent("resnet18.json").path) { return local }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("configs")
            if fileManager.fileExists(atPath: candidate.appendingPathComponent("resnet18.json").path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw CommandFailure("cannot find the shipped configs/ folder; run from the hwsim checkout or pass --configs DIR")
    }
}
