/// The cohort's before/after figures as a finance reviewer reads them: people and person-years
/// of exposure, cost per person-year before and after, the spread of each person's change, how
/// concentrated the cost is — overall and by service, category and agency.
///
/// Built from the person × service ``BeforeAfterTable`` and the cohort's members (every treated person
/// in the data, with their exposure, including those with no event in either window). Costs
/// follow ``PricedCells``: only (person, service) cells priced in both windows count in the
/// money (the total, the rates, the changes and their spread); the events and people of the
/// cells left out are counted beside them (`left_out_events`, `left_out_people`), and unpriced
/// events as before. The intervention's own services
/// (category `Intervention`) are the response, not the failure: they are left out of the total
/// and shown in the breakdowns.
public struct CohortSummary: Sendable {
    /// One treated person and their exposure.
    public struct Member: Sendable, Equatable {
        /// Person ID.
        public var personID: String
        /// Days in the before window.
        public var beforeDays: Int
        /// Days observable in the after window.
        public var afterDays: Int

        /// Creates a member.
        public init(personID: String, beforeDays: Int, afterDays: Int) {
            self.personID = personID
            self.beforeDays = beforeDays
            self.afterDays = afterDays
        }

        /// The member with ID `personID` whose windows are `bounds`: the one rule both the table
        /// path and the streaming pass make a cohort member by, events or none.
        public init(personID: String, bounds: StudyWindows.Bounds) {
            self.init(personID: personID, beforeDays: bounds.beforeDays, afterDays: bounds.afterDays)
        }
    }

    /// The figures of a group of services (all of them, one service, a category, an agency).
    public struct Group: Sendable, Equatable {
        /// The group's name.
        public var name: String
        /// People with an event of the group in either window.
        public var people: Int
        /// The group's events in the before window, summed over the cohort.
        public var before = PeriodFigures()
        /// The group's events in the after window, summed over the cohort.
        public var after = PeriodFigures()
        /// What each window's figures rest on, for disclosure control.
        public var beforeBasis = WindowBasis(), afterBasis = WindowBasis()
        /// For a service: its category and agency (the groups whose totals the other
        /// breakdowns publish).
        public var category: String?, agency: String?
        /// Whether the group's events all count in the cohort's total (`false`: none do, being
        /// the intervention's own; `nil`: some do).
        public var inCohortTotal: Bool?
        /// Events (both windows) of the group's (person, service) cells left out of its money,
        /// having an unpriced event in either window (see ``PricedCells``).
        public var leftOutEvents: Int64 = 0
        /// People with a (person, service) cell of the group left out of its money.
        public var leftOutPeople: Int = 0
    }

    /// The people behind one window's figures of a group, for disclosure control.
    public struct WindowBasis: Sendable, Equatable {
        /// People with an event of the group in the window.
        public var people: Int = 0
        /// People with a priced event of the group in the window (what its cost rests on).
        public var pricedPeople: Int = 0
        /// The largest cost one person has in the group in the window.
        public var largestCost: Pence = 0

        /// Counts one person's figures in the window; `priced`: whether they have a priced event
        /// in a cell the money counts (see ``PricedCells``).
        mutating func add(_ figures: PeriodFigures, priced: Bool) {
            if figures.events > 0 { people += 1 }
            if priced { pricedPeople += 1 }
            largestCost = max(largestCost, figures.cost.magnitude > UInt64(Pence.max) ? .max : Pence(figures.cost.magnitude))
        }
    }

