import Dispatch

/// 128-bit fingerprints of event rows, kept in buckets so that the rows that repeat an earlier
/// one can be counted at the end without sorting them all (see ``duplicates(workers:)``).
///
/// A row's fingerprint is made from what the row says, not from the codes it is read with
/// (each thread of a parallel read has codes of its own), so the fingerprints of the parts of a
/// file join by concatenation. Equal rows always share a fingerprint; two different rows share
/// one only by a collision of the (127-bit) fingerprints, which for `n` rows in one source
/// happens with a chance of about n² / 2^128: below 10^-24 for 10 million rows and 10^-20 for a
/// billion, far below any chance of a fault in the machine counting them. Memory: 16 bytes a
/// row (160 MB for 10M rows), in chunks of at most 64 KB, with nothing regrown and copied.
struct RowFingerprints: Sendable {
    /// One row's fingerprint: two 64-bit lanes; bit 0 of `low` is always set, so that an empty
    /// slot of the counting table (all zero) is never a fingerprint.
    struct Fingerprint: Sendable, Equatable {
        var high: UInt64
        var low: UInt64
    }

    /// Buckets by the top bits of ``Fingerprint/high``: about 10,000 rows a bucket at 10M rows,
    /// whose counting table (32,768 slots, 512 KB) stays in a core's cache.
    static let bucketBits = 10
    static let bucketCount = 1 << bucketBits
    /// The largest chunk a bucket's fingerprints are kept in (64 KB).
    static let largestChunk = 4_096

    /// Each bucket's fingerprints, in chunks.
    private var buckets = [[[Fingerprint]]](repeating: [], count: bucketCount)
    /// Fingerprints held.
    private(set) var count = 0

    /// The bucket of `fingerprint`.
    @inline(__always)
    static func bucket(of fingerprint: Fingerprint) -> Int {
        Int(truncatingIfNeeded: fingerprint.high >> UInt64(64 - bucketBits))
    }

    /// Adds `fingerprints`, already grouped by bucket: bucket `b`'s are
    /// `fingerprints[starts[b]..<starts[b + 1]]`.
    mutating func append(grouped fingerprints: UnsafeBufferPointer<Fingerprint>, starts: UnsafeBufferPointer<Int>) {
        for b in 0..<Self.bucketCount where starts[b + 1] > starts[b] {
            var slice = UnsafeBufferPointer(rebasing: fingerprints[starts[b]..<starts[b + 1]])
            while !slice.isEmpty {
                if buckets[b].isEmpty || buckets[b][buckets[b].count - 1].count == buckets[b][buckets[b].count - 1].capacity {
                    // Chunks grow from 64 fingerprints to the largest, so a small file holds little.
                    let last = buckets[b].last?.count ?? 32
                    var chunk: [Fingerprint] = []
                    chunk.reserveCapacity(min(Self.largestChunk, max(64, last * 2)))
                    buckets[b].append(chunk)
                }
                let last = buckets[b].count - 1
                let room = buckets[b][last].capacity - buckets[b][last].count
                let taken = min(room, slice.count)
                buckets[b][last].append(contentsOf: UnsafeBufferPointer(rebasing: slice[..<taken]))
                slice = UnsafeBufferPointer(rebasing: slice[taken...])
            }
        }
        count += fingerprints.count
    }

    /// Takes over `other`'s fingerprints (no copy of them).
    mutating func append(_ other: consuming RowFingerprints) {
        for b in 0..<Self.bucketCount where !other.buckets[b].isEmpty {
            buckets[b].append(contentsOf: other.buckets[b])
        }
        count += other.count
    }

