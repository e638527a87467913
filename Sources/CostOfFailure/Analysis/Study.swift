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
    /// Worker threads for kernels.
    public let workers: Int
    /// The price base every cost is stated in (`nil`: prices as given).
    public let priceBase: PriceBase?
    /// The unit costs the events were priced with (in the price base's prices).
    public let unitCostTable: UnitCostTable
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
        self.costs = try CostResolver(unitCosts: unitCosts, priceBase: priceBase).resolve(events)
        try Self.checkTotals(costs: costs.pence, quantities: events.quantity, interventions: interventions)
        self.interventions = interventions
        self.services = services
        self.windows = windows
        self.indexDates = interventions.indexDates
        self.personWindows = PersonWindows(persons: events.persons, indexDates: indexDates, windows: windows)
        self.workers = workers
    }

    /// Checks that every event's cost and every recorded intervention cost, taken together in
    /// magnitude, are within ``CostResolver/maximumTotal``, and the events' quantities within 64
    /// bits: then any sum of some of them fits, which is what lets the analyses over a study add
    /// costs, counts and quantities without checking each sum (each says so where it leans on it).
    ///
    /// - Throws: ``CostResolver/Overflow`` naming the total that is too large.
    static func checkTotals(costs: [Pence], quantities: [Int32], interventions: InterventionTable) throws(CostResolver.Overflow) {
        let ceiling = CostResolver.maximumTotal.magnitude
        var magnitude: UInt64 = 0
        // No wrap: each cost is at most the £1bn event cap and the running sum at most the
        // ceiling before each add, both far below 2^64.
        for pence in costs {
            magnitude &+= pence.magnitude
            if magnitude > ceiling { throw CostResolver.Overflow(figure: "the events' costs taken together") }
        }
        for entry in interventions.entries {
            guard let cost = entry.costPence else { continue }
            let (sum, overflow) = magnitude.addingReportingOverflow(cost.magnitude)
            if overflow || sum > ceiling {
                throw CostResolver.Overflow(figure: "the events' and the interventions' recorded costs taken together")
            }
            magnitude = sum
        }
        var units: UInt64 = 0
        // No wrap: each quantity is below 2^31 and the running sum at most 2^63 before each add.
        for quantity in quantities {
            units &+= UInt64(quantity.magnitude)
            if units > UInt64(Int64.max) { throw CostResolver.Overflow(figure: "the events' quantities taken together") }
        }
    }

    /// The index date of the person with ID `id`, when they have an intervention.
    public func indexDate(of id: String) -> CivilDate? { indexDates[PersonID(id)] }

    /// Treated people present in the events, as person codes in byte-wise order of their IDs.
    public func treatedPersonCodesInOrder() -> [Int32] {
        events.persons.codesInByteOrder().filter { personWindows.index(of: $0) != PersonWindows.noIndex }
    }

    /// The windows of the person with code `person` (who must have an index date).
    public func bounds(person: Int32) -> StudyWindows.Bounds {
        windows.bounds(index: CivilDate(daysSinceEpoch: personWindows.index(of: person)))
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

    /// Treated people in the data whose after window the observation end cuts.
    public var peopleWithAfterWindowCut: Int {
        treatedPersonCodesInOrder().count { windows.afterWindowIsCut(index: CivilDate(daysSinceEpoch: personWindows.index(of: $0))) }
    }

    /// Every treated person in the data and their exposure, in ID order.
    public var cohortMembers: [CohortSummary.Member] {
        treatedPersonCodesInOrder().map { person in
            let bounds = bounds(person: person)
            return CohortSummary.Member(personID: events.persons[person], beforeDays: bounds.beforeDays, afterDays: bounds.afterDays)
        }
    }
}
