private import CCompilerHints

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
    /// The IDs are first copied end to end into one buffer, so that sorting compares bytes, not
    /// `String`s (which counted a reference on every access: a third of the time before the
    /// events were read). Rows are sorted on their ID's first eight bytes as one integer, the
    /// rest only on a tie, and runs of one ID merged, so each person is interned once, in order.
    public func cohort() -> (people: StringDictionary, indexDates: [CivilDate]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 16)
        var rowEnds: [Int] = []
        rowEnds.reserveCapacity(entries.count)
        var order: [(prefix: UInt64, row: Int32)] = []
        order.reserveCapacity(entries.count)
        var starts: [CivilDate] = []
        starts.reserveCapacity(entries.count)
        entries.withUnsafeBufferPointer { entries in
            for entry in entries {
                let start = bytes.count
                if entry.personID.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
                    bytes.append(contentsOf: entry.personID.utf8)
                }
                var prefix: UInt64 = 0
                for i in 0..<8 { prefix = prefix << 8 | UInt64(start + i < bytes.count ? bytes[start + i] : 0) }
                order.append((prefix, Int32(rowEnds.count)))
                rowEnds.append(bytes.count)
                starts.append(entry.start)
            }
        }
        let ends = rowEnds
        var people = StringDictionary()
        people.reserveCapacity(order.count)
        var dates: [CivilDate] = []
        dates.reserveCapacity(order.count)
        bytes.withUnsafeBytes { bytes in
            // Sound: every range below is one ID's, inside the buffer.
            func id(_ row: Int32) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: bytes[(row == 0 ? 0 : ends[Int(row) - 1])..<ends[Int(row)]])
            }
            // Each row's trimmed ID hashed in file order (reading the bytes in sequence), so that
            // the sorted loop below can ask for its table slots ahead of interning them.
            let hashes = (0..<Int32(ends.count)).map { StringDictionary.hash(StringDictionary.trim(id($0))) }
            order.sort { a, b in
                a.prefix != b.prefix ? a.prefix < b.prefix : StringDictionary.lexicographicallyPrecedes(id(a.row), id(b.row))
            }
            // In sorted order the IDs' bytes and their slots are read at random: ask for both a
            // few IDs ahead, so that their cache misses overlap instead of coming one by one.
            let ahead = 8
            for (position, item) in order.enumerated() {
                if position + ahead < order.count, let base = bytes.baseAddress {
                    let row = order[position + ahead].row
                    people.prefetchSlot(hash: hashes[Int(row)])
                    // Sound: a prefetch reads nothing back; the offset is inside the buffer.
                    cof_prefetch(base + (row == 0 ? 0 : ends[Int(row) - 1]))
                }
                let start = starts[Int(item.row)]
                if position > 0, order[position - 1].prefix == item.prefix, id(order[position - 1].row).elementsEqual(id(item.row)) {
                    dates[dates.count - 1] = min(dates[dates.count - 1], start)
                    continue
                }
                let code = Int(people.intern(trimmed: StringDictionary.trim(id(item.row)), hash: hashes[Int(item.row)]))
                if code < dates.count {
                    dates[code] = min(dates[code], start)  // the same ID once spaces are trimmed
                } else {
                    dates.append(start)
                }
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
