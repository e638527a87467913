private import CCompilerHints

/// ``SourceCoverage``'s counts, tallied while a streaming scan reads the sources (it codes only
/// the cohort's people, so it cannot count people afterwards), and from a loaded table, fed
/// morsel by morsel in the same way (``init(table:cohort:morselRows:)``): for the source being read, a bit per cohort person with a loaded row, and a set of the
/// 64-bit ID hashes (``StringDictionary/hash(_:)`` of the trimmed, normalised ID) of the people
/// outside the cohort with a loaded row.
///
/// Both are sets, so the parts of a file read on several threads join by union, and a row noted
/// twice counts once. The outside count is exact unless two distinct IDs of one source share a
/// 64-bit hash (for a million people, a chance of about one in 37 million). Memory: the cohort's
/// bits, and 16 bytes per distinct outside person of the source being read (a table at most
/// half full), released when the source ends; rows cost an 8-byte append each, inserted into the
/// table a morsel at a time with their slots asked for ahead (see ``absorbPending()``).
struct SourceCoverageTally: Sendable {
    /// Each finished source's counts, in source order.
    private(set) var finished: [(cohortPeople: Int, outside: Int)] = []
    /// Cohort people (by code) with a loaded row in the source being read.
    private var covered: [UInt64]
    /// Hashes of outside people's rows not yet in ``outside``.
    private var pending: [UInt64] = []
    private var outside = HashSet()
    /// Other parts' sets of the source being read (``merge(_:)``): their union with
    /// ``outside`` is counted when the source ends, not built, so no table grows while every
    /// part's is held (at 100M rows, when the read's memory peaks).
    private var joinedOutside: [HashSet] = []

    /// A tally for a cohort of `cohortSize` people.
    init(cohortSize: Int) {
        covered = [UInt64](repeating: 0, count: (cohortSize + 63) / 64)
    }

    /// Each source's counts of `table`, whose people `cohort` codes (any coding, by ID; anyone
    /// it does not hold is outside the cohort), tallied as a streaming scan tallies the rows it
    /// reads: source by source, `morselRows` rows at a time, the cohort's codes through
    /// ``noteRows(persons:)`` and everyone else by the hash of their ID through
    /// ``noteOutside(hash:)``. So the table path counts exactly what the pass counts for the
    /// same rows, with the same rule.
    ///
    /// Looks up each of the table's people once (12 bytes each, held during the call).
    init(table: EventTable, cohort: StringDictionary, morselRows: Int = 1 << 16) {
        self.init(cohortSize: cohort.count)
        let people = table.persons.count
        var member = [Int32](repeating: -1, count: people)
        var outsideHash = [UInt64](repeating: 0, count: people)
        for person in 0..<people {
            table.persons.withBytes(of: Int32(person)) { id in
                let value = StringDictionary.trim(id)
                member[person] = cohort.lookup(value)
                // The hash the ingest gives a row of someone outside the cohort (its trimmed, normalised ID).
                if member[person] < 0 { outsideHash[person] = StringDictionary.hash(value) }
            }
        }
        var morsel: [Int32] = []
        morsel.reserveCapacity(max(1, morselRows))
        for source in table.sources.indices {
            let rows = table.rows(ofSource: source)
            for start in stride(from: rows.lowerBound, to: rows.upperBound, by: max(1, morselRows)) {
                morsel.removeAll(keepingCapacity: true)
                for row in start..<min(rows.upperBound, start + max(1, morselRows)) {
                    let person = Int(table.person[row])
                    if member[person] < 0 { noteOutside(hash: outsideHash[person]) }
                    morsel.append(member[person])
                }
                morsel.withUnsafeBufferPointer { noteRows(persons: $0) }
            }
            finishSource()
        }
    }

    /// An empty tally for the same cohort (another part of a file).
    func empty() -> SourceCoverageTally {
        var tally = self
        tally.finished = []
        tally.covered = [UInt64](repeating: 0, count: covered.count)
        tally.pending = []
        tally.outside = HashSet()
        tally.joinedOutside = []
        return tally
    }

    /// Notes a loaded row of a person outside the cohort whose ID hashes to `hash`.
    @inline(__always)
    mutating func noteOutside(hash: UInt64) {
        pending.append(hash)
    }

    /// Notes the cohort people of loaded rows (codes ≥ 0; -1 is someone outside, noted by hash).
    mutating func noteRows(persons: UnsafeBufferPointer<Int32>) {
        covered.withUnsafeMutableBufferPointer { covered in
            for person in persons where person >= 0 {
                covered[Int(person) >> 6] |= 1 << UInt64(person & 63)
            }
        }
        absorbPending()
    }

