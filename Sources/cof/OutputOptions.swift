import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// How a result table is written.
enum TableFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json

    /// Renders `table` in this format, as UTF-8 bytes.
    func render(_ table: ResultTable) -> [UInt8] {
        switch self {
        case .table: return Array(TerminalTableRenderer().render(table).utf8)
        case .csv: return CSVRenderer().renderBytes(table)
        case .json: return Array(JSONRenderer().render(table).utf8)
        }
    }
}

/// Where and how results go.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table (for reading), csv or json.")
    var format: TableFormat = .table

    @Option(help: ArgumentHelp("Write to this file (completely or not at all) instead of standard output.", valueName: "file"))
    var output: String?

    /// Writes `bytes` to the output.
    func write(_ bytes: [UInt8]) throws {
        do throws(OutputFile.Failure) {
            try OutputFile.write(bytes: bytes, to: output)
        } catch {
            throw CommandFailure(error)
        }
    }
}
