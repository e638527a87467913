private import CCompilerHints

/// The people a streaming scan follows (the treated cohort), found by ID with a lookup built
/// for the common case of a miss.
///
/// Most rows of a large extract belong to people outside the cohort, and any table of the
/// cohort's IDs is bigger than a core's cache once the cohort is large. So the lookup has two
/// steps:
/// - a Bloom filter of about 10 bits a person (two bits an ID; 1 MiB for 750,000 people), which
///   stays in a core's cache and turns away all but a few per cent of the others;
/// - an open-addressing table of 32-byte slots (at most about three quarters full), each
///   holding a person's code, the ID's length and its first 27 bytes, so a followed person is
///   confirmed with one cache line read (the dictionary's offsets and bytes cost two more
///   misses; a longer ID checks its tail there).
///
/// Measured on 100M rows (750,000 treated people): probing the dictionary's table for every row
/// was 37% of the run; with the filter and these slots the run went from 44 s to 32 s.
public struct FollowedPeople: Sendable {
    /// The followed IDs; a person's code is their code here.
    public let dictionary: StringDictionary
    /// Tells this set of people from any other made in the process (builders following the
    /// same people code them alike, so joining them needs no recoding).
    let identity = UInt64.random(in: 1...UInt64.max)
    private let filter: [UInt64]
    private let filterShift: UInt64
    /// Slots of four words: word 0 is the code (low 32 bits, -1 when empty), the length (8 bits)
    /// and ID bytes 0–2; words 1–3 are ID bytes 3–26, zero-padded.
    private let slots: [UInt64]
    private let mask: Int

    /// IDs of more than this many bytes keep the rest in the dictionary only.
    private static let inlineBytes = 27

    /// Follows the people in `dictionary`.
    public init(_ dictionary: StringDictionary) {
        self.dictionary = dictionary
        // At most about three quarters full: at 750,000 people a table of 2^20 slots (32 MiB)
        // rather than 2^21, when the scan's memory peaks (the end of the read). A followed
        // person is then found in about two slots, most often in one cache line; most others
        // never reach the table (the filter turns them away).
        var count = 16
        while count * 3 < dictionary.count * 4 { count *= 2 }
        let mask = count - 1
        var slots = [UInt64](repeating: 0, count: count * 4)
        for index in 0..<count { slots[index * 4] = UInt64(UInt32(bitPattern: -1)) }
        var words = 8
        while words * 64 < dictionary.count * 10 { words *= 2 }
        let shift = UInt64(64 - words.trailingZeroBitCount)
        var filter = [UInt64](repeating: 0, count: words)
        // The IDs are read in code order, but their slots are at random in a table of megabytes:
        // hash them all first, then ask for each slot a few IDs before filling it.
        let hashes = (0..<Int32(dictionary.count)).map { dictionary.withBytes(of: $0, StringDictionary.hash) }
        let ahead = 8
        slots.withUnsafeMutableBufferPointer { slots in
            for code in 0..<Int32(dictionary.count) {
                if Int(code) + ahead < hashes.count {
                    // Sound: the index is masked to the table's size; a prefetch reads nothing back.
                    cof_prefetch(slots.baseAddress! + (Int(truncatingIfNeeded: hashes[Int(code) + ahead]) & mask) * 4)
                }
                dictionary.withBytes(of: code) { value in
                    let hash = hashes[Int(code)]
                    let (word, bits) = Self.filterMask(hash, shift: shift)
                    filter[word] |= bits
                    var index = Int(truncatingIfNeeded: hash) & mask
                    while Int32(truncatingIfNeeded: slots[index * 4]) >= 0 { index = (index + 1) & mask }
                    let key = Self.key(value)
                    slots[index * 4] = key.0 | UInt64(UInt32(bitPattern: code))
                    slots[index * 4 + 1] = key.1
                    slots[index * 4 + 2] = key.2
                    slots[index * 4 + 3] = key.3
                }
            }
        }
        self.filter = filter
        filterShift = shift
        self.slots = slots
        self.mask = mask
    }

    /// The number of people followed.
    public var count: Int { dictionary.count }

    /// The filter's word and two bits for `hash`: the word from the hash's top bits, the bits from
    /// two other six-bit fields (the slot table indexes by the low bits). Both bits in one word
    /// make a lookup one cache line, not two (a blocked Bloom filter).
    @inline(__always)
    private static func filterMask(_ hash: UInt64, shift: UInt64) -> (word: Int, bits: UInt64) {
        let word = Int(truncatingIfNeeded: hash >> shift)
        return (word, 1 << ((hash >> 20) & 63) | 1 << ((hash >> 26) & 63))
    }

