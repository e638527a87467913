import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// `cof report`: the analyst's view of one person or the whole cohort.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Lifetime use, before/after by service and the intervention's spend, for a person or the cohort."
    )

    @OptionGroup var study: StudyOptions

    @Option(help: ArgumentHelp("Report on this person only (default: every person with an intervention).", valueName: "id"))
    var person: String?

    @Option(help: ArgumentHelp("Write to this file (completely or not at all) instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Write the report as one self-contained HTML file (charts, the tables behind them, caveats, provenance; no scripts) instead of text. A cohort's small numbers are suppressed; a person's report is the analyst's own case file.", valueName: "file"))
    var html: String?

    @OptionGroup var disclosure: DisclosureOptions

    func validate() throws {
        if html != nil && output != nil { throw ValidationError("give --html FILE or --output FILE, not both") }
        // A file that names a person and shows their exact figures is written only when asked
        // for as plainly as any other export of raw IDs.
        if html != nil, person != nil, !disclosure.rawIDs {
            throw ValidationError("a person's HTML report names them and shows exact figures (the analyst's own case file, not for release): give --raw-ids to write it")
        }
    }

    func run() throws {
        try reportingFailures {
            let study = try study.loadStudy()
            let report: ConsumptionReport
            do throws(ConsumptionReport.Failure) {
                report = try ConsumptionReport(study: study, subject: person.map(ConsumptionReport.Subject.person) ?? .cohort)
            } catch {
                throw CommandFailure(badData: error.description)
            }
            if let html {
                let document = try htmlReport(study: study, report: report, inputs: try self.study.inputs(try self.study.source.projectFile()))
                do throws(OutputFile.Failure) {
                    try OutputFile.write(document.render(), to: html)
                } catch {
                    throw CommandFailure(error)
                }
                return
            }
            var text = ConsumptionReportRenderer().render(report)
            let tables = TerminalTableRenderer(colour: output == nil && Terminal.allowsColour(onStandardOutput: true))
            do throws(CostResolver.Overflow) {
                // A pass over every event: made once, for the cohort's tables and the appraisal.
                let comparison = try Comparison(study: study)
                if person == nil {
                    let summary = try CohortSummary(comparison: comparison, members: study.cohortMembers,
                                                services: study.services, prices: study.pricesDescription)
                    text += "\nThe cohort before and after (all services but the intervention's own)\n" + tables.renderRecord(summary.resultTable())
                    text += "\nBy category\n" + tables.render(summary.resultTable(summary.byCategory, name: "cohort_by_category", groupColumn: "category"))
                    text += "\nBy agency\n" + tables.render(summary.resultTable(summary.byAgency, name: "cohort_by_agency", groupColumn: "agency"))
                }
                let appraisal = try Appraisal(study: study, comparison: comparison, person: person)
                text += "\nAppraisal (the observed year; see cof export --table appraisal for projections)\n" + tables.renderRecord(appraisal.resultTable())
            } catch {
                throw CommandFailure(badData: error.description)
            }
            text += "\nTrajectory: mean use per person-month, months from the index date\n"
            text += tables.render(Trajectory(study: study, person: person).resultTable())
            do throws(OutputFile.Failure) {
                try OutputFile.write(text, to: output)
            } catch {
                throw CommandFailure(error)
            }
        }
    }
}
