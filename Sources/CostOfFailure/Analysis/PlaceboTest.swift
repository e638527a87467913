/// The placebo test: the same difference in differences with every index date, treated and
/// comparison, moved back by the after window's length — a period in which nothing was done,
/// so its "effect" should be near zero. A placebo effect whose interval leaves out zero says
/// the groups were not on parallel paths before the intervention (the treated people recruited
/// at a peak, say), and the real estimate carries the same bias.
///
/// The placebo index date is `index − after` in the after window's own unit (months clamp to
/// the month's last day: 31 August − 6m is the last day of February). The placebo after
/// window is then the real before window (or part of it), and the placebo before window the
/// time before that. With a matched comparison group the match is made again at the placebo
/// dates (matching is part of the analysis) and the interval re-matches in every replicate;
/// with a comparison file, its people are moved back as they are.
public struct PlaceboTest: Sendable {
    /// The placebo's difference in differences.
    public let result: DifferenceInDifferences
    /// The after window's length: how far back every index date moved.
    public let afterWindow: WindowSpan

    /// `index` moved back by the after window of `windows`.
    public static func placeboDate(_ index: CivilDate, windows: StudyWindows) -> CivilDate {
        windows.after.subtracted(from: index)
    }

    /// `interventions` with every start moved back by the after window (the earliest start stays
    /// the earliest: moving back by months keeps the order). Ends and costs are dropped: the
    /// placebo has no intervention.
    public static func shifted(_ interventions: InterventionTable, windows: StudyWindows) -> InterventionTable {
        InterventionTable(entries: interventions.entries.map { .init(personID: $0.personID, start: placeboDate($0.start, windows: windows)) })
    }

    /// The placebo of `study` against `comparison` (`nil`: a matched group, made again at the
    /// placebo dates with `features` when given).
    ///
    /// - Throws: ``CostResolver/Overflow`` as ``DifferenceInDifferences`` does.
    public init(study: Study, comparisonGroup comparison: Study?, features: MatchingFeatures? = nil, resamples: Int = 1_000, seed: UInt64 = 1,
                rounding: CountRounding = .exact) throws(CostResolver.Overflow) {
        func moved(_ interventions: InterventionTable) throws(CostResolver.Overflow) -> Study {
            try Study(events: study.events, unitCosts: study.unitCostTable, interventions: Self.shifted(interventions, windows: study.windows),
                      services: study.services, windows: study.windows, priceBase: study.priceBase, workers: study.workers)
        }
        afterWindow = study.windows.after
        let treated = try moved(study.interventions)
        var matching: ComparisonGroupMatching?
        let group: Study
        if let comparison {
            group = try moved(comparison.interventions)
        } else {
            let match = ComparisonGroupMatching(study: treated, features: features ?? MatchingFeatures(study: treated))
            matching = match
            group = try Study(events: study.events, unitCosts: study.unitCostTable, interventions: InterventionTable(entries: match.entries),
                              services: study.services, windows: study.windows, priceBase: study.priceBase, workers: study.workers)
        }
        result = try DifferenceInDifferences(treated: (try BeforeAfterTable(study: treated), treated.cohortMembers),
                                             comparisonGroup: (try BeforeAfterTable(study: group), group.cohortMembers),
                                             services: study.services, prices: study.pricesDescription,
                                             resamples: resamples, seed: seed, rounding: rounding, matching: matching)
    }

    /// The placebo from everyone's grouped events (``MatchingFeatures``): `treated` is the
    /// whole cohort with its index dates, `comparison` a given comparison group's people with
    /// their pseudo index dates (`nil`: a matched group, made again at the placebo dates from
    /// `features`), each one entry per person in byte order of their IDs. The same figures as
    /// ``init(study:comparisonGroup:features:resamples:seed:rounding:)`` on the studies of the same
    /// people.
    ///
    /// - Throws: ``CostResolver/Overflow`` as ``DifferenceInDifferences`` does.
    public init(features: MatchingFeatures, treated: [InterventionTable.Entry], comparison: [InterventionTable.Entry]?,
                services: ServiceCatalog, prices: String, resamples: Int = 1_000, seed: UInt64 = 1,
                rounding: CountRounding = .exact) throws(CostResolver.Overflow) {
        let windows = features.windows
        // Moving every date back by the same span keeps each person's earliest the earliest.
        func moved(_ entries: [InterventionTable.Entry]) -> [InterventionTable.Entry] {
            entries.map { .init(personID: $0.personID, start: Self.placeboDate($0.start, windows: windows)) }
        }
        afterWindow = windows.after
        let treated = moved(treated)
        var matching: ComparisonGroupMatching?
        let group: [InterventionTable.Entry]
        if let comparison {
            group = moved(comparison)
        } else {
            let withEvents = treated.compactMap { entry in features.persons.code(of: entry.personID).map { (person: $0, index: entry.start) } }
            let match = ComparisonGroupMatching(features: features, treated: withEvents, cohortPeople: treated.count)
            matching = match
            group = ComparisonGroupAnalysis.members(InterventionTable(entries: match.entries))
        }
        result = try DifferenceInDifferences(features: features, treated: treated, comparison: group, services: services, prices: prices,
                                             resamples: resamples, seed: seed, rounding: rounding, matching: matching)
    }

    /// The overall line: the placebo "effect" and its interval.
    public var overall: DifferenceInDifferences.Line { result.lines[0] }

    /// Whether the placebo's interval leaves out zero (a warning sign).
    public var flagged: Bool {
        guard let lower = overall.lower, let upper = overall.upper else { return false }
        return lower > 0 || upper < 0
    }

    /// The table's name.
    public static let tableName = "placebo"

    /// The overall line as a table, its figures resting on the people behind them as the
    /// difference in differences' do.
    public func resultTable() -> ResultTable {
        var table = result.resultTable().selectingRows([0])
        table.name = Self.tableName
        table.title = "Placebo test: " + table.title + ", every index date moved back by the after window (\(afterWindow)): no intervention, so near zero is expected; an interval leaving out zero means the groups were not on parallel paths"
        return table
    }
}
