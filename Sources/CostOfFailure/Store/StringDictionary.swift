private import CCompilerHints
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interns byte strings (person IDs, service and event names) into dense `Int32` codes.
///
/// Codes are assigned in first-seen order, 0, 1, 2, ...; the strings are kept end to end in one
/// byte buffer and found through an open-addressing hash table whose slots carry each entry's
/// hash, length and first 16 bytes, so looking up an ID of up to 16 bytes reads one slot and
/// nothing else: one cache miss on a dictionary of millions of people, where reading the bytes
/// from the shared buffer made it two or three (measured: the lookup was a third of a 10M-row
/// load). Interning a value that is already known allocates
/// nothing. Leading and trailing spaces are not part of a value.
public struct StringDictionary: Sendable {
    /// One slot of the hash table (32 bytes); `code < 0` marks an empty one.
    struct Slot: Sendable {
        var hash: UInt64 = 0
        /// The value's first 16 bytes, zero-padded.
        var prefix = Prefix()
        var length: UInt32 = 0
        var code: Int32 = -1
    }

    /// The first 16 bytes of a value, zero-padded, as two words.
    struct Prefix: Sendable, Equatable {
        var low: UInt64 = 0
        var high: UInt64 = 0

        @inline(__always)
        init() {}

        @inline(__always)
        init(_ value: UnsafeRawBufferPointer) {
            if value.count >= 16 {
                low = value.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
                high = value.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            } else if value.count > 0 {
                // Sound: the copy writes value.count (< 16) bytes into this 16-byte struct.
                withUnsafeMutableBytes(of: &self) { $0.copyMemory(from: value) }
            }
        }
    }

    /// All values' bytes, end to end.
    private var storage: [UInt8] = []
    /// For each code, the offset in `storage` one past its last byte.
    private var ends: [Int] = []
    /// The open-addressing table; its size is a power of two, at most half full. Empty once
    /// released (``releaseTable()``): values are then found by binary search on their bytes.
    private var slots = [Slot](repeating: Slot(), count: 64)

    /// Creates an empty dictionary.
    public init() {}

    /// Number of distinct values.
    public var count: Int { ends.count }

    /// Makes room for `count` values in all without regrowing the table.
    public mutating func reserveCapacity(_ count: Int) {
        ends.reserveCapacity(count)
        if slots.isEmpty { restoreTable() }
        var size = slots.count
        while size < count * 2 + 2 { size *= 2 }
        if size > slots.count { grow(to: size) }
    }

