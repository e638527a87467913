import CostOfFailure

/// The analyses the exported tables are made from, handed over when a table needs them: a
/// loaded study computing each once on first request, or a streaming pass (or a merge of
/// partials) that has them all already.
///
/// ``TableAssembly`` asks only for what the tables asked for need, in a fixed order, so a
/// conformer that computes lazily does no more work than the tables need, and one that warns
/// while computing (the comparison group's analysis) warns in the same order every run.
/// Whatever a method throws is passed on unchanged.
public protocol ExportAnalyses {
    /// The cohort summary: the cohort's four tables, and the figures the appraisal, the
    /// difference in differences and the use change repeat.
    mutating func cohortSummary() throws -> CohortSummary
    /// Consumption and the intervention's cost by financial year.
    mutating func financialYears() throws -> FinancialYearConsumption
    /// The Green Book appraisal (its deadweight from the difference in differences when there is
    /// a comparison group).
    mutating func appraisal() throws -> Appraisal
    /// The comparison group's analysis (the difference in differences, its placebo and the
    /// balance table), or `nil` when there is no comparison group.
    mutating func comparisonGroupAnalysis() throws -> ComparisonGroupAnalysis?
    /// Whose use went up, stayed the same or went down, counted with the rounding the tables
    /// are published with.
    mutating func useChange() throws -> UseChange
    /// The cohort's trajectory around the index date.
    mutating func trajectory() throws -> Trajectory
    /// Each service's heaviest users.
    mutating func topUsers() throws -> TopUsers
    /// Starts making the whole cohort's `analyses` together, in one pass beside the caller, for a
    /// caller that will read them (see ``CohortAnalyses/startMaking(_:)``); each is read as it is
    /// asked for either way.
    func startMaking(_ analyses: [CohortAnalyses.Analysis])
}

extension ExportAnalyses {
    /// Nothing to make ahead: analyses made on request only.
    public func startMaking(_ analyses: [CohortAnalyses.Analysis]) {}
}
