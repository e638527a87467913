import CostOfFailure

/// A loaded study's analyses for the report.
public struct StudyReportAnalyses: ReportAnalyses {
    public let study: Study
    public let comparisonGroup: ComparisonGroup?

    /// The analyses of `study`, with `comparisonGroup` when there is one.
    public init(study: Study, comparisonGroup: ComparisonGroup?) {
        self.study = study
        self.comparisonGroup = comparisonGroup
    }

    public var hasComparisonGroup: Bool { comparisonGroup != nil }
    public var members: [CohortSummary.Member] { study.cohortMembers }
    public var services: ServiceCatalog { study.services }
    public var prices: String { study.pricesDescription }
    public var sourceCoverage: [SourceCoverage] { study.sourceCoverage }
    public var setting: HTMLReportContent.Setting { .init(study) }

    public func consumptionReport(subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport {
        try ConsumptionReport(study: study, subject: subject)
    }

    public func beforeAfterTable() throws(CostResolver.Overflow) -> BeforeAfterTable { try BeforeAfterTable(study: study) }

    public func cohortSummary() throws(CostResolver.Overflow) -> CohortSummary {
        try CohortSummary(beforeAfter: try BeforeAfterTable(study: study), members: members, services: services, prices: prices)
    }

    public func appraisal(settings: AppraisalSettings, summary: CohortSummary, rounding: CountRounding) throws(PublicationFailure) -> Appraisal {
        try settings.appraisal(analyses: study.cohortAnalyses, summary: summary, rounding: rounding)
    }

    public func comparisonGroupAnalysis(settings: AppraisalSettings, treated: BeforeAfterTable, rounding: CountRounding) throws(PublicationFailure) -> ComparisonGroupAnalysis? {
        try settings.comparisonGroupAnalysis(study: study, treated: treated, comparisonGroup: comparisonGroup, rounding: rounding)
    }

    public func appraisal(settings: AppraisalSettings, beforeAfter comparison: BeforeAfterTable, did: DifferenceInDifferences?, person: String?,
                   rounding: CountRounding) throws(PublicationFailure) -> Appraisal {
        try settings.appraisal(study: study, beforeAfter: comparison, did: did, person: person, rounding: rounding)
    }

    public func trajectory(person: String?) -> Trajectory { Trajectory(study: study, person: person) }
    public func financialYears() -> FinancialYearConsumption { FinancialYearConsumption(study: study) }
    public func baselineCheck() -> RegressionToTheMean { RegressionToTheMean(study: study) }
    public func timeline(person: String?) -> QuarterlyTimeline { QuarterlyTimeline(study: study, person: person) }
    public func provenance(inputs: StudyInputs) -> Provenance { Provenance.of(study, inputs: inputs) }
    public func startMaking(_ analyses: [CohortAnalyses.Analysis]) {
        // Nothing to make: the study's cohort events are not grouped for nothing.
        guard !analyses.isEmpty else { return }
        study.cohortAnalyses.startMaking(analyses)
    }
}
