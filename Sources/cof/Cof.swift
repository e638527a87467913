import ArgumentParser

/// `cof`: the cost-of-failure engine's command line.
@main
struct Cof: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cof",
        abstract: "Price public-service events and compare consumption before and after an intervention.",
        discussion: """
            Data goes to standard output, progress and warnings to standard error; '-' reads standard input.
            Exit codes: 0 ok, 64 usage, 65 bad data, 66 missing input, 74 I/O error.
            """,
        version: Cof.version,
        subcommands: [CompareCommand.self, ReportCommand.self, ExportCommand.self, ValidateCommand.self, GenerateCommand.self]
    )

    /// The engine's version, as `cof --version` prints it and exported workbooks state it.
    static let version = "0.1.0"
}
