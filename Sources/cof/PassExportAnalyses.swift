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

    private var summary: CohortSummary?

    init(pass: StreamingPass, appraisal: AppraisalOptions, rounding: CountRounding) {
        self.pass = pass
        self.appraisalOptions = appraisal
        self.rounding = rounding
    }

    /// The cohort summary, made once from the pass's coded rows: the cohort's tables, the
    /// appraisal and the use change all read it (no before/after table of ID strings is made).
    mutating func cohortSummary() throws -> CohortSummary {
        if let made = summary { return made }
        let pass = self.pass
        let made = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try pass.cohortSummary }
        summary = made
        return made
    }

    mutating func comparisonGroupAnalysis() throws -> ComparisonGroupAnalysis? { nil }

    mutating func appraisal() throws -> Appraisal {
        try appraisalOptions.appraisal(pass: pass, summary: cohortSummary(), rounding: rounding)
    }

    mutating func financialYears() throws -> FinancialYearConsumption {
        pass.financialYearConsumption
    }

    mutating func useChange() throws -> UseChange {
        let summary = try cohortSummary()
        let (pass, rounding) = (self.pass, self.rounding)
        return try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try UseChange(summary: summary, members: pass.cohortMembers, rounding: rounding)
        }
    }

    mutating func trajectory() throws -> Trajectory {
        pass.trajectory()
    }

    mutating func topUsers() throws -> TopUsers {
        preconditionFailure("the top users rank everyone in the extract: cof export loads the table for them")
    }
}
