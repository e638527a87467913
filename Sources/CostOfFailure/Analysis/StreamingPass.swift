/// `cof compare` in one streaming pass: the comparison, and what the load would report about the
/// event files, computed without ever holding the event table.
///
/// The unit costs and interventions are read first; the treated people (in byte order of their
/// IDs) are the only ones the load codes, and a ``BeforeAfterScan`` prices and sums each morsel
/// of rows as it is decoded, in parallel over the parts of a large file. Memory is the treated
/// people's totals and a few megabytes of morsels, whatever the number of events. The result,
/// the reconciliation, the rejects, the unpriced pairs and every error are the same as the table
/// path's (`StudyInputs.load()` then `BeforeAfterTable(study:)`), which the tests check.
public struct StreamingPass: Sendable {
    /// The scan's result, with the cohort and service names it is coded in.
    private let scan: BeforeAfterScan
    private let persons: StringDictionary
    private let serviceNames: StringDictionary
    /// The event load without its rows: reconciliation per source, rejected rows, dictionaries.
    public let events: EventTable
    /// Events (all people, all dates) with no explicit and no unit cost, by pair.
    public let unpriced: [EventCosts.UnpricedPair]
    /// What prices the money figures are in (see ``Study/pricesDescription``).
    public let prices: String
    /// Service categories and agencies.
    public let services: ServiceCatalog
    /// The observation end the windows were cut at, and how it was decided (`nil`: none given
    /// and no events to decide one from).
    public let observationEnd: ObservationEnd?
    /// Each event source's coverage of the cohort, in source order (as ``Study/sourceCoverage``
    /// gives for the same inputs).
    public let sourceCoverage: [SourceCoverage]
    /// Worker threads for the folds.
    private let workers: Int

    /// Runs the pass over `inputs`.
    ///
    /// With no observation end given, the default (``ObservationEnd``) is decided in the same
    /// read: when every source has an extract date it is known before reading; with none, it is
    /// the latest event, after which no event lies, so the events' windows are the same and
    /// only the exposure, laid out again at the end, changes. When only some sources have
    /// extract dates the end depends on the others' latest events before events can be put in
    /// windows: use the table path then (``StudyInputs/endNeedsEventsBeforeWindows``; checked).
    ///
    /// `keepingCohortEvents` keeps every row of the cohort's members (any date, 32 bytes each)
    /// for the per-person analyses of the finance pack (``financialYearConsumption``); without
    /// it the pass holds only the windowed events `cof compare` needs.
    public init(_ inputs: StudyInputs, keepingCohortEvents: Bool = false) throws(StudyInputs.Failure) {
        try self.init(inputs, loader: inputs.eventLoader, keepingCohortEvents: keepingCohortEvents)
    }

