/// One person's or a cohort's story in numbers: lifetime use of services, each service before
/// and after the index date with exposure-adjusted rates, and the intervention's own spend
/// beside the change in consumption. `cof report` renders it.
///
/// Services whose category is `Intervention` are the response, not the failure: they are kept
/// apart from consumption and shown as the intervention's spend.
public struct ConsumptionReport: Sendable {
    /// Whose report this is.
    public enum Subject: Sendable, Equatable {
        /// One person, by ID.
        case person(String)
        /// Every person with an intervention.
        case cohort
    }

    /// One service's figures for the subject.
    public struct ServiceLine: Sendable, Equatable {
        /// Service name.
        public var service: String
        /// Its category (`Uncategorised` when the services file does not list it).
        public var category: String
        /// All events up to the observation end, at any time.
        public var lifetime: PeriodFigures
        /// Figures in the before window(s).
        public var before: PeriodFigures
        /// Figures in the after window(s).
        public var after: PeriodFigures
        /// The money the before/after figures may state: the (person, service) cells priced in
        /// both windows, and what they leave out (see ``PricedCells``).
        public var priced = PricedCells()
        /// People with a cell of this service left out of its money.
        public var leftOutPeople = 0

        /// Creates a line.
        public init(service: String, category: String, lifetime: PeriodFigures, before: PeriodFigures, after: PeriodFigures,
                    priced: PricedCells = PricedCells(), leftOutPeople: Int = 0) {
            self.service = service
            self.category = category
            self.lifetime = lifetime
            self.before = before
            self.after = after
            self.priced = priced
            self.leftOutPeople = leftOutPeople
        }

        /// Cost per year of the cells priced in both windows, before (`nil` without exposure,
        /// or when every cell with events is left out: not available, never £0).
        func beforeCostPerYear(days: Int) -> Pence? {
            priced.hasNoPricedCell ? nil : Annualised.pence(priced.before.cost, days: days)
        }

        /// The same, after.
        func afterCostPerYear(days: Int) -> Pence? {
            priced.hasNoPricedCell ? nil : Annualised.pence(priced.after.cost, days: days)
        }
    }

    /// Whose report this is.
    public let subject: Subject
    /// People with an intervention covered (1 for a person).
    public let people: Int
    /// The windows.
    public let windows: StudyWindows
    /// The index date, for a person; the earliest one, for a cohort.
    public let indexDate: CivilDate?
    /// Days of before exposure, summed over people.
    public let beforeDays: Int
    /// Days of after exposure, summed over people.
    public let afterDays: Int
    /// First and last day with an event (up to the observation end), when any.
    public let firstEventDay: CivilDate?
    /// Last day with an event, when any.
    public let lastEventDay: CivilDate?
    /// Failure-demand services (everything but the intervention's own), byte-wise by name.
    public let services: [ServiceLine]
    /// The intervention's own services (category `Intervention`).
    public let response: [ServiceLine]
    /// Intervention cost recorded in the interventions file for these people, in pence.
    public let recordedInterventionCost: Pence
    /// Unpriced (service, event) pairs among these people's events, with counts.
    public let unpriced: [EventCosts.UnpricedPair]
    /// What prices the money figures are in (the price base and the deflator's vintage, or
    /// prices as given).
    public let prices: String
    /// The regression-to-the-mean check of the report's people (see ``RegressionToTheMean``).
    public let regressionToTheMean: String

    /// The category for services the services file does not list.
    public static let uncategorised = "Uncategorised"

    /// An error building a report.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The person has no intervention row.
        case noIntervention(person: String)
        /// No person has both an intervention and events.
        case emptyCohort
        /// A sum, or a figure derived from sums, does not fit (the figure is named).
        case overflow(CostResolver.Overflow)

