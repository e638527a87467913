import ArgumentParser
import CostOfFailure

/// `cof`: the cost-of-failure engine's command line.
@main
struct Cof: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cof",
        abstract: "Price public-service events and compare consumption before and after an intervention.",
        discussion: """
            Data goes to standard output, progress and warnings to standard error; '-' reads standard input.
            Exit codes: 0 ok, 64 usage, 65 bad data, 66 missing input, 70 internal error, 74 I/O error.
            """,
        version: EngineVersion.current,
        subcommands: [CompareCommand.self, ReportCommand.self, ExportCommand.self, ValidateCommand.self, GenerateCommand.self,
                      PartialCommand.self, MergeCommand.self, UnitCostsCommand.self]
    )

    /// Replaces the runtime's crash report with a line that shows no data (see ``CrashGuard``),
    /// sets the allocator's policy (see ``MemoryPolicy``), then parses and runs the command.
    static func main() {
        CrashGuard.install()
        MemoryPolicy.apply()
        main(nil)
    }
}