    /// An ID as a slot's words, the code part zero: length and bytes 0–2, then bytes 3–26.
    @inline(__always)
    private static func key(_ value: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt64, UInt64) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { words in
            // Sound: at most 27 bytes are copied to offsets 5...31 of the 32-byte tuple.
            words[4] = UInt8(min(value.count, 255))
            let inline = min(value.count, inlineBytes)
            if inline > 0 { (words.baseAddress! + 5).copyMemory(from: value.baseAddress!, byteCount: inline) }
        }
        return words
    }

    /// ``key(_:)`` of an inline ID, by shifts instead of a copy: byte 4 of the key is the length
    /// and bytes 5–31 are ID bytes 0–26, so each key word is the ID's word shifted up five bytes
    /// with the three bytes above it from the next.
    @inline(__always)
    private static func key(_ id: InlineID) -> (UInt64, UInt64, UInt64, UInt64) {
        let w0 = UInt64(littleEndian: id.words.0), w1 = UInt64(littleEndian: id.words.1)
        let w2 = UInt64(littleEndian: id.words.2), w3 = UInt64(littleEndian: id.words.3)
        let k0 = UInt64(min(id.count, 255)) << 32 | w0 << 40
        return (k0.littleEndian, (w0 >> 24 | w1 << 40).littleEndian, (w1 >> 24 | w2 << 40).littleEndian,
                (w2 >> 24 | w3 << 40).littleEndian)
    }

    /// The code of the (trimmed) inline ID `id` whose hash is `hash`, or -1.
    @inline(__always)
    func code(_ id: InlineID, hash: UInt64) -> Int32 {
        probe(Self.key(id), hash: hash, isLong: id.count > Self.inlineBytes) { code in
            id.withBytes { dictionary.holds($0, at: code) }
        }
    }

    /// The code of the ID in `field` (spaces around it ignored), or -1 for anyone not followed.
    @inline(__always)
    public func code(of field: UnsafeRawBufferPointer) -> Int32 {
        let value = StringDictionary.trim(field)
        let hash = StringDictionary.hash(value)
        return mayFollow(hash: hash) ? code(trimmed: value, hash: hash) : -1
    }

    /// Whether an ID whose ``StringDictionary/hash(_:)`` is `hash` may be followed (`false`:
    /// certainly not). Reads one word of a cache-sized filter.
    @inline(__always)
    func mayFollow(hash: UInt64) -> Bool {
        let (word, bits) = Self.filterMask(hash, shift: filterShift)
        // Sound: `word` is below the filter's size (the top bits of a 64-bit value).
        return filter.withUnsafeBufferPointer { $0[word] & bits == bits }
    }

    /// Starts loading the filter word ``mayFollow(hash:)`` will read for `hash`, so that asking
    /// a little later (at the end of the row) does not wait on memory: with 750,000 people the
    /// filter is a megabyte, as big as a core's L2 cache, and asking at once missed it on most rows.
    @inline(__always)
    func prefetchFilter(hash: UInt64) {
        let (word, _) = Self.filterMask(hash, shift: filterShift)
        // Sound: `word` is below the filter's size; a prefetch reads nothing back.
        filter.withUnsafeBufferPointer { cof_prefetch($0.baseAddress! + word) }
    }

    /// Reads the first slot an ID with `hash` probes, so that a batch of lookups can have its
    /// cache misses in flight together before the lookups themselves.
    @inline(__always)
    func firstSlotWord(hash: UInt64) -> UInt64 {
        slots.withUnsafeBufferPointer { $0[(Int(truncatingIfNeeded: hash) & mask) * 4] }
    }

    /// The code of the (trimmed) ID `value` whose hash is `hash`, or -1.
    @inline(__always)
    func code(trimmed value: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        probe(Self.key(value), hash: hash, isLong: value.count > Self.inlineBytes) { dictionary.holds(value, at: $0) }
    }

    /// The code in the slot whose key is `key`, probing from `hash`'s slot, or -1; for an ID
    /// longer than the slot's inline bytes (`isLong`), `holds` settles the rest with a code.
    @inline(__always)
    private func probe(_ key: (UInt64, UInt64, UInt64, UInt64), hash: UInt64, isLong: Bool,
                       holds: (Int32) -> Bool) -> Int32 {
        slots.withUnsafeBufferPointer { slots in
            var index = Int(truncatingIfNeeded: hash) & mask
            while true {
                // Sound: `index` is masked to the table's size; each slot is four words.
                let slot = slots.baseAddress! + index * 4
                let code = Int32(truncatingIfNeeded: slot[0])
                if code < 0 { return -1 }
                if slot[0] & ~0xFFFF_FFFF == key.0, slot[1] == key.1, slot[2] == key.2, slot[3] == key.3,
                   !isLong || holds(code) {
                    return code
                }
                index = (index + 1) & mask
            }
        }
    }
}
