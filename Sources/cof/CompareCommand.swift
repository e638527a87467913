import ArgumentParser
import Dispatch
import CostOfFailure
import CostOfFailureReports

/// `cof compare`: the person × service before/after table.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Person × service events, quantity and cost before and after each person's index date.",
        discussion: """
            One row per (person, service) with an event in either window, for people with an intervention, sorted by \
            person_id then service. CSV columns start with: person_id, service, before_events, before_quantity, \
            before_cost, after_events, after_quantity, after_cost, before_days, after_days.
            """
    )

    @OptionGroup var study: StudyOptions
    @OptionGroup var output: OutputOptions

    /// What one row of the output is.
    enum Breakdown: String, ExpressibleByArgument, CaseIterable {
        case person, cohort, service, category, agency
    }

    @Option(help: ArgumentHelp("One row per person and service (person, the default), one for the whole cohort (cohort: people, person-years, cost per person-year before and after, the spread of each person's change, concentration), or the cohort by service, category or agency.", valueName: "breakdown"))
    var by: Breakdown = .person

    func validate() throws {
        // A workbook is for cof export: summary tables with small numbers suppressed and a
        // cover stating the rule; this table is person-level and exact.
        if output.format == .xlsx {
            throw ValidationError("--format xlsx is for cof export (the finance pack); cof compare writes table, csv, json or md")
        }
    }

    func run() throws {
        try reportingFailures {
            let pass = try study.compareInOnePass()
            if by != .person {
                let summary = pass.cohortSummary
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
                try output.write(output.format.render(pass.comparison.resultTable(), colour: output.colour))
                return
            }
            // CSV is written as it is made, a few blocks of people at a time: a 100M-row
            // study's result (3.6M rows) is never held whole, as rows, table or text. The
            // blocks of a group are rendered on all cores, then written in order.
            let workers = max(1, Processors.online)
            try output.stream { emit in
                var group: [Comparison] = []
                var header = true
                func flush() throws {
                    for bytes in CSVBlocks.render(group, header: header, workers: workers) { try emit(bytes) }
                    header = header && group.isEmpty
                    group.removeAll()
                }
                try pass.forEachBlock { block in
                    group.append(block)
                    if group.count == workers * 2 { try flush() }
                }
                try flush()
                if header { try emit(CSVRenderer().renderBytes(Comparison.empty.resultTable())) }
            }
        }
    }
}

/// Renders comparison blocks to CSV on several threads.
private enum CSVBlocks {
    /// The CSV bytes of each block, in order; only the first carries the header, if `header`.
    static func render(_ blocks: [Comparison], header: Bool, workers: Int) -> [[UInt8]] {
        let results = UnsafeMutableBufferPointer<[UInt8]>.allocate(capacity: blocks.count)
        results.initialize(repeating: [])
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        // Sound: each iteration writes only its own element of `results`, which outlives the call.
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: blocks.count) { index in
            slots[index] = CSVRenderer().renderBytes(blocks[index].resultTable(), header: header && index == 0)
        }
        return Array(results)
    }
}
