import ArgumentParser

/// `hwsim table`: the papers' tables, recomputed beside the published values.
struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Reproduce a table of the VecQ, ASQ or Quantization Networks papers, or published FPGA builds, from first principles.",
        subcommands: [ModelSizeTableCommand.self, LSTMSizeTableCommand.self, AdapterOverheadTableCommand.self, VecQLambdaTableCommand.self, ComplexityTableCommand.self, FPGABuildTableCommand.self]
    )
}

/// Shared options of the `table` subcommands.
struct TableOptions: ParsableArguments {
    @Option(help: "Folder with the shipped network configs (default: ./configs, or the checkout's).")
    var configs: String?

    @OptionGroup var output: FormatOptions
}
