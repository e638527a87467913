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
    @OptionGroup var disclosure: DisclosureOptions

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
            let asked = output.givenFormat == nil ? "an .xlsx output (a workbook)" : "--format xlsx"
            throw ValidationError("\(asked) is for cof export (the finance pack); cof compare writes table, csv, json or md")
        }
    }

    func run() throws {
        try reportingFailures {
            let writer = BeforeAfterOutput(by: by, output: output, disclosure: disclosure, quiet: study.quiet)
            // Extract dates for some sources only: the default end needs the others' latest
            // events before any event can be put in a window, so the events are loaded first.
            if try study.needsTablePath(try study.source.projectFile(showValues: study.loading.fields.showValues)) {
                let loaded = try study.loadStudy(outputs: [output.output, disclosure.auditFile])
                try writer.write(try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try LoadedBeforeAfterTable(loaded) })
                return
            }
            let pass = try study.compareInOnePass(outputs: [output.output, disclosure.auditFile])
            try writer.write(pass)
        }
    }
}