    /// Runs the pass with `loader` (tests vary its morsel size and when it reads in parts).
    init(_ inputs: StudyInputs, loader: EventLoader, keepingCohortEvents: Bool = false) throws(StudyInputs.Failure) {
        precondition(!inputs.endNeedsEventsBeforeWindows, "the streaming pass needs an observation end it can decide in one read")
        var inputs = inputs
        var decidedEnd: ObservationEnd? = inputs.windows.observationEnd.map { ObservationEnd(date: $0, basis: .given) }
        if decidedEnd == nil, let known = ObservationEnd.knownBeforeReading(inputs.events) {
            decidedEnd = known
            inputs.windows.observationEnd = known.date
        }
        let reader = CSVReader(maxFieldBytes: inputs.maxFieldBytes, showValues: inputs.policy.showValues)
        let unitCosts: UnitCostTable, priceBase: PriceBase?, treated: StringDictionary, indexDates: [CivilDate]
        var services = ServiceCatalog.empty
        var interventions: InterventionTable?
        do throws(StudyInputs.Failure) {
            (unitCosts, priceBase) = try inputs.prices(reader: reader)
            do throws(IngestError) {
                let loader = InterventionLoader(reader: reader, personID: inputs.interventionsPersonID)
                if keepingCohortEvents {
                    // The recorded costs too, for the financial years and the appraisal.
                    let table = try loader.load(inputs.interventions)
                    (treated, indexDates) = table.cohort()
                    interventions = table
                } else {
                    (treated, indexDates) = try loader.loadCohort(inputs.interventions)
                }
                if let source = inputs.services { services = try ServiceCatalogLoader(reader: reader).load(source) }
            } catch {
                throw .ingest(error)
            }
            // The recorded costs in the price base, as the table path states them (after the
            // services file, as it reads them).
            interventions = try interventions.map { (table) throws(StudyInputs.Failure) in try StudyInputs.restating(table, in: priceBase) }
        } catch {
            // The table path reads the events first, so an error in them is the one to report:
            // scan them (following nobody) before reporting this one.
            var scan = BeforeAfterScan(windows: PersonWindows(indexDates: [], windows: inputs.windows),
                                      resolver: CostResolver(unitCosts: UnitCostTable(entries: [])))
            do throws(IngestError) {
                _ = try loader.scan(inputs.events, following: FollowedPeople(StringDictionary()), into: &scan)
            } catch {
                throw .ingest(error)
            }
            throw error
        }
        var scan = BeforeAfterScan(windows: PersonWindows(indexDates: indexDates, windows: inputs.windows),
                                  resolver: CostResolver(unitCosts: unitCosts, priceBase: priceBase), services: services)
        scan.keepsCohortEvents = keepingCohortEvents
        let builder: EventTableBuilder
        do throws(IngestError) {
            builder = try loader.scan(inputs.events, following: FollowedPeople(treated), into: &scan)
        } catch {
            throw .ingest(error)
        }
        if let overflow = scan.overflow { throw .overflow(overflow) }
        if let interventions {
            // As a study's: every row's cost and quantity, of anyone's, with the recorded costs,
            // taken together within the ceiling, so that the finance pack refuses what the table
            // path refuses. (`cof compare` checks only the windowed costs below, as its partials
            // and their merge do.)
            do throws(CostResolver.Overflow) {
                try scan.totals.check(interventions: interventions)
            } catch {
                throw .overflow(error)
            }
        }
        if decidedEnd == nil, scan.latestDay != Int32.min {
            let end = ObservationEnd(date: CivilDate(daysSinceEpoch: scan.latestDay), basis: .latestEvent)
            scan.cutWindows(at: end.date)
            decidedEnd = end
        }
        observationEnd = decidedEnd
        // After the cut: time at risk is taken from the windows as the observation end leaves them.
        scan.applyTimeAtRisk()
        // The windowed costs taken together within the engine's ceiling (as a study's are): then
        // no sum of a group overflows, nor a rate or a change per year made from one, so the
        // blocks handed on later cannot fail half way.
        guard let bound = scan.costMagnitudeBound, bound <= CostResolver.maximumTotal.magnitude else {
            throw .overflow(CostResolver.Overflow(figure: "the costs of the treated people's events in their windows taken together"))
        }
        if let interventions {
            // Every cost the folds add is among those checked above.
            let grouped = scan.takeCohortEvents().grouped()
            cohort = Cohort(events: grouped, interventions: interventions, unitCosts: unitCosts)
        } else {
            cohort = nil
        }
        self.scan = scan
        self.priceBase = priceBase
        workers = inputs.workers
        prices = Study.pricesDescription(priceBase)
        persons = builder.persons
        serviceNames = builder.services
        self.services = services
        sourceCoverage = builder.streamedCoverage ?? []
        events = builder.finish()
        unpriced = scan.unpriced(services: builder.services, events: builder.events)
    }

    /// The price base the money is stated in (`nil`: prices as given).
    public let priceBase: PriceBase?

    /// The windows as the observation end left them.
    public var windows: StudyWindows { scan.windows.windows }

    /// The unit costs the events were priced with (in the price base's prices), when the pass
    /// kept the cohort's events.
    public var unitCostTable: UnitCostTable? { cohort?.unitCosts }

    /// The interventions file's rows, when the pass kept the cohort's events.
    public var interventions: InterventionTable? { cohort?.interventions }

    /// What the per-person folds read, when the pass kept it (``init(_:keepingCohortEvents:)``).
    private struct Cohort: Sendable {
        let events: GroupedCohortEvents
        let interventions: InterventionTable
        let unitCosts: UnitCostTable
    }
    private let cohort: Cohort?

    /// Runs `fold` over the cohort's members (the pass must keep the cohort's events).
    public func fold<F: CohortFold>(_ fold: F) -> F {
        guard let cohort else { preconditionFailure("a fold over a pass that did not keep the cohort's events") }
        return cohort.events.fold(fold, windows: CohortWindows(cohortCoded: scan.windows), workers: workers)
    }

    /// The cohort's consumption by financial year (as ``FinancialYearConsumption/init(study:)``
    /// for the same inputs); the pass must keep the cohort's events.
    public var financialYearConsumption: FinancialYearConsumption {
        guard let cohort else { preconditionFailure("the financial years of a pass that did not keep the cohort's events") }
        return FinancialYearConsumption(fold: fold(FinancialYearConsumption.Fold(
            services: serviceNames, events: events.events, catalog: services, unitCosts: cohort.unitCosts,
            interventions: cohort.interventions, cohort: persons, prices: prices)))
    }

