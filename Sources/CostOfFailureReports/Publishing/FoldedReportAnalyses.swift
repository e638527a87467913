import CostOfFailure

/// The report's analyses from a cohort's kept events (``CohortAnalyses``): a streaming pass's,
/// or a merge of partials'; a pass's comparison group, when it kept everyone's events and made
/// one (``ComparisonGroupPeople``).
public struct FoldedReportAnalyses: ReportAnalyses {
    public let analyses: CohortAnalyses
    /// Makes the cohort's before/after table (checked for overflow where it was made).
    private let makeBeforeAfterTable: () -> BeforeAfterTable
    /// Makes the cohort summary.
    private let makeSummary: () throws(CostResolver.Overflow) -> CohortSummary
    public let sourceCoverage: [SourceCoverage]
    /// The observation end and how it was decided.
    public let observationEnd: ObservationEnd?
    /// The provenance of the study, given its inputs.
    private let makeProvenance: (StudyInputs) -> Provenance
    /// The comparison group (`nil`: none).
    public let comparisonGroup: ComparisonGroupPeople?

    /// The analyses of a streaming pass that kept the cohort's events; its provenance's hashes
    /// from `hashes` when given (worked out while the pass read).
    /// With `comparisonGroup` (made from everyone's events the pass kept), its analysis too.
    public init(pass: StreamingPass, comparisonGroup: ComparisonGroupPeople? = nil, hashes: InputHashes?) {
        guard let analyses = pass.cohortAnalyses else { preconditionFailure("the report of a pass that did not keep the cohort's events") }
        self.init(analyses: analyses, beforeAfterTable: { pass.beforeAfter }, summary: { () throws(CostResolver.Overflow) in try pass.cohortSummary },
                  sourceCoverage: pass.sourceCoverage, observationEnd: pass.observationEnd,
                  provenance: { Provenance.of(Provenance.StudyFacts(pass), inputs: $0, hashes: hashes) }, comparisonGroup: comparisonGroup)
    }

    /// The analyses `analyses` with the before/after table `beforeAfterTable` and the summary `summary` make.
    public init(analyses: CohortAnalyses, beforeAfterTable: @escaping () -> BeforeAfterTable,
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

    public var members: [CohortSummary.Member] { analyses.cohortMembers }
    public var services: ServiceCatalog { analyses.services }
    public var prices: String { analyses.prices }
    public var hasComparisonGroup: Bool { comparisonGroup != nil }
    public var setting: HTMLReportContent.Setting {
        .init(services: analyses.services, windows: analyses.studyWindows, observationEnd: observationEnd, pricesDescription: analyses.prices,
              sourceCoverage: sourceCoverage)
    }

    public func consumptionReport(subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport {
        try analyses.consumptionReport(subject: subject)
    }

    public func beforeAfterTable() throws(CostResolver.Overflow) -> BeforeAfterTable { makeBeforeAfterTable() }

    public func cohortSummary() throws(CostResolver.Overflow) -> CohortSummary { try makeSummary() }

    public func appraisal(settings: AppraisalSettings, summary: CohortSummary, rounding: CountRounding) throws(PublicationFailure) -> Appraisal {
        try settings.appraisal(analyses: analyses, summary: summary, rounding: rounding)
    }

    public func comparisonGroupAnalysis(settings: AppraisalSettings, treated: BeforeAfterTable, rounding: CountRounding) throws(PublicationFailure) -> ComparisonGroupAnalysis? {
        try settings.comparisonGroupAnalysis(people: comparisonGroup, rounding: rounding)
    }

    public func appraisal(settings: AppraisalSettings, beforeAfter comparison: BeforeAfterTable, did: DifferenceInDifferences?, person: String?,
                   rounding: CountRounding) throws(PublicationFailure) -> Appraisal {
        try settings.appraisal(analyses: analyses, beforeAfter: comparison, did: did, person: person, rounding: rounding)
    }

    public func trajectory(person: String?) -> Trajectory { analyses.trajectory(person: person) }
    public func financialYears() -> FinancialYearConsumption { analyses.financialYearConsumption }
    public func baselineCheck() -> RegressionToTheMean { analyses.regressionToTheMean }
    public func timeline(person: String?) -> QuarterlyTimeline { analyses.quarterlyTimeline(person: person) }
    public func provenance(inputs: StudyInputs) -> Provenance { makeProvenance(inputs) }
    public func startMaking(_ analyses: [CohortAnalyses.Analysis]) { self.analyses.startMaking(analyses) }
}
