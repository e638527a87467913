import CostOfFailure

/// The analyses of a loaded study for the exported tables, each made once on first request
/// under the appraisal settings: the person × service before/after table (a pass over every event)
/// that the cohort summary, the appraisal, the use change and the difference in differences all
/// start from is made once for all of them. Overflow is ``PublicationFailure/overflow(_:)``; the
/// comparison group's warnings are said once, when it is analysed.
public struct StudyExportAnalyses: ExportAnalyses {
    /// The loaded study.
    public let study: Study
    /// The comparison group, when there is one.
    public let comparisonGroup: ComparisonGroup?
    /// The appraisal's assumptions and bootstrap.
    public let settings: AppraisalSettings
    /// Says a warning of the analyses (the comparison group's) to the user.
    private let warn: (String) -> Void
    /// How counts are published: the use change and the comparison group's analysis count with it.
    public let rounding: CountRounding
    /// The period the top users are ranked over (`nil`: every date).
    public let topUsersPeriod: ClosedRange<CivilDate>?
    /// How many of each service's heaviest users are listed.
    public let top: Int

    private var beforeAfter: BeforeAfterTable?
    private var summary: CohortSummary?
    private var groupAnalysis: ComparisonGroupAnalysis??

    public init(study: Study, comparisonGroup: ComparisonGroup?, appraisal: AppraisalSettings, warn: @escaping (String) -> Void = { _ in }, rounding: CountRounding,
         topUsersPeriod: ClosedRange<CivilDate>?, top: Int) {
        self.study = study
        self.comparisonGroup = comparisonGroup
        self.settings = appraisal
        self.warn = warn
        self.rounding = rounding
        self.topUsersPeriod = topUsersPeriod
        self.top = top
    }

    /// The study's before/after table.
    private mutating func beforeAfterTable() throws -> BeforeAfterTable {
        if let made = beforeAfter { return made }
        let made: BeforeAfterTable
        do throws(CostResolver.Overflow) {
            made = try BeforeAfterTable(study: study)
        } catch {
            throw PublicationFailure.overflow(error)
        }
        beforeAfter = made
        return made
    }

    public mutating func cohortSummary() throws -> CohortSummary {
        if let made = summary { return made }
        let comparison = try beforeAfterTable()
        let study = self.study
        let made = try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try CohortSummary(beforeAfter: comparison, members: study.cohortMembers, services: study.services, prices: study.pricesDescription)
        }
        summary = made
        return made
    }

    public mutating func comparisonGroupAnalysis() throws -> ComparisonGroupAnalysis? {
        if let made = groupAnalysis { return made }
        let made = try settings.comparisonGroupAnalysis(study: study, treated: try beforeAfterTable(), comparisonGroup: comparisonGroup,
                                                                rounding: rounding)
        // Once made, said once; no comparison group is remembered too.
        for warning in made?.warnings ?? [] { warn(warning) }
        groupAnalysis = .some(made)
        return made
    }

    public mutating func appraisal() throws -> Appraisal {
        let comparison = try beforeAfterTable()
        return try settings.appraisal(study: study, beforeAfter: comparison, did: try comparisonGroupAnalysis()?.did, rounding: rounding)
    }

    public mutating func financialYears() throws -> FinancialYearConsumption {
        FinancialYearConsumption(study: study)
    }

    public mutating func useChange() throws -> UseChange {
        let comparison = try beforeAfterTable()
        let (study, rounding) = (self.study, self.rounding)
        return try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try UseChange(beforeAfter: comparison, members: study.cohortMembers, services: study.services, rounding: rounding)
        }
    }

    public mutating func trajectory() throws -> Trajectory {
        Trajectory(study: study)
    }

    public func startMaking(_ analyses: [CohortAnalyses.Analysis]) {
        // Nothing to make: the study's cohort events are not grouped for nothing.
        guard !analyses.isEmpty else { return }
        study.cohortAnalyses.startMaking(analyses)
    }

    public mutating func topUsers() throws -> TopUsers {
        TopUsers(study: study, period: topUsersPeriod, top: top)
    }
}
