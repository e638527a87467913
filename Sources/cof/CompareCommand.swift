import ArgumentParser
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

    func run() throws {
        try reportingFailures {
            let pass = try study.compareInOnePass()
            guard output.format == .csv else {
                try output.write(output.format.render(pass.comparison.resultTable()))
                return
            }
            // CSV is written as it is made, a block of people at a time: a 100M-row study's
            // result (3.6M rows) is never held whole, as rows, table or text.
            try output.stream { emit in
                var header = true
                try pass.forEachBlock { block in
                    try emit(CSVRenderer().renderBytes(block.resultTable(), header: header))
                    header = false
                }
                if header { try emit(CSVRenderer().renderBytes(Comparison.empty.resultTable())) }
            }
        }
    }
}