    /// People in the cohort.
    public let people: Int
    /// The cohort's exposure in days (summed over people).
    public let beforeDays: Int, afterDays: Int
    /// All services but the intervention's own.
    public let total: Group
    /// By service, category and agency, in byte order of their names.
    public let byService: [Group], byCategory: [Group], byAgency: [Group]
    /// People observed in both windows (the spread of changes is over them).
    public let peopleObservedInBoth: Int
    /// Mean, median and 90th percentile (nearest rank) of each person's change in cost per year
    /// (after − before, each annualised by the person's own exposure); `nil` with no one
    /// observed in both windows.
    public let meanChange: Pence?, medianChange: Pence?, ninetiethPercentileChange: Pence?
    /// The sum of each person's change in cost per year (what ``meanChange`` divides).
    let sumOfChanges: Int128
    /// People whose cost per year went up.
    public let peopleWhoseCostWentUp: Int
    /// The share (0–1) of the before-window cost carried by the costliest tenth of people
    /// (rounded up to whole people); `nil` when there was no cost before.
    public let topTenthShareOfBeforeCost: Double?
    /// The people the top tenth's share rests on (the costliest tenth, rounded up).
    public let topTenthPeople: Int
    /// The people at and above the 90th percentile of the change (nearest rank), what that
    /// percentile rests on.
    public let peopleAtOrAboveNinetiethPercentile: Int
    /// What prices the money is in.
    public let prices: String
    /// Each member's cost in the money's cells (``PricedCells``; the intervention's own left
    /// out), before and after, in the order of the members summarised: what the use change
    /// judges each person by.
    let memberCosts: [(before: Pence, after: Pence)]

    /// Summarises `comparison` over `members`, grouping services with `services`.
    ///
    /// - Throws: ``CostResolver/Overflow`` when a group's sum is beyond
    ///   ``CostResolver/maximumTotal`` (never for a comparison of one ``Study``, whose costs
    ///   fit together; possible for rows from elsewhere, such as merged partial results), or
    ///   the exposure summed over people does not fit. Each person's change is worked in 128
    ///   bits, and a mean, median or percentile that does not fit in 64-bit pence is `nil`.
    public init(beforeAfter comparison: BeforeAfterTable, members: [Member], services: ServiceCatalog, prices: String) throws(CostResolver.Overflow) {
        try self.init(members: members, services: services, prices: prices) { (tally) throws(CostResolver.Overflow) in
            // Each person is keyed by the order they first appear in, each service by the order
            // its name first appears in.
            var personKeys: [String: Int] = [:], serviceKeys: [String: Int] = [:]
            var person: String?
            for row in comparison.rows {
                if row.personID != person {
                    if let person {
                        guard row.personID.utf8.lexicographicallyPrecedes(person.utf8) == false else {
                            preconditionFailure("a before/after table's rows are sorted by person")  // no ID in a trap message
                        }
                    }
                    person = row.personID
                    personKeys[row.personID] = personKeys.count
                }
                let service: Int
                if let known = serviceKeys[row.service] {
                    service = known
                } else {
                    service = serviceKeys.count
                    serviceKeys[row.service] = service
                    tally.meet(service: service, named: row.service)
                }
                try tally.add(person: personKeys.count - 1, service: service, before: row.before, after: row.after)
            }
            let keys = personKeys
            return { keys[members[$0].personID] }
        }
    }

