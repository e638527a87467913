import Dispatch
import CostOfFailure
import CostOfFailureReports

/// A result `cof compare`'s tables can be written from: the one-pass comparison of all the
/// events, or merged partial results.
protocol ComparisonResult {
    /// The cohort summary.
    var cohortSummary: CohortSummary { get throws(CostResolver.Overflow) }
    /// The whole person × service table.
    var comparison: Comparison { get }
    /// The person table as CSV rows, in blocks of people rendered on `workers` threads at once,
    /// handed to `body` in output order.
    func forEachCSVBlock(workers: Int, _ body: ([UInt8]) throws -> Void) throws
}

extension ComparisonPass: ComparisonResult {
    func forEachCSVBlock(workers: Int, _ body: ([UInt8]) throws -> Void) throws {
        // In codes: no String is made for a row (see CodedComparison).
        try forEachCodedBlock(workers: workers, transform: ComparisonCSV.rows, body)
    }
}

/// The comparison of a loaded study (the table path), for the inputs the streaming pass cannot
/// take in one read (see ``StudyInputs/endNeedsEventsBeforeWindows``).
struct TableComparison: ComparisonResult {
    let comparison: Comparison
    let cohortSummary: CohortSummary

    init(_ study: Study) throws(CostResolver.Overflow) {
        comparison = try Comparison(study: study)
        cohortSummary = try CohortSummary(comparison: comparison, members: study.cohortMembers, services: study.services,
                                          prices: study.pricesDescription)
    }

    func forEachCSVBlock(workers: Int, _ body: ([UInt8]) throws -> Void) throws {
        try body(ComparisonCSV.rows(comparison))
    }
}

extension ComparisonPartial: ComparisonResult {
    func forEachCSVBlock(workers: Int, _ body: ([UInt8]) throws -> Void) throws {
        try forEachBlock(workers: workers, transform: ComparisonCSV.rows, body)
    }
}

/// Writes `cof compare`'s tables — the person × service comparison, or the cohort overall or by
/// service, category or agency — for `cof compare` and `cof merge` alike, so that a merge of
/// partial results gives the very bytes a single `cof compare` gives.
struct ComparisonOutput {
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
    func write(_ result: some ComparisonResult) throws {
        if by != .person {
            let names = CohortSummary.tableNames
            let name: String
            switch by {
            case .person, .cohort: name = names.cohort
            case .service: name = names.byService
            case .category: name = names.byCategory
            case .agency: name = names.byAgency
            }
            // Cohort-level: small numbers withheld unless on an interactive terminal, whatever the format.
            let summary = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try result.cohortSummary }
            let table = try disclosure.cohortTable(name, of: summary, toTerminal: output.toTerminal)
            // On a terminal the table says what it is and what prices its money is in.
            let title = output.format == .table ? Array((table.title + "\n\n").utf8) : []
            try output.write(title + output.format.render(table, marker: disclosure.suppressionMarker, colour: output.colour), content: .summary, quiet: quiet)
            return
        }
        guard output.format == .csv else {
            try output.write(output.format.render(result.comparison.resultTable(), colour: output.colour), content: .personLevel, quiet: quiet)
            return
        }
        // CSV is written as it is made, a few blocks of people at a time: a 100M-row
        // study's result (3.6M rows) is never held whole, as rows, table or text. Blocks are
        // built and rendered on all cores, then written in order.
        let workers = max(1, Processors.online)
        try output.stream(content: .personLevel, quiet: quiet) { emit in
            try emit(CSVRenderer().renderBytes(Comparison.empty.resultTable()))
            try result.forEachCSVBlock(workers: workers) { try emit($0) }
        }
    }
}
