import CostOfFailure
import CostOfFailureReports

extension ReportCommand {
    /// The HTML report of `report`'s subject (see ``HTMLReportContent``): a cohort's tables
    /// protected under the disclosure flags (with each source's coverage of the cohort), a
    /// person's exact.
    func htmlReport(_ analyses: any ReportAnalyses, report: ConsumptionReport, inputs: StudyInputs) throws -> HTMLReport {
        let cohort = person == nil
        let (tables, notes) = try reportTables(analyses, report: report, protected: cohort, sourceCoverage: cohort)
        return HTMLReportContent(person: person, tables: tables, notes: notes, comparisonGroup: analyses.comparisonGroup != nil, report: report,
                                 study: analyses.setting, assumptions: appraisal.assumptions,
                                 disclosure: .init(rule: disclosure.rule, suppressedMarker: disclosure.suppressionMarker),
                                 provenance: analyses.provenance(inputs: inputs)).document()
    }
}
