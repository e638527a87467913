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

    /// What a streaming pass ranks the top users over (see
    /// ``StreamingPass/init(_:keepingCohortEvents:rankingTopUsers:)``).
    public struct Ranking: Sendable, Equatable {
        /// The period ranked over (`nil`: every date).
        public var period: ClosedRange<CivilDate>?

        /// Ranking over `period` (`nil`: every date).
        public init(period: ClosedRange<CivilDate>?) {
            self.period = period
        }

        /// Ranking from `from` to `to` as `--from` and `--to` give them: either end open
        /// (`nil`: ``openStart`` or ``openEnd``), every date when both are.
        public init(from: CivilDate?, to: CivilDate?) {
            period = from == nil && to == nil ? nil : (from ?? Self.openStart)...(to ?? Self.openEnd)
        }

        /// The days an open start and an open end stand for: before and after every date a
        /// day number can hold, with room to spare for arithmetic on them.
        public static let openStart = CivilDate(daysSinceEpoch: Int32.min / 2)
        public static let openEnd = CivilDate(daysSinceEpoch: Int32.max / 2)
    }

    /// The lines, by service (byte order), then rank by events.
    public let lines: [Line]
    /// The period ranked over (`nil`: every date).
    public let period: ClosedRange<CivilDate>?
    /// What prices the money is in.
    public let prices: String

    /// The `top` heaviest users of each service in `study` over `period`.
    public init(study: Study, period: ClosedRange<CivilDate>? = nil, top: Int = 10) {
        self.init(study: study, period: period, top: top, morselRows: 1 << 16)
    }

    /// The same, the table's rows handed to the kernel (``TopUsersTally``) `morselRows` at a
    /// time, as a streaming pass hands it morsels (tests vary the size).
    init(study: Study, period: ClosedRange<CivilDate>?, top: Int, morselRows: Int) {
        let events = study.events, size = max(1, morselRows)
        var tally = TopUsersTally(period: period, services: study.services)
        // The study's windows are laid out by the table's person codes: a treated person is
        // their own window code.
        let windowCode = (0..<Int32(events.persons.count)).map { study.personWindows.index(of: $0) == PersonWindows.noIndex ? -1 : $0 }
        for start in stride(from: 0, to: events.count, by: size) {
            let rows = start..<min(events.count, start + size)
            let windowPerson = rows.map { windowCode[Int(events.person[$0])] }
            let priced = rows.map { study.costs.priced[$0] }
            events.person.withUnsafeBufferPointer { person in
                events.service.withUnsafeBufferPointer { service in
                    events.day.withUnsafeBufferPointer { day in
                        study.costs.pence.withUnsafeBufferPointer { cost in
                            windowPerson.withUnsafeBufferPointer { windowPerson in
                                priced.withUnsafeBufferPointer { priced in
                                    tally.update(TopUsersTally.Rows(
                                        person: UnsafeBufferPointer(rebasing: person[rows]), service: UnsafeBufferPointer(rebasing: service[rows]),
                                        day: UnsafeBufferPointer(rebasing: day[rows]), cost: UnsafeBufferPointer(rebasing: cost[rows]),
                                        priced: priced, windowPerson: windowPerson, windows: study.personWindows), services: events.services)
                                }
                            }
                        }
                    }
                }
            }
        }
        do {
            self.init(lines: try tally.lines(persons: events.persons, services: events.services, top: top),
                      period: period, prices: study.pricesDescription)
        } catch {
            // Unreachable: a study holds every event's cost together within the engine's ceiling
            // (see ``Study``), and the tally adds some of them. No figure or person is named.
            preconditionFailure("a study's checked costs overflowed")
        }
    }

    /// The lines of a ranking made elsewhere (a streaming pass's kernel), over `period`, in `prices`.
    init(lines: [Line], period: ClosedRange<CivilDate>?, prices: String) {
        self.lines = lines
        self.period = period
        self.prices = prices
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
