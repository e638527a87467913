import Dispatch

/// The per-person analyses of a cohort whose events are kept: the financial years, the
/// appraisal, the trajectory, the quarterly timeline, the consumption report and the baseline
/// check, each a ``CohortFold`` over the cohort's events (see ``GroupedCohortEvents``).
///
/// One value serves every place the cohort's events come from: a ``StreamingPass`` that kept
/// them as it read the events, and a merge of partials (``BeforeAfterPartial/cohortAnalyses(_:)``),
/// which carry each member's events. Either way the same folds run over the same events under
/// the same windows, so a merge of partials over a split of the people gives what one process
/// gives for all of them.
public struct CohortAnalyses: Sendable {
    /// Every member's events, grouped by cohort code.
    let events: GroupedCohortEvents
    /// Every member's windows and time at risk, by cohort code.
    let windows: CohortWindows
    /// The cohort's people (the interventions' people, in byte order of their IDs: codes are
    /// cohort codes).
    let persons: StringDictionary
    /// The names of the events' service codes.
    let serviceNames: StringDictionary
    /// The names of the events' event-type codes.
    let eventNames: StringDictionary
    /// Service categories and agencies.
    public let services: ServiceCatalog
    /// The unit costs the events were priced with (in the price base's prices).
    public let unitCosts: UnitCostTable
    /// The interventions file's number of rows and recorded costs (in the price base's prices),
    /// by cohort code: all the analyses take from its rows.
    public let recordedCosts: InterventionCosts
    /// What prices the money figures are in (see ``Study/pricesDescription``).
    public let prices: String
    /// The earliest day of any loaded row, of anyone (`Int32.max`: none).
    let earliestDay: Int32
    /// The latest day of any loaded row, of anyone (`Int32.min`: none).
    let latestDay: Int32
    /// Worker threads for the folds.
    let workers: Int
    /// The baseline check, made once: the report's fold and its tables both read it.
    private let baselines = MadeOnce<RegressionToTheMean>()
    /// The passes making the whole cohort's folds (see ``startMaking(_:)``).
    private let made = MadeFolds()

    /// The analyses of the cohort `persons` with events `events`.
    init(events: GroupedCohortEvents, windows: CohortWindows, persons: StringDictionary, serviceNames: StringDictionary,
         eventNames: StringDictionary, services: ServiceCatalog, unitCosts: UnitCostTable, recordedCosts: InterventionCosts,
         prices: String, earliestDay: Int32, latestDay: Int32, workers: Int) {
        precondition(events.cohortSize == persons.count && windows.count == persons.count, "events and windows for every cohort member")
        self.events = events
        self.windows = windows
        self.persons = persons
        self.serviceNames = serviceNames
        self.eventNames = eventNames
        self.services = services
        self.unitCosts = unitCosts
        self.recordedCosts = recordedCosts
        self.prices = prices
        self.earliestDay = earliestDay
        self.latestDay = latestDay
        self.workers = workers
    }

    /// The analyses with the recorded costs of `interventions`, whose people are `persons`.
    init(events: GroupedCohortEvents, windows: CohortWindows, persons: StringDictionary, serviceNames: StringDictionary,
         eventNames: StringDictionary, services: ServiceCatalog, unitCosts: UnitCostTable, interventions: InterventionTable,
         prices: String, earliestDay: Int32, latestDay: Int32, workers: Int) {
        self.init(events: events, windows: windows, persons: persons, serviceNames: serviceNames, eventNames: eventNames,
                  services: services, unitCosts: unitCosts, recordedCosts: InterventionCosts(interventions, cohort: persons),
                  prices: prices, earliestDay: earliestDay, latestDay: latestDay, workers: workers)
    }

    /// The windows' definition (the observation end they were cut at included).
    public var studyWindows: StudyWindows { windows.definition }

    /// The observation end's day number (`Int32.max`: none).
    private var observationEndDay: Int32 { windows.definition.observationEnd?.daysSinceEpoch ?? Int32.max }

