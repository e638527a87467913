import CostOfFailure

/// The exported tables' analyses from a cohort's kept events (``CohortAnalyses``): a streaming pass's,
/// or a merge of partials'. Each analysis is a fold over the events, made on request under the
/// appraisal settings; the cohort summary is made once (a pass's from its coded rows, with no
/// before/after table of ID strings) and read by the cohort tables, the appraisal and the use
/// change. A comparison group, when a pass made one from everyone's events it kept
/// (``ComparisonGroupPeople``), gives the difference in differences, placebo and balance, and
/// the appraisal's deadweight. The top users, who rank everyone in the extract, come from a
/// pass that ranked them, or from partials that carry their state.
public struct FoldedExportAnalyses: ExportAnalyses {
    /// The folds over the cohort's kept events.
    public let analyses: CohortAnalyses
    /// Makes the cohort summary.
    private let makeSummary: () throws(CostResolver.Overflow) -> CohortSummary
    /// The appraisal's assumptions and bootstrap.
    public let settings: AppraisalSettings
    /// Says a warning of the analyses (the comparison group's) to the user.
    private let warn: (String) -> Void
    /// How counts are published: the use change counts with it.
    public let rounding: CountRounding
    /// Makes the top users (`nil`: nothing ranked them).
    private let makeTopUsers: (() -> TopUsers)?
    /// The comparison group (`nil`: none) and the cohort's before/after table its appraisal starts from.
    public let comparisonGroup: ComparisonGroupPeople?
    private let makeBeforeAfterTable: (() -> BeforeAfterTable)?

    private var summary: CohortSummary?
    private var groupAnalysis: ComparisonGroupAnalysis??

    /// The analyses of a streaming pass that kept the cohort's events; the `top` heaviest users
    /// of each service when the pass ranked them.
    /// With `comparisonGroup` (made from everyone's events the pass kept), its tables too.
    public init(pass: StreamingPass, comparisonGroup: ComparisonGroupPeople? = nil, appraisal: AppraisalSettings, warn: @escaping (String) -> Void = { _ in }, rounding: CountRounding, top: Int) {
        guard let analyses = pass.cohortAnalyses else { preconditionFailure("the tables of a pass that did not keep the cohort's events") }
        self.init(analyses: analyses, summary: { () throws(CostResolver.Overflow) in try pass.cohortSummary }, appraisal: appraisal, warn: warn, rounding: rounding,
                  topUsers: pass.ranksTopUsers ? { pass.topUsers(top: top) } : nil,
                  comparisonGroup: comparisonGroup, beforeAfterTable: comparisonGroup == nil ? nil : { pass.beforeAfter })
    }

    /// The analyses `analyses` with the cohort summary `summary` makes (and the top users
    /// `topUsers` makes, if anything ranked them).
    public init(analyses: CohortAnalyses, summary: @escaping () throws(CostResolver.Overflow) -> CohortSummary, appraisal: AppraisalSettings, warn: @escaping (String) -> Void = { _ in },
         rounding: CountRounding, topUsers: (() -> TopUsers)? = nil, comparisonGroup: ComparisonGroupPeople? = nil,
         beforeAfterTable: (() -> BeforeAfterTable)? = nil) {
        self.comparisonGroup = comparisonGroup
        makeBeforeAfterTable = beforeAfterTable
        self.analyses = analyses
        makeSummary = summary
        self.settings = appraisal
        self.warn = warn
        self.rounding = rounding
        makeTopUsers = topUsers
    }

    public mutating func cohortSummary() throws -> CohortSummary {
        if let made = summary { return made }
        let make = makeSummary
        let made = try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in try make() }
        summary = made
        return made
    }

    public mutating func comparisonGroupAnalysis() throws -> ComparisonGroupAnalysis? {
        if let made = groupAnalysis { return made }
        let made = try settings.comparisonGroupAnalysis(people: comparisonGroup, rounding: rounding)
        // Once made, said once; no comparison group is remembered too.
        for warning in made?.warnings ?? [] { warn(warning) }
        groupAnalysis = .some(made)
        return made
    }

    public mutating func appraisal() throws -> Appraisal {
        // With a comparison group, from the before/after table with its deadweight, as a study's.
        if let makeBeforeAfterTable, let did = try comparisonGroupAnalysis()?.did {
            return try settings.appraisal(analyses: analyses, beforeAfter: makeBeforeAfterTable(), did: did, rounding: rounding)
        }
        return try settings.appraisal(analyses: analyses, summary: cohortSummary(), rounding: rounding)
    }

    public mutating func financialYears() throws -> FinancialYearConsumption {
        analyses.financialYearConsumption
    }

    public mutating func useChange() throws -> UseChange {
        let summary = try cohortSummary()
        let (analyses, rounding) = (self.analyses, self.rounding)
        return try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try UseChange(summary: summary, members: analyses.cohortMembers, rounding: rounding)
        }
    }

    public mutating func trajectory() throws -> Trajectory {
        analyses.trajectory()
    }

    public func startMaking(_ analyses: [CohortAnalyses.Analysis]) { self.analyses.startMaking(analyses) }

    public mutating func topUsers() throws -> TopUsers {
        guard let makeTopUsers else { preconditionFailure("the top users of a pass that did not rank them") }
        return makeTopUsers()
    }
}