    /// The cohort's (or one member's, `person`) Green Book appraisal from `comparison` (this
    /// pass's ``comparison``) under `assumptions`, as
    /// ``Appraisal/init(study:comparison:assumptions:person:differenceInDifferences:rounding:)``
    /// for the same inputs; the pass must keep the cohort's events.
    public func appraisal(comparison: BeforeAfterTable, assumptions: Appraisal.Assumptions = Appraisal.Assumptions(), person: String? = nil,
                          differenceInDifferences did: DifferenceInDifferences? = nil,
                          rounding: CountRounding = .exact) throws(CostResolver.Overflow) -> Appraisal {
        let (split, recorded) = appraisalCosts(person: person)
        return try Appraisal(comparison: person.map { id in comparison.filtered { $0.personID == id } } ?? comparison,
                             members: cohortMembers.filter { person == nil || $0.personID == person }, services: services, split: split,
                             recordedCost: recorded, prices: prices, assumptions: assumptions,
                             differenceInDifferences: person == nil ? did : nil, rounding: rounding)
    }

    /// The cohort's appraisal from its summary `summary` (this pass's ``cohortSummary``) under
    /// `assumptions`: the same as ``appraisal(comparison:assumptions:person:differenceInDifferences:rounding:)``
    /// for the whole cohort, for a caller that has the summary already.
    public func appraisal(summary: CohortSummary, assumptions: Appraisal.Assumptions = Appraisal.Assumptions(),
                          rounding: CountRounding = .exact) throws(CostResolver.Overflow) -> Appraisal {
        let (split, recorded) = appraisalCosts(person: nil)
        return try Appraisal(summary: summary, split: split, recordedCost: recorded, assumptions: assumptions, rounding: rounding)
    }

    /// The windows' costs by cashability and the recorded costs of the cohort (or one member's, `person`).
    private func appraisalCosts(person: String?) -> (split: Appraisal.Split, recorded: Pence) {
        guard let cohort else { preconditionFailure("the appraisal of a pass that did not keep the cohort's events") }
        let split = fold(Appraisal.Split(catalog: services, unitCosts: cohort.unitCosts, services: serviceNames, events: events.events,
                                         only: member(person)))
        // Unchecked: the recorded costs fit together (checked with the events' when the pass was made).
        let recorded = cohort.interventions.entries.reduce(0) { person == nil || $1.personID == person ? $0 + ($1.costPence ?? 0) : $0 }
        return (split, recorded)
    }

    /// The cohort code of `person` for a fold of one member (`nil`: every member; -1: no member).
    private func member(_ person: String?) -> Int32? {
        person.map { persons.code(of: $0) ?? -1 }
    }

    /// The cohort's (or one member's, `person`) trajectory over `months` around the index dates
    /// (as ``Trajectory/init(study:months:person:)`` for the same inputs); the pass must keep the
    /// cohort's events.
    public func trajectory(months: ClosedRange<Int> = -24...12, person: String? = nil) -> Trajectory {
        Trajectory(fold: fold(Trajectory.Fold(months: months, earliestDay: scan.earliestDay,
                                              dataEnd: scan.windows.windows.observationEnd?.daysSinceEpoch ?? scan.latestDay,
                                              catalog: services, services: serviceNames, only: member(person))),
                   prices: prices)
    }

    /// The cohort's (or one member's, `person`) events per calendar quarter by category (as
    /// ``QuarterlyTimeline/init(study:person:)`` for the same inputs, for a member of the
    /// cohort); the pass must keep the cohort's events.
    public func quarterlyTimeline(person: String? = nil) -> QuarterlyTimeline {
        QuarterlyTimeline(fold: fold(QuarterlyTimeline.Fold(catalog: services, services: serviceNames,
                                                            observationEnd: scan.windows.windows.observationEnd?.daysSinceEpoch ?? Int32.max,
                                                            only: member(person))),
                          person: person)
    }