    /// Runs `fold` over the cohort's members.
    public func fold<F: CohortFold>(_ fold: F) -> F {
        events.fold(fold, windows: windows, workers: workers)
    }

    /// The whole cohort's fold of `analysis` (its part `part` of the folds made together):
    /// from the pass ``startMaking(_:)`` started for it, waiting for it if it is under way, or
    /// from a pass of its own made now.
    private func wholeCohort<F: CohortFold>(_ analysis: Analysis, _ part: KeyPath<FoldSet, F?>) -> F {
        folds(made.pass(making: analysis))[keyPath: part]!
    }

    /// The folds of `pass`, made once.
    private func folds(_ pass: MadeFolds.Pass) -> FoldSet {
        pass.folds.value { fold(FoldSet(pass.analyses, of: self)) }
    }

    /// The events of the members coded `members` (ascending), each event's `person` its
    /// member's place in `members`.
    func events(of members: [Int32]) -> [CohortEvent] {
        var taken: [CohortEvent] = []
        taken.reserveCapacity(events.events.count)
        for (place, code) in members.enumerated() {
            for var event in events.events(of: Int(code)) {
                event.person = Int32(place)
                taken.append(event)
            }
        }
        return taken
    }

    /// Every member and their exposure, in ID order, with zero use where a member has no events.
    public var cohortMembers: [CohortSummary.Member] {
        (0..<Int32(persons.count)).map { CohortSummary.Member(personID: persons[$0], bounds: windows.bounds(of: $0)) }
    }

    /// Members with events whose after window the observation end cuts (as
    /// ``StreamingPass/peopleWithAfterWindowCut``).
    public var peopleWithAfterWindowCut: Int {
        (0..<persons.count).filter { events.hasEvents(member: $0) }.count { member in
            windows.definition.afterWindowIsCut(index: windows.bounds(of: Int32(member)).index)
        }
    }

    /// The cohort code of `person` for a fold of one member (`nil`: every member; -1: no member).
    private func member(_ person: String?) -> Int32? {
        person.map { persons.code(of: $0) ?? -1 }
    }

    /// The cohort's consumption by financial year (as ``FinancialYearConsumption/init(study:)``
    /// for the same inputs).
    public var financialYearConsumption: FinancialYearConsumption {
        FinancialYearConsumption(fold: wholeCohort(.financialYears, \.financialYears))
    }

    /// The financial years' fold, not yet folded.
    var financialYearsFold: FinancialYearConsumption.Fold {
        FinancialYearConsumption.Fold(services: serviceNames, events: eventNames, catalog: services, unitCosts: unitCosts,
                                      recordedCosts: recordedCosts, cohortSize: persons.count, prices: prices)
    }

    /// The cohort's (or one member's, `person`) Green Book appraisal from `comparison` (the
    /// cohort's before/after table) under `assumptions`, as
    /// ``Appraisal/init(study:beforeAfter:assumptions:person:differenceInDifferences:rounding:)``
    /// for the same inputs.
    public func appraisal(beforeAfter comparison: BeforeAfterTable, assumptions: Appraisal.Assumptions = Appraisal.Assumptions(), person: String? = nil,
                          differenceInDifferences did: DifferenceInDifferences? = nil,
                          rounding: CountRounding = .exact) throws(CostResolver.Overflow) -> Appraisal {
        let (split, recorded) = appraisalCosts(person: person)
        return try Appraisal(beforeAfter: person.map { id in comparison.filtered { $0.personID == id } } ?? comparison,
                             members: cohortMembers.filter { person == nil || $0.personID == person }, services: services, split: split,
                             recordedCost: recorded, prices: prices, assumptions: assumptions,
                             differenceInDifferences: person == nil ? did : nil, rounding: rounding)
    }

    /// The cohort's appraisal from its summary `summary` (the summary of its before/after table)
    /// under `assumptions`: the same as ``appraisal(beforeAfter:assumptions:person:differenceInDifferences:rounding:)``
    /// for the whole cohort, for a caller that has the summary already.
    public func appraisal(summary: CohortSummary, assumptions: Appraisal.Assumptions = Appraisal.Assumptions(),
                          rounding: CountRounding = .exact) throws(CostResolver.Overflow) -> Appraisal {
        let (split, recorded) = appraisalCosts(person: nil)
        return try Appraisal(summary: summary, split: split, recordedCost: recorded, assumptions: assumptions, rounding: rounding)
    }