    /// Summarises the rows `feed` hands to a ``Tally`` (person by person, in ID order) over
    /// `members`: the one rule ``init(beforeAfter:members:services:prices:)`` and the streaming
    /// pass's coded rows (``init(codedBlocks:members:services:prices:)``) both summarise by.
    /// `feed` returns the key it gave each member (by index in `members`; `nil`: no rows).
    init(members: [Member], services: ServiceCatalog, prices: String,
         feed: (inout Tally) throws(CostResolver.Overflow) -> (Int) -> Int?) throws(CostResolver.Overflow) {
        self.prices = prices
        people = members.count
        func days(_ days: (Member) -> Int) throws(CostResolver.Overflow) -> Int {
            var sum = 0
            for member in members {
                let (next, overflow) = sum.addingReportingOverflow(days(member))
                if overflow { throw CostResolver.Overflow(figure: "the cohort's exposure in days") }
                sum = next
            }
            return sum
        }
        beforeDays = try days(\.beforeDays)
        afterDays = try days(\.afterDays)
        var tally = Tally(services: services)
        let keyOfMember = try feed(&tally)
        tally.endPerson()
        // Every group's cost, and so every person's (a part of the total with the same sign
        // rule), within the ceiling: then each rate per year and each change the tables derive
        // fits without a check (see ``CostResolver/maximumTotal``).
        for group in [tally.total] + tally.groups.flatMap({ $0 }) {
            _ = try CostResolver.Overflow.withinTotal(group.before.cost, "a group's cost in the before window")
            _ = try CostResolver.Overflow.withinTotal(group.after.cost, "a group's cost in the after window")
        }
        if let overflow = tally.personOverflow { throw overflow }
        self.total = tally.total
        func ordered(_ dimension: Int) -> [Group] {
            tally.groups[dimension].indices.map { index in
                var group = tally.groups[dimension][index]
                let (isCounted, isOwn) = (tally.counted[dimension][index], tally.own[dimension][index])
                group.inCohortTotal = isCounted == isOwn ? nil : isCounted
                return group
            }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        }
        byService = ordered(0).map { group in
            var group = group
            group.category = tally.category(group.name)
            group.agency = tally.agency(group.name)
            return group
        }
        byCategory = ordered(1)
        byAgency = ordered(2)

        var changes: [Int128] = []
        var beforeCosts: [Pence] = []
        var memberCosts: [(before: Pence, after: Pence)] = []
        memberCosts.reserveCapacity(members.count)
        for (index, member) in members.enumerated() {
            let cost = keyOfMember(index).flatMap { $0 < tally.personCosts.count ? tally.personCosts[$0] : nil } ?? (0, 0)
            memberCosts.append(cost)
            beforeCosts.append(cost.before)
            guard let before = Annualised.pence(cost.before, days: member.beforeDays),
                  let after = Annualised.pence(cost.after, days: member.afterDays) else { continue }
            changes.append(Int128(after) - Int128(before))
        }
        self.memberCosts = memberCosts
        peopleObservedInBoth = changes.count
        peopleWhoseCostWentUp = changes.filter { $0 > 0 }.count
        if changes.isEmpty {
            (meanChange, medianChange, ninetiethPercentileChange) = (nil, nil, nil)
            sumOfChanges = 0
        } else {
            // Each change is below 2^65 in magnitude, so 2^62 of them cannot overflow 128 bits.
            let sum = changes.reduce(Int128(0), +)
            sumOfChanges = sum
            meanChange = Self.roundedQuotient(sum, Int128(changes.count))
            // The ranks the figures need, found without sorting every member (OrderStatistic).
            let middle = changes.count / 2
            let atMiddle = OrderStatistic.value(atRank: middle, of: &changes)
            medianChange = changes.count % 2 == 1
                ? Pence(exactly: atMiddle) : Self.roundedQuotient(OrderStatistic.value(atRank: middle - 1, of: &changes) + atMiddle, 2)
            let rank = (changes.count * 9 + 9) / 10  // ⌈0.9 n⌉
            ninetiethPercentileChange = Pence(exactly: OrderStatistic.value(atRank: rank - 1, of: &changes))
        }
        peopleAtOrAboveNinetiethPercentile = changes.isEmpty ? 0 : changes.count - (changes.count * 9 + 9) / 10 + 1
        topTenthPeople = (beforeCosts.count + 9) / 10
        let totalBefore = beforeCosts.reduce(Int128(0)) { $0 + Int128($1) }
        if totalBefore > 0 {
            // The top tenth's costs: every one above the least of them, and that one as often as
            // the tenth holds it (ties at the edge counted once each, as a sort's prefix takes them).
            let top = topTenthPeople
            let least = OrderStatistic.value(atRank: beforeCosts.count - top, of: &beforeCosts)
            var above = Int128(0), countAbove = 0
            for cost in beforeCosts where cost > least {
                above += Int128(cost)
                countAbove += 1
            }
            let topSum = above + Int128(top - countAbove) * Int128(least)
            topTenthShareOfBeforeCost = Double(topSum) / Double(totalBefore)
        } else {
            topTenthShareOfBeforeCost = nil
        }
    }

