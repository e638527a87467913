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

    @OptionGroup var appraisal: AppraisalOptions

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
            let outputs = [html ?? output, disclosure.auditFile], keyFile = disclosure.pseudonymKeyFile.map { [$0] } ?? []
            // A cohort's appraisal takes its saving from the comparison group when there is one.
            let (study, comparisonGroup) = person == nil
                ? try self.study.loadStudyAndComparison(outputs: outputs, alsoReading: keyFile)
                : (try self.study.loadStudy(outputs: outputs, alsoReading: keyFile), nil)
            // A person's report names them and shows their exact figures; a cohort's is tables.
            let content: OutputFile.Content = person == nil ? .summary : .personLevel
            let report: ConsumptionReport
            do throws(ConsumptionReport.Failure) {
                report = try ConsumptionReport(study: study, subject: person.map(ConsumptionReport.Subject.person) ?? .cohort)
            } catch {
                throw CommandFailure(badData: error.description)
            }
            if let html {
                let document = try htmlReport(study: study, comparisonGroup: comparisonGroup, report: report, inputs: try self.study.inputs(try self.study.source.projectFile()))
                try CommandOutput.write(document.render(), to: html, content: content, quiet: self.study.quiet)
                return
            }
            // A cohort's figures leave an interactive terminal only protected: the report is then
            // the protected tables alone, in the order the screen shows them.
            let toTerminal = Terminal.isInteractive(output: output)
            if person == nil && !toTerminal {
                let (tables, notes) = try reportTables(study: study, comparisonGroup: comparisonGroup, report: report, protected: true)
                let renderer = TerminalTableRenderer(suppressedMarker: disclosure.suppressionMarker)
                let names = CohortSummary.tableNames
                var text = "Cost of failure: the cohort\n" + String(repeating: "=", count: 60) + "\n"
                text += "Money in \(study.pricesDescription).\nDisclosure control: \(disclosure.ruleDescription).\n"
                for (heading, name, record) in [("The cohort before and after (all services but the intervention's own)", names.cohort, true),
                                                ("By service", names.byService, false), ("By category", names.byCategory, false),
                                                ("By agency", names.byAgency, false),
                                                (Self.appraisalHeading, Appraisal.tableName, true),
                                                ("Trajectory: mean use per person-month, months from the index date", "trajectory", false)]
                    + Self.inferenceSections {
                    guard let table = tables.table(name) else { continue }
                    text += "\n\(heading)\n" + (record ? renderer.renderRecord(table) : renderer.render(table))
                }
                text += notes.map { "\nNote: \($0)\n" }.joined()
                try CommandOutput.write(text, to: output, content: .summary, quiet: self.study.quiet)
                return
            }
            if person == nil { DisclosureOptions.noteExactOnTerminal() }
            var text = ConsumptionReportRenderer().render(report)
            let tables = TerminalTableRenderer(colour: output == nil && Terminal.allowsColour(onStandardOutput: true))
            // A pass over every event: made once, for the cohort's tables and the appraisal.
            let comparison = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try Comparison(study: study) }
            if person == nil {
                let summary = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
                    try CohortSummary(comparison: comparison, members: study.cohortMembers, services: study.services, prices: study.pricesDescription)
                }
                text += "\nThe cohort before and after (all services but the intervention's own)\n" + tables.renderRecord(summary.resultTable())
                text += "\nBy category\n" + tables.render(summary.resultTable(summary.byCategory, name: "cohort_by_category", groupColumn: "category"))
                text += "\nBy agency\n" + tables.render(summary.resultTable(summary.byAgency, name: "cohort_by_agency", groupColumn: "agency"))
            }
            // One comparison-group analysis (one bootstrap) for the appraisal's deadweight and the inference sections.
            let analysis = try self.appraisal.comparisonGroupAnalysis(study: study, treated: comparison, comparisonGroup: comparisonGroup, rounding: .exact)
            let appraisal = try self.appraisal.appraisal(study: study, comparison: comparison, did: analysis?.did, person: person, rounding: .exact)
            text += "\n\(Self.appraisalHeading)\n" + tables.renderRecord(appraisal.resultTable())
            text += "\nTrajectory: mean use per person-month, months from the index date\n"
            text += tables.render(Trajectory(study: study, person: person).resultTable())
            if person == nil {
                let (inference, notes) = try inferenceTables(study: study, comparison: comparison, analysis: analysis, rounding: .exact)
                for (heading, name, _) in Self.inferenceSections {
                    guard let table = inference.table(name) else { continue }
                    text += "\n\(heading)\n" + tables.render(table)
                }
                text += notes.map { "\nNote: \($0)\n" }.joined()
            }
            try CommandOutput.write(text, to: output, content: content, quiet: self.study.quiet)
        }
    }

    /// The appraisal's heading in the text report.
    static let appraisalHeading = "Green Book appraisal (the same options and figures as cof export --table appraisal)"

    /// The report's tables: the cohort's (or the person's) headline and breakdowns, the
    /// financial years, the intervention's cost and the appraisal, the timeline, the trajectory,
    /// the baseline check and the unpriced events. When `protected` (a cohort's report leaving
    /// the screen), every table is protected with every table its figures are tied to — those
    /// of the finance pack too — so that the report withholds what the pack withholds. With
    /// `sourceCoverage` (the HTML report's checks) each event source's coverage of the cohort
    /// is among them, protected in the same pass (and so in the same audit).
    func reportTables(study: Study, comparisonGroup: ComparisonGroup?, report: ConsumptionReport, protected: Bool,
                      sourceCoverage: Bool = false) throws -> (tables: LinkedTables, notes: [String]) {
        let cohort = person == nil
        let rounding = protected ? disclosure.rule.rounding : .exact
        var set: LinkedTables
        let comparison = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try Comparison(study: study) }
        let analysis = cohort ? try appraisal.comparisonGroupAnalysis(study: study, treated: comparison, comparisonGroup: comparisonGroup, rounding: rounding) : nil
        let appraisal = try self.appraisal.appraisal(study: study, comparison: comparison, did: analysis?.did, person: person, rounding: rounding)
        do throws(CostResolver.Overflow) {
            let summary = try CohortSummary(comparison: person.map { id in comparison.filtered { $0.personID == id } } ?? comparison,
                                        members: study.cohortMembers.filter { person == nil || $0.personID == person },
                                        services: study.services, prices: study.pricesDescription)
            set = summary.linkedTables(rounding: rounding)
            if cohort {
                let years = FinancialYearConsumption(study: study).linkedTables()
                let interventionRows = years.table(FinancialYearConsumption.tableNames.intervention)?.rowCount ?? 0
                set = set.merging(years).merging(appraisal.linkedTables(cohort: summary, interventionRows: interventionRows))
            } else {
                set = set.merging(LinkedTables(tables: [appraisal.resultTable()]))
            }
            set = set.merging(LinkedTables(tables: [
                Trajectory(study: study, person: person).resultTable(rounding: rounding),
                RegressionToTheMean(study: study).resultTable(),
                ResultTable(name: "unpriced", title: "Events with no explicit cost and no unit cost, every date to the observation end (in no cost above)", columns: [
                    ResultColumn("service", .text(report.unpriced.map(\.service))),
                    ResultColumn("event", .text(report.unpriced.map(\.event))),
                    ResultColumn("events", .integer(report.unpriced.map { Int64($0.events) })),
                ]),
            ])).merging(QuarterlyTimeline(study: study, person: person).linkedTables())
        } catch {
            throw CommandFailure(badData: error.description)
        }
        var notes: [String] = []
        if cohort {
            let inference = try inferenceTables(study: study, comparison: comparison, analysis: analysis, rounding: rounding)
            set = set.merging(inference.tables)
            notes = inference.notes
        }
        if sourceCoverage { set = set.merging(LinkedTables(tables: [SourceCoverage.resultTable(study.sourceCoverage)])) }
        return (protected ? try disclosure.protect(set, toTerminal: false) : set, notes)
    }

    /// The headings and tables of the inference sections: the up/same/down shares, and with a
    /// comparison group the difference in differences, its placebo and the balance table.
    static let inferenceSections: [(String, String, Bool)] = [
        ("Whose use went up, stayed the same or went down (cost per person-year, after against before)", UseChange.tableName, false),
        ("Difference in differences against the comparison group", DifferenceInDifferences.tableName, false),
        ("Placebo test: every index date moved back by the after window (should be near zero)", PlaceboTest.tableName, false),
        ("Balance of the comparison group on the variables matched on", CovariateBalance.tableName, false),
    ]

    /// The cohort's inference tables (see ``inferenceSections``), tied to its own tables, and
    /// the notes that go with them (also warned of on standard error): the up/same/down shares
    /// from `comparison` (`Comparison(study: study)`), and the comparison group's `analysis`
    /// (the one the appraisal took its deadweight from) when there is one.
    func inferenceTables(study: Study, comparison: Comparison, analysis: ComparisonGroupAnalysis?,
                         rounding: CountRounding) throws -> (tables: LinkedTables, notes: [String]) {
        try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            let summary = try CohortSummary(comparison: comparison, members: study.cohortMembers, services: study.services, prices: study.pricesDescription)
            var set = try UseChange(comparison: comparison, members: study.cohortMembers, services: study.services, rounding: rounding).linkedTables(cohort: summary)
            guard let analysis else {
                return (set, [Caveats.beforeAfter])
            }
            for warning in analysis.warnings { Diagnostics.warn(warning) }
            set = set.merging(analysis.did.linkedTables(cohort: summary))
                .merging(LinkedTables(tables: [analysis.placebo.resultTable(), analysis.balance.resultTable()]))
            return (set, analysis.warnings)
        }
    }
}
