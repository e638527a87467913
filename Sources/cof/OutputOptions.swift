import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// How a result table is written.
enum TableFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, md
    /// An Excel workbook: `cof export` only, which gives it a cover sheet.
    case xlsx

    /// The format a file name's extension names, ignoring case (`.csv`, `.json`, `.md`,
    /// `.xlsx`), or `nil` for any other name.
    init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: "."), !fileName[dot...].contains("/") else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "csv": self = .csv
        case "json": self = .json
        case "md": self = .md
        case "xlsx": self = .xlsx
        default: return nil
        }
    }

    /// Renders `table` in this format, as bytes (UTF-8 for text); suppressed cells show
    /// `marker`; `colour` lets a terminal table use bold and dim, and `width` (columns) is the
    /// screen it fits (``OutputOptions/width``; the other formats ignore both). A workbook from
    /// here has a cover with the table's title alone.
    func render(_ table: ResultTable, marker: String = "[c]", colour: Bool = false, width: Int? = nil) throws -> [UInt8] {
        switch self {
        case .xlsx:
            return try Self.workbook(cover: XLSXRenderer.Cover(title: table.title), tables: [table], marker: marker)
        case .table: return Array(TerminalTableRenderer(suppressedMarker: marker, colour: colour, width: width).render(table).utf8)
        case .csv: return CSVRenderer(suppressedMarker: marker).renderBytes(table)
        case .json: return Array(JSONRenderer(suppressedMarker: marker).render(table).utf8)
        case .md: return Array(MarkdownRenderer(suppressedMarker: marker).render(table).utf8)
        }
    }

    /// A workbook of `tables` after `cover`, with a warning on standard error for each column
    /// where a text too long for an Excel cell was cut (the sheet and column, never the value).
    static func workbook(cover: XLSXRenderer.Cover, tables: [ResultTable], marker: String) throws -> [UInt8] {
        var cutCells: [XLSXRenderer.CutCells] = []
        do throws(XLSXRenderer.Failure) {
            let bytes = try XLSXRenderer(suppressedMarker: marker).render(cover: cover, tables: tables, cutCells: &cutCells)
            for cut in cutCells { Diagnostics.warn(cut.description) }
            return bytes
        } catch {
            throw CommandFailure(ioError: error.description)
        }
    }
}

/// Where and how results go.
struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("format"),
            help: "Output format: table (for reading), csv, json, md (Markdown) or xlsx (an Excel workbook: cof export only). Without it, a file's extension (.csv, .json, .md, .xlsx) names the format, else table.")
    var givenFormat: TableFormat?

    /// The format the output is written in: ``givenFormat``, else the one the output file's
    /// extension names (`--output people.csv` writes CSV), else a table for reading.
    var format: TableFormat { givenFormat ?? output.flatMap(TableFormat.init(fileName:)) ?? .table }

    @Option(help: ArgumentHelp("Write to this file (completely or not at all) instead of standard output.", valueName: "file"))
    var output: String?

    /// Whether the output is an interactive terminal: standard output, and a terminal. Only
    /// there are cohort figures shown exactly; a redirect, a pipe or a file gets them protected.
    var toTerminal: Bool {
        Terminal.isInteractive(output: output)
    }

    /// Whether a table may use colour: it goes to standard output, which is a terminal, and
    /// the environment does not set `NO_COLOR` (https://no-color.org) or `TERM=dumb`.
    var colour: Bool {
        (output == nil || output == "-") && Terminal.allowsColour(onStandardOutput: true)
    }

    /// The width in columns a terminal table is fitted to (see ``Terminal/tableWidth(output:environment:)``):
    /// the window's on a terminal, `COLUMNS` into a file or pipe when it is set, else none.
    var width: Int? {
        Terminal.tableWidth(output: output)
    }

    /// Streams pieces to the output as `produce` hands them over (completely or not at all,
    /// for a file: a failure in `produce` leaves it as it was); `content` sets a new file's mode
    /// and whether standard error says the output is person-level.
    func stream(content: OutputFile.Content, quiet: Bool, _ produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void) throws {
        try CommandOutput.stream(to: output, content: content, quiet: quiet, produce)
    }

    /// Writes `bytes` to the output (see ``stream(content:quiet:_:)``).
    func write(_ bytes: [UInt8], content: OutputFile.Content, quiet: Bool) throws {
        try CommandOutput.write(bytes: bytes, to: output, content: content, quiet: quiet)
    }
}
