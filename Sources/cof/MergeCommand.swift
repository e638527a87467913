import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// `cof merge`: partial results combined into `cof compare`'s tables.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine partial results (cof partial) into the tables cof compare and cof export make from all the events at once.",
        discussion: """
            The merge is exact, and its order does not matter: the person table (--by person, the default) and the \
            cohort tables (--by cohort, service, category, agency) are byte for byte what cof compare writes for the \
            same events in one run; --table writes cof export's cohort tables, with small-number suppression applied \
            to the merged figures. --partial writes the merged partial instead, to merge in stages. Partials made \
            under other parameters (windows, prices, inputs, engine), or sharing a person, are refused, as is a \
            partial whose checksum (the SHA-256 of its content, in its last line) does not match: it was edited or \
            damaged. Exit codes: 0 ok, 64 usage, 65 a partial that is damaged or edited, of another format version, \
            or does not merge with the others (or whose figures together do not fit in 64 bits), 66 missing input, \
            74 I/O error.
            """
    )

    /// `cof export`'s tables a merge can make.
    enum SummaryTable: String, ExpressibleByArgument, CaseIterable {
        case cohort, byService = "by-service", byCategory = "by-category", byAgency = "by-agency"
    }

    @Argument(help: ArgumentHelp("Partial files, in any order; '-' reads one from standard input.", valueName: "partial"))
    var partials: [String] = []

    @Flag(name: .customLong("partial"), help: "Write the merged partial (for merging in stages) instead of a table.")
    var writesPartial = false

    @Option(help: ArgumentHelp("As cof compare: one row per person and service (person, the default), one for the whole cohort (cohort), or the cohort by service, category or agency.", valueName: "breakdown"))
    var by: CompareCommand.Breakdown = .person

    @Option(help: ArgumentHelp("As cof export: cohort, by-service, by-category or by-agency, with small-number suppression in a file or pipe.", valueName: "table"))
    var table: SummaryTable?

    @OptionGroup var output: OutputOptions

    @OptionGroup var disclosure: DisclosureOptions

    @Flag(name: .customLong("csv-plain"), help: "With --table: CSV for pipelines (no byte-order mark, LF line ends, text as it is) instead of CSV for Excel.")
    var csvPlain = false

    @Flag(help: "Print nothing on standard error but errors and warnings.")
    var quiet = false

    func validate() throws {
        if partials.isEmpty { throw ValidationError("give the partial files to merge") }
        if partials.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input can be read once") }
        if table != nil && by != .person { throw ValidationError("give --by (cof compare's tables) or --table (cof export's), not both") }
        if output.format == .xlsx {
            throw ValidationError("--format xlsx is for cof export (the finance pack, with its cover); cof merge writes table, csv, json or md")
        }
        if writesPartial && (table != nil || by != .person) { throw ValidationError("--partial writes the merged partial, not a table: leave out --by and --table") }
    }

    func run() throws {
        try reportingFailures {
            try CommandOutput.checkBeforeReading(inputs: partials + (disclosure.pseudonymKeyFile.map { [$0] } ?? []), outputs: [output.output, disclosure.auditFile])
            let merged: BeforeAfterPartial
            do throws(BeforeAfterPartial.Failure) {
                let loaded = try partials.map { (path) throws(BeforeAfterPartial.Failure) in try BeforeAfterPartial.load(.file(path)) }
                merged = try BeforeAfterPartial.merging(loaded, names: partials.map { InputSource.file($0).displayName })
            } catch {
                switch error {
                case .input(let ingest): throw CommandFailure(missingOrUnreadable: ingest)
                case .malformed, .incompatible: throw CommandFailure(badData: error.description)
                }
            }
            report(merged)
            if writesPartial {
                try CommandOutput.write(bytes: merged.encoded(), to: output.output, content: .personLevel, quiet: quiet)
            } else if let table {
                try writeSummary(table, of: merged)
            } else {
                try BeforeAfterOutput(by: by, output: output, disclosure: disclosure, quiet: quiet).write(merged)
            }
        }
    }

    /// Says on standard error what cof compare would have said of the same events: rows read,
    /// loaded and rejected (summed over the partials), unpriced events, and the prices.
    private func report(_ merged: BeforeAfterPartial) {
        let over = merged.partials == 1 ? "1 partial" : "\(merged.partials) partials"
        for source in merged.sources where !quiet || source.rejected > 0 {
            Diagnostics.note("\(source.description) (summed over \(over))")
        }
        if merged.rejectedRows > 0 {
            Diagnostics.warn("\(merged.rejectedRows) rows rejected (each partial's positions are in its own --rejects file or standard error):")
            for count in merged.rejected { Diagnostics.warn("  \(count.kind): \(count.rows)") }
        }
        StudyOptions.warnUnpriced(merged.unpriced)
        let shipped = merged.parameters.contains { $0.name == "unit_costs" && $0.value == "shipped" }
        StudyOptions.notePrices(merged.prices, shippedUnitCosts: shipped, quiet: quiet)
    }

    /// Writes one of cof export's cohort tables of the merged figures, as cof export writes it:
    /// suppressed in a file or a pipe, exact on the screen.
    private func writeSummary(_ which: SummaryTable, of merged: BeforeAfterPartial) throws {
        if !quiet {
            Diagnostics.note("a before/after change is not an effect: people are often recruited at a crisis peak and use falls back anyway; give --comparison FILE to cof export for the difference in differences")
        }
        // The same names as cof export's tables (SummaryTable's values are Table's).
        guard let table = ExportTable(rawValue: which.rawValue) else { preconditionFailure("not an export table: \(which)") }
        let name = table.name
        // Protection applies to the merged tables: the small numbers are the cohort's, not a partition's.
        let summary = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try merged.cohortSummary }
        let result = try disclosure.cohortTable(name, of: summary, toTerminal: output.toTerminal)
        let title = output.format == .table ? Array((result.title + "\n\n").utf8) : []
        if output.format == .csv && !csvPlain {
            var csv = CSVRenderer.spreadsheet
            csv.suppressedMarker = disclosure.suppressionMarker
            try output.write(csv.renderBytes(result), content: .summary, quiet: quiet)
        } else {
            try output.write(title + output.format.render(result, marker: disclosure.suppressionMarker, colour: output.colour),
                             content: .summary, quiet: quiet)
        }
    }
}