    /// One person's figures in a group: events and unpriced events of every cell, cost of the
    /// cells priced in both windows only (``PricedCells``), and the events of the cells left out.
    struct PersonCells {
        var before = PeriodFigures(), after = PeriodFigures()
        /// Whether a cell the money counts has a (priced) event in the window.
        var pricedBefore = false, pricedAfter = false
        var leftOutEvents: Int64 = 0

        init() {}

        /// One (person, service) row under the rule: a cell left out keeps its counts but not its
        /// cost. Without the `rule` (the intervention's own services, a cost kept whole; see
        /// ``PricedCells``), every priced figure counts.
        init(before: PeriodFigures, after: PeriodFigures, rule: Bool) {
            (self.before, self.after) = (before, after)
            if !rule || PricedCells.counts(before: before, after: after) {
                (pricedBefore, pricedAfter) = (before.events > before.unpriced, after.events > after.unpriced)
            } else {
                self.before.cost = 0
                self.after.cost = 0
                // Unchecked: one row's events in two windows, each a count of some loaded rows.
                leftOutEvents = before.events + after.events
            }
        }

        func adding(_ other: PersonCells) throws(CostResolver.Overflow) -> PersonCells {
            var sum = self
            sum.before = try before.adding(other.before, figure: "a person's cost in the before window")
            sum.after = try after.adding(other.after, figure: "a person's cost in the after window")
            sum.pricedBefore = pricedBefore || other.pricedBefore
            sum.pricedAfter = pricedAfter || other.pricedAfter
            sum.leftOutEvents = try CostResolver.Overflow.sum(leftOutEvents, other.leftOutEvents, "a person's events left out of their cost")
            return sum
        }
    }

    /// `numerator / denominator` rounded half away from zero (money means stay in pence); `nil`
    /// when it does not fit in 64 bits. `denominator` must be positive; any numerator is fine
    /// (worked unsigned, so neither its magnitude nor the doubled remainder can overflow).
    static func roundedQuotient(_ numerator: Int128, _ denominator: Int128) -> Pence? {
        let divisor = denominator.magnitude
        let (quotient, remainder) = numerator.magnitude.quotientAndRemainder(dividingBy: divisor)
        let magnitude = remainder >= divisor - remainder ? quotient + 1 : quotient  // 2r ≥ d, without doubling
        guard let signed = Int128(exactly: magnitude) else { return nil }
        return Pence(exactly: numerator < 0 ? -signed : signed)
    }

    /// The names of the cohort's four tables, as ``linkedTables(rounding:)`` makes them.
    public static let tableNames = (cohort: "cohort", byService: "cohort_by_service", byCategory: "cohort_by_category", byAgency: "cohort_by_agency")