    /// The windows' costs by cashability and the recorded costs of the cohort (or of one member, `person`).
    private func appraisalCosts(person: String?) -> (split: Appraisal.Split, recorded: Pence) {
        let split = person == nil ? wholeCohort(.appraisal, \.appraisal) : fold(appraisalFold(only: member(person)))
        // One member's: the rows whose ID is exactly `person`'s (none when it is no member's).
        let recorded = recordedCosts.total(member: person.map { id in
            let code = persons.code(of: id) ?? -1
            return code >= 0 && persons[code] == id ? code : -1
        })
        return (split, recorded)
    }

    /// The appraisal's split of the costs, of the cohort (`only` nil) or of one member, not yet folded.
    func appraisalFold(only: Int32?) -> Appraisal.Split {
        Appraisal.Split(catalog: services, unitCosts: unitCosts, services: serviceNames, events: eventNames, only: only)
    }

    /// The cohort's (or one member's, `person`) trajectory over `months` around the index dates
    /// (as ``Trajectory/init(study:months:person:)`` for the same inputs).
    public func trajectory(months: ClosedRange<Int> = Trajectory.defaultMonths, person: String? = nil) -> Trajectory {
        let folded = person == nil && months == Trajectory.defaultMonths
            ? wholeCohort(.trajectory, \.trajectory) : fold(trajectoryFold(months: months, only: member(person)))
        return Trajectory(fold: folded, prices: prices)
    }

    /// The trajectory's fold over `months`, of the cohort (`only` nil) or of one member, not yet folded.
    func trajectoryFold(months: ClosedRange<Int>, only: Int32?) -> Trajectory.Fold {
        Trajectory.Fold(months: months, earliestDay: earliestDay, dataEnd: windows.definition.observationEnd?.daysSinceEpoch ?? latestDay,
                        catalog: services, services: serviceNames, only: only)
    }

    /// The cohort's (or one member's, `person`) events per calendar quarter by category (as
    /// ``QuarterlyTimeline/init(study:person:)`` for the same inputs, for a member of the cohort).
    public func quarterlyTimeline(person: String? = nil) -> QuarterlyTimeline {
        QuarterlyTimeline(fold: person == nil ? wholeCohort(.timeline, \.timeline) : fold(timelineFold(only: member(person))), person: person)
    }

    /// The timeline's fold, of the cohort (`only` nil) or of one member, not yet folded.
    func timelineFold(only: Int32?) -> QuarterlyTimeline.Fold {
        QuarterlyTimeline.Fold(catalog: services, services: serviceNames, observationEnd: observationEndDay, only: only)
    }

