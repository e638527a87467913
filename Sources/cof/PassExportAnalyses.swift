import CostOfFailure
import CostOfFailureReports

/// The analyses of a streaming pass for `cof export`'s tables: the pass kept the cohort's
/// events, and each analysis is a fold over them (see ``CohortFold``), made once on first
/// request under the appraisal flags. The pass has no comparison group and no one outside the
/// cohort: `cof export` streams only tables that need neither (see ``ExportCommand``).
struct PassExportAnalyses: ExportAnalyses {
    let pass: StreamingPass
    let appraisalOptions: AppraisalOptions
    /// How counts are published: the use change counts with it.
    let rounding: CountRounding

    private var beforeAfter: BeforeAfterTable?
    private var summary: CohortSummary?

    init(pass: StreamingPass, appraisal: AppraisalOptions, rounding: CountRounding) {
        self.pass = pass
        self.appraisalOptions = appraisal
        self.rounding = rounding
    }

    /// The pass's before/after table (checked for overflow when the pass was made).
    private mutating func beforeAfterTable() -> BeforeAfterTable {
        if let made = beforeAfter { return made }
        let made = pass.comparison
        beforeAfter = made
        return made
    }

    mutating func cohortSummary() throws -> CohortSummary {
        if let made = summary { return made }
        let comparison = beforeAfterTable()
        let pass = self.pass
        let made = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try CohortSummary(comparison: comparison, members: pass.cohortMembers, services: pass.services, prices: pass.prices)
        }
        summary = made
        return made
    }

    mutating func comparisonGroupAnalysis() throws -> ComparisonGroupAnalysis? { nil }

    mutating func appraisal() throws -> Appraisal {
        try appraisalOptions.appraisal(pass: pass, comparison: beforeAfterTable(), rounding: rounding)
    }

    mutating func financialYears() throws -> FinancialYearConsumption {
        pass.financialYearConsumption
    }

    mutating func useChange() throws -> UseChange {
        let comparison = beforeAfterTable()
        let (pass, rounding) = (self.pass, self.rounding)
        return try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try UseChange(comparison: comparison, members: pass.cohortMembers, services: pass.services, rounding: rounding)
        }
    }

    mutating func trajectory() throws -> Trajectory {
        pass.trajectory()
    }

    mutating func topUsers() throws -> TopUsers {
        preconditionFailure("the top users rank everyone in the extract: cof export loads the table for them")
    }
}
