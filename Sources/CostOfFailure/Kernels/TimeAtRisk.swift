/// The days treated people could not use services, taken out of their exposure: the rule for
/// time at risk, written once for the streaming scan (``BeforeAfterScan``), the study's table
/// (``init(table:services:windows:)``) and a merge's kept events, which all note the marked
/// events they meet with ``noteEvent(person:day:exposure:)`` and hand the result to
/// ``PersonWindows/removeExposure(_:)``.
///
/// A service marked ``ServiceCatalog/Exposure/removes`` (custody) takes out every day on which
/// the person has an event of it: each night of a spell, the one day of a single event;
/// overlapping spells count once (the union of their days). A service marked
/// ``ServiceCatalog/Exposure/ends`` (death) takes out every day after the date of the person's
/// earliest event of it (the death date itself stays in). What is taken out of a window is the
/// union of both, intersected with the window (already cut at the observation end), so rates
/// are per day at risk. Events dated after a death are kept, in their window like any other,
/// and the people who have them are counted (``PersonWindows/peopleWithEventsAfterDeath``) so
/// that a report can flag them: the scan meets a person's rows in any order, so it cannot know
/// a death date before it has read them all.
///
/// Marks are kept by person code, so the states of the parts of a file, or of several files,
/// join by concatenation (``append(_:)``), in any order, with the same result.
public struct TimeAtRisk: Sendable {
    /// One marked event of a followed person.
    struct Mark: Sendable, Comparable {
        var person: Int32
        var day: Int32
        /// A death (``ServiceCatalog/Exposure/ends``) rather than a day in custody.
        var ends: Bool

        static func < (a: Mark, b: Mark) -> Bool {
            (a.person, a.day, a.ends ? 0 : 1) < (b.person, b.day, b.ends ? 0 : 1)
        }
    }

    /// Every marked event noted, in the order met.
    private(set) var marks: [Mark] = []
    /// Each followed person's latest event day of any service (by code; empty until a death is
    /// noted anywhere in the catalog), to find events after a death.
    private var lastDays: [Int32: Int32] = [:]
    /// Whether ``noteLastDay(person:day:)`` is needed (the catalog marks some service `ends`).
    let tracksLastDays: Bool

    /// An empty state; `tracksLastDays` when some service is a death (see ``init(services:)``).
    init(tracksLastDays: Bool) {
        self.tracksLastDays = tracksLastDays
    }

    /// An empty state for events of the services of `catalog`: it tracks each person's last
    /// day when some service ends exposure (a death), to find events after it. The one place
    /// that decides it, for the streaming scan, a study's table and a merge's kept events.
    init(services catalog: ServiceCatalog) {
        self.init(tracksLastDays: catalog.entries.values.contains { $0.exposure == .ends })
    }

    /// The marked events of `table`'s followed people (those `windows` gives an index date),
    /// each row noted as the streaming scan notes a morsel's (``noteEvent(person:day:exposure:)``),
    /// in row order: the table read by the same rule as the stream, so a study's exposure is
    /// the pass's.
    init(table: EventTable, services catalog: ServiceCatalog, windows: PersonWindows) {
        self.init(services: catalog)
        let exposure = catalog.exposure(byCode: table.services)
        guard exposure.contains(where: { $0 != .counts }) else { return }
        for row in 0..<table.count {
            let person = table.person[row]
            guard windows.index(of: person) != PersonWindows.noIndex else { continue }
            noteEvent(person: person, day: table.day[row], exposure: exposure[Int(table.service[row])])
        }
    }

    /// Notes an event of person `person` on `day` of a service marked `exposure`.
    @inline(__always)
    mutating func note(person: Int32, day: Int32, exposure: ServiceCatalog.Exposure) {
        switch exposure {
        case .counts: return
        case .removes: marks.append(Mark(person: person, day: day, ends: false))
        case .ends: marks.append(Mark(person: person, day: day, ends: true))
        }
    }