    /// The headline and its breakdowns by service, category and agency, with the sums that tie
    /// them (cohort = Σ its services = Σ its categories; a category or an agency = Σ its
    /// services), for disclosure control of the four published together. Per-person-year
    /// figures are over the person-years of the people count as `rounding` publishes it.
    public func linkedTables(rounding: CountRounding = .exact) -> LinkedTables {
        let names = Self.tableNames
        let tables = [
            resultTable(rounding: rounding),
            resultTable(byService, name: names.byService, groupColumn: "service", rounding: rounding),
            resultTable(byCategory, name: names.byCategory, groupColumn: "category", rounding: rounding),
            resultTable(byAgency, name: names.byAgency, groupColumn: "agency", rounding: rounding),
        ]
        var totals: [LinkedTotal] = []
        let measures = ["before_events", "after_events", "before_cost", "after_cost", "before_unpriced", "after_unpriced", "left_out_events"]
        func rows(_ groups: [Group], where keep: (Group) -> Bool) -> [Int] { groups.indices.filter { keep(groups[$0]) } }
        for measure in measures {
            func cell(_ table: String, _ row: Int) -> CellReference { CellReference(table: table, column: measure, row: row) }
            // The headline publishes no event counts: its sums hold for money and unpriced events.
            if !measure.hasSuffix("_events") || measure == "left_out_events" {
                let counted = rows(byService) { $0.inCohortTotal == true }
                totals.append(LinkedTotal(total: cell(names.cohort, 0), parts: counted.map { cell(names.byService, $0) }))
                for (table, groups) in [(names.byCategory, byCategory), (names.byAgency, byAgency)] where groups.allSatisfy({ $0.inCohortTotal != nil }) {
                    totals.append(LinkedTotal(total: cell(names.cohort, 0), parts: rows(groups) { $0.inCohortTotal == true }.map { cell(table, $0) }))
                }
            }
            for (row, group) in byCategory.enumerated() {
                totals.append(LinkedTotal(total: cell(names.byCategory, row), parts: rows(byService) { $0.category == group.name }.map { cell(names.byService, $0) }))
            }
            for (row, group) in byAgency.enumerated() {
                totals.append(LinkedTotal(total: cell(names.byAgency, row), parts: rows(byService) { $0.agency == group.name }.map { cell(names.byService, $0) }))
            }
        }
        return LinkedTables(tables: tables, linkedTotals: totals.filter { !$0.parts.isEmpty })
    }

    /// The cell of the cohort's change per person-year for `service` (its row of the by-service
    /// table), or the headline's for `nil`: what a difference in differences' treated change
    /// and the appraisal's saving give back.
    public func changeCell(service: String?) -> CellReference? {
        guard let service else { return CellReference(table: Self.tableNames.cohort, column: "change_per_person_year", row: 0) }
        return byService.firstIndex { $0.name == service }.map { CellReference(table: Self.tableNames.byService, column: "change_per_person_year", row: $0) }
    }

    /// The published exposure in days of each window: exact, or restated for the rounded people
    /// count (see ``CountRounding/exposure(_:people:)``).
    private func exposure(_ rounding: CountRounding) -> (before: Int, after: Int) {
        (rounding.exposure(beforeDays, people: people), rounding.exposure(afterDays, people: people))
    }

    /// The bases of one window's figures (`before` or `after`): its cost and cost per person-year
    /// are withheld together (each gives the other back). For a service, so are its events and
    /// unpriced events: a service's cost over a single price is its count of priced events. A
    /// group of services has no single price, so its counts stand apart (the sums that tie them
    /// to the services' counts protect them).
    private static func window(_ name: String, people: [Int64], pricedPeople: [Int64], largest: [Int64], service: Bool) -> (count: DisclosureBasis, money: DisclosureBasis) {
        (DisclosureBasis(role: .count, people: people, family: service ? name : nil),
         DisclosureBasis(role: .magnitude, people: pricedPeople, largestContribution: largest, family: name))
    }

