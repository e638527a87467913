import ArgumentParser
import CostOfFailure

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
            let comparison = try study.compareInOnePass()
            let table = comparison.resultTable()
            try output.write(output.format.render(table))
        }
    }
}
