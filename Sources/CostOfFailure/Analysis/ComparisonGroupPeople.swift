/// A comparison group as the streaming pass makes it: the treated cohort and the comparison
/// group's people with their (pseudo) index dates, and everyone's priced events grouped by
/// person (``MatchingFeatures``) to measure, window and cost any of them — no ``Study``.
///
/// Made once per command (``StudyInputs/loadComparisonGroupPeople(features:cohort:isTreated:services:prices:)``):
/// a matched group is matched here, and the match reused by every analysis of the command
/// (``analysis(resamples:seed:rounding:)``).
public struct ComparisonGroupPeople: Sendable {
    /// Everyone's events, laid out for measuring and windowing.
    public let features: MatchingFeatures
    /// Every treated person with their index date, in byte order of their IDs.
    public let cohort: [InterventionTable.Entry]
    /// The comparison group: given in a file, or matched.
    public let origin: ComparisonGroupAnalysis.Origin
    /// Service categories and agencies.
    public let services: ServiceCatalog
    /// What prices the money is in.
    public let prices: String

    /// A comparison group; `origin`, when matched, must have been matched with `features`.
    public init(features: MatchingFeatures, cohort: [InterventionTable.Entry], origin: ComparisonGroupAnalysis.Origin,
                services: ServiceCatalog, prices: String) {
        self.features = features
        self.cohort = cohort
        self.origin = origin
        self.services = services
        self.prices = prices
    }

    /// The match, when the group was matched.
    public var matching: ComparisonGroupMatching? {
        if case .matched(let matching) = origin { return matching }
        return nil
    }

    /// The difference in differences, its placebo and the balance table (see
    /// ``ComparisonGroupAnalysis/init(features:cohort:group:services:prices:resamples:seed:rounding:)``).
    ///
    /// - Throws: ``CostResolver/Overflow`` as ``DifferenceInDifferences`` does.
    public func analysis(resamples: Int = 1_000, seed: UInt64 = 1, rounding: CountRounding = .exact) throws(CostResolver.Overflow) -> ComparisonGroupAnalysis {
        try ComparisonGroupAnalysis(features: features, cohort: cohort, group: origin, services: services, prices: prices,
                                    resamples: resamples, seed: seed, rounding: rounding)
    }
}
