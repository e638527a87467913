import CostOfFailure
import CostOfFailureReports

/// What `cof report` (text and HTML) is made from: a loaded study, or a cohort's kept events (a
/// streaming pass's or merged partials'; no comparison group), each analysis computed by the same folds either way.
protocol ReportAnalyses {
    /// Every cohort member and their exposure, in ID order.
    var members: [CohortSummary.Member] { get }
    /// Service categories and agencies.
    var services: ServiceCatalog { get }
    /// What prices the money is in.
    var prices: String { get }
    /// Whether there is a comparison group.
    var hasComparisonGroup: Bool { get }
    /// Each event source's coverage of the cohort.
    var sourceCoverage: [SourceCoverage] { get }
    /// The study's setting, for the HTML report.
    var setting: HTMLReportContent.Setting { get }

    func consumptionReport(subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport
    func beforeAfterTable() throws(CostResolver.Overflow) -> BeforeAfterTable
    /// The cohort summary (from coded rows where the analyses can: no table of ID strings).
    func cohortSummary() throws(CostResolver.Overflow) -> CohortSummary
    /// The cohort's appraisal from its `summary`, without a comparison group.
    func appraisal(options: AppraisalOptions, summary: CohortSummary, rounding: CountRounding) throws -> Appraisal
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

    var hasComparisonGroup: Bool { comparisonGroup != nil }
    var members: [CohortSummary.Member] { study.cohortMembers }
    var services: ServiceCatalog { study.services }
    var prices: String { study.pricesDescription }
    var sourceCoverage: [SourceCoverage] { study.sourceCoverage }
    var setting: HTMLReportContent.Setting { .init(study) }

    func consumptionReport(subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport {
        try ConsumptionReport(study: study, subject: subject)
    }

    func beforeAfterTable() throws(CostResolver.Overflow) -> BeforeAfterTable { try BeforeAfterTable(study: study) }

    func cohortSummary() throws(CostResolver.Overflow) -> CohortSummary {
        try CohortSummary(comparison: try BeforeAfterTable(study: study), members: members, services: services, prices: prices)
    }

    func appraisal(options: AppraisalOptions, summary: CohortSummary, rounding: CountRounding) throws -> Appraisal {
        try options.appraisal(analyses: study.cohortAnalyses, summary: summary, rounding: rounding)
    }

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

/// The report's analyses from a cohort's kept events (``CohortAnalyses``): a streaming pass's,
/// or a merge of partials'; a pass's comparison group, when it kept everyone's events and made
/// one (``ComparisonGroupPeople``).
struct FoldedReportAnalyses: ReportAnalyses {
    let analyses: CohortAnalyses
    /// Makes the cohort's before/after table (checked for overflow where it was made).
    let makeBeforeAfterTable: () -> BeforeAfterTable
    /// Makes the cohort summary.
    let makeSummary: () throws(CostResolver.Overflow) -> CohortSummary
    let sourceCoverage: [SourceCoverage]
    /// The observation end and how it was decided.
    let observationEnd: ObservationEnd?
    /// The provenance of the study, given its inputs.
    let makeProvenance: (StudyInputs) -> Provenance
    /// The comparison group (`nil`: none).
    let comparisonGroup: ComparisonGroupPeople?

    /// The analyses of a streaming pass that kept the cohort's events; its provenance's hashes
    /// from `hashes` when given (worked out while the pass read).
    /// With `comparisonGroup` (made from everyone's events the pass kept), its analysis too.
    init(pass: StreamingPass, comparisonGroup: ComparisonGroupPeople? = nil, hashes: InputHashes?) {
        guard let analyses = pass.cohortAnalyses else { preconditionFailure("the report of a pass that did not keep the cohort's events") }
        self.init(analyses: analyses, beforeAfterTable: { pass.comparison }, summary: { () throws(CostResolver.Overflow) in try pass.cohortSummary },
                  sourceCoverage: pass.sourceCoverage, observationEnd: pass.observationEnd,
                  provenance: { Provenance.of(Provenance.StudyFacts(pass), inputs: $0, hashes: hashes) }, comparisonGroup: comparisonGroup)
    }

    /// The analyses `analyses` with the before/after table `beforeAfterTable` and the summary `summary` make.
    init(analyses: CohortAnalyses, beforeAfterTable: @escaping () -> BeforeAfterTable,
         summary: @escaping () throws(CostResolver.Overflow) -> CohortSummary, sourceCoverage: [SourceCoverage],
         observationEnd: ObservationEnd?, provenance: @escaping (StudyInputs) -> Provenance, comparisonGroup: ComparisonGroupPeople? = nil) {
        self.comparisonGroup = comparisonGroup
        self.analyses = analyses
        makeBeforeAfterTable = beforeAfterTable
        makeSummary = summary
        self.sourceCoverage = sourceCoverage
        self.observationEnd = observationEnd
        makeProvenance = provenance
    }

    var members: [CohortSummary.Member] { analyses.cohortMembers }
    var services: ServiceCatalog { analyses.services }
    var prices: String { analyses.prices }
    var hasComparisonGroup: Bool { comparisonGroup != nil }
    var setting: HTMLReportContent.Setting {
        .init(services: analyses.services, windows: analyses.studyWindows, observationEnd: observationEnd, pricesDescription: analyses.prices,
              sourceCoverage: sourceCoverage)
    }

    func consumptionReport(subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport {
        try analyses.consumptionReport(subject: subject)
    }

    func beforeAfterTable() throws(CostResolver.Overflow) -> BeforeAfterTable { makeBeforeAfterTable() }

    func cohortSummary() throws(CostResolver.Overflow) -> CohortSummary { try makeSummary() }

    func appraisal(options: AppraisalOptions, summary: CohortSummary, rounding: CountRounding) throws -> Appraisal {
        try options.appraisal(analyses: analyses, summary: summary, rounding: rounding)
    }

    func comparisonGroupAnalysis(options: AppraisalOptions, treated: BeforeAfterTable, rounding: CountRounding) throws -> ComparisonGroupAnalysis? {
        try options.comparisonGroupAnalysis(people: comparisonGroup, rounding: rounding)
    }

    func appraisal(options: AppraisalOptions, comparison: BeforeAfterTable, did: DifferenceInDifferences?, person: String?,
                   rounding: CountRounding) throws -> Appraisal {
        try options.appraisal(analyses: analyses, comparison: comparison, did: did, person: person, rounding: rounding)
    }

    func trajectory(person: String?) -> Trajectory { analyses.trajectory(person: person) }
    func financialYears() -> FinancialYearConsumption { analyses.financialYearConsumption }
    func baselineCheck() -> RegressionToTheMean { analyses.regressionToTheMean }
    func timeline(person: String?) -> QuarterlyTimeline { analyses.quarterlyTimeline(person: person) }
    func provenance(inputs: StudyInputs) -> Provenance { makeProvenance(inputs) }
}