    /// The headline as a one-row table; per-person-year figures are over the person-years of
    /// the people count as `rounding` publishes it.
    public func resultTable(rounding: CountRounding = .exact) -> ResultTable {
        let days = exposure(rounding)
        let beforeRate = Annualised.pence(total.before.cost, days: days.before)
        let afterRate = Annualised.pence(total.after.cost, days: days.after)
        let cohort: [Int64] = [Int64(people)]
        let before = Self.window("before", people: [Int64(total.beforeBasis.people)], pricedPeople: [Int64(total.beforeBasis.pricedPeople)], largest: [total.beforeBasis.largestCost], service: false)
        let after = Self.window("after", people: [Int64(total.afterBasis.people)], pricedPeople: [Int64(total.afterBasis.pricedPeople)], largest: [total.afterBasis.largestCost], service: false)
        let change = DisclosureBasis(role: .magnitude, people: cohort, dependsOn: ["before", "after"])
        let observed: [Int64] = [Int64(peopleObservedInBoth)]
        return ResultTable(name: Self.tableNames.cohort, title: "The cohort before and after (all services but the intervention's own; \(prices))", columns: [
            ResultColumn("people", .integer([Int64(people)])).resting(on: DisclosureBasis(role: .count, people: cohort)),
            ResultColumn("person_years_before", rates: [Double(days.before) / 365], decimals: 2).resting(on: DisclosureBasis(role: .exposure, people: cohort)),
            ResultColumn("person_years_after", rates: [Double(days.after) / 365], decimals: 2).resting(on: DisclosureBasis(role: .exposure, people: cohort)),
            ResultColumn("before_cost", money: [total.before.cost]).resting(on: measured(before.money, "before_cost")),
            ResultColumn("after_cost", money: [total.after.cost]).resting(on: measured(after.money, "after_cost")),
            ResultColumn("before_cost_per_person_year", money: [beforeRate]).resting(on: before.money),
            ResultColumn("after_cost_per_person_year", money: [afterRate]).resting(on: after.money),
            ResultColumn("change_per_person_year", money: [Self.difference(afterRate, beforeRate)]).resting(on: change),
            ResultColumn("change_pct", rates: [Self.percentChange(beforeRate, afterRate)], decimals: 1).resting(on: change),
            ResultColumn("people_observed_before_and_after", .integer(observed)).resting(on: DisclosureBasis(role: .count, people: observed)),
            ResultColumn("mean_change_per_person_year", money: [rounding.denominator(peopleObservedInBoth).flatMap { Self.roundedQuotient(sumOfChanges, Int128($0)) }])
                .resting(on: DisclosureBasis(role: .magnitude, people: observed)),
            ResultColumn("median_change_per_person_year", money: [medianChange]).resting(on: DisclosureBasis(role: .magnitude, people: observed)),
            ResultColumn("p90_change_per_person_year", money: [ninetiethPercentileChange])
                .resting(on: DisclosureBasis(role: .magnitude, people: [Int64(peopleAtOrAboveNinetiethPercentile)])),
            ResultColumn("people_whose_cost_went_up", .integer([Int64(peopleWhoseCostWentUp)])).resting(on: DisclosureBasis(role: .count, people: observed)),
            ResultColumn("top_10pct_share_of_before_cost_pct", rates: [topTenthShareOfBeforeCost.map { $0 * 100 }], decimals: 1)
                .resting(on: DisclosureBasis(role: .magnitude, people: [Int64(topTenthPeople)])),
            ResultColumn("before_unpriced", .integer([total.before.unpriced])).resting(on: measured(before.count, "before_unpriced")),
            ResultColumn("after_unpriced", .integer([total.after.unpriced])).resting(on: measured(after.count, "after_unpriced")),
        ] + Self.leftOutColumns([total]), peopleColumn: "people")
    }

