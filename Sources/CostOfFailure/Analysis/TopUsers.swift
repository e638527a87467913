/// The heaviest users of each service ("the #1 attendee at A&E"): everyone in the extract ranked
/// by events and by cost over a chosen period, with — for people with an intervention — their
/// rank among the cohort by events in their own before and after windows.
///
/// Ranks are competition ranks (ties share a rank, the next rank skips: 1, 2, 2, 4); ties are
/// listed in byte order of the IDs. The intervention's own services are left out.
public struct TopUsers: Sendable {
    /// One person's line for one service.
    public struct Line: Sendable, Equatable {
        /// The service.
        public var service: String
        /// Rank by events and by cost over the period, among everyone with an event of the service.
        public var rankByEvents: Int, rankByCost: Int
        /// Person ID.
        public var personID: String
        /// Events and their cost over the period.
        public var events: Int64, cost: Pence
        /// For a person with an intervention: events in their before and after windows, and their
        /// rank by each among the cohort's users of the service (none with no events).
        public var beforeEvents: Int64?, afterEvents: Int64?, rankBefore: Int?, rankAfter: Int?
    }

    /// The lines, by service (byte order), then rank by events.
    public let lines: [Line]
    /// The period ranked over (`nil`: every date).
    public let period: ClosedRange<CivilDate>?
    /// What prices the money is in.
    public let prices: String

    /// The `top` heaviest users of each service in `study` over `period`.
    public init(study: Study, period: ClosedRange<CivilDate>? = nil, top: Int = 10) {
        let events = study.events
        let people = events.persons.count, serviceCount = events.services.count
        /// One person's figures for one service.
        struct Tally { var count: Int64 = 0, cost: Pence = 0, before: Int64 = 0, after: Int64 = 0 }
        // Sparse, by `person × services + service`: most people use few of the services.
        var tallies: [Int: Tally] = [:]
        let isIntervention = events.services.values.map(study.services.isIntervention)
        let from = period?.lowerBound.daysSinceEpoch ?? .min, to = period?.upperBound.daysSinceEpoch ?? .max
        for i in 0..<events.count {
            let service = Int(events.service[i])
            guard !isIntervention[service] else { continue }
            let day = events.day[i]
            let inPeriod = day >= from && day <= to
            let window = study.personWindows.period(person: events.person[i], day: day)
            guard inPeriod || window != .outside else { continue }
            let slot = Int(events.person[i]) * serviceCount + service
            var tally = tallies[slot] ?? Tally()
            // Unchecked: a sum of some of the study's costs, which fit together (see ``Study``).
            if inPeriod {
                tally.count += 1
                if study.costs.priced[i] { tally.cost += study.costs.pence[i] }
            }
            switch window {
            case .before: tally.before += 1
            case .after: tally.after += 1
            case .outside: break
            }
            tallies[slot] = tally
        }
        let count = { (slot: Int) in tallies[slot]?.count ?? 0 }, cost = { (slot: Int) in tallies[slot]?.cost ?? 0 }
        let before = { (slot: Int) in tallies[slot]?.before ?? 0 }, after = { (slot: Int) in tallies[slot]?.after ?? 0 }
        let order = events.persons.codesInByteOrder()
        var position = [Int](repeating: 0, count: people)
        for (index, person) in order.enumerated() { position[Int(person)] = index }
        let treated = Set(study.treatedPersonCodesInOrder())
        var lines: [Line] = []
        for service in events.services.codesInByteOrder() where !isIntervention[Int(service)] {
            let s = Int(service)
            func value(_ column: (Int) -> Int64, _ person: Int32) -> Int64 { column(Int(person) * serviceCount + s) }
            let users = order.filter { value(count, $0) > 0 }
            let byEvents = Self.ranks(users) { value(count, $0) }
            let byCost = Self.ranks(users) { value(cost, $0) }
            let cohort = order.filter { treated.contains($0) && (value(before, $0) > 0 || value(after, $0) > 0) }
            let rankBefore = Self.ranks(cohort) { value(before, $0) }, rankAfter = Self.ranks(cohort) { value(after, $0) }
            let top = users.sorted { (byEvents[$0]!, position[Int($0)]) < (byEvents[$1]!, position[Int($1)]) }.prefix(top)
            for person in top {
                let isTreated = treated.contains(person)
                lines.append(Line(service: events.services[service], rankByEvents: byEvents[person]!, rankByCost: byCost[person]!,
                                  personID: events.persons[person], events: value(count, person), cost: value(cost, person),
                                  beforeEvents: isTreated ? value(before, person) : nil, afterEvents: isTreated ? value(after, person) : nil,
                                  rankBefore: isTreated && value(before, person) > 0 ? rankBefore[person] : nil,
                                  rankAfter: isTreated && value(after, person) > 0 ? rankAfter[person] : nil))
            }
        }
        self.lines = lines
        self.period = period
        prices = study.pricesDescription
    }

    /// Competition ranks of `people` by `value`, highest first.
    private static func ranks(_ people: [Int32], by value: (Int32) -> Int64) -> [Int32: Int] {
        let sorted = people.map { (person: $0, value: value($0)) }.sorted { $0.value > $1.value }
        var ranks: [Int32: Int] = [:]
        for (position, item) in sorted.enumerated() {
            ranks[item.person] = position > 0 && sorted[position - 1].value == item.value ? ranks[sorted[position - 1].person]! : position + 1
        }
        return ranks
    }

    /// The lines as a table.
    public func resultTable() -> ResultTable {
        let span = period.map { "\($0.lowerBound) to \($0.upperBound)" } ?? "every date"
        return ResultTable(name: "top_users", title: "The heaviest users of each service, \(span) (\(prices))", columns: [
            ResultColumn("service", .text(lines.map(\.service))),
            ResultColumn("rank_by_events", .integer(lines.map { Int64($0.rankByEvents) })).asLabel(),
            ResultColumn("rank_by_cost", .integer(lines.map { Int64($0.rankByCost) })).asLabel(),
            ResultColumn("person_id", .text(lines.map(\.personID))),
            ResultColumn("events", .integer(lines.map(\.events))),
            ResultColumn("cost", .money(lines.map(\.cost))),
            ResultColumn("before_events", integers: lines.map(\.beforeEvents)),
            ResultColumn("after_events", integers: lines.map(\.afterEvents)),
            ResultColumn("cohort_rank_before", integers: lines.map { $0.rankBefore.map(Int64.init) }).asLabel(),
            ResultColumn("cohort_rank_after", integers: lines.map { $0.rankAfter.map(Int64.init) }).asLabel(),
            // Each line is one person's: disclosure control rests every figure on one person.
            ResultColumn("people", .integer(lines.map { _ in 1 })),
        ], peopleColumn: "people")
    }
}
