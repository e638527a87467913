/// Everything one analysis reads, loaded and priced once: the events, their costs, who had an
/// intervention and when, what each service is, and the windows.
public struct Study: Sendable {
    /// The events.
    public let events: EventTable
    /// Every event's cost.
    public let costs: EventCosts
    /// The interventions.
    public let interventions: InterventionTable
    /// Service categories and agencies.
    public let services: ServiceCatalog
    /// The before/after windows.
    public let windows: StudyWindows
    /// Each treated person's index date (earliest start).
    public let indexDates: [PersonID: CivilDate]
    /// Each person's windows by person code.
    public let personWindows: PersonWindows
    /// The cohort: every treated person in the interventions, with events or not, as a
    /// dictionary whose codes follow the byte order of their IDs (not the events' codes).
    public let cohortPeople: StringDictionary
    /// Each cohort person's index date, by their code in ``cohortPeople``.
    public let cohortIndexDates: [CivilDate]
    /// Worker threads for kernels.
    public let workers: Int
    /// The price base every cost is stated in (`nil`: prices as given).
    public let priceBase: PriceBase?
    /// The unit costs the events were priced with (in the price base's prices).
    public let unitCostTable: UnitCostTable
    /// What priced ``costs``: ``unitCostTable`` and ``priceBase``. A kernel that prices rows
    /// itself as it reads them (``BeforeAfterScan``) is handed this one, so it prices them alike.
    public let resolver: CostResolver
    /// How the windows' observation end was decided (given, or the data's default).
    public let observationEndBasis: ObservationEnd.Basis

    /// The observation end and how it was decided (`nil`: none, as with no events and none given).
    public var observationEnd: ObservationEnd? {
        windows.observationEnd.map { ObservationEnd(date: $0, basis: observationEndBasis) }
    }

    /// Prices the events and lays out each person's windows; `unitCosts` must already be in
    /// the `priceBase`'s prices (``PriceBase/restate(_:)``), which explicit costs are restated in.
    public init(events: EventTable, unitCosts: UnitCostTable, interventions: InterventionTable,
                services: ServiceCatalog = .empty, windows: StudyWindows, observationEndBasis: ObservationEnd.Basis = .given,
                priceBase: PriceBase? = nil, workers: Int = 2) throws(CostResolver.Overflow) {
        self.events = events
        self.observationEndBasis = observationEndBasis
        self.priceBase = priceBase
        unitCostTable = unitCosts
        resolver = CostResolver(unitCosts: unitCosts, priceBase: priceBase)
        self.costs = try resolver.resolve(events)
        // Every event's cost and every recorded intervention cost, taken together in magnitude,
        // within ``CostResolver/maximumTotal``, and the quantities within 64 bits: then any sum of
        // some of them fits, which lets the analyses over a study add costs, counts and
        // quantities without checking each sum (each says so where it leans on it).
        try EventTotals(costs: costs.pence, quantities: events.quantity).check(interventions: interventions)
        self.interventions = interventions
        self.services = services
        self.windows = windows
        self.indexDates = interventions.indexDates
        var personWindows = PersonWindows(persons: events.persons, indexDates: indexDates, windows: windows)
        if services.marksExposure { personWindows.removeExposure(TimeAtRisk(table: events, services: services, windows: personWindows)) }
        self.personWindows = personWindows
        (cohortPeople, cohortIndexDates) = interventions.cohort()
        self.workers = workers
    }

    /// The index date of the person with ID `id`, when they have an intervention.
    public func indexDate(of id: String) -> CivilDate? { indexDates[PersonID(id)] }

    /// Treated people present in the events, as person codes in byte-wise order of their IDs.
    public func treatedPersonCodesInOrder() -> [Int32] {
        events.persons.codesInByteOrder().filter { personWindows.index(of: $0) != PersonWindows.noIndex }
    }

    /// The windows of the person with code `person` (who must have an index date).
    public func bounds(person: Int32) -> StudyWindows.Bounds {
        personWindows.bounds(of: person)
    }

    /// What prices the money figures are in, for every report: the price base and the
    /// deflator's vintage, or prices as given.
    public var pricesDescription: String {
        Self.pricesDescription(priceBase)
    }

    /// The description of `priceBase` (see ``pricesDescription``).
    public static func pricesDescription(_ priceBase: PriceBase?) -> String {
        guard let priceBase else {
            return "prices as given (unit costs in their own price years, explicit costs nominal; no price base)"
        }
        return "\(priceBase.year) prices (restated with \(priceBase.index.vintage))"
    }

    /// Each event source's coverage of the cohort, in source order.
    public var sourceCoverage: [SourceCoverage] {
        SourceCoverage.measure(events: events, cohort: cohortPeople)
    }

    /// Treated people in the data whose after window the observation end cuts.
    public var peopleWithAfterWindowCut: Int {
        treatedPersonCodesInOrder().count { windows.afterWindowIsCut(index: CivilDate(daysSinceEpoch: personWindows.index(of: $0))) }
    }

    /// Every treated person in the interventions and their exposure, in ID order: the cohort,
    /// with zero use where a person has no events (see ``CohortSummary/Member``).
    public var cohortMembers: [CohortSummary.Member] {
        zip(0..<Int32(cohortPeople.count), cohortBounds).map { person, bounds in
            CohortSummary.Member(personID: cohortPeople[person], bounds: bounds)
        }
    }

    /// Each cohort member's windows and exposure, by their code in ``cohortPeople``.
    public var cohortBounds: [StudyWindows.Bounds] {
        let windows = cohortWindows
        return (0..<Int32(cohortPeople.count)).map(windows.bounds(of:))
    }

    /// Each cohort member's windows and time at risk, by their code in ``cohortPeople``: a
    /// person with events has them laid out by event code.
    public var cohortWindows: CohortWindows {
        CohortWindows(windows: personWindows, code: (0..<Int32(cohortPeople.count)).map { events.persons.code(of: cohortPeople[$0]) ?? -1 },
                      indexDates: cohortIndexDates)
    }

    /// The cohort members' events grouped by member, for the per-person folds (``CohortFold``):
    /// the same list the streaming pass keeps, made from the table once, on first use, for every
    /// analysis of the study.
    public var groupedCohortEvents: GroupedCohortEvents {
        cohortEvents.value { CohortEvents(table: events, costs: costs, cohort: cohortPeople).grouped() }
    }

    /// ``groupedCohortEvents`` once made.
    private let cohortEvents = MadeOnce<GroupedCohortEvents>()

    /// The per-person analyses of the cohort (``CohortAnalyses``): the same folds, over the same
    /// kind of event list, as a streaming pass's and a merge's.
    public var cohortAnalyses: CohortAnalyses {
        analyses.value { CohortAnalyses(events: groupedCohortEvents, windows: cohortWindows, persons: cohortPeople, serviceNames: events.services,
                       eventNames: events.events, services: services, unitCosts: unitCostTable, interventions: interventions,
                       prices: pricesDescription, earliestDay: events.day.min() ?? Int32.max, latestDay: events.day.max() ?? Int32.min,
                       workers: workers) }
    }

    /// ``cohortAnalyses`` once made.
    private let analyses = MadeOnce<CohortAnalyses>()
}
