import CostOfFailure
import CostOfFailureReports

/// A report of one person or the cohort (text or HTML) from some ``ReportAnalyses``, under the
/// report's flags: the one way `cof report` (from a study or a streaming pass) and `cof merge`
/// (from partials) compose and write it.
struct ReportComposition {
    /// The person reported on (`nil`: the cohort).
    let person: String?
    let appraisal: AppraisalOptions
    let disclosure: DisclosureOptions

    /// Writes the report of `analyses`: HTML to `html`, else text to `output` (`nil`: standard
    /// output). A cohort's figures leave an interactive terminal only protected; `provenance`
    /// is the HTML footer's.
    func write(_ analyses: any ReportAnalyses, html: String?, output: String?, provenance: () -> Provenance, quiet: Bool) throws {
        // A person's report names them and shows their exact figures; a cohort's is tables.
        let content: OutputFile.Content = person == nil ? .summary : .personLevel
        let report: ConsumptionReport
        do throws(ConsumptionReport.Failure) {
            report = try analyses.consumptionReport(subject: person.map(ConsumptionReport.Subject.person) ?? .cohort)
        } catch {
            throw CommandFailure(badData: error.description)
        }
        if let html {
            let document = try htmlReport(analyses, report: report, provenance: provenance())
            try CommandOutput.write(document.render(), to: html, content: content, quiet: quiet)
            return
        }
        // A cohort's figures leave an interactive terminal only protected: the report is then
        // the protected tables alone, in the order the screen shows them.
        let toTerminal = Terminal.isInteractive(output: output)
        if person == nil && !toTerminal {
            let (tables, notes) = try reportTables(analyses, report: report, protected: true)
            let text = ReportText.protected(tables, notes: notes, pricesDescription: analyses.prices, disclosure: disclosure.rule,
                                            suppressedMarker: disclosure.suppressionMarker, width: Terminal.tableWidth(output: output))
            try CommandOutput.write(text, to: output, content: .summary, quiet: quiet)
            return
        }
        if person == nil { DisclosureOptions.noteExactOnTerminal() }
        // The before/after table: made once, for the cohort's tables and the appraisal.
        let comparison = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try analyses.beforeAfterTable() }
        let summary = try person == nil ? cohortSummary(analyses, comparison: comparison) : nil
        // One comparison-group analysis (one bootstrap) for the appraisal's deadweight and the inference sections.
        let analysis = try analyses.comparisonGroupAnalysis(options: self.appraisal, treated: comparison, rounding: .exact)
        let appraisal = try analyses.appraisal(options: self.appraisal, comparison: comparison, did: analysis?.did, person: person, rounding: .exact)
        let trajectory = analyses.trajectory(person: person)
        let inference = try person == nil ? self.inference(analyses, comparison: comparison, analysis: analysis, rounding: .exact) : nil
        let text = ReportText.exact(report: report, summary: summary, appraisal: appraisal, trajectory: trajectory, inference: inference,
                                    colour: output == nil && Terminal.allowsColour(onStandardOutput: true),
                                    width: Terminal.tableWidth(output: output))
        try CommandOutput.write(text, to: output, content: content, quiet: quiet)
    }

    /// The report's tables (see ``ReportTables``) of the cohort or `person`. When `protected` (a
    /// cohort's report leaving the screen), every table is protected with every table its
    /// figures are tied to — those of the finance pack too — so that the report withholds what
    /// the pack withholds. With `sourceCoverage` (the HTML report's checks) each event source's
    /// coverage of the cohort is among them, protected in the same pass (and so in the same audit).
    func reportTables(_ analyses: any ReportAnalyses, report: ConsumptionReport, protected: Bool,
                      sourceCoverage: Bool = false) throws -> (tables: LinkedTables, notes: [String]) {
        let cohort = person == nil
        let rounding = protected ? disclosure.rule.rounding : .exact
        if cohort && !analyses.hasComparisonGroup {
            return try cohortTables(analyses, report: report, protected: protected, rounding: rounding, sourceCoverage: sourceCoverage)
        }
        let comparison = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try analyses.beforeAfterTable() }
        let analysis = cohort ? try analyses.comparisonGroupAnalysis(options: appraisal, treated: comparison, rounding: rounding) : nil
        let appraisal = try analyses.appraisal(options: self.appraisal, comparison: comparison, did: analysis?.did, person: person, rounding: rounding)
        let person = self.person
        let summary: CohortSummary
        do throws(CostResolver.Overflow) {
            summary = try CohortSummary(comparison: person.map { id in comparison.filtered { $0.personID == id } } ?? comparison,
                                        members: analyses.members.filter { person == nil || $0.personID == person },
                                        services: analyses.services, prices: analyses.prices)
        } catch {
            throw CommandFailure(badData: error.description)
        }
        let tables = ReportTables(
            person: person, summary: summary, financialYears: cohort ? analyses.financialYears() : nil, appraisal: appraisal,
            trajectory: analyses.trajectory(person: person), baselineCheck: analyses.baselineCheck(), unpriced: report.unpriced,
            timeline: analyses.timeline(person: person),
            inference: cohort ? try inference(analyses, comparison: comparison, analysis: analysis, rounding: rounding) : nil,
            sourceCoverage: sourceCoverage ? analyses.sourceCoverage : nil)
        let set = tables.linkedTables(rounding: rounding)
        return (protected ? try disclosure.protect(set, toTerminal: false) : set, tables.notes)
    }

    /// ``reportTables(_:report:protected:sourceCoverage:)`` of a cohort without a comparison
    /// group: from its summary alone (the appraisal and the use change read it too), with no
    /// before/after table of ID strings.
    private func cohortTables(_ analyses: any ReportAnalyses, report: ConsumptionReport, protected: Bool, rounding: CountRounding,
                              sourceCoverage: Bool) throws -> (tables: LinkedTables, notes: [String]) {
        let summary = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try analyses.cohortSummary() }
        let appraisal = try analyses.appraisal(options: self.appraisal, summary: summary, rounding: rounding)
        let useChange = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try UseChange(summary: summary, members: analyses.members, rounding: rounding)
        }
        let tables = ReportTables(
            person: nil, summary: summary, financialYears: analyses.financialYears(), appraisal: appraisal,
            trajectory: analyses.trajectory(person: nil), baselineCheck: analyses.baselineCheck(), unpriced: report.unpriced,
            timeline: analyses.timeline(person: nil), inference: ReportTables.Inference(useChange: useChange, comparisonGroup: nil),
            sourceCoverage: sourceCoverage ? analyses.sourceCoverage : nil)
        let set = tables.linkedTables(rounding: rounding)
        return (protected ? try disclosure.protect(set, toTerminal: false) : set, tables.notes)
    }

    /// The cohort summary from its before/after table `comparison`.
    private func cohortSummary(_ analyses: any ReportAnalyses, comparison: BeforeAfterTable) throws -> CohortSummary {
        try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try CohortSummary(comparison: comparison, members: analyses.members, services: analyses.services, prices: analyses.prices)
        }
    }

    /// The cohort's inference: the up/same/down shares from `comparison` counted with
    /// `rounding`, and the comparison group's `analysis` (the one the appraisal took its
    /// deadweight from) when there is one, whose warnings are said here.
    private func inference(_ analyses: any ReportAnalyses, comparison: BeforeAfterTable, analysis: ComparisonGroupAnalysis?,
                           rounding: CountRounding) throws -> ReportTables.Inference {
        let useChange = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try UseChange(comparison: comparison, members: analyses.members, services: analyses.services, rounding: rounding)
        }
        for warning in analysis?.warnings ?? [] { Diagnostics.warn(warning) }
        return ReportTables.Inference(useChange: useChange, comparisonGroup: analysis)
    }

    /// The HTML report of `report`'s subject (see ``HTMLReportContent``): a cohort's tables
    /// protected under the disclosure flags (with each source's coverage of the cohort), a
    /// person's exact; `provenance` in its footer.
    func htmlReport(_ analyses: any ReportAnalyses, report: ConsumptionReport, provenance: Provenance) throws -> HTMLReport {
        let cohort = person == nil
        let (tables, notes) = try reportTables(analyses, report: report, protected: cohort, sourceCoverage: cohort)
        return HTMLReportContent(person: person, tables: tables, notes: notes, comparisonGroup: analyses.hasComparisonGroup, report: report,
                                 study: analyses.setting, assumptions: appraisal.assumptions,
                                 disclosure: .init(rule: disclosure.rule, suppressedMarker: disclosure.suppressionMarker),
                                 provenance: provenance).document()
    }
}
