/// A direct-mapped cache of `YYYY-MM-DD` fields already decoded, for the ingest's hot path.
///
/// A ten-year extract has about 3,650 distinct dates over millions of rows, so most rows' dates
/// were decoded a moment ago. A slot holds a field's ten bytes (as a word and a half-word) and
/// its day; a field whose bytes match a slot is that day, with no shape check, no calendar
/// check and no arithmetic. Only dates the ISO fast path (``FieldDecoder/isoDate(_:)``)
/// accepted go in, so a hit gives exactly what ``FieldDecoder/date(_:format:)`` gives for the
/// field under any format that reads year first; a miss, or any other field, goes to it.
/// 8,192 slots of 16 bytes: 128 KiB a reader, within a core's L2 cache.
struct DateCache {
    private struct Slot {
        var head: UInt64 = 0
        var tail: UInt16 = 0
        /// ``empty`` in a slot never filled (whose zero bytes a field could match).
        var days = DateCache.empty
    }

    /// No date's day: `YYYY` has four digits.
    private static let empty = Int32.min

    static let slotBits = 13
    private var slots = [Slot](repeating: Slot(), count: 1 << slotBits)

    /// The day of the ten-byte field `field` if it is a valid `YYYY-MM-DD` date, else `nil`
    /// (not that shape, or an impossible date: the caller's general path says which).
    @inline(__always)
    mutating func days(ofTenBytes field: UnsafeRawBufferPointer) -> Int32? {
        // Sound: the caller passes exactly ten bytes: bytes 0–7 and 8–9 are inside the field.
        let head = field.loadUnaligned(as: UInt64.self)
        let tail = field.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        let index = Self.slot(head: head, tail: tail)
        let hit: Int32 = slots.withUnsafeBufferPointer { slots in
            // Sound: `index` is below the table's size (13 bits: 4 of year, 4 of month, 5 of day).
            let slot = slots[index]
            return slot.head == head && slot.tail == tail ? slot.days : Self.empty
        }
        if hit != Self.empty { return hit }
        return remember(field, head: head, tail: tail, index: index)
    }

    /// Decodes a field the cache does not hold and keeps it when it is a valid date.
    @inline(never)
    private mutating func remember(_ field: UnsafeRawBufferPointer, head: UInt64, tail: UInt16, index: Int) -> Int32? {
        let iso = FieldDecoder.isoDate(field)
        guard iso.isISO, let days = iso.days else { return nil }
        slots[index] = Slot(head: head, tail: tail, days: days)
        return days
    }

    /// Which slot a field goes in: for a date, its year modulo 16, month and day read from the
    /// digits' low nibbles (any 16 years in a row have a slot for each day, so a ten-year
    /// extract's dates never evict one another); for other bytes, some slot.
    @inline(__always)
    private static func slot(head: UInt64, tail: UInt16) -> Int {
        let nibbles = head & 0x000F_0F00_0F0F_0000
        let year = Int(truncatingIfNeeded: nibbles >> 16 & 0xF) &* 10 &+ Int(truncatingIfNeeded: nibbles >> 24 & 0xF)
        let month = Int(truncatingIfNeeded: nibbles >> 40 & 0xF) &* 10 &+ Int(truncatingIfNeeded: nibbles >> 48 & 0xF)
        let day = Int(truncatingIfNeeded: tail & 0xF) &* 10 &+ Int(truncatingIfNeeded: tail >> 8 & 0xF)
        return (year & 15) << 9 | (month & 15) << 5 | (day & 31)
    }
}