    /// How many fingerprints repeat an earlier one: each bucket's are put in an open-addressing
    /// table at most half full, the buckets shared out among `workers` threads.
    func duplicates(workers: Int) -> Int {
        guard count > 0 else { return 0 }
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: Self.bucketCount)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        // Sound: iteration `b` writes element `b` only; the buffer outlives the call.
        nonisolated(unsafe) let results = counts
        let buckets = self.buckets
        let count = { @Sendable (b: Int) in results[b] = Self.duplicates(in: buckets[b]) }
        if workers > 1 && self.count >= 1 << 16 {
            DispatchQueue.concurrentPerform(iterations: Self.bucketCount, execute: count)
        } else {
            for b in 0..<Self.bucketCount { count(b) }
        }
        return counts.reduce(0, +)
    }

    /// The fingerprints among `chunks` (one bucket's) that repeat an earlier one.
    private static func duplicates(in chunks: [[Fingerprint]]) -> Int {
        let total = chunks.reduce(0) { $0 + $1.count }
        guard total > 1 else { return 0 }
        var size = 16
        while size < total * 2 { size *= 2 }
        let mask = size - 1
        var repeated = 0
        var table = [Fingerprint](repeating: Fingerprint(high: 0, low: 0), count: size)
        // Sound: every index is masked to the table's size. Through the buffer, the probe loop
        // neither checks bounds nor the array's uniqueness on each store.
        table.withUnsafeMutableBufferPointer { table in
            for chunk in chunks {
                for fingerprint in chunk {
                    // The bucket took the top bits of `high`; the slot comes from `low`'s.
                    var index = Int(truncatingIfNeeded: fingerprint.low >> 16) & mask
                    while true {
                        let slot = table[index]
                        if slot.low == 0 {
                            table[index] = fingerprint
                            break
                        }
                        if slot == fingerprint {
                            repeated += 1
                            break
                        }
                        index = (index + 1) & mask
                    }
                }
            }
        }
        return repeated
    }
}

extension RowFingerprints.Fingerprint {
    /// The fingerprint of a row made of the fingerprints of its person, service and event (see
    /// ``ValuePrint``) and its day, quantity and explicit cost (`nil`: none; not the same as 0).
    @inline(__always)
    init(person: RowFingerprints.ValuePrint, service: RowFingerprints.ValuePrint, event: RowFingerprints.ValuePrint, day: Int32, quantity: Int32, explicitCost: Pence?) {
        let dayQuantity = UInt64(UInt32(bitPattern: day)) << 32 | UInt64(UInt32(bitPattern: quantity))
        let cost = UInt64(bitPattern: explicitCost ?? 0)
        let hasCost: UInt64 = explicitCost == nil ? 0 : 1
        // Two lanes, each a chain of MurmurHash3's 64-bit finaliser with its own constants.
        var a = person.high
        a = Self.mix(a ^ service.high, 0xFF51_AFD7_ED55_8CCD)
        a = Self.mix(a ^ event.high, 0xC4CE_B9FE_1A85_EC53)
        a = Self.mix(a ^ dayQuantity, 0x9E37_79B9_7F4A_7C15)
        a = Self.mix(a ^ cost, 0xBF58_476D_1CE4_E5B9)
        a = Self.mix(a ^ hasCost, 0x94D0_49BB_1331_11EB)
        var b = person.low
        b = Self.mix(b ^ service.low, 0xD6E8_FEB8_6659_FD93)
        b = Self.mix(b ^ event.low, 0xA076_1D64_78BD_642F)
        b = Self.mix(b ^ dayQuantity, 0xE703_7ED1_A0B4_28DB)
        b = Self.mix(b ^ cost, 0x8EBC_6AF0_9C88_C6E3)
        b = Self.mix(b ^ hasCost, 0x5899_65CC_7537_4CC3)
        self.init(high: a, low: b | 1)
    }

    @inline(__always)
    private static func mix(_ value: UInt64, _ multiplier: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x = x &* multiplier
        x ^= x >> 29
        x = x &* 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 32
        return x
    }
}

extension RowFingerprints {
    /// A 128-bit fingerprint of one text value (a service or event name): the dictionary's
    /// 64-bit hash and a second, independent 64-bit hash of the same bytes; or a person, as
    /// the scan tells them apart (see ``DataQualityScan``).
    struct ValuePrint: Sendable {
        var high: UInt64
        var low: UInt64

        /// A fingerprint of the given lanes.
        init(high: UInt64, low: UInt64) {
            self.high = high
            self.low = low
        }

        /// The fingerprint of `bytes` (a dictionary's value, already trimmed).
        init(_ bytes: UnsafeRawBufferPointer) {
            high = StringDictionary.hash(bytes)
            // FNV-1a's 64-bit variant, then a finaliser: unrelated to the dictionary's hash.
            var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
            for byte in bytes {
                h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            h ^= h >> 31
            h = h &* 0x7FB5_D329_728E_A185
            h ^= h >> 27
            h = h &* 0x81DA_DEF4_BC2D_D44D
            h ^= h >> 33
            low = h
        }

        /// The fingerprints of `dictionary`'s values from code `from` on, appended to `prints`.
        static func extend(_ prints: inout [ValuePrint], from dictionary: StringDictionary) {
            guard prints.count < dictionary.count else { return }
            prints.reserveCapacity(dictionary.count)
            for code in Int32(prints.count)..<Int32(dictionary.count) {
                prints.append(dictionary.withBytes(of: code) { ValuePrint($0) })
            }
        }
    }
}
