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
        let matching = comparisonGroup.matching
        let origin: Origin = matching.map(Origin.matched) ?? .given(comparisonGroup.study.interventions.entries)
        try self.init(features: matching?.features ?? MatchingFeatures(study: study), cohort: Self.cohort(of: study), group: origin,
                      services: study.services, prices: study.pricesDescription, resamples: resamples, seed: seed, rounding: rounding)
    }

    /// How the comparison group came: given (a file's people with their pseudo index dates) or matched.
    public enum Origin: Sendable {
        /// The people of a comparison file with their pseudo index dates (any order; a person
        /// listed twice takes their earliest date).
        case given([InterventionTable.Entry])
        /// A match (``ComparisonGroupMatching``) made with the same ``MatchingFeatures``.
        case matched(ComparisonGroupMatching)
    }

    /// The analyses of the cohort `cohort` (every treated person with their index date, one
    /// entry per person in byte order of their IDs, as ``Study/cohortMembers`` lists them)
    /// against the comparison group `origin`, from everyone's grouped events (`features`):
    /// a declaration over one layout of every person's priced events, never a second study.
    /// The same tables as ``init(study:treated:group:resamples:seed:rounding:)`` for the same
    /// inputs (checked by the tests against the studies' path).
    ///
    /// - Throws: ``CostResolver/Overflow`` as ``DifferenceInDifferences`` does.
    public init(features: MatchingFeatures, cohort: [InterventionTable.Entry], group origin: Origin, services: ServiceCatalog,
                prices: String, resamples: Int = 1_000, seed: UInt64 = 1, rounding: CountRounding = .exact) throws(CostResolver.Overflow) {
        let group: [InterventionTable.Entry]
        switch origin {
        case .given(let entries):
            group = Self.members(InterventionTable(entries: entries))
            matching = nil
        case .matched(let match):
            group = Self.members(InterventionTable(entries: match.entries))
            matching = match
        }
        did = try DifferenceInDifferences(features: features, treated: cohort, comparison: group, services: services, prices: prices,
                                          resamples: resamples, seed: seed, rounding: rounding, matching: matching)
        placebo = try PlaceboTest(features: features, treated: cohort, comparison: matching == nil ? group : nil, services: services,
                                  prices: prices, resamples: resamples, seed: seed, rounding: rounding)
        balance = matching.map(CovariateBalance.init(matching:)) ?? CovariateBalance(features: features, treated: cohort, comparisonGroup: group)
    }

    /// The people of `table`, each once with their earliest start, in the order of the cohort
    /// it makes (``InterventionTable/cohort()``: byte order of their IDs).
    static func members(_ table: InterventionTable) -> [InterventionTable.Entry] {
        let (people, indexDates) = table.cohort()
        return (0..<Int32(people.count)).map { .init(personID: people[$0], start: indexDates[Int($0)]) }
    }

    /// Every treated person of `study` with their index date, in byte order of their IDs.
    static func cohort(of study: Study) -> [InterventionTable.Entry] {
        (0..<Int32(study.cohortPeople.count)).map { .init(personID: study.cohortPeople[$0], start: study.cohortIndexDates[Int($0)]) }
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
