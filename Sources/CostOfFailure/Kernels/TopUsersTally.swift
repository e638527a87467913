/// The top users' aggregate (see ``TopUsers``): per (person, service), for everyone in the
/// extract, events and priced cost within the ranked period, and for treated people their events
/// in their before and after windows; the intervention's own services left out.
///
/// A state with an update from a morsel of priced rows (``update(_:services:)``), an exact merge
/// (``merge(_:persons:services:)``: the other state's codes mapped into this one's, people by ID
/// and services by name) and a finalize (``lines(persons:services:top:)``) that ranks. The
/// streaming pass (``TopUsersScan``) and a study's table (``TopUsers/init(study:period:top:)``)
/// feed it the same way, so neither keeps a loop of its own over events.
///
/// Figures are kept in an open-addressing table keyed by (person, service), at most ¾ full,
/// each key beside its figures: a row is one probe, most often one cache miss (the person ×
/// service space is too sparse for a dense array at national scale). It is still the largest
/// cost of the export: a third of its time at 1M and 10M rows, one miss per row into a table far
/// bigger than a cache. Sums are integer, so the result does not depend on how rows are split
/// into morsels or threads. Overflow is an error, never a
/// trap: every priced cost added is also added, in magnitude and saturating, to one total
/// checked against ``CostResolver/maximumTotal`` (as ``EventTotals`` checks a study's), and while
/// that total fits no person's cost can wrap; the events counted are held the same way against
/// `Int64.max`. (A study's own check takes every row's cost, so it refuses first.)
struct TopUsersTally: Sendable {
    /// One person's figures for one service.
    struct Figures: Sendable, Equatable {
        /// Events in the ranked period, and their priced cost (unpriced events add none).
        var events: Int64 = 0
        var cost: Pence = 0
        /// Events in the person's before and after windows (only a treated person's).
        var before: Int64 = 0
        var after: Int64 = 0
        /// Whether the person is treated (has an index date).
        var treated = false
    }

    /// One slot of the table: the (person, service) key (``emptyKey``: none) and its figures.
    private struct Slot: Sendable {
        var key: UInt64
        var figures: Figures
    }
    private static let emptyKey = UInt64.max

    /// The rows of one morsel, priced, with what says which window each treated row falls in.
    struct Rows {
        /// Person and service codes (into the morsel's dictionaries) and days, by row.
        let person: UnsafeBufferPointer<Int32>
        let service: UnsafeBufferPointer<Int32>
        let day: UnsafeBufferPointer<Int32>
        /// Each row's cost, and whether it is priced (an unpriced row's cost is not read).
        let cost: UnsafeBufferPointer<Pence>
        let priced: UnsafeBufferPointer<Bool>
        /// Each row's person code in ``windows``, or -1 for someone with no index date.
        let windowPerson: UnsafeBufferPointer<Int32>
        /// The treated people's windows (the same rule ``BeforeAfterScan`` classifies by).
        let windows: PersonWindows
    }

    /// The ranked period in day numbers (every date: the widest range).
    let from: Int32, to: Int32
    /// The services file: which services are the intervention's own.
    let catalog: ServiceCatalog
    /// Whether each service code seen so far is the intervention's own (grown as codes are added).
    private var isIntervention: [Bool] = []
    /// The table (a power of two long, at most three quarters full) and the number of keys in it.
    private var slots: [Slot] = []
    private var stored = 0
    /// Every priced cost added, in magnitude, against ``CostResolver/maximumTotal``.
    private var costMagnitude = CeilingSum.costs
    /// Every event counted (in the period or a window), against `Int64.max`.
    private var counted = CeilingSum.counts

    /// An empty state ranking over `period` (`nil`: every date), leaving out the intervention's
    /// own services as `services` names them.
    init(period: ClosedRange<CivilDate>?, services: ServiceCatalog) {
        from = period?.lowerBound.daysSinceEpoch ?? .min
        to = period?.upperBound.daysSinceEpoch ?? .max
        catalog = services
    }

    /// An empty state with the same period and services (for another thread's rows).
    func empty() -> TopUsersTally {
        var empty = self
        empty.isIntervention = []
        empty.slots = []
        empty.stored = 0
        empty.costMagnitude = .costs
        empty.counted = .counts
        return empty
    }

    /// Number of (person, service) pairs with a figure.
    var pairs: Int { stored }

