private import CCompilerHints

/// Collects (person ID, intervention start) rows and makes the treated cohort from them: the
/// people as a dictionary whose codes follow the byte order of their IDs (the output order),
/// with each one's index date (earliest start) by code. What a one-pass scan follows.
///
/// The IDs are kept end to end in one buffer as they arrive, so that sorting compares bytes,
/// not `String`s (which counted a reference on every access: a third of the time before the
/// events were read). Rows are sorted on their ID's first eight bytes as one integer, the rest
/// only on a tie (``PrefixSort``), and runs of one ID merged, so each person is interned once,
/// in order.
struct CohortBuilder {
    private var bytes: [UInt8] = []
    /// For each row, the offset in `bytes` one past its ID's last byte.
    private var rowEnds: [Int] = []
    /// Each row's sort key (its ID's first eight bytes, big-endian, zero-padded) and number.
    private var order: [(prefix: UInt64, item: Int32)] = []
    private var starts: [CivilDate] = []

    /// A builder with room for about `rows` rows before any buffer grows.
    init(rows: Int = 0) {
        bytes.reserveCapacity(rows * 16)
        rowEnds.reserveCapacity(rows)
        order.reserveCapacity(rows)
        starts.reserveCapacity(rows)
    }

    /// Adds a row: the person's ID (trimmed of spaces and tabs) and an intervention's start.
    mutating func append(id: UnsafeRawBufferPointer, start: CivilDate) {
        var prefix: UInt64 = 0
        for i in 0..<8 { prefix = prefix << 8 | UInt64(i < id.count ? id[i] : 0) }
        order.append((prefix, Int32(rowEnds.count)))
        bytes.append(contentsOf: id)
        rowEnds.append(bytes.count)
        starts.append(start)
    }

    /// The cohort: people in byte order of their IDs, and each one's earliest start.
    consuming func finish() -> (people: StringDictionary, indexDates: [CivilDate]) {
        let ends = rowEnds
        let starts = starts
        var order = order
        var people = StringDictionary()
        people.reserveCapacity(order.count)
        var dates: [CivilDate] = []
        dates.reserveCapacity(order.count)
        bytes.withUnsafeBytes { bytes in
            // Sound: every range below is one ID's, inside the buffer.
            func id(_ row: Int32) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: bytes[(row == 0 ? 0 : ends[Int(row) - 1])..<ends[Int(row)]])
            }
            // Each row's ID hashed in file order (reading the bytes in sequence), so that the
            // sorted loop below can ask for its table slots ahead of interning them.
            let hashes = (0..<Int32(ends.count)).map { StringDictionary.hash(StringDictionary.trim(id($0))) }
            PrefixSort.sort(&order) { StringDictionary.lexicographicallyPrecedes(id($0), id($1)) }
            // In sorted order the IDs' bytes and their slots are read at random: ask for both a
            // few IDs ahead, so that their cache misses overlap instead of coming one by one.
            let ahead = 8
            for (position, entry) in order.enumerated() {
                if position + ahead < order.count, let base = bytes.baseAddress {
                    let later = order[position + ahead].item
                    people.prefetchSlot(hash: hashes[Int(later)])
                    // Sound: a prefetch reads nothing back; the offset is inside the buffer.
                    cof_prefetch(base + (later == 0 ? 0 : ends[Int(later) - 1]))
                }
                let row = entry.item, start = starts[Int(row)]
                if position > 0, order[position - 1].prefix == entry.prefix, id(order[position - 1].item).elementsEqual(id(row)) {
                    dates[dates.count - 1] = min(dates[dates.count - 1], start)
                    continue
                }
                let code = Int(people.intern(trimmed: StringDictionary.trim(id(row)), hash: hashes[Int(row)]))
                if code < dates.count {
                    dates[code] = min(dates[code], start)  // the same ID once spaces are trimmed
                } else {
                    dates.append(start)
                }
            }
        }
        return (people, dates)
    }
}
