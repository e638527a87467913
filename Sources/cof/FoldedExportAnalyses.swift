import CostOfFailure
import CostOfFailureReports

/// `cof export`'s tables from a cohort's kept events (``CohortAnalyses``): a streaming pass's,
/// or a merge of partials'. Each analysis is a fold over the events, made on request under the
/// appraisal flags, and the cohort tables come from the before/after table. There is no
/// comparison group and no one outside the cohort: `cof export` folds only tables that need
/// neither (see ``ExportCommand/folded(_:)``).
struct FoldedExportAnalyses: ExportAnalyses {
    let analyses: CohortAnalyses
    /// Makes the cohort's before/after table (checked for overflow where it was made).
    let makeBeforeAfterTable: () -> BeforeAfterTable
    let appraisalOptions: AppraisalOptions
    /// How counts are published: the use change counts with it.
    let rounding: CountRounding

    private var beforeAfter: BeforeAfterTable?
    private var summary: CohortSummary?

    /// The analyses of a streaming pass that kept the cohort's events.
    init(pass: StreamingPass, appraisal: AppraisalOptions, rounding: CountRounding) {
        guard let analyses = pass.cohortAnalyses else { preconditionFailure("the tables of a pass that did not keep the cohort's events") }
        self.init(analyses: analyses, beforeAfterTable: { pass.comparison }, appraisal: appraisal, rounding: rounding)
    }

    /// The analyses `analyses` with the before/after table `beforeAfterTable` makes.
    init(analyses: CohortAnalyses, beforeAfterTable: @escaping () -> BeforeAfterTable, appraisal: AppraisalOptions, rounding: CountRounding) {
        self.analyses = analyses
        makeBeforeAfterTable = beforeAfterTable
        self.appraisalOptions = appraisal
        self.rounding = rounding
    }

    /// The before/after table, made once.
    private mutating func beforeAfterTable() -> BeforeAfterTable {
        if let made = beforeAfter { return made }
        let made = makeBeforeAfterTable()
        beforeAfter = made
        return made
    }

    mutating func cohortSummary() throws -> CohortSummary {
        if let made = summary { return made }
        let comparison = beforeAfterTable()
        let analyses = self.analyses
        let made = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try CohortSummary(comparison: comparison, members: analyses.cohortMembers, services: analyses.services, prices: analyses.prices)
        }
        summary = made
        return made
    }

    mutating func comparisonGroupAnalysis() throws -> ComparisonGroupAnalysis? { nil }

    mutating func appraisal() throws -> Appraisal {
        try appraisalOptions.appraisal(analyses: analyses, comparison: beforeAfterTable(), rounding: rounding)
    }

    mutating func financialYears() throws -> FinancialYearConsumption {
        analyses.financialYearConsumption
    }

    mutating func useChange() throws -> UseChange {
        let comparison = beforeAfterTable()
        let (analyses, rounding) = (self.analyses, self.rounding)
        return try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try UseChange(comparison: comparison, members: analyses.cohortMembers, services: analyses.services, rounding: rounding)
        }
    }

    mutating func trajectory() throws -> Trajectory {
        analyses.trajectory()
    }

    mutating func topUsers() throws -> TopUsers {
        preconditionFailure("the top users rank everyone in the extract: cof export loads the table for them")
    }
}
