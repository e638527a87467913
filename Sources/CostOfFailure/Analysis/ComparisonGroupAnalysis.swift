/// Everything a comparison group gives, made once for every output: the difference in
/// differences (re-matching in each replicate when the group was matched), the placebo test,
/// the balance table and the warnings that go with them.
public struct ComparisonGroupAnalysis: Sendable {
    /// The difference in differences.
    public let did: DifferenceInDifferences
    /// The placebo test.
    public let placebo: PlaceboTest
    /// The balance of the variables matched on.
    public let balance: CovariateBalance
    /// The match, when the group was matched (``ComparisonGroupMatching``) rather than given.
    public let matching: ComparisonGroupMatching?

    /// The analyses of `study`'s cohort (whose before/after table is `treated`) against
    /// `group`: when it was matched, its match (``ComparisonGroup/matching``, made once by
    /// ``StudyInputs/loadComparisonGroup(like:)``) is re-matched from in every bootstrap
    /// replicate and its variables reused for the placebo's match at the shifted dates.
    ///
    /// - Throws: ``CostResolver/Overflow`` as ``DifferenceInDifferences`` does.
    public init(study: Study, treated: BeforeAfterTable, group comparisonGroup: ComparisonGroup, resamples: Int = 1_000, seed: UInt64 = 1,
                rounding: CountRounding = .exact) throws(CostResolver.Overflow) {
        let group = comparisonGroup.study
        let matching = comparisonGroup.matching
        let features = matching?.features ?? MatchingFeatures(study: study)
        self.matching = matching
        did = try DifferenceInDifferences(treated: (treated, study.cohortMembers),
                                          comparison: (try BeforeAfterTable(study: group), group.cohortMembers),
                                          services: study.services, prices: study.pricesDescription,
                                          resamples: resamples, seed: seed, rounding: rounding, matching: matching)
        placebo = try PlaceboTest(study: study, comparison: matching == nil ? group : nil, features: features,
                                  resamples: resamples, seed: seed, rounding: rounding)
        balance = matching.map(CovariateBalance.init(matching:)) ?? CovariateBalance(features: features, treated: study, comparison: group)
    }

    /// Caveats for standard error and the reports: too few treated people, a placebo whose
    /// interval leaves out zero, variables still imbalanced after matching. Sentences without
    /// counts of people (they may sit beside protected tables).
    public var warnings: [String] {
        var warnings = did.warnings
        if placebo.flagged {
            warnings.append("the placebo test (every index date moved back by the after window, where nothing was done) gives an \"effect\" whose 95% interval leaves out zero: the treated people's use was already moving apart from the comparison group's before the index date (recruited at a peak?); a before/after fall is not an effect, and the difference in differences holds only as far as the comparison group shares that path (see the balance table)")
        }
        let imbalanced = balance.imbalancedAfter
        if !imbalanced.isEmpty {
            warnings.append("the comparison group is imbalanced (|SMD| > \(CovariateBalance.threshold)) on: " + imbalanced.joined(separator: "; "))
        }
        return warnings
    }
}