        /// A message for the user (the ID is the user's own argument, so echoing it is fine).
        public var description: String {
            switch self {
            case .noIntervention(let person): return "no intervention: person '\(person)' has no row in the interventions file; expected one with a start_date"
            case .emptyCohort: return "empty cohort: no person in the interventions file has events"
            case .overflow(let error): return error.description
            }
        }
    }

    /// Builds the report for `subject` from `study` (its events read by the same fold as the stream's).
    public init(study: Study, subject: Subject) throws(Failure) {
        self = try study.cohortAnalyses.consumptionReport(subject: subject)
    }

    /// Builds the report for `subject` from a finished ``Fold`` over the cohort `members`
    /// (every member, in cohort code order, with `indexDates` by the same codes), their
    /// recorded costs `recordedCosts` (by the same codes), and the events' `services` and `events` dictionaries.
    ///
    /// `members` may be a lazy collection that makes each member as it is read: a cohort's
    /// report at 750,000 people then holds no array of their ID strings.
    public init<Members: RandomAccessCollection<CohortSummary.Member>>(
        fold: Fold, subject: Subject, members: Members, indexDates: [CivilDate], recordedCosts: InterventionCosts,
        services serviceNames: StringDictionary, events eventNames: StringDictionary, catalog: ServiceCatalog,
        windows: StudyWindows, prices: String, baselines: RegressionToTheMean
    ) throws(Failure) where Members.Index == Int {
        var selected = Array(members.indices)
        var only: Int32?
        switch subject {
        case .person(let id):
            guard let index = members.firstIndex(where: { $0.personID == id }) else { throw .noIntervention(person: id) }
            selected = [index]
            only = Int32(index)
        case .cohort:
            guard fold.membersWithEvents > 0 else { throw .emptyCohort }
        }
        if let overflow = fold.overflow { throw .overflow(overflow) }
        var beforeDays = 0, afterDays = 0
        for index in selected {
            let before = beforeDays.addingReportingOverflow(members[index].beforeDays)
            let after = afterDays.addingReportingOverflow(members[index].afterDays)
            if before.overflow || after.overflow { throw .overflow(CostResolver.Overflow(figure: "the report's exposure in days")) }
            (beforeDays, afterDays) = (before.partialValue, after.partialValue)
        }
        // The selected people's recorded costs. Unchecked: some of the recorded costs, which
        // fit together (the study and the streaming pass check them against the ceiling).
        let recordedCost = recordedCosts.total(member: only)
        self.leftOutPeople = fold.leftOutPeople
        let (lifetime, windowed, priced, leftOutPeople) = (fold.lifetime, fold.windowed, fold.priced, fold.leftOutPeoplePerService)
        let (first, last) = (fold.firstDay, fold.lastDay)

        var services: [ServiceLine] = [], response: [ServiceLine] = []
        for code in serviceNames.codesInByteOrder() {
            let s = Int(code)
            let name = serviceNames[code]
            var line = ServiceLine(service: name, category: catalog.category(of: name) ?? Self.uncategorised,
                                   lifetime: lifetime[s], before: windowed[s].before, after: windowed[s].after,
                                   priced: priced[s], leftOutPeople: leftOutPeople[s])
            guard line.lifetime.events + line.before.events + line.after.events > 0 else { continue }
            if line.category == ServiceCatalog.interventionCategory {
                // The response's cost is kept whole (see ``PricedCells``).
                line.priced = PricedCells(keepingAll: line.before, after: line.after)
                line.leftOutPeople = 0
                response.append(line)
            } else {
                services.append(line)
            }
        }
        self.prices = prices
        switch subject {
        case .cohort:
            regressionToTheMean = baselines.summary
        case .person(let id):
            if let person = baselines.people.first(where: { $0.personID == id }) {
                regressionToTheMean = person.flagged
                    ? "this person's cost per year in the before window was at least \(RegressionToTheMean.ratio)× that of the same length of time before it: expect part of any fall to be regression to the mean"
                    : "this person's cost per year in the before window was less than \(RegressionToTheMean.ratio)× that of the same length of time before it"
            } else {
                regressionToTheMean = "the data does not reach back to this person's baseline (the same length of time before the before window)"
            }
        }
        self.unpriced = fold.unpriced.pairs(services: serviceNames, events: eventNames)

        self.subject = subject
        self.people = selected.count
        self.windows = windows
        self.indexDate = selected.map { indexDates[$0] }.min()
        self.beforeDays = beforeDays
        self.afterDays = afterDays
        self.firstEventDay = first <= last ? CivilDate(daysSinceEpoch: first) : nil
        self.lastEventDay = first <= last ? CivilDate(daysSinceEpoch: last) : nil
        self.services = services
        self.response = response
        self.recordedInterventionCost = recordedCost
        // The headline's rates, and their change and net, in 128 bits and checked once here,
        // so that no renderer does money arithmetic of its own.
        let total = Self.pricedTotal(services)
        let spend = response.reduce(recordedCost) { $0 + $1.after.cost }
        beforeCostPerYear = total.hasNoPricedCell ? nil : Annualised.pence(total.before.cost, days: beforeDays)
        afterCostPerYear = total.hasNoPricedCell ? nil : Annualised.pence(total.after.cost, days: afterDays)
        interventionSpendPerYear = Annualised.pence(spend, days: afterDays)
        do throws(CostResolver.Overflow) {
            if let before = beforeCostPerYear, let after = afterCostPerYear {
                changeCostPerYear = try CostResolver.Overflow.pence(Int128(after) - Int128(before), "the report's change in cost per year")
                netCostPerYear = try interventionSpendPerYear.map { (spend) throws(CostResolver.Overflow) in
                    try CostResolver.Overflow.pence(Int128(after) + Int128(spend) - Int128(before), "the report's change net of the intervention's spend")
                }
            } else {
                (changeCostPerYear, netCostPerYear) = (nil, nil)
            }
        } catch {
            throw .overflow(error)
        }
    }

    /// People with a failure-demand (person, service) cell left out of the money (an unpriced
    /// event in either window; see ``PricedCells``).
    public let leftOutPeople: Int

    /// The failure-demand money the headline may state: the services' cells priced in both
    /// windows (unchecked sums, as ``consumption``).
    public var pricedConsumption: PricedCells { Self.pricedTotal(services) }

    private static func pricedTotal(_ lines: [ServiceLine]) -> PricedCells {
        var total = PricedCells()
        for line in lines {
            // Unchecked in effect: some of one study's figures, which fit together (see ``Study``).
            try? total.merge(line.priced, figure: "the report's priced cost")
        }
        return total
    }

    /// Failure-demand cost per year of exposure before and after, over the (person, service)
    /// cells priced in both windows (`nil` without exposure, or with no such cell).
    public let beforeCostPerYear: Pence?, afterCostPerYear: Pence?
    /// The intervention's spend per year of after exposure (`nil` without exposure).
    public let interventionSpendPerYear: Pence?
    /// The change in failure-demand cost per year, after less before.
    public let changeCostPerYear: Pence?
    /// The change per year plus the intervention's spend per year: the net of the intervention.
    public let netCostPerYear: Pence?

    /// Failure-demand totals over all services (unchecked sums: some of one study's figures,
    /// which fit together; see ``Study``).
    public var consumption: (lifetime: PeriodFigures, before: PeriodFigures, after: PeriodFigures) {
        services.reduce((PeriodFigures(), PeriodFigures(), PeriodFigures())) { ($0.0 + $1.lifetime, $0.1 + $1.before, $0.2 + $1.after) }
    }

    /// The intervention's spend in the after window: its own services' costs plus any cost
    /// recorded in the interventions file (unchecked, as ``consumption``).
    public var interventionSpend: Pence {
        response.reduce(recordedInterventionCost) { $0 + $1.after.cost }
    }

    /// Lifetime totals by category, byte-wise by category name.
    public var lifetimeByCategory: [(category: String, services: Int, figures: PeriodFigures)] {
        var byCategory: [String: (Int, PeriodFigures)] = [:]
        for line in services where line.lifetime.events > 0 {
            let current = byCategory[line.category] ?? (0, PeriodFigures())
            byCategory[line.category] = (current.0 + 1, current.1 + line.lifetime)
        }
        return byCategory.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { ($0, byCategory[$0]!.0, byCategory[$0]!.1) }
    }

    /// Each failure-demand service before and after, with rates per year of exposure and the
    /// change per year, then a total row.
    public func beforeAfterTable() -> ResultTable {
        var lines = services.filter { $0.before.events + $0.after.events > 0 }
        let total = consumption
        lines.append(ServiceLine(service: "Total", category: "", lifetime: total.lifetime, before: total.before, after: total.after,
                                 priced: pricedConsumption, leftOutPeople: leftOutPeople))
        return Self.beforeAfter(lines, beforeDays: beforeDays, afterDays: afterDays,
                                name: "before_after_by_service", title: "Before and after the index date, by service")
    }

    /// Lifetime use by service (events, quantity, cost, unpriced), then a total row.
    public func lifetimeTable() -> ResultTable {
        var lines = services.filter { $0.lifetime.events > 0 }
        lines.append(ServiceLine(service: "Total", category: "", lifetime: consumption.lifetime, before: .init(), after: .init()))
        return ResultTable(name: "lifetime_by_service", title: "Lifetime use, by service", columns: [
            ResultColumn("service", .text(lines.map(\.service))),
            ResultColumn("category", .text(lines.map(\.category))),
            ResultColumn("events", .integer(lines.map(\.lifetime.events))),
            ResultColumn("quantity", .integer(lines.map(\.lifetime.quantity))),
            ResultColumn("cost", .money(lines.map(\.lifetime.cost))),
            ResultColumn("unpriced", .integer(lines.map(\.lifetime.unpriced))),
        ])
    }

    /// The intervention's own services before and after.
    public func responseTable() -> ResultTable {
        Self.beforeAfter(response, beforeDays: beforeDays, afterDays: afterDays,
                         name: "intervention_by_service", title: "The intervention's own activity")
    }

    static func beforeAfter(_ lines: [ServiceLine], beforeDays: Int, afterDays: Int, name: String, title: String) -> ResultTable {
        func rate(_ name: String, _ f: (ServiceLine) -> Double?) -> ResultColumn {
            let values = lines.map(f)
            return ResultColumn(name, rates: values, decimals: 1)
        }
        func money(_ name: String, _ f: (ServiceLine) -> Pence?) -> ResultColumn {
            let values = lines.map(f)
            return ResultColumn(name, money: values)
        }
        return ResultTable(name: name, title: title, columns: [
            ResultColumn("service", .text(lines.map(\.service))),
            ResultColumn("category", .text(lines.map(\.category))),
            ResultColumn("before_events", .integer(lines.map(\.before.events))),
            ResultColumn("after_events", .integer(lines.map(\.after.events))),
            rate("before_events_per_year") { Annualised.count($0.before.events, days: beforeDays) },
            rate("after_events_per_year") { Annualised.count($0.after.events, days: afterDays) },
            // Money of the (person, service) cells priced in both windows only (``PricedCells``):
            // not available, never £0, where every cell with events is left out.
            money("before_cost") { $0.priced.hasNoPricedCell ? nil : $0.priced.before.cost },
            money("after_cost") { $0.priced.hasNoPricedCell ? nil : $0.priced.after.cost },
            money("before_cost_per_year") { $0.beforeCostPerYear(days: beforeDays) },
            money("after_cost_per_year") { $0.afterCostPerYear(days: afterDays) },
            money("change_cost_per_year") { line in
                guard let b = line.beforeCostPerYear(days: beforeDays), let a = line.afterCostPerYear(days: afterDays) else { return nil }
                // Unchecked: rates of one study's costs, at most 365 × the ceiling each (see
                // ``CostResolver/maximumTotal``), so their difference fits.
                return a - b
            },
            ResultColumn("before_unpriced", .integer(lines.map(\.before.unpriced))),
            ResultColumn("after_unpriced", .integer(lines.map(\.after.unpriced))),
            ResultColumn("left_out_events", .integer(lines.map(\.priced.leftOutEvents))),
            ResultColumn("left_out_people", .integer(lines.map { Int64($0.leftOutPeople) })),
        ])
    }
}
