import ArgumentParser
import Quantizers

/// The `hwsim` command: cost, simulate and compare quantized networks on FPGA accelerators.
@main
struct HWSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hwsim",
        abstract: "Estimate what a quantized neural network costs on an FPGA accelerator.",
        version: "0.1.0",
        subcommands: [RunCommand.self, CostCommand.self, CompareCommand.self, MergeCommand.self, ReportCommand.self, ConvertCommand.self, QuantizeCommand.self, SearchCommand.self, TableCommand.self]
    )

    /// Parses and runs the command; the one place errors are rendered. Usage errors keep the
    /// argument parser's form (with the usage lines, exit status 64); every other failure is
    /// one line, control characters escaped and cut to ``MessageText/maximumMessageLength``,
    /// exit status 1 (or the command's own `ExitCode`).
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                var synchronous = command
                try synchronous.run()
            }
        } catch where isArgumentParserError(error) {
            // Help and version requests, usage errors and exit codes are the parser's to render.
            exit(withError: error)
        } catch {
            exit(withError: CommandFailure(MessageText.oneLine(String(describing: error))))
        }
    }

    /// Whether the argument parser made `error` (`--help` parses to a command whose run throws
    /// the parser's internal request type, so the test is by module, not by public type).
    static func isArgumentParserError(_ error: any Error) -> Bool {
        error is ExitCode || error is CleanExit || error is ValidationError
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
