/// Who received an intervention and when: one row per (person, programme start).
public struct InterventionTable: Sendable {
    /// One intervention row.
    public struct Entry: Sendable, Equatable {
        /// The person, as in the events files.
        public var personID: String
        /// First day of the intervention.
        public var start: CivilDate
        /// Last day, when it has ended.
        public var end: CivilDate?
        /// Programme name (e.g. Liberated Method).
        public var programme: String?
        /// What the intervention cost for this person, in pence, when recorded here.
        public var costPence: Pence?

        /// Creates an entry.
        public init(personID: String, start: CivilDate, end: CivilDate? = nil, programme: String? = nil, costPence: Pence? = nil) {
            self.personID = personID
            self.start = start
            self.end = end
            self.programme = programme
            self.costPence = costPence
        }
    }

    /// Rows in file order.
    public let entries: [Entry]

    /// Creates a table.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Each person's index date: the earliest start among their rows.
    public var indexDates: [PersonID: CivilDate] {
        var dates: [PersonID: CivilDate] = [:]
        for entry in entries {
            let id = PersonID(entry.personID)
            if let known = dates[id], known <= entry.start { continue }
            dates[id] = entry.start
        }
        return dates
    }

    /// The treated people as a dictionary whose codes follow the byte order of their IDs (the
    /// output order), with each one's index date by code: what a one-pass scan follows.
    ///
    /// The rows are sorted by ID (on the first eight bytes as one integer, the rest only on a
    /// tie) and runs of one ID merged, so each person is interned once, in order.
    public func cohort() -> (people: StringDictionary, indexDates: [CivilDate]) {
        // Sound (both closures): `withUTF8` lends the ID's contiguous UTF-8 for the call only.
        func prefix(_ id: inout String) -> UInt64 {
            id.withUTF8 { bytes in
                var prefix: UInt64 = 0
                for i in 0..<8 { prefix = prefix << 8 | UInt64(i < bytes.count ? bytes[i] : 0) }
                return prefix
            }
        }
        var ids = entries.map(\.personID)
        var order: [(prefix: UInt64, row: Int32)] = []
        order.reserveCapacity(ids.count)
        for row in ids.indices { order.append((prefix(&ids[row]), Int32(row))) }
        order.sort { a, b in
            a.prefix != b.prefix ? a.prefix < b.prefix
                : ids[Int(a.row)].utf8.lexicographicallyPrecedes(ids[Int(b.row)].utf8)
        }
        var people = StringDictionary()
        people.reserveCapacity(order.count)
        var dates: [CivilDate] = []
        dates.reserveCapacity(order.count)
        for (position, item) in order.enumerated() {
            let row = Int(item.row)
            let start = entries[row].start
            if position > 0, order[position - 1].prefix == item.prefix, ids[Int(order[position - 1].row)].utf8.elementsEqual(ids[row].utf8) {
                dates[dates.count - 1] = min(dates[dates.count - 1], start)
                continue
            }
            let code = Int(people.intern(ids[row]))
            if code < dates.count {
                dates[code] = min(dates[code], start)  // the same ID once spaces are trimmed
            } else {
                dates.append(start)
            }
        }
        return (people, dates)
    }

    /// Each person's recorded intervention cost (sum over their rows), in pence.
    public var costByPerson: [PersonID: Pence] {
        var costs: [PersonID: Pence] = [:]
        for entry in entries {
            if let cost = entry.costPence { costs[PersonID(entry.personID), default: 0] += cost }
        }
        return costs
    }
}
