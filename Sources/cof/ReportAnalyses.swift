import CostOfFailure
import CostOfFailureReports

/// What `cof report` (text and HTML) is made from: a loaded study, or a streaming pass that kept
/// the cohort's events (no comparison group), each analysis computed by the same folds either way.
protocol ReportAnalyses {
    /// Every cohort member and their exposure, in ID order.
    var members: [CohortSummary.Member] { get }
    /// Service categories and agencies.
    var services: ServiceCatalog { get }
    /// What prices the money is in.
    var prices: String { get }
    /// The comparison group, when there is one.
    var comparisonGroup: ComparisonGroup? { get }
    /// Each event source's coverage of the cohort.
    var sourceCoverage: [SourceCoverage] { get }
    /// The study's setting, for the HTML report.
    var setting: HTMLReportContent.Setting { get }

    func consumptionReport(subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport
    func beforeAfterTable() throws(CostResolver.Overflow) -> BeforeAfterTable
    func comparisonGroupAnalysis(options: AppraisalOptions, treated: BeforeAfterTable, rounding: CountRounding) throws -> ComparisonGroupAnalysis?
    func appraisal(options: AppraisalOptions, comparison: BeforeAfterTable, did: DifferenceInDifferences?, person: String?,
                   rounding: CountRounding) throws -> Appraisal
    func trajectory(person: String?) -> Trajectory
    func financialYears() -> FinancialYearConsumption
    func baselineCheck() -> RegressionToTheMean
    func timeline(person: String?) -> QuarterlyTimeline
    func provenance(inputs: StudyInputs) -> Provenance
}

/// A loaded study's analyses for the report.
struct StudyReportAnalyses: ReportAnalyses {
    let study: Study
    let comparisonGroup: ComparisonGroup?

    var members: [CohortSummary.Member] { study.cohortMembers }
    var services: ServiceCatalog { study.services }
    var prices: String { study.pricesDescription }
    var sourceCoverage: [SourceCoverage] { study.sourceCoverage }
    var setting: HTMLReportContent.Setting { .init(study) }

    func consumptionReport(subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport {
        try ConsumptionReport(study: study, subject: subject)
    }

    func beforeAfterTable() throws(CostResolver.Overflow) -> BeforeAfterTable { try BeforeAfterTable(study: study) }

    func comparisonGroupAnalysis(options: AppraisalOptions, treated: BeforeAfterTable, rounding: CountRounding) throws -> ComparisonGroupAnalysis? {
        try options.comparisonGroupAnalysis(study: study, treated: treated, comparisonGroup: comparisonGroup, rounding: rounding)
    }

    func appraisal(options: AppraisalOptions, comparison: BeforeAfterTable, did: DifferenceInDifferences?, person: String?,
                   rounding: CountRounding) throws -> Appraisal {
        try options.appraisal(study: study, comparison: comparison, did: did, person: person, rounding: rounding)
    }

    func trajectory(person: String?) -> Trajectory { Trajectory(study: study, person: person) }
    func financialYears() -> FinancialYearConsumption { FinancialYearConsumption(study: study) }
    func baselineCheck() -> RegressionToTheMean { RegressionToTheMean(study: study) }
    func timeline(person: String?) -> QuarterlyTimeline { QuarterlyTimeline(study: study, person: person) }
    func provenance(inputs: StudyInputs) -> Provenance { Provenance.of(study, inputs: inputs) }
}

/// A streaming pass's analyses for the report (the pass kept the cohort's events).
struct PassReportAnalyses: ReportAnalyses {
    let pass: StreamingPass

    var members: [CohortSummary.Member] { pass.cohortMembers }
    var services: ServiceCatalog { pass.services }
    var prices: String { pass.prices }
    var comparisonGroup: ComparisonGroup? { nil }
    var sourceCoverage: [SourceCoverage] { pass.sourceCoverage }
    var setting: HTMLReportContent.Setting {
        .init(services: pass.services, windows: pass.windows, observationEnd: pass.observationEnd, pricesDescription: pass.prices,
              sourceCoverage: pass.sourceCoverage)
    }

    func consumptionReport(subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport {
        try pass.consumptionReport(subject: subject)
    }

    func beforeAfterTable() throws(CostResolver.Overflow) -> BeforeAfterTable { pass.comparison }

    func comparisonGroupAnalysis(options: AppraisalOptions, treated: BeforeAfterTable, rounding: CountRounding) throws -> ComparisonGroupAnalysis? {
        nil
    }

    func appraisal(options: AppraisalOptions, comparison: BeforeAfterTable, did: DifferenceInDifferences?, person: String?,
                   rounding: CountRounding) throws -> Appraisal {
        try options.appraisal(analyses: pass.cohortAnalyses!, comparison: comparison, person: person, rounding: rounding)
    }

    func trajectory(person: String?) -> Trajectory { pass.trajectory(person: person) }
    func financialYears() -> FinancialYearConsumption { pass.financialYearConsumption }
    func baselineCheck() -> RegressionToTheMean { pass.regressionToTheMean }
    func timeline(person: String?) -> QuarterlyTimeline { pass.quarterlyTimeline(person: person) }
    func provenance(inputs: StudyInputs) -> Provenance { Provenance.of(Provenance.StudyFacts(pass), inputs: inputs) }
}
