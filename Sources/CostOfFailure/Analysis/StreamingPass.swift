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
    /// The treated people (the interventions file's), in byte order of their IDs.
    let persons: StringDictionary
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

    /// Runs the pass over `inputs`.
    ///
    /// With no observation end given, the default (``ObservationEnd``) is decided in the same
    /// read: when every source has an extract date it is known before reading; with none, it is
    /// the latest event, after which no event lies, so the events' windows are the same and
    /// only the exposure, laid out again at the end, changes. When only some sources have
    /// extract dates the end depends on the others' latest events before events can be put in
    /// windows: use the table path then (``StudyInputs/endNeedsEventsBeforeWindows``; checked).
    ///
    /// `keepingCohortEvents` keeps every row of the cohort's members (any date, 20 bytes each)
    /// for the per-person analyses of the finance pack (``financialYearConsumption``), and sums
    /// the before/after table from them; without it the pass holds only the windowed events
    /// `cof compare` needs.
    ///
    /// With `rankingTopUsers` the pass also ranks everyone in the extract for ``topUsers(top:)``:
    /// it codes every person (holding every ID, as a table load does) and hands each morsel to a
    /// ``TopUsersTally`` beside the before/after scan, which sees the same rows as ever.
    ///
    /// With `keepingEveryonesEvents` (a comparison group's analysis: the pass must keep the
    /// cohort's events and rank no top users) the pass codes every person, as a table load
    /// does, and keeps every row of anyone, priced once (``EveryoneEventsScan``), grouped by
    /// person into ``matchingFeatures``: the comparison group's people are measured, windowed
    /// and costed from them (``comparisonGroup(_:)``).
    public init(_ inputs: StudyInputs, keepingCohortEvents: Bool = false, rankingTopUsers: TopUsers.Ranking? = nil,
                keepingEveryonesEvents: Bool = false) throws(StudyInputs.Failure) {
        try self.init(inputs, loader: inputs.eventLoader, keepingCohortEvents: keepingCohortEvents, rankingTopUsers: rankingTopUsers,
                      keepingEveryonesEvents: keepingEveryonesEvents)
    }

    /// Runs the pass with `loader` (tests vary its morsel size and when it reads in parts).
    init(_ inputs: StudyInputs, loader: EventLoader, keepingCohortEvents: Bool = false,
         rankingTopUsers: TopUsers.Ranking? = nil, keepingEveryonesEvents: Bool = false) throws(StudyInputs.Failure) {
        precondition(!inputs.endNeedsEventsBeforeWindows, "the streaming pass needs an observation end it can decide in one read")
        precondition(!keepingEveryonesEvents || (keepingCohortEvents && rankingTopUsers == nil), "everyone's events beside the cohort's, without a ranking")
        var inputs = inputs
        var decidedEnd: ObservationEnd? = inputs.windows.observationEnd.map { ObservationEnd(date: $0, basis: .given) }
        if decidedEnd == nil, let known = ObservationEnd.knownBeforeReading(inputs.events) {
            decidedEnd = known
            inputs.windows.observationEnd = known.date
        }
        let reader = CSVReader(maxFieldBytes: inputs.maxFieldBytes, showValues: inputs.policy.showValues)
        let unitCosts: UnitCostTable, priceBase: PriceBase?, indexDates: [CivilDate]
        var treated: StringDictionary
        var services = ServiceCatalog.empty
        var recordedCosts: InterventionCosts?
        do throws(StudyInputs.Failure) {
            if keepingCohortEvents {
                // The recorded costs too, for the financial years and the appraisal: taken from
                // the interventions' rows by cohort code, and the rows let go.
                let tables = try inputs.cohortTables(reader: reader)
                (unitCosts, priceBase, services) = (tables.unitCosts, tables.priceBase, tables.services)
                let costs: InterventionCosts
                (treated, indexDates, costs) = tables.interventions.cohortWithCosts()
                recordedCosts = costs
            } else {
                (unitCosts, priceBase) = try inputs.prices(reader: reader)
                do throws(IngestError) {
                    (treated, indexDates) = try inputs.interventionLoader(reader: reader).loadCohort(inputs.interventions)
                    services = try inputs.loadServices(reader: reader)
                } catch {
                    throw .ingest(error)
                }
            }
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
        // The scan finds the cohort's people through ``FollowedPeople``'s table: the dictionary's
        // own (as large) is let go, its few lookups after the scan a binary search.
        treated.releaseTable()
        var scan = BeforeAfterScan(windows: PersonWindows(indexDates: indexDates, windows: inputs.windows),
                                  resolver: CostResolver(unitCosts: unitCosts, priceBase: priceBase), services: services)
        scan.keepsCohortEvents = keepingCohortEvents
        var builder: EventTableBuilder
        var topUsersTally: TopUsersTally?
        var everyone: EveryoneEventsScan?
        do throws(IngestError) {
            if keepingEveryonesEvents {
                var both = EveryoneEventsScan(beforeAfter: scan)
                scan = scan.empty()
                builder = try loader.scan(inputs.events, codingEveryoneKnowing: FollowedPeople(treated), into: &both)
                scan = both.beforeAfter
                both.beforeAfter = scan.empty()
                everyone = both
            } else if let rankingTopUsers {
                var both = TopUsersScan(beforeAfter: scan, tally: TopUsersTally(period: rankingTopUsers.period, services: services))
                scan = scan.empty()
                builder = try loader.scan(inputs.events, codingEveryoneKnowing: FollowedPeople(treated), into: &both)
                scan = both.beforeAfter
                topUsersTally = both.tally
            } else {
                builder = try loader.scan(inputs.events, following: FollowedPeople(treated), into: &scan)
            }
        } catch {
            throw .ingest(error)
        }
        if let overflow = scan.overflow { throw .overflow(overflow) }
        if let recordedCosts {
            // As a study's: every row's cost and quantity, of anyone's, with the recorded costs,
            // taken together within the ceiling, so that the finance pack refuses what the table
            // path refuses. (`cof compare` checks only the windowed costs below, as its partials
            // and their merge do.)
            do throws(CostResolver.Overflow) {
                try scan.totals.check(recordedCosts: recordedCosts)
            } catch {
                throw .overflow(error)
            }
        }
        // Unreachable after the totals above when the pass keeps the cohort's events (they take
        // every row's cost), but checked whatever the pass keeps.
        do throws(CostResolver.Overflow) {
            try topUsersTally?.check()
        } catch {
            throw .overflow(error)
        }
        self.topUsersTally = topUsersTally
        topUsersPeriod = rankingTopUsers?.period
        if decidedEnd == nil, scan.latestDay != Int32.min {
            let end = ObservationEnd(date: CivilDate(daysSinceEpoch: scan.latestDay), basis: .latestEvent)
            scan.cutWindows(at: end.date)
            decidedEnd = end
        }
        observationEnd = decidedEnd
        // After the cut: time at risk is taken from the windows as the observation end leaves them.
        scan.applyTimeAtRisk()
        // The windowed costs taken together within the engine's ceiling (as a study's are), so
        // the blocks handed on later cannot fail half way.
        do throws(CostResolver.Overflow) {
            try scan.checkWindowedCosts()
        } catch {
            throw .overflow(error)
        }
        // The cohort's IDs (the builder codes everyone when ranking the top users).
        persons = treated
        serviceNames = builder.services
        sourceCoverage = builder.streamedCoverage ?? []
        events = builder.finish()
        unpriced = scan.unpriced(services: builder.services, events: builder.events)
        // The builder's followed people (their lookup table: 64 MiB at 750,000 people) are let
        // go before the cohort's events are grouped.
        builder = EventTableBuilder()
        // Taken from the scan and grouped, then handed back for the before/after table: the
        // pass holds them once, and no windowed list besides.
        let groupedEvents = recordedCosts == nil ? nil : scan.takeCohortEvents().grouped(workers: inputs.workers)
        if let groupedEvents { scan.readKeptEvents(groupedEvents) }
        // Everyone's rows, grouped by person by the same kernel, laid out once for the
        // comparison group (the windows as the observation end left them).
        if var everyone {
            let grouped = everyone.everyonesEvents(people: events.persons.count).grouped()
            matchingFeatures = MatchingFeatures(grouped: grouped, persons: events.persons, serviceNames: serviceNames.values,
                                                services: services, windows: scan.windows.windows)
        } else {
            matchingFeatures = nil
        }
        cohortIndexDates = keepingEveryonesEvents ? indexDates : []
        self.scan = scan
        self.priceBase = priceBase
        workers = inputs.workers
        prices = Study.pricesDescription(priceBase)
        self.services = services
        if let recordedCosts, let groupedEvents {
            // Every cost the folds add is among those checked above.
            cohortAnalyses = CohortAnalyses(
                events: groupedEvents, windows: CohortWindows(cohortCoded: scan.windows),
                persons: persons, serviceNames: serviceNames, eventNames: events.events, services: services,
                unitCosts: unitCosts, recordedCosts: recordedCosts, prices: prices,
                earliestDay: scan.earliestDay, latestDay: scan.latestDay, workers: inputs.workers)
        } else {
            cohortAnalyses = nil
        }
    }

    /// Everyone's events laid out for the comparison group, when the pass kept them
    /// (`keepingEveryonesEvents`; codes of ``events``' people).
    public let matchingFeatures: MatchingFeatures?
    /// Each cohort member's index date by cohort code, when the pass kept everyone's events.
    private let cohortIndexDates: [CivilDate]

    /// The comparison group of `inputs` (its file, or a match when ``StudyInputs/matchComparison``
    /// is set; `nil` without either) over everyone's events: the pass must have kept them.
    ///
    /// - Throws: when the comparison file cannot be read, or a person is in both groups.
    public func comparisonGroup(_ inputs: StudyInputs) throws(StudyInputs.Failure) -> ComparisonGroupPeople? {
        guard let matchingFeatures else { preconditionFailure("the comparison group of a pass that did not keep everyone's events") }
        let persons = self.persons
        let cohort = (0..<Int32(persons.count)).map { InterventionTable.Entry(personID: persons[$0], start: cohortIndexDates[Int($0)]) }
        return try inputs.loadComparisonGroupPeople(features: matchingFeatures, cohort: cohort, isTreated: { persons.code(of: $0) != nil },
                                                    services: services, prices: prices)
    }

    /// The top users' figures, when the pass ranks them (codes of ``events``' dictionaries).
    let topUsersTally: TopUsersTally?
    let topUsersPeriod: ClosedRange<CivilDate>?

    /// Whether the pass ranked the top users (``topUsers(top:)``).
    public var ranksTopUsers: Bool { topUsersTally != nil }

    /// The `top` heaviest users of each service over the period the pass ranked (see
    /// ``TopUsers``; the pass must rank the top users: `rankingTopUsers`). The same lines as
    /// ``TopUsers/init(study:period:top:)`` gives for the same inputs.
    public func topUsers(top: Int = 10) -> TopUsers {
        guard let topUsersTally else { preconditionFailure("the top users of a pass that did not rank them") }
        do {
            return TopUsers(lines: try topUsersTally.lines(persons: events.persons, services: events.services, top: top),
                            period: topUsersPeriod, prices: prices)
        } catch {
            // Unreachable: the initialiser checked the tally's sums. No figure or person is named.
            preconditionFailure("a checked ranking overflowed")
        }
    }

    /// The price base the money is stated in (`nil`: prices as given).
    public let priceBase: PriceBase?

    /// Worker threads for the cohort summary's coded blocks.
    private let workers: Int

    /// The windows as the observation end left them.
    public var windows: StudyWindows { scan.windows.windows }

    /// The unit costs the events were priced with (in the price base's prices), when the pass
    /// kept the cohort's events.
    public var unitCostTable: UnitCostTable? { cohortAnalyses?.unitCosts }

    /// The unit costs the events were priced with, whether or not the pass kept the cohort's
    /// events: for what they took from the shipped table (``UnitCostCatalogue/notes(_:)``).
    public var pricingUnitCosts: UnitCostTable { scan.resolver.unitCosts }

    /// The interventions file's number of rows and recorded costs by cohort code, when the pass
    /// kept the cohort's events (the rows themselves are let go once the cohort is made).
    public var recordedCosts: InterventionCosts? { cohortAnalyses?.recordedCosts }

    /// The per-person analyses, when the pass kept the cohort's events
    /// (``init(_:keepingCohortEvents:)``).
    public let cohortAnalyses: CohortAnalyses?

    /// The per-person analyses (the pass must keep the cohort's events).
    private var kept: CohortAnalyses {
        guard let cohortAnalyses else { preconditionFailure("a per-person analysis of a pass that did not keep the cohort's events") }
        return cohortAnalyses
    }

    /// Runs `fold` over the cohort's members (the pass must keep the cohort's events).
    public func fold<F: CohortFold>(_ fold: F) -> F { kept.fold(fold) }

    /// The cohort's consumption by financial year (see ``CohortAnalyses/financialYearConsumption``);
    /// the pass must keep the cohort's events.
    public var financialYearConsumption: FinancialYearConsumption { kept.financialYearConsumption }

    /// The cohort's (or one member's) appraisal from `comparison` (this pass's ``comparison``;
    /// see ``CohortAnalyses/appraisal(beforeAfter:assumptions:person:differenceInDifferences:rounding:)``);
    /// the pass must keep the cohort's events.
    public func appraisal(beforeAfter comparison: BeforeAfterTable, assumptions: Appraisal.Assumptions = Appraisal.Assumptions(), person: String? = nil,
                          differenceInDifferences did: DifferenceInDifferences? = nil,
                          rounding: CountRounding = .exact) throws(CostResolver.Overflow) -> Appraisal {
        try kept.appraisal(beforeAfter: comparison, assumptions: assumptions, person: person, differenceInDifferences: did, rounding: rounding)
    }

    /// The cohort's appraisal from its summary `summary` (this pass's ``cohortSummary``; see
    /// ``CohortAnalyses/appraisal(summary:assumptions:rounding:)``); the pass must keep the cohort's events.
    public func appraisal(summary: CohortSummary, assumptions: Appraisal.Assumptions = Appraisal.Assumptions(),
                          rounding: CountRounding = .exact) throws(CostResolver.Overflow) -> Appraisal {
        try kept.appraisal(summary: summary, assumptions: assumptions, rounding: rounding)
    }

    /// The cohort's (or one member's) trajectory (see ``CohortAnalyses/trajectory(months:person:)``);
    /// the pass must keep the cohort's events.
    public func trajectory(months: ClosedRange<Int> = Trajectory.defaultMonths, person: String? = nil) -> Trajectory {
        kept.trajectory(months: months, person: person)
    }

    /// The cohort's (or one member's) events per quarter (see ``CohortAnalyses/quarterlyTimeline(person:)``);
    /// the pass must keep the cohort's events.
    public func quarterlyTimeline(person: String? = nil) -> QuarterlyTimeline { kept.quarterlyTimeline(person: person) }

    /// The report of `subject` (see ``CohortAnalyses/consumptionReport(subject:)``); the pass
    /// must keep the cohort's events.
    public func consumptionReport(subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport {
        try kept.consumptionReport(subject: subject)
    }

    /// The regression-to-the-mean check (see ``CohortAnalyses/regressionToTheMean``); the pass
    /// must keep the cohort's events.
    public var regressionToTheMean: RegressionToTheMean { kept.regressionToTheMean }

    /// The whole person × service table.
    public var beforeAfter: BeforeAfterTable {
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

    /// The events of the members with events (``membersWithEvents``), for a partial: `person`
    /// is the member's place among them; with the names of the codes, the days of the rows
    /// read (of anyone), and every row's totals (`nil` when the pass did not keep the cohort's events).
    var keptEvents: (events: [CohortEvent], services: StringDictionary, types: StringDictionary,
                     days: (earliest: Int32, latest: Int32), totals: EventTotals)? {
        guard let cohortAnalyses else { return nil }
        let codes = (0..<Int32(persons.count)).filter(scan.wasSeen)
        return (cohortAnalyses.events(of: codes), serviceNames, events.events, (scan.earliestDay, scan.latestDay), scan.totals)
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
    /// - Throws: ``CostResolver/Overflow`` as ``CohortSummary/init(beforeAfter:members:services:prices:)``.
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