    /// The report of `subject` (as ``ConsumptionReport/init(study:subject:)`` for the same
    /// inputs); the pass must keep the cohort's events.
    public func consumptionReport(subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport {
        guard let cohort else { preconditionFailure("the report of a pass that did not keep the cohort's events") }
        let only: Int32?
        switch subject {
        case .person(let id):
            guard let code = persons.code(of: id) else { throw .noIntervention(person: id) }
            only = code
        case .cohort:
            only = nil
        }
        let fold = fold(ConsumptionReport.Fold(services: serviceNames, events: events.events, catalog: services,
                                               observationEnd: scan.windows.windows.observationEnd?.daysSinceEpoch ?? Int32.max, only: only))
        let members = cohortMembers
        return try ConsumptionReport(fold: fold, subject: subject, members: members,
                                     indexDates: (0..<Int32(persons.count)).map { scan.windows.bounds(of: $0).index },
                                     interventions: cohort.interventions, services: serviceNames, events: events.events, catalog: services,
                                     windows: windows, prices: prices, baselines: regressionToTheMean)
    }

    /// The regression-to-the-mean check (as ``RegressionToTheMean/init(study:)`` for the same
    /// inputs); the pass must keep the cohort's events.
    public var regressionToTheMean: RegressionToTheMean {
        RegressionToTheMean(fold: fold(RegressionToTheMean.Fold(earliestDay: scan.earliestDay == Int32.max ? 0 : scan.earliestDay,
                                                                catalog: services, services: serviceNames)),
                            cohort: persons)
    }

    /// The whole person × service table.
    public var comparison: BeforeAfterTable {
        do {
            return try BeforeAfterTable(scan: scan, persons: persons, services: serviceNames)
        } catch {
            // Unreachable: the initialiser checked the costs' total, so no sum overflows. The
            // message names no figure or person, should it ever be reached.
            preconditionFailure("a checked comparison overflowed")
        }
    }

    /// The table in blocks of rows, about `people` people each, in output order (see
    /// ``BeforeAfterTable/forEachBlock(scan:persons:services:people:_:)``); only `body`'s errors
    /// escape, since the initialiser checked for overflow.
    public func forEachBlock(people: Int = 4_096, _ body: (BeforeAfterTable) throws -> Void) throws {
        try BeforeAfterTable.forEachBlock(scan: scan, persons: persons, services: serviceNames, people: people, body)
    }

    /// The table in blocks of up to 4,096 people, in codes (see ``CodedBeforeAfterTable``; a block's
    /// text rows are `BeforeAfterTable(block)`), each passed through `transform` on `workers` threads
    /// at once, the results handed to `body` in output order.
    public func forEachCodedBlock<T>(workers: Int, transform: @Sendable (CodedBeforeAfterTable) -> T, _ body: (T) throws -> Void) throws {
        try forEachCodedBlock(workers: workers, blockBits: BeforeAfterScan.PersonBlocks.blockBits, transform: transform, body)
    }

    /// The same with blocks of `1 << blockBits` people (tests use small ones).
    func forEachCodedBlock<T>(workers: Int, blockBits: Int, transform: @Sendable (CodedBeforeAfterTable) -> T,
                              _ body: (T) throws -> Void) throws {
        try BeforeAfterTable.forEachCodedBlock(scan: scan, persons: persons, services: serviceNames, blockBits: blockBits,
                                         workers: workers, transform: transform, body)
    }

    /// Treated people with an event dated after their death (see ``TimeAtRisk``).
    public var peopleWithEventsAfterDeath: Int { scan.windows.peopleWithEventsAfterDeath }

    /// Every treated person in the interventions and their exposure, in ID order: the cohort,
    /// with zero use where a person has no events (as ``Study/cohortMembers``).
    public var cohortMembers: [CohortSummary.Member] {
        (0..<Int32(persons.count)).map(member)
    }

    /// The cohort members with a row in these events (in a window or not), in ID order.
    public var membersWithEvents: [CohortSummary.Member] {
        (0..<Int32(persons.count)).filter(scan.wasSeen).map(member)
    }

    /// The cohort members without a row in these events, in ID order.
    public var membersWithoutEvents: [CohortSummary.Member] {
        (0..<Int32(persons.count)).filter { !scan.wasSeen($0) }.map(member)
    }

    /// The cohort member coded `person`.
    private func member(_ person: Int32) -> CohortSummary.Member {
        CohortSummary.Member(personID: persons[person], bounds: scan.windows.bounds(of: person))
    }

    /// Treated people in the data whose after window the observation end cuts.
    public var peopleWithAfterWindowCut: Int {
        (0..<Int32(persons.count)).filter(scan.wasSeen).count { person in
            scan.windows.windows.afterWindowIsCut(index: scan.windows.bounds(of: person).index)
        }
    }

    /// The cohort summary.
    ///
    /// - Throws: ``CostResolver/Overflow`` as ``CohortSummary/init(comparison:members:services:prices:)``.
    public var cohortSummary: CohortSummary {
        get throws(CostResolver.Overflow) {
            // From the coded rows: the same summary as from ``comparison``, without its ID strings.
            try CohortSummary(members: cohortMembers, services: services, prices: prices) { (body) throws(CostResolver.Overflow) in
                do {
                    try forEachCodedBlock(workers: workers, transform: { $0 }, body)
                } catch let overflow as CostResolver.Overflow {
                    throw overflow
                } catch {
                    preconditionFailure("only the summary's own overflow escapes the coded blocks")
                }
            }
        }
    }
}