    /// The report of `subject` (as ``ConsumptionReport/init(study:subject:)`` for the same inputs).
    public func consumptionReport(subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport {
        let only: Int32?
        switch subject {
        case .person(let id):
            guard let code = persons.code(of: id) else { throw .noIntervention(person: id) }
            only = code
        case .cohort:
            only = nil
        }
        // The cohort's report reads the baseline check too: the two are made together unless
        // either is made or under way already.
        if only == nil { _ = made.claim([.consumptionReport, .baselineCheck]) }
        return try consumptionReport(only == nil ? wholeCohort(.consumptionReport, \.consumption) : fold(consumptionFold(only: only)),
                                     subject: subject)
    }

    /// The report of `subject` from `fold`, its fold folded.
    func consumptionReport(_ fold: ConsumptionReport.Fold, subject: ConsumptionReport.Subject) throws(ConsumptionReport.Failure) -> ConsumptionReport {
        // Each member made as the report reads them: no array of the cohort's ID strings.
        let members = (0..<persons.count).lazy.map { CohortSummary.Member(personID: persons[Int32($0)], bounds: windows.bounds(of: Int32($0))) }
        return try ConsumptionReport(fold: fold, subject: subject, members: members,
                                     indexDates: (0..<Int32(persons.count)).map { windows.bounds(of: $0).index },
                                     recordedCosts: recordedCosts, services: serviceNames, events: eventNames, catalog: services,
                                     windows: windows.definition, prices: prices, baselines: regressionToTheMean)
    }

    /// The consumption report's fold, of the cohort (`only` nil) or of one member, not yet folded.
    func consumptionFold(only: Int32?) -> ConsumptionReport.Fold {
        ConsumptionReport.Fold(services: serviceNames, events: eventNames, catalog: services, observationEnd: observationEndDay, only: only)
    }

    /// The regression-to-the-mean check (as ``RegressionToTheMean/init(study:)`` for the same inputs).
    public var regressionToTheMean: RegressionToTheMean {
        baselines.value { RegressionToTheMean(fold: wholeCohort(.baselineCheck, \.baselineCheck), cohort: persons) }
    }

    /// The baseline check's fold, not yet folded.
    var baselineCheckFold: RegressionToTheMean.Fold {
        RegressionToTheMean.Fold(earliestDay: earliestDay == Int32.max ? 0 : earliestDay, catalog: services, services: serviceNames)
    }
}

extension CohortAnalyses {
    /// A whole-cohort analysis that is a fold over every member's events, kept once made.
    public enum Analysis: Sendable, CaseIterable {
        /// The cohort's consumption report (``consumptionReport(subject:)`` of the cohort).
        case consumptionReport
        /// The regression-to-the-mean check (``regressionToTheMean``).
        case baselineCheck
        /// The appraisal's costs by cashability (every appraisal of the cohort).
        case appraisal
        /// The consumption by financial year (``financialYearConsumption``).
        case financialYears
        /// The trajectory over its default months (``trajectory(months:person:)``).
        case trajectory
        /// The quarterly timeline (``quarterlyTimeline(person:)`` of the cohort).
        case timeline
    }

    /// Starts making `analyses` (the whole cohort's) and returns at once: those no pass has
    /// claimed yet (started, made, or asked for) are made together in one pass over the members
    /// (``FoldSet``), split over the workers, while the command goes on with its own work. Asked
    /// for later, each is the same value as made alone (a fold's merge is exact), waiting for
    /// its pass if it is under way.
    public func startMaking(_ analyses: [Analysis]) {
        guard let pass = made.claim(analyses) else { return }
        DispatchQueue.global().async { [self] in _ = folds(pass) }
    }

    /// The passes that make the whole cohort's folds, each made once and shared by every copy
    /// of the analyses.
    final class MadeFolds: @unchecked Sendable {
        // Sound: `passes` is read and written only on `queue` (a serial queue, as in ``MadeOnce``).
        private let queue = DispatchQueue(label: "MadeFolds")
        /// The pass that makes each analysis claimed so far.
        private var passes: [Analysis: Pass] = [:]

        /// One pass making the folds of several analyses together.
        final class Pass: Sendable {
            let analyses: [Analysis]
            let folds = MadeOnce<FoldSet>()

            init(analyses: [Analysis]) { self.analyses = analyses }
        }

        /// A new pass for those of `analyses` no pass makes yet (`nil`: none is left).
        func claim(_ analyses: [Analysis]) -> Pass? {
            queue.sync {
                var unclaimed: [Analysis] = []
                for analysis in analyses where passes[analysis] == nil && !unclaimed.contains(analysis) { unclaimed.append(analysis) }
                guard !unclaimed.isEmpty else { return nil }
                let pass = Pass(analyses: unclaimed)
                for analysis in unclaimed { passes[analysis] = pass }
                return pass
            }
        }

        /// The pass that makes `analysis`: the one claimed for it, else a new one of it alone.
        func pass(making analysis: Analysis) -> Pass {
            // A pass, once claimed, is never given up.
            claim([analysis]) ?? queue.sync { passes[analysis]! }
        }
    }
}