    @inline(__always)
    private static func key(person: Int32, service: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: person)) << 32 | UInt64(UInt32(bitPattern: service))
    }

    @inline(__always)
    private static func home(_ key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 24) & mask
    }

    /// Calls `body` with each (person, service) and its figures, in no particular order (also
    /// what a partial writes of the state: see `BeforeAfterPartial+TopUsers.swift`).
    func forEachPair(_ body: (Int32, Int32, Figures) -> Void) {
        for slot in slots where slot.key != Self.emptyKey {
            body(Int32(truncatingIfNeeded: slot.key >> 32), Int32(truncatingIfNeeded: slot.key & 0xFFFF_FFFF), slot.figures)
        }
    }

    /// Adds the rows of a morsel whose service codes name `services`.
    mutating func update(_ rows: Rows, services: StringDictionary) {
        noteServices(services)
        for i in 0..<rows.person.count {
            let service = rows.service[i]
            if isIntervention[Int(service)] { continue }
            let day = rows.day[i]
            let inPeriod = day >= from && day <= to
            let windowPerson = rows.windowPerson[i]
            let period = windowPerson < 0 ? Period.outside : rows.windows.period(person: windowPerson, day: day)
            guard inPeriod || period != .outside else { continue }
            let at = slot(person: rows.person[i], service: service)
            counted.add(1)
            let priced = inPeriod && rows.priced[i], cost = priced ? rows.cost[i] : 0
            if priced { costMagnitude.add(cost.magnitude) }
            slots.withUnsafeMutableBufferPointer { slots in
                // Sound: `slot(person:service:)` returned a place inside the table, which has not
                // grown since; one bounds check for the row rather than one per figure (not measured apart).
                let slot = slots.baseAddress! + at
                if windowPerson >= 0 { slot.pointee.figures.treated = true }
                if inPeriod { slot.pointee.figures.events &+= 1 }
                // Wrapping: exact while `costMagnitude` is within the ceiling (checked when ranked).
                slot.pointee.figures.cost &+= cost
                switch period {
                case .before: slot.pointee.figures.before &+= 1
                case .after: slot.pointee.figures.after &+= 1
                case .outside: break
                }
            }
        }
    }

    /// Notes which of `services`' codes are the intervention's own, for codes not yet seen.
    private mutating func noteServices(_ services: StringDictionary) {
        while isIntervention.count < services.count {
            isIntervention.append(catalog.isIntervention(services[Int32(isIntervention.count)]))
        }
    }

    /// The place of `person`'s figures for `service`, added (empty) when there are none.
    @inline(__always)
    private mutating func slot(person: Int32, service: Int32) -> Int {
        if (stored + 1) * 4 > slots.count * 3 { grow() }
        let key = Self.key(person: person, service: service)
        return slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            var at = Self.home(key, mask: mask)
            while true {
                let found = slots[at].key
                if found == key { return at }
                if found == Self.emptyKey {
                    slots[at] = Slot(key: key, figures: Figures())
                    stored += 1
                    return at
                }
                at = (at + 1) & mask
            }
        }
    }

    /// Doubles the table (at least 1,024 slots), placing every key again.
    @inline(never)
    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: Self.emptyKey, figures: Figures()), count: max(1_024, old.count * 2))
        let mask = slots.count - 1
        for slot in old where slot.key != Self.emptyKey {
            var at = Self.home(slot.key, mask: mask)
            while slots[at].key != Self.emptyKey { at = (at + 1) & mask }
            slots[at] = slot
        }
    }

    /// Adds `other`'s figures, its person code `p` being `persons[p]` here and its service code
    /// `s` being `services[s]` (an ``EventTableBuilder/Recoding``'s maps). Exact: every figure
    /// is a sum, and the checked totals are added as they are.
    mutating func merge(_ other: consuming TopUsersTally, persons: [Int32], services: [Int32]) {
        if stored == 0, persons.indices.allSatisfy({ persons[$0] == $0 }), services.indices.allSatisfy({ services[$0] == $0 }) {
            // Into an empty state with the same codes (the first thread's, joined into an empty
            // load): taken over whole, not placed again slot by slot.
            slots = other.slots
            stored = other.stored
            costMagnitude = other.costMagnitude
            counted = other.counted
            return
        }
        other.forEachPair { person, service, theirs in
            add(person: persons[Int(person)], service: services[Int(service)], figures: theirs)
        }
        add(totals: other.heldTotals)
    }

    /// The checked totals as held (each at most one past its ceiling): every priced cost added,
    /// in magnitude, and every event counted. A partial carries them beside the figures, so that
    /// a merge checks what one process checks (events in both the period and a window are
    /// counted once: the figures alone cannot say how many).
    var heldTotals: (costMagnitude: UInt64, counted: UInt64) { (costMagnitude.held, counted.held) }

    /// Adds figures read back from a partial: `figures` to `person`'s for `service` (codes the
    /// reader chose), and `totals` to the checked totals, saturating as ``merge(_:persons:services:)``
    /// adds them. The reader checks that the figures could come from ``update(_:services:)``
    /// and that their sums are within `totals`, so that while ``check()`` passes none wrapped.
    mutating func add(person: Int32, service: Int32, figures theirs: Figures) {
        let mine = slot(person: person, service: service)
        slots[mine].figures.events &+= theirs.events
        slots[mine].figures.cost &+= theirs.cost
        slots[mine].figures.before &+= theirs.before
        slots[mine].figures.after &+= theirs.after
        if theirs.treated { slots[mine].figures.treated = true }
    }

    /// Adds `totals` (a partial's ``heldTotals``) to the checked totals, saturating.
    mutating func add(totals: (costMagnitude: UInt64, counted: UInt64)) {
        costMagnitude.add(totals.costMagnitude)
        counted.add(totals.counted)
    }

    /// The ceilings ``check()`` holds the totals to: a reader refuses totals past them.
    static var ceilings: (costMagnitude: UInt64, counted: UInt64) { (CeilingSum.costs.ceiling, CeilingSum.counts.ceiling) }

    /// Checks the sums: the costs taken together within ``CostResolver/maximumTotal`` and the
    /// events within `Int64.max`, so that no figure wrapped.
    ///
    /// - Throws: ``CostResolver/Overflow`` naming the figure.
    func check() throws(CostResolver.Overflow) {
        if !costMagnitude.isWithinCeiling {
            throw CostResolver.Overflow(figure: "the top users' costs taken together")
        }
        if !counted.isWithinCeiling {
            throw CostResolver.Overflow(figure: "the top users' events taken together")
        }
    }

    /// The `top` heaviest users of each service, by service (byte order of the names), then rank
    /// by events, ties in byte order of the IDs; `persons` and `services` name this state's codes.
    ///
    /// Ranks are competition ranks (1, 2, 2, 4) among the people with an event of the service in
    /// the period, by events and by cost; a treated person's cohort ranks are among the treated
    /// people with an event of the service in a window, by events in each (none without one).
    ///
    /// - Throws: ``CostResolver/Overflow`` when a sum does not fit (see ``check()``).
    func lines(persons: StringDictionary, services: StringDictionary, top: Int) throws(CostResolver.Overflow) -> [TopUsers.Line] {
        try check()
        var position = [Int](repeating: 0, count: persons.count)
        for (place, person) in persons.codesInByteOrder().enumerated() { position[Int(person)] = place }
        // Each service's people with figures (every one has an event in the period or a window).
        var byService = [[(person: Int32, figures: Figures)]](repeating: [], count: services.count)
        forEachPair { person, service, figures in byService[Int(service)].append((person, figures)) }
        var lines: [TopUsers.Line] = []
        for service in services.codesInByteOrder() {
            let people = byService[Int(service)]
            let users = people.filter { $0.figures.events > 0 }
            guard !users.isEmpty else { continue }
            let byEvents = Self.competitionRanks(users.map(\.figures.events))
            let byCost = Self.competitionRanks(users.map(\.figures.cost))
            let cohort = people.filter { $0.figures.treated && ($0.figures.before > 0 || $0.figures.after > 0) }
            var rankBefore: [Int32: Int] = [:], rankAfter: [Int32: Int] = [:]
            for (member, rank) in zip(cohort, Self.competitionRanks(cohort.map(\.figures.before))) { rankBefore[member.person] = rank }
            for (member, rank) in zip(cohort, Self.competitionRanks(cohort.map(\.figures.after))) { rankAfter[member.person] = rank }
            let order = users.indices.sorted { (byEvents[$0], position[Int(users[$0].person)]) < (byEvents[$1], position[Int(users[$1].person)]) }
            for i in order.prefix(top) {
                let (person, figures) = users[i]
                lines.append(TopUsers.Line(
                    service: services[service], rankByEvents: byEvents[i], rankByCost: byCost[i], personID: persons[person],
                    events: figures.events, cost: figures.cost,
                    beforeEvents: figures.treated ? figures.before : nil, afterEvents: figures.treated ? figures.after : nil,
                    rankBefore: figures.treated && figures.before > 0 ? rankBefore[person] : nil,
                    rankAfter: figures.treated && figures.after > 0 ? rankAfter[person] : nil))
            }
        }
        return lines
    }

    /// Competition ranks of `values`, highest first (ties share a rank, the next skips: 1, 2, 2, 4),
    /// aligned with `values`.
    static func competitionRanks(_ values: [Int64]) -> [Int] {
        let order = values.indices.sorted { values[$0] > values[$1] }
        var ranks = [Int](repeating: 0, count: values.count)
        for (place, i) in order.enumerated() {
            ranks[i] = place > 0 && values[order[place - 1]] == values[i] ? ranks[order[place - 1]] : place + 1
        }
        return ranks
    }
}
