import ArgumentParser

/// The `hwsim` command: cost, simulate and compare quantized networks on FPGA accelerators.
@main
struct HWSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hwsim",
        abstract: "Estimate what a quantized neural network costs on an FPGA accelerator.",
        version: "0.1.0",
        subcommands: [RunCommand.self, CostCommand.self, CompareCommand.self, MergeCommand.self, ReportCommand.self, ConvertCommand.self, QuantizeCommand.self, SearchCommand.self, TableCommand.self]
    )
}
