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

    /// Writes the table of `result`: a breakdown of its cohort summary, or its person table —
    /// as CSV, rendered block by block as it is made, on every core.
    func write(_ result: some ComparisonResult) throws {
        if by != .person {
            let summary = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try result.cohortSummary }
            let table: ResultTable
            switch by {
            case .person, .cohort: table = summary.resultTable()
            case .service: table = summary.resultTable(summary.byService, name: "cohort_by_service", groupColumn: "service")
            case .category: table = summary.resultTable(summary.byCategory, name: "cohort_by_category", groupColumn: "category")
            case .agency: table = summary.resultTable(summary.byAgency, name: "cohort_by_agency", groupColumn: "agency")
            }
            // On a terminal the table says what it is and what prices its money is in.
            let title = output.format == .table ? Array((table.title + "\n\n").utf8) : []
            try output.write(title + output.format.render(table, colour: output.colour))
            return
        }
        guard output.format == .csv else {
            try output.write(output.format.render(result.comparison.resultTable(), colour: output.colour))
            return
        }
        // CSV is written as it is made, a few blocks of people at a time: a 100M-row
        // study's result (3.6M rows) is never held whole, as rows, table or text. Blocks are
        // built and rendered on all cores, then written in order.
        let workers = max(1, Processors.online)
        try output.stream { emit in
            try emit(CSVRenderer().renderBytes(Comparison.empty.resultTable()))
            try result.forEachCSVBlock(workers: workers) { try emit($0) }
        }
    }
}
