import CostOfFailure

/// The Green Book appraisal's assumptions, and the bootstrap its probability that NPV > 0 is
/// drawn from: one value, so that the report, its HTML and the finance pack appraise alike for
/// the same settings, from a study, a streaming pass or merged partials.
public struct AppraisalSettings: Sendable {
    /// The appraisal's assumptions (a deadweight only when the analyst assumed one).
    public var assumptions: Appraisal.Assumptions
    /// Bootstrap resamples for the difference in differences' interval and the probability that NPV > 0.
    public var resamples: Int
    /// The bootstrap's seed (the same seed and inputs give the same interval).
    public var seed: UInt64

    /// Settings of `assumptions`, `resamples` and `seed`.
    public init(assumptions: Appraisal.Assumptions, resamples: Int = 1_000, seed: UInt64 = 1) {
        self.assumptions = assumptions
        self.resamples = resamples
        self.seed = seed
    }

    /// The comparison group's analysis (the difference in differences, its placebo and the
    /// balance table; a matched group matched again in every replicate) under these resamples
    /// and seed, when there is a comparison group: the one place the report, its HTML and the
    /// tables make it from a study, so the appraisal's deadweight and the DiD table agree.
    public func comparisonGroupAnalysis(study: Study, treated: BeforeAfterTable, comparisonGroup: ComparisonGroup?,
                                        rounding: CountRounding) throws(PublicationFailure) -> ComparisonGroupAnalysis? {
        guard let comparisonGroup else { return nil }
        let (resamples, seed) = (self.resamples, self.seed)
        return try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try ComparisonGroupAnalysis(study: study, treated: treated, group: comparisonGroup,
                                        resamples: resamples, seed: seed, rounding: rounding)
        }
    }

    /// The comparison group's analysis over everyone's grouped events (a streaming pass's
    /// ``ComparisonGroupPeople``) under these resamples and seed, when there is a group.
    public func comparisonGroupAnalysis(people: ComparisonGroupPeople?, rounding: CountRounding) throws(PublicationFailure) -> ComparisonGroupAnalysis? {
        guard let people else { return nil }
        let (resamples, seed) = (self.resamples, self.seed)
        return try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try people.analysis(resamples: resamples, seed: seed, rounding: rounding)
        }
    }

    /// The appraisal of `study`'s cohort (or `person`) under these settings, its deadweight from
    /// `did` when there is one.
    public func appraisal(study: Study, beforeAfter comparison: BeforeAfterTable, did: DifferenceInDifferences?, person: String? = nil,
                          rounding: CountRounding) throws(PublicationFailure) -> Appraisal {
        try appraisal(did: did, person: person) { (assumptions) throws(CostResolver.Overflow) in
            try Appraisal(study: study, beforeAfter: comparison, assumptions: assumptions, person: person,
                          differenceInDifferences: did, rounding: rounding)
        }
    }

    /// The appraisal of a cohort's (or `person`'s) kept events (a streaming pass's, a merge's)
    /// from its before/after table `comparison`, its deadweight from `did` when there is a
    /// comparison group.
    public func appraisal(analyses: CohortAnalyses, beforeAfter comparison: BeforeAfterTable, did: DifferenceInDifferences? = nil, person: String? = nil,
                          rounding: CountRounding) throws(PublicationFailure) -> Appraisal {
        try appraisal(did: did, person: person) { (assumptions) throws(CostResolver.Overflow) in
            try analyses.appraisal(beforeAfter: comparison, assumptions: assumptions, person: person, differenceInDifferences: did, rounding: rounding)
        }
    }

    /// The appraisal of a cohort's kept events (a streaming pass's, a merge's) from its summary
    /// `summary` (``StreamingPass/cohortSummary``, ``BeforeAfterPartial/cohortSummary``).
    public func appraisal(analyses: CohortAnalyses, summary: CohortSummary, rounding: CountRounding) throws(PublicationFailure) -> Appraisal {
        try appraisal(did: nil, person: nil) { (assumptions) throws(CostResolver.Overflow) in
            try analyses.appraisal(summary: summary, assumptions: assumptions, rounding: rounding)
        }
    }

    /// `make` under these assumptions, once they are checked against `did` and `person`: an
    /// assumed deadweight and a measured one (a cohort's difference in differences) contradict.
    private func appraisal(did: DifferenceInDifferences?, person: String?,
                           make: (Appraisal.Assumptions) throws(CostResolver.Overflow) -> Appraisal) throws(PublicationFailure) -> Appraisal {
        if did != nil, person == nil, assumptions.deadweightBasisPoints != nil {
            throw .settings("--deadweight is for an appraisal without a comparison group: with one, the difference in differences measures the deadweight")
        }
        let assumptions = self.assumptions
        return try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in try make(assumptions) }
    }
}