    /// Notes any event of person `person` on `day`, of a service marked `exposure`: the mark,
    /// and the person's last day when deaths are tracked (the scan's rows and a merge's kept
    /// events alike).
    @inline(__always)
    mutating func noteEvent(person: Int32, day: Int32, exposure: ServiceCatalog.Exposure) {
        note(person: person, day: day, exposure: exposure)
        if tracksLastDays { noteLastDay(person: person, day: day) }
    }

    /// Notes that person `person` has an event on `day` (of any service).
    @inline(__always)
    mutating func noteLastDay(person: Int32, day: Int32) {
        if let known = lastDays[person], known >= day { return }
        lastDays[person] = day
    }

    /// Adds the marks of other rows of the same followed people (another part of a file).
    mutating func append(_ other: TimeAtRisk) {
        marks.append(contentsOf: other.marks)
        for (person, day) in other.lastDays { noteLastDay(person: person, day: day) }
    }

    /// One person's days out of exposure, for any span of days: every day after their death
    /// (the death date itself stays in) and each day of custody on or before it, once. The
    /// rule of the type's summary, written once: the windows' exposure (``removedDays(_:)``),
    /// the trajectory's months (``Trajectory``) and the baseline check's earlier baseline
    /// (``RegressionToTheMean``) all count removed days with ``days(from:to:)``.
    public struct Removal: Sendable, Hashable {
        /// The earliest death date (`nil`: none).
        public let death: Int32?
        /// Custody days on or before the death, ascending, each once.
        let custodyDays: [Int32]

        /// The removal of a person's marks, sorted (``Mark``'s order).
        init<Marks: Collection<Mark>>(sorted marks: Marks) {
            let death = marks.first(where: \.ends)?.day
            self.death = death
            var days: [Int32] = []
            for mark in marks where !mark.ends && (death.map { mark.day <= $0 } ?? true) && mark.day != days.last {
                days.append(mark.day)
            }
            custodyDays = days
        }

        /// Days of `[from, to)` out of exposure (0 for an empty span).
        public func days(from: Int32, to: Int32) -> Int32 {
            guard to > from else { return 0 }
            let firstGone = death.map { Int64($0) + 1 } ?? Int64.max
            let lastAtRisk = min(firstGone, Int64(to))  // one past the last day that can be at risk
            var count = Int64(to) - max(Int64(from), lastAtRisk)
            if Int64(from) < lastAtRisk {
                count += Int64(Self.firstPlace(custodyDays, notBefore: lastAtRisk) - Self.firstPlace(custodyDays, notBefore: Int64(from)))
            }
            return Int32(count)
        }

        private static func firstPlace(_ days: [Int32], notBefore day: Int64) -> Int {
            var low = 0, high = days.count
            while low < high {
                let middle = (low + high) / 2
                if Int64(days[middle]) < day { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// Each marked person's days out of exposure in each window, and their ``Removal`` for any
    /// other span: `windows` gives the window bounds by person code; people with no index date
    /// are left out.
    func removedDays(_ windows: PersonWindows) -> (removed: [Int32: PersonWindows.Removed], removals: [Int32: Removal], peopleWithEventsAfterDeath: Int) {
        var removed: [Int32: PersonWindows.Removed] = [:]
        var removals: [Int32: Removal] = [:]
        var afterDeath = 0
        let sorted = marks.sorted()
        var start = 0
        while start < sorted.count {
            let person = sorted[start].person
            var end = start
            while end < sorted.count, sorted[end].person == person { end += 1 }
            defer { start = end }
            guard windows.index(of: person) != PersonWindows.noIndex else { continue }
            let removal = Removal(sorted: sorted[start..<end])
            if let death = removal.death, let last = lastDays[person], last > death { afterDeath += 1 }
            removals[person] = removal
            let bounds = windows.bounds(of: person)
            let entry = PersonWindows.Removed(before: removal.days(from: bounds.beforeStart, to: bounds.beforeEnd),
                                              after: removal.days(from: bounds.index.daysSinceEpoch, to: bounds.afterEnd))
            if entry.before > 0 || entry.after > 0 { removed[person] = entry }
        }
        return (removed, removals, afterDeath)
    }
}