    /// A breakdown (``byService``, ``byCategory`` or ``byAgency``) as a table named `name`;
    /// per-person-year figures are over the whole cohort's person-years as `rounding` publishes them.
    public func resultTable(_ groups: [Group], name: String, groupColumn: String, rounding: CountRounding = .exact) -> ResultTable {
        let days = exposure(rounding)
        let beforeRates = groups.map { Annualised.pence($0.before.cost, days: days.before) }
        let afterRates = groups.map { Annualised.pence($0.after.cost, days: days.after) }
        let changes = zip(afterRates, beforeRates).map { Self.difference($0, $1) }
        let percents = zip(beforeRates, afterRates).map { Self.percentChange($0, $1) }
        let people = groups.map { Int64($0.people) }
        let before = Self.window("before", people: groups.map { Int64($0.beforeBasis.people) }, pricedPeople: groups.map { Int64($0.beforeBasis.pricedPeople) },
                                 largest: groups.map(\.beforeBasis.largestCost), service: groupColumn == "service")
        let after = Self.window("after", people: groups.map { Int64($0.afterBasis.people) }, pricedPeople: groups.map { Int64($0.afterBasis.pricedPeople) },
                                largest: groups.map(\.afterBasis.largestCost), service: groupColumn == "service")
        let change = DisclosureBasis(role: .magnitude, people: people, dependsOn: ["before", "after"])
        // A service's events (and those of a category or agency of one service) come back as its
        // cost over its unit price: under a rounding rule they are not published.
        let single = groups.map { group in groupColumn == "service" || servicesIn(groupColumn, group.name) == 1 }
        var beforeEvents = measured(before.count, "before_events"), afterEvents = measured(after.count, "after_events")
        beforeEvents.givenByCost = single
        afterEvents.givenByCost = single
        // A service's category and agency say which published totals it adds up to.
        let linked = groups.allSatisfy { $0.category != nil && $0.agency != nil } && !groups.isEmpty
        return ResultTable(name: name, title: "The cohort before and after by \(groupColumn) (per person-year of the whole cohort's exposure; \(prices))", columns: [
            ResultColumn(groupColumn, .text(groups.map(\.name))),
        ] + (linked ? [
            ResultColumn("category", .text(groups.map { $0.category ?? "" })),
            ResultColumn("agency", .text(groups.map { $0.agency ?? "" })),
        ] : []) + [
            ResultColumn("people", .integer(people)).resting(on: DisclosureBasis(role: .count, people: people)),
            ResultColumn("before_events", .integer(groups.map(\.before.events))).resting(on: beforeEvents),
            ResultColumn("after_events", .integer(groups.map(\.after.events))).resting(on: afterEvents),
            ResultColumn("before_cost", .money(groups.map(\.before.cost))).resting(on: measured(before.money, "before_cost")),
            ResultColumn("after_cost", .money(groups.map(\.after.cost))).resting(on: measured(after.money, "after_cost")),
            ResultColumn("before_cost_per_person_year", money: beforeRates).resting(on: before.money),
            ResultColumn("after_cost_per_person_year", money: afterRates).resting(on: after.money),
            ResultColumn("change_per_person_year", money: changes).resting(on: change),
            ResultColumn("change_pct", rates: percents, decimals: 1).resting(on: change),
            ResultColumn("before_unpriced", .integer(groups.map(\.before.unpriced))).resting(on: measured(before.count, "before_unpriced")),
            ResultColumn("after_unpriced", .integer(groups.map(\.after.unpriced))).resting(on: measured(after.count, "after_unpriced")),
        ] + Self.leftOutColumns(groups), peopleColumn: "people")
    }

    /// What the money of `groups` leaves out (``PricedCells``): the events of the (person,
    /// service) cells with an unpriced event in either window, and their people, each resting
    /// on those people (a count of 1 up to the threshold withheld, others rounded).
    private static func leftOutColumns(_ groups: [Group]) -> [ResultColumn] {
        let people = groups.map { Int64($0.leftOutPeople) }
        var events = DisclosureBasis(role: .count, people: people)
        events.measure = "left_out_events"
        return [
            ResultColumn("left_out_events", .integer(groups.map(\.leftOutEvents))).resting(on: events),
            ResultColumn("left_out_people", .integer(people)).resting(on: DisclosureBasis(role: .count, people: people)),
        ]
    }

    /// How many services the group `name` of a breakdown by `groupColumn` holds.
    private func servicesIn(_ groupColumn: String, _ name: String) -> Int {
        switch groupColumn {
        case "category": return byService.count { $0.category == name }
        case "agency": return byService.count { $0.agency == name }
        default: return 1
        }
    }

    private func measured(_ basis: DisclosureBasis, _ measure: String) -> DisclosureBasis {
        var basis = basis
        basis.measure = measure
        return basis
    }

    /// `a − b`, or `nil` when either is unknown or the difference does not fit in 64 bits.
    private static func difference(_ a: Pence?, _ b: Pence?) -> Pence? {
        guard let a, let b else { return nil }
        let (change, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : change
    }

    /// The change in per cent (unchecked, as ``difference(_:_:)``).
    private static func percentChange(_ before: Pence?, _ after: Pence?) -> Double? {
        guard let before, let after, before != 0 else { return nil }
        return Double(Int128(after) - Int128(before)) / Double(before) * 100
    }
}