    /// Inserts the pending hashes into the set, eight ahead asked for: the set outgrows a core's
    /// cache with a few hundred thousand people, and one miss after another was the cost.
    private mutating func absorbPending() {
        guard !pending.isEmpty else { return }
        outside.reserve(outside.count + pending.count)
        let ahead = 8
        pending.withUnsafeBufferPointer { hashes in
            for i in hashes.indices {
                if i + ahead < hashes.count { outside.prefetch(hashes[i + ahead]) }
                outside.insert(hashes[i])
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Adds another part's tally of the same source.
    mutating func merge(_ other: consuming SourceCoverageTally) {
        for i in covered.indices { covered[i] |= other.covered[i] }
        pending.append(contentsOf: other.pending)
        absorbPending()
        joinedOutside.append(other.outside)
        joinedOutside += other.joinedOutside
    }

    /// Takes `finished` as the counts of the sources before this one (a builder adopting
    /// another part's).
    mutating func adoptFinished(_ finished: [(cohortPeople: Int, outside: Int)]) {
        self.finished = finished
    }

    /// Ends the source being read: its counts go to ``finished``, and the next starts empty.
    mutating func finishSource() {
        absorbPending()
        finished.append((covered.reduce(0) { $0 + $1.nonzeroBitCount }, outsideCount()))
        for i in covered.indices { covered[i] = 0 }
        outside = HashSet()
        joinedOutside = []
    }

    /// The number of distinct hashes in ``outside`` and the joined parts' sets: each part's
    /// values counted unless an earlier set holds them.
    private func outsideCount() -> Int {
        var count = outside.count
        for (part, set) in joinedOutside.enumerated() {
            set.forEach { value in
                if !outside.contains(value) && !joinedOutside[..<part].contains(where: { $0.contains(value) }) { count += 1 }
            }
        }
        return count
    }

    /// An open-addressing set of 64-bit values, linear probing, at most half full (the value 0
    /// is kept apart, since an empty slot is 0).
    private struct HashSet: Sendable {
        private var slots: [UInt64] = []
        private var hasZero = false
        private var stored = 0

        var count: Int { stored + (hasZero ? 1 : 0) }

        @inline(__always)
        private static func slot(_ value: UInt64, mask: Int) -> Int {
            Int(truncatingIfNeeded: (value &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        }

        /// Grows the table so that `count` values keep it at most half full.
        mutating func reserve(_ count: Int) {
            guard count * 2 > slots.count else { return }
            var size = max(1024, slots.count)
            while size < count * 2 { size *= 2 }
            let old = slots
            slots = [UInt64](repeating: 0, count: size)
            stored = 0
            for value in old where value != 0 { insert(value) }
        }

        @inline(__always)
        func prefetch(_ value: UInt64) {
            // Sound: the index is masked to the table's size; a prefetch reads nothing back.
            slots.withUnsafeBufferPointer { cof_prefetch($0.baseAddress! + Self.slot(value, mask: $0.count - 1)) }
        }

        /// Inserts `value` (the table must have room: see ``reserve(_:)``).
        @inline(__always)
        mutating func insert(_ value: UInt64) {
            if value == 0 {
                hasZero = true
                return
            }
            if (stored + 1) * 2 > slots.count { reserve(stored + 1) }
            let inserted = slots.withUnsafeMutableBufferPointer { slots -> Bool in
                let mask = slots.count - 1
                var index = Self.slot(value, mask: mask)
                while true {
                    let found = slots[index]
                    if found == value { return false }
                    if found == 0 {
                        slots[index] = value
                        return true
                    }
                    index = (index + 1) & mask
                }
            }
            if inserted { stored += 1 }
        }

        /// Whether `value` is in the set.
        func contains(_ value: UInt64) -> Bool {
            if value == 0 { return hasZero }
            guard !slots.isEmpty else { return false }
            return slots.withUnsafeBufferPointer { slots in
                let mask = slots.count - 1
                var index = Self.slot(value, mask: mask)
                while true {
                    let found = slots[index]
                    if found == value { return true }
                    if found == 0 { return false }
                    index = (index + 1) & mask
                }
            }
        }

        func forEach(_ body: (UInt64) -> Void) {
            if hasZero { body(0) }
            for value in slots where value != 0 { body(value) }
        }
    }
}
