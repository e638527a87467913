import CostOfFailure
import CostOfFailureReports

/// `cof export`'s tables from a cohort's kept events (``CohortAnalyses``): a streaming pass's,
/// or a merge of partials'. Each analysis is a fold over the events, made on request under the
/// appraisal flags; the cohort summary is made once (a pass's from its coded rows, with no
/// before/after table of ID strings) and read by the cohort tables, the appraisal and the use
/// change. There is no comparison group and no one outside the cohort: `cof export` folds only
/// tables that need neither (see ``ExportCommand/folded(_:)``).
struct FoldedExportAnalyses: ExportAnalyses {
    let analyses: CohortAnalyses
    /// Makes the cohort summary.
    let makeSummary: () throws(CostResolver.Overflow) -> CohortSummary
    let appraisalOptions: AppraisalOptions
    /// How counts are published: the use change counts with it.
    let rounding: CountRounding

    private var summary: CohortSummary?

    /// The analyses of a streaming pass that kept the cohort's events.
    init(pass: StreamingPass, appraisal: AppraisalOptions, rounding: CountRounding) {
        guard let analyses = pass.cohortAnalyses else { preconditionFailure("the tables of a pass that did not keep the cohort's events") }
        self.init(analyses: analyses, summary: { () throws(CostResolver.Overflow) in try pass.cohortSummary }, appraisal: appraisal, rounding: rounding)
    }

    /// The analyses `analyses` with the cohort summary `summary` makes.
    init(analyses: CohortAnalyses, summary: @escaping () throws(CostResolver.Overflow) -> CohortSummary, appraisal: AppraisalOptions,
         rounding: CountRounding) {
        self.analyses = analyses
        makeSummary = summary
        self.appraisalOptions = appraisal
        self.rounding = rounding
    }

    mutating func cohortSummary() throws -> CohortSummary {
        if let made = summary { return made }
        let make = makeSummary
        let made = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try make() }
        summary = made
        return made
    }

    mutating func comparisonGroupAnalysis() throws -> ComparisonGroupAnalysis? { nil }

    mutating func appraisal() throws -> Appraisal {
        try appraisalOptions.appraisal(analyses: analyses, summary: cohortSummary(), rounding: rounding)
    }

    mutating func financialYears() throws -> FinancialYearConsumption {
        analyses.financialYearConsumption
    }

    mutating func useChange() throws -> UseChange {
        let summary = try cohortSummary()
        let (analyses, rounding) = (self.analyses, self.rounding)
        return try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try UseChange(summary: summary, members: analyses.cohortMembers, rounding: rounding)
        }
    }

    mutating func trajectory() throws -> Trajectory {
        analyses.trajectory()
    }

    mutating func topUsers() throws -> TopUsers {
        preconditionFailure("the top users rank everyone in the extract: cof export loads the table for them")
    }
}
