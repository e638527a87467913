/// The cohort's before/after figures as a finance reviewer reads them: people and person-years
/// of exposure, cost per person-year before and after, the spread of each person's change, how
/// concentrated the cost is — overall and by service, category and agency.
///
/// Built from the person × service ``Comparison`` and the cohort's members (every treated person
/// in the data, with their exposure, including those with no event in either window). Costs are
/// the priced part; unpriced events are counted beside them. The intervention's own services
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
        /// For a service: its category and agency (the groups whose totals the other
        /// breakdowns publish).
        public var category: String?, agency: String?
        /// Whether the group's events all count in the cohort's total (`false`: none do, being
        /// the intervention's own; `nil`: some do).
        public var inCohortTotal: Bool?
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
    /// People whose cost per year went up.
    public let peopleWhoseCostWentUp: Int
    /// The share (0–1) of the before-window cost carried by the costliest tenth of people
    /// (rounded up to whole people); `nil` when there was no cost before.
    public let topTenthShareOfBeforeCost: Double?
    /// What prices the money is in.
    public let prices: String

    /// Summarises `comparison` over `members`, grouping services with `services`.
    ///
    /// The sums of figures here cannot overflow for the rows a comparison or a partial holds
    /// (``ComparisonScan/costMagnitudeBound``, ``ComparisonPartial/FigureTotals``); each
    /// person's change is worked in 128 bits, and a mean, median or percentile that does not fit
    /// in 64-bit pence is `nil`, as ``Annualised`` does for a rate.
    public init(comparison: Comparison, members: [Member], services: ServiceCatalog, prices: String) {
        self.prices = prices
        people = members.count
        beforeDays = members.reduce(0) { $0 + $1.beforeDays }
        afterDays = members.reduce(0) { $0 + $1.afterDays }
        func category(_ service: String) -> String { services.category(of: service) ?? "Uncategorised" }
        func agency(_ service: String) -> String { services.entries[service]?.agency ?? "Unknown" }

        var total = Group(name: "All services", people: 0)
        var groups: [[String: Group]] = [[:], [:], [:]]
        var peopleInGroup: [[String: Set<String>]] = [[:], [:], [:]]
        var personCost: [String: (before: Pence, after: Pence)] = [:]
        var peopleInTotal = Set<String>()
        // Which groups hold events the total counts, and which the intervention's own.
        var countedKeys: [Set<String>] = [[], [], []], interventionKeys: [Set<String>] = [[], [], []]
        for row in comparison.rows {
            let keys = [row.service, category(row.service), agency(row.service)]
            let isIntervention = services.isIntervention(row.service)
            for (dimension, key) in keys.enumerated() {
                if isIntervention { interventionKeys[dimension].insert(key) } else { countedKeys[dimension].insert(key) }
                var group = groups[dimension][key] ?? Group(name: key, people: 0)
                group.before = group.before + row.before
                group.after = group.after + row.after
                groups[dimension][key] = group
                peopleInGroup[dimension][key, default: []].insert(row.personID)
            }
            guard !services.isIntervention(row.service) else { continue }
            total.before = total.before + row.before
            total.after = total.after + row.after
            peopleInTotal.insert(row.personID)
            var cost = personCost[row.personID] ?? (0, 0)
            cost.before += row.before.cost
            cost.after += row.after.cost
            personCost[row.personID] = cost
        }
        total.people = peopleInTotal.count
        self.total = total
        func ordered(_ dimension: Int) -> [Group] {
            groups[dimension].values.map { group in
                var group = group
                group.people = peopleInGroup[dimension][group.name]?.count ?? 0
                let counted = countedKeys[dimension].contains(group.name), own = interventionKeys[dimension].contains(group.name)
                group.inCohortTotal = counted == own ? nil : counted
                return group
            }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        }
        byService = ordered(0).map { group in
            var group = group
            group.category = category(group.name)
            group.agency = agency(group.name)
            return group
        }
        byCategory = ordered(1)
        byAgency = ordered(2)

        var changes: [Int128] = []
        var beforeCosts: [Pence] = []
        for member in members {
            let cost = personCost[member.personID] ?? (0, 0)
            beforeCosts.append(cost.before)
            guard let before = Annualised.pence(cost.before, days: member.beforeDays),
                  let after = Annualised.pence(cost.after, days: member.afterDays) else { continue }
            changes.append(Int128(after) - Int128(before))
        }
        changes.sort()
        peopleObservedInBoth = changes.count
        peopleWhoseCostWentUp = changes.filter { $0 > 0 }.count
        if changes.isEmpty {
            (meanChange, medianChange, ninetiethPercentileChange) = (nil, nil, nil)
        } else {
            // Each change is below 2^65 in magnitude, so 2^62 of them cannot overflow 128 bits.
            let sum = changes.reduce(Int128(0), +)
            meanChange = Self.roundedQuotient(sum, Int128(changes.count))
            let middle = changes.count / 2
            medianChange = changes.count % 2 == 1
                ? Pence(exactly: changes[middle]) : Self.roundedQuotient(changes[middle - 1] + changes[middle], 2)
            let rank = (changes.count * 9 + 9) / 10  // ⌈0.9 n⌉
            ninetiethPercentileChange = Pence(exactly: changes[rank - 1])
        }
        let totalBefore = beforeCosts.reduce(Int128(0)) { $0 + Int128($1) }
        if totalBefore > 0 {
            let top = beforeCosts.sorted(by: >).prefix((beforeCosts.count + 9) / 10)
            topTenthShareOfBeforeCost = Double(top.reduce(Int128(0)) { $0 + Int128($1) }) / Double(totalBefore)
        } else {
            topTenthShareOfBeforeCost = nil
        }
    }

    /// `numerator / denominator` rounded half away from zero (money means stay in pence).
    static func roundedQuotient(_ numerator: Int128, _ denominator: Int128) -> Pence? {
        let magnitude = (2 * (numerator < 0 ? -numerator : numerator) + denominator) / (2 * denominator)
        return Pence(exactly: numerator < 0 ? -magnitude : magnitude)
    }

    /// The headline as a one-row table.
    public func resultTable() -> ResultTable {
        let beforeRate = Annualised.pence(total.before.cost, days: beforeDays)
        let afterRate = Annualised.pence(total.after.cost, days: afterDays)
        return ResultTable(name: "cohort", title: "The cohort before and after (all services but the intervention's own; \(prices))", columns: [
            ResultColumn("people", .integer([Int64(people)])),
            ResultColumn("person_years_before", rates: [Double(beforeDays) / 365], decimals: 2),
            ResultColumn("person_years_after", rates: [Double(afterDays) / 365], decimals: 2),
            ResultColumn("before_cost", money: [total.before.cost]),
            ResultColumn("after_cost", money: [total.after.cost]),
            ResultColumn("before_cost_per_person_year", money: [beforeRate]),
            ResultColumn("after_cost_per_person_year", money: [afterRate]),
            ResultColumn("change_per_person_year", money: [Self.difference(afterRate, beforeRate)]),
            ResultColumn("change_pct", rates: [Self.percentChange(beforeRate, afterRate)], decimals: 1),
            ResultColumn("people_observed_before_and_after", .integer([Int64(peopleObservedInBoth)])),
            ResultColumn("mean_change_per_person_year", money: [meanChange]),
            ResultColumn("median_change_per_person_year", money: [medianChange]),
            ResultColumn("p90_change_per_person_year", money: [ninetiethPercentileChange]),
            ResultColumn("people_whose_cost_went_up", .integer([Int64(peopleWhoseCostWentUp)])),
            ResultColumn("top_10pct_share_of_before_cost_pct", rates: [topTenthShareOfBeforeCost.map { $0 * 100 }], decimals: 1),
            ResultColumn("before_unpriced", .integer([total.before.unpriced])),
            ResultColumn("after_unpriced", .integer([total.after.unpriced])),
        ], peopleColumn: "people")
    }

    /// A breakdown (``byService``, ``byCategory`` or ``byAgency``) as a table named `name`.
    public func resultTable(_ groups: [Group], name: String, groupColumn: String) -> ResultTable {
        let beforeRates = groups.map { Annualised.pence($0.before.cost, days: beforeDays) }
        let afterRates = groups.map { Annualised.pence($0.after.cost, days: afterDays) }
        let changes = zip(afterRates, beforeRates).map { Self.difference($0, $1) }
        let percents = zip(beforeRates, afterRates).map { Self.percentChange($0, $1) }
        // A service's category and agency say which published totals it adds up to.
        let linked = groups.allSatisfy { $0.category != nil && $0.agency != nil } && !groups.isEmpty
        var table = ResultTable(name: name, title: "The cohort before and after by \(groupColumn) (per person-year of the whole cohort's exposure; \(prices))", columns: [
            ResultColumn(groupColumn, .text(groups.map(\.name))),
        ] + (linked ? [
            ResultColumn("category", .text(groups.map { $0.category ?? "" })),
            ResultColumn("agency", .text(groups.map { $0.agency ?? "" })),
        ] : []) + [
            ResultColumn("people", .integer(groups.map { Int64($0.people) })),
            ResultColumn("before_events", .integer(groups.map(\.before.events))),
            ResultColumn("after_events", .integer(groups.map(\.after.events))),
            ResultColumn("before_cost", .money(groups.map(\.before.cost))),
            ResultColumn("after_cost", .money(groups.map(\.after.cost))),
            ResultColumn("before_cost_per_person_year", money: beforeRates),
            ResultColumn("after_cost_per_person_year", money: afterRates),
            ResultColumn("change_per_person_year", money: changes),
            ResultColumn("change_pct", rates: percents, decimals: 1),
            ResultColumn("before_unpriced", .integer(groups.map(\.before.unpriced))),
            ResultColumn("after_unpriced", .integer(groups.map(\.after.unpriced))),
        ], peopleColumn: "people")
        if linked { table.linkedGroupColumns = ["category", "agency"] }
        // The cohort's headline publishes the total of the groups it counts: a figure suppressed
        // among them must not be had as that total less the others.
        let counted = groups.indices.filter { groups[$0].inCohortTotal == true }
        if counted.count < groups.count { table.linkedRowGroups = [counted] }
        return table
    }

    /// `a − b`, or `nil` when either is unknown or the difference does not fit in 64 bits.
    private static func difference(_ a: Pence?, _ b: Pence?) -> Pence? {
        guard let a, let b else { return nil }
        let (change, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : change
    }

    private static func percentChange(_ before: Pence?, _ after: Pence?) -> Double? {
        guard let before, let after, before != 0 else { return nil }
        return Double(Int128(after) - Int128(before)) / Double(before) * 100
    }
}