    /// The code of `value`, adding it if new.
    @inlinable
    public mutating func intern(_ value: String) -> Int32 {
        var value = value
        return value.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The code of the bytes in `field` (spaces around them ignored), adding them if new.
    public mutating func intern(_ field: UnsafeRawBufferPointer) -> Int32 {
        let value = Self.trim(field)
        return intern(trimmed: value, hash: Self.hash(value))
    }

    /// The code of `value` (already trimmed) whose ``hash(_:)`` is `hash`, adding it if new.
    mutating func intern(trimmed value: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        if slots.isEmpty { restoreTable() }
        let (slot, found) = find(value, hash: hash)
        if found >= 0 { return found }
        let code = Int32(ends.count)
        if let base = value.baseAddress, value.count > 0 {
            storage.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: value.count))
        }
        ends.append(storage.count)
        slots[slot] = Slot(hash: hash, prefix: Prefix(value), length: UInt32(value.count), code: code)
        if ends.count * 2 > slots.count { grow() }
        return code
    }

    /// The code of `value` when it is present.
    public func code(of value: String) -> Int32? {
        var utf8 = Array(value.utf8)
        return utf8.withUnsafeMutableBytes { buffer -> Int32? in
            let bytes = Self.trim(UnsafeRawBufferPointer(buffer))
            let code = find(bytes, hash: Self.hash(bytes)).code
            return code >= 0 ? code : nil
        }
    }

    /// The code of the bytes in `field` (spaces around them ignored), or -1 when they are not
    /// present; adds nothing.
    @inline(__always)
    public func lookup(_ field: UnsafeRawBufferPointer) -> Int32 {
        let value = Self.trim(field)
        return lookup(trimmed: value, hash: Self.hash(value))
    }

    /// The code of `value` (already trimmed) whose ``hash(_:)`` is `hash`, or -1.
    @inline(__always)
    func lookup(trimmed value: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        find(value, hash: hash).code
    }

    /// Starts loading the slot a value whose ``hash(_:)`` is `hash` is looked for in first, so
    /// that interning a batch of values in an order of their own (the cohort's sorted IDs) has
    /// its cache misses in flight together: on 75,000 IDs the table is 8 MB.
    @inline(__always)
    func prefetchSlot(hash: UInt64) {
        if slots.isEmpty { return }
        // Sound: the index is masked to the table's size; a prefetch reads nothing back.
        slots.withUnsafeBufferPointer { cof_prefetch($0.baseAddress! + (Int(truncatingIfNeeded: hash) & ($0.count - 1))) }
    }

    /// Whether the value with `code` is exactly the bytes of `value`.
    @inline(__always)
    func holds(_ value: UnsafeRawBufferPointer, at code: Int32) -> Bool {
        let range = byteRange(of: Int(code))
        guard range.count == value.count else { return false }
        return storage.withUnsafeBytes { stored in
            let stored = UnsafeRawBufferPointer(rebasing: stored[range])
            var i = 0
            while i + 8 <= value.count {
                if stored.loadUnaligned(fromByteOffset: i, as: UInt64.self) != value.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            while i < value.count {
                if stored[i] != value[i] { return false }
                i += 1
            }
            return true
        }
    }

    /// The slot holding `value`, with its code; or the empty slot where it would go, with -1.
    @inline(__always)
    private func find(_ value: UnsafeRawBufferPointer, hash: UInt64) -> (slot: Int, code: Int32) {
        if slots.isEmpty { return (-1, codeBySearch(value)) }
        let prefix = Prefix(value)
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var index = Int(truncatingIfNeeded: hash) & mask
            while true {
                let slot = slots[index]
                if slot.code < 0 { return (index, -1) }
                if slot.hash == hash, Int(slot.length) == value.count, slot.prefix == prefix,
                   value.count <= 16 || restEquals(code: Int(slot.code), value) {
                    return (index, slot.code)
                }
                index = (index + 1) & mask
            }
        }
    }

    /// The bytes of the value with `code` (a copy).
    public func bytes(of code: Int32) -> [UInt8] {
        Array(storage[byteRange(of: Int(code))])
    }

    /// Calls `body` with the bytes of the value with `code` (no copy).
    public func withBytes<R>(of code: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let range = byteRange(of: Int(code))
        return storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// The value with `code`.
    public subscript(code: Int32) -> String {
        let range = byteRange(of: Int(code))
        return storage.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// All values in code order.
    public var values: [String] { (0..<count).map { self[Int32($0)] } }

    /// Codes in byte-wise order of their values (the engine's output order).
    ///
    /// Sorted on each value's first eight bytes as one big-endian integer, comparing the whole
    /// values only where those are equal (``PrefixSort``): sorting 750,000 IDs through `memcmp`
    /// alone took most of a second.
    public func codesInByteOrder() -> [Int32] {
        storage.withUnsafeBytes { bytes in
            var keyed: [(prefix: UInt64, item: Int32)] = (0..<Int32(count)).map { code in
                let range = byteRange(of: Int(code))
                var prefix: UInt64 = 0
                for i in 0..<8 { prefix = prefix << 8 | UInt64(i < range.count ? bytes[range.lowerBound + i] : 0) }
                return (prefix, code)
            }
            PrefixSort.sort(&keyed) { a, b in
                Self.lexicographicallyPrecedes(UnsafeRawBufferPointer(rebasing: bytes[byteRange(of: Int(a))]),
                                               UnsafeRawBufferPointer(rebasing: bytes[byteRange(of: Int(b))]))
            }
            return keyed.map(\.item)
        }
    }

    /// Whether codes 0, 1, 2, ... follow the byte-wise order of their values.
    public var codesAreInByteOrder: Bool {
        storage.withUnsafeBytes { bytes in
            (1..<max(count, 1)).allSatisfy { code in
                !Self.lexicographicallyPrecedes(UnsafeRawBufferPointer(rebasing: bytes[byteRange(of: code)]),
                                                UnsafeRawBufferPointer(rebasing: bytes[byteRange(of: code - 1)]))
            }
        }
    }

    /// Whether the lookup table is held (see ``releaseTable()``).
    public var holdsTable: Bool { !slots.isEmpty }

    /// Frees the lookup table of a dictionary whose codes follow the byte order of their values
    /// (``codesAreInByteOrder``), keeping the values: a lookup is then a binary search
    /// on their bytes (about 20 comparisons for 750,000 people), and interning makes the table
    /// again first.
    ///
    /// For the cohort of a streaming pass, whose scan finds people through ``FollowedPeople``'s
    /// own table and looks them up by value only a few times after: at 750,000 people the table
    /// is 64 MiB, as much as all the rest of the cohort's IDs.
    /// Does nothing when the codes are not in byte order.
    public mutating func releaseTable() {
        guard codesAreInByteOrder else { return }
        slots = []
    }

    /// The code of `value` by binary search on the values (codes in byte order), or -1.
    private func codeBySearch(_ value: UnsafeRawBufferPointer) -> Int32 {
        storage.withUnsafeBytes { stored in
            var low = 0, high = count
            while low < high {
                let middle = (low + high) / 2
                let candidate = UnsafeRawBufferPointer(rebasing: stored[byteRange(of: middle)])
                if Self.lexicographicallyPrecedes(candidate, value) {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return low < count && holds(value, at: Int32(low)) ? Int32(low) : -1
        }
    }

    /// Makes the lookup table again from the values, after ``releaseTable()``.
    private mutating func restoreTable() {
        var size = 64
        while size < count * 2 + 2 { size *= 2 }
        var table = [Slot](repeating: Slot(), count: size)
        let mask = size - 1
        for code in 0..<count {
            withBytes(of: Int32(code)) { value in
                let hash = Self.hash(value)
                var index = Int(truncatingIfNeeded: hash) & mask
                while table[index].code >= 0 { index = (index + 1) & mask }
                table[index] = Slot(hash: hash, prefix: Prefix(value), length: UInt32(value.count), code: Int32(code))
            }
        }
        slots = table
    }

    private func byteRange(of code: Int) -> Range<Int> {
        (code == 0 ? 0 : ends[code - 1])..<ends[code]
    }

    /// Whether bytes 16... of the value with `code` equal those of `value` (longer values only).
    /// Compared eight bytes at a time in line: the tails are short (IDs and names of 17–40
    /// bytes), where a call to `memcmp` cost more than the comparison.
    private func restEquals(code: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        let start = (code == 0 ? 0 : ends[code - 1]) + 16
        return storage.withUnsafeBytes { stored in
            // Sound: the stored value has value.count bytes (its length matched), so both
            // ranges below lie inside their buffers.
            let stored = UnsafeRawBufferPointer(rebasing: stored[start..<(start + value.count - 16)])
            let count = stored.count
            var i = 0
            while i + 8 <= count {
                if stored.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    != value.loadUnaligned(fromByteOffset: 16 + i, as: UInt64.self) { return false }
                i += 8
            }
            while i < count {
                if stored[i] != value[16 + i] { return false }
                i += 1
            }
            return true
        }
    }

    private mutating func grow(to size: Int? = nil) {
        var newSlots = [Slot](repeating: Slot(), count: size ?? slots.count * 2)
        let mask = newSlots.count - 1
        for slot in slots where slot.code >= 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while newSlots[index].code >= 0 { index = (index + 1) & mask }
            newSlots[index] = slot
        }
        slots = newSlots
    }

    @inline(__always)
    static func trim(_ field: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        // Almost every field starts and ends with a byte above a space: nothing to trim.
        if FieldDecoder.hasNoEdgeBlanks(field) { return field }
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 || field[start] == 0x09 { start += 1 }
        while end > start, field[end - 1] == 0x20 || field[end - 1] == 0x09 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: field[start..<end])
    }

    /// A 64-bit hash that reads eight bytes at a time (keys are short IDs and names).
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        let remaining = bytes.count - i
        if remaining > 0, bytes.count >= 8 {
            // The last 1–7 bytes as the high bytes of the value's last eight, shifted down:
            // the same word the byte loop below builds, in one load.
            tail = bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self) >> UInt64(64 - 8 * remaining)
        } else {
            var shift: UInt64 = 0
            while i < bytes.count {
                tail |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        // Finish with MurmurHash3's fmix64: the table indexes by the low bits, which a multiply
        // alone leaves depending on the low bits of the input only.
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    static func lexicographicallyPrecedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let common = min(a.count, b.count)
        if common > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, common)
            if order != 0 { return order < 0 }
        }
        return a.count < b.count
    }
}
