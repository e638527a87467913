import Dispatch
import CostOfFailure
import CostOfFailureReports

/// Writes `cof compare`'s tables — the person × service comparison, or the cohort overall or by
/// service, category or agency — for `cof compare` and `cof merge` alike, so that a merge of
/// partial results gives the very bytes a single `cof compare` gives.
struct BeforeAfterOutput {
    /// What one row of the output is.
    var by: CompareCommand.Breakdown
    /// Where and how.
    var output: OutputOptions
    /// How the cohort tables are protected when they leave the screen.
    var disclosure: DisclosureOptions
    /// Whether standard error gets notes (the person-level one) besides errors and warnings.
    var quiet: Bool

    /// Writes the table of `result`: a breakdown of its cohort summary, or its person table —
    /// as CSV, rendered block by block as it is made, on every core.
    func write(_ result: some BeforeAfterResult) throws {
        if by != .person {
            let table: ExportTable
            switch by {
            case .person, .cohort: table = .cohort
            case .service: table = .byService
            case .category: table = .byCategory
            case .agency: table = .byAgency
            }
            // Cohort-level: small numbers withheld unless on an interactive terminal, whatever the format.
            let summary = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try result.cohortSummary }
            let published = try disclosure.cohortTable(table.name, of: summary, toTerminal: output.toTerminal)
            // On a terminal the table says what it is and what prices its money is in.
            let title = output.format == .table ? Array(TerminalTableRenderer(width: output.width).title(published).utf8) : []
            try output.write(title + output.format.render(published, marker: disclosure.suppressionMarker, colour: output.colour, width: output.width), content: .summary, quiet: quiet)
            return
        }
        guard output.format == .csv else {
            try output.write(output.format.render(result.beforeAfter.resultTable(), colour: output.colour, width: output.width), content: .personLevel, quiet: quiet)
            return
        }
        // CSV is written as it is made, a few blocks of people at a time: a 100M-row
        // study's result (3.6M rows) is never held whole, as rows, table or text. Blocks are
        // built and rendered on all cores, then written in order.
        let workers = max(1, Processors.online)
        try output.stream(content: .personLevel, quiet: quiet) { emit in
            try result.forEachCSVPiece(workers: workers) { try emit($0) }
        }
    }
}
