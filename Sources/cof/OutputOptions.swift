import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// How a result table is written.
enum TableFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json

    /// Renders `table` in this format.
    func render(_ table: ResultTable) -> String {
        switch self {
        case .table: return TerminalTableRenderer().render(table)
        case .csv: return CSVRenderer().render(table)
        case .json: return JSONRenderer().render(table)
        }
    }
}

/// Where and how results go.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table (for reading), csv or json.")
    var format: TableFormat = .table

    @Option(help: ArgumentHelp("Write to this file (completely or not at all) instead of standard output.", valueName: "file"))
    var output: String?

    /// Writes `text` to the output.
    func write(_ text: String) throws {
        do throws(OutputFile.Failure) {
            try OutputFile.write(text, to: output)
        } catch {
            throw CommandFailure(error)
        }
    }
}
