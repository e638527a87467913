import CostOfFailure

/// What `cof report` (text and HTML) is made from: a loaded study, or a cohort's kept events (a
/// streaming pass's or merged partials'; no comparison group), each analysis computed by the same folds either way.
public protocol ReportAnalyses {
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

    /// The consumption report of the cohort or one person (windows, lifetime, unpriced pairs).
    func consumptionReport(subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport
    /// The cohort's person × service before/after table.
    func beforeAfterTable() throws(CostResolver.Overflow) -> BeforeAfterTable
    /// The cohort summary (from coded rows where the analyses can: no table of ID strings).
    func cohortSummary() throws(CostResolver.Overflow) -> CohortSummary
    /// The cohort's appraisal from its `summary`, without a comparison group.
    func appraisal(settings: AppraisalSettings, summary: CohortSummary, rounding: CountRounding) throws(PublicationFailure) -> Appraisal
    /// The comparison group's analysis against the treated people's before/after table `treated` (`nil`: no group).
    func comparisonGroupAnalysis(settings: AppraisalSettings, treated: BeforeAfterTable, rounding: CountRounding) throws(PublicationFailure) -> ComparisonGroupAnalysis?
    /// The appraisal of the cohort or `person` from the before/after table `comparison`, its deadweight from `did` when there is one.
    func appraisal(settings: AppraisalSettings, beforeAfter: BeforeAfterTable, did: DifferenceInDifferences?, person: String?,
                   rounding: CountRounding) throws(PublicationFailure) -> Appraisal
    /// The trajectory around the index date, of the cohort or `person`.
    func trajectory(person: String?) -> Trajectory
    /// Consumption and the intervention's spend by financial year.
    func financialYears() -> FinancialYearConsumption
    /// The regression-to-the-mean check of the before windows against the baseline before them.
    func baselineCheck() -> RegressionToTheMean
    /// The quarterly timeline of the cohort or `person`.
    func timeline(person: String?) -> QuarterlyTimeline
    /// The provenance of the analyses read from `inputs`.
    func provenance(inputs: StudyInputs) -> Provenance
    /// Starts making the whole cohort's `analyses` together, in one pass beside the caller, for a
    /// caller that will read them (see ``CohortAnalyses/startMaking(_:)``); each is read as it is
    /// asked for either way.
    func startMaking(_ analyses: [CohortAnalyses.Analysis])
}
