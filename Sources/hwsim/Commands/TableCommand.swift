import ArgumentParser

/// `hwsim table`: the papers' tables, recomputed beside the published values.
struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Reproduce a table of the VecQ, ASQ or Quantization Networks papers, or published FPGA builds, from first principles.",
        subcommands: [ModelSizeTableCommand.self, LSTMSizeTableCommand.self, SalientObjectTableCommand.self, AdapterOverheadTableCommand.self, VecQLambdaTableCommand.self, ComplexityTableCommand.self, FPGABuildTableCommand.self]
    )
}

/// Shared options of the `table` subcommands.
struct TableOptions: ParsableArguments {
    @Option(help: "Folder with the shipped network configs (default: $HWSIM_CONFIGS, or the configs/ found from the hwsim executable).")
    var configs: String?

    @OptionGroup var output: FormatOptions
}
