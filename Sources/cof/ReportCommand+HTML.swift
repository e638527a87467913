import CostOfFailure
import CostOfFailureReports

extension ReportCommand {
    /// The HTML report of `report`'s subject (see ``HTMLReportContent``): a cohort's tables
    /// protected under the disclosure flags (with each source's coverage of the cohort), a
    /// person's exact.
    func htmlReport(study: Study, comparisonGroup: ComparisonGroup?, report: ConsumptionReport, inputs: StudyInputs) throws -> HTMLReport {
        let cohort = person == nil
        let (tables, notes) = try reportTables(study: study, comparisonGroup: comparisonGroup, report: report, protected: cohort,
                                               sourceCoverage: cohort)
        return HTMLReportContent(person: person, tables: tables, notes: notes, comparisonGroup: comparisonGroup != nil, report: report,
                                 study: .init(study), assumptions: appraisal.assumptions,
                                 disclosure: .init(rule: disclosure.rule, suppressedMarker: disclosure.suppressionMarker),
                                 provenance: Provenance.of(study, inputs: inputs)).document()
    }
}
