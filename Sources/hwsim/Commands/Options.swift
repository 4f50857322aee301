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

    @Option(help: "Activation scheme for the inputs of every weight layer (same names as --weights), or a bare width: 4 = uniform:4, 32 = fp32.")
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
        func scheme(_ text: String?, _ flag: String, bareBitsFamily: String? = nil) throws -> QuantScheme? {
            guard let text else { return nil }
            do {
                // A bare width goes through the sweep axes' parser, so that `--activations 4`
                // means here what it means for `compare`.
                if let family = bareBitsFamily, Int(text.trimmingCharacters(in: .whitespaces)) != nil {
                    let schemes = try SweepAxes.schemes(text, axis: flag, bareBitsFamily: family)
                    if let only = schemes.first, schemes.count == 1 { return only }
                }
                return try QuantScheme(parsing: text)
            } catch let error as SweepSpecError {
                throw ValidationError(error.description)
            } catch let error as QuantSchemeError {
                throw ValidationError("--\(flag): \(error.description)")
            }
        }
        return (try scheme(weights, "weights"), try scheme(activations, "activations", bareBitsFamily: "uniform"),
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
            throw ValidationError("--first-last: unknown policy \(MessageText.quoted(text)); expected quantize, keep-8bit (any keep-<k>bit) or keep-fp32")
        }
        return policy
    }

    /// `--scales`.
    static func scales(_ text: String?) throws -> ScaleGranularity? {
        guard let text else { return nil }
        guard let granularity = ScaleGranularity(rawValue: text.lowercased()) else {
            throw ValidationError("--scales: expected 'tensor' or 'channel', got \(MessageText.quoted(text))")
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
    /// Reads a NumPy `.npy` array through ``InputFile`` (so a pipe, a device or a directory is
    /// said to be one), turning every failure into one line naming the file.
    static func npy(_ path: String) throws -> NPYArray {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            throw CommandFailure("\(path): \(error.message)")
        }
        do {
            return try NPYArray(bytes: [UInt8](data))
        } catch {
            throw CommandFailure("\(path): \(error.description)")
        }
    }

    /// Reads a network by file type (`NetworkFile.load(path:)`: `.onnx`, `.csv` or a JSON
    /// config), turning every failure into one line naming the file and the field, node or line.
    /// `name` is a file path or the name of a shipped network (``ConfigLocator``).
    static func network(_ name: String) throws -> NetworkConfig {
        let path = try ConfigLocator.resolve(name, as: .network)
        do {
            return try NetworkFile.load(path: path)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
