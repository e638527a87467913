import Dispatch

/// 128-bit fingerprints of event rows, kept in buckets so that the rows that repeat an earlier
/// one can be counted at the end without sorting them all (see ``duplicates(workers:)``).
///
/// A row's fingerprint is made from what the row says, not from the codes it is read with
/// (each thread of a parallel read has codes of its own), so the fingerprints of the parts of a
/// file join by concatenation. Equal rows always share a fingerprint; two different rows share
/// one only by a collision of the (127-bit) fingerprints, which for `n` rows in one source
/// happens with a chance of about n² / 2^128: below 10^-24 for 10 million rows and 10^-20 for a
/// billion, far below any chance of a fault in the machine counting them.
///
/// Memory: 16 bytes a row, held as each morsel's fingerprints grouped by bucket (one array of
/// exactly the morsel's size, plus 4 KB of bucket starts), so nothing is reserved and left empty
/// and nothing is regrown and copied: 160 MB for 10M rows. Past ``FingerprintSpill``'s budget
/// (256 MB across the parts of a scan) a part writes what it holds to an encrypted, unlinked
/// temporary file, bucket by bucket, and frees it; each bucket is then counted from its
/// segments read back and what is still in memory, so 100M rows need about the budget, not
/// 1.6 GB. Below the budget nothing is written.
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

    /// One morsel's fingerprints in memory, grouped by bucket: bucket `b`'s are
    /// `prints[starts[b]..<starts[b + 1]]`. It tells its file's budget when it is freed.
    final class Run: Sendable {
        let prints: [Fingerprint]
        let starts: [UInt32]
        private let spill: FingerprintSpill

        init(prints: [Fingerprint], starts: [UInt32], spill: FingerprintSpill) {
            self.prints = prints
            self.starts = starts
            self.spill = spill
        }

        deinit { _ = spill.hold(-Self.bytes(prints.count)) }

        /// What `count` fingerprints take in memory.
        static func bytes(_ count: Int) -> Int { count * MemoryLayout<Fingerprint>.stride }
    }

    /// Where this part's fingerprints go past the budget (shared with the other parts of a scan).
    let spill: FingerprintSpill
    /// The fingerprints held in memory.
    private var runs: [Run] = []
    /// Each bucket's fingerprints written to a file (empty until the first spill).
    private var segments: [[FingerprintSpill.Segment]] = []
    /// The first failure to write fingerprints out: then they were dropped (to keep memory
    /// bounded), and counting throws it rather than give a wrong count.
    private var spillFailure: IngestError?
    /// Fingerprints taken, in memory or written out.
    private(set) var count = 0

    /// Fingerprints that go to `spill` past its budget.
    init(spill: FingerprintSpill = FingerprintSpill()) {
        self.spill = spill
    }

    /// The bucket of `fingerprint`.
    @inline(__always)
    static func bucket(of fingerprint: Fingerprint) -> Int {
        Int(truncatingIfNeeded: fingerprint.high >> UInt64(64 - bucketBits))
    }

    /// Adds `fingerprints`, already grouped by bucket: bucket `b`'s are
    /// `fingerprints[starts[b]..<starts[b + 1]]` (at most `UInt32.max` of them). Writes what this
    /// part holds to the file when the scan's parts hold more than the budget.
    mutating func append(grouped fingerprints: UnsafeBufferPointer<Fingerprint>, starts: UnsafeBufferPointer<Int>) {
        guard !fingerprints.isEmpty else { return }
        count += fingerprints.count
        // After a failed write the count can only be an error: keep nothing more.
        guard spillFailure == nil else { return }
        runs.append(Run(prints: Array(fingerprints), starts: starts.map { UInt32($0) }, spill: spill))
        if spill.hold(Run.bytes(fingerprints.count)) { spillRuns() }
    }

    /// Writes the fingerprints held in memory to the file, one segment a bucket, and frees them.
    mutating func spillRuns() {
        let runs = self.runs
        self.runs = []
        if segments.isEmpty { segments = [[FingerprintSpill.Segment]](repeating: [], count: Self.bucketCount) }
        var gathered: [Fingerprint] = []
        for b in 0..<Self.bucketCount {
            gathered.removeAll(keepingCapacity: true)
            for run in runs { gathered.append(contentsOf: run.prints[Int(run.starts[b])..<Int(run.starts[b + 1])]) }
            guard !gathered.isEmpty else { continue }
            do throws(IngestError) {
                let segment = try gathered.withUnsafeBufferPointer { (prints) throws(IngestError) in try spill.write(prints, bucket: b) }
                segments[b].append(segment)
            } catch {
                spillFailure = error
                return
            }
        }
    }

    /// Takes over `other`'s fingerprints, in memory and written out (no copy of them).
    mutating func append(_ other: consuming RowFingerprints) {
        runs += other.runs
        if !other.segments.isEmpty {
            if segments.isEmpty {
                segments = other.segments
            } else {
                for b in 0..<Self.bucketCount where !other.segments[b].isEmpty { segments[b] += other.segments[b] }
            }
        }
        if spillFailure == nil { spillFailure = other.spillFailure }
        count += other.count
    }

    /// Whether some fingerprints were written to the file.
    var hasSpilled: Bool { segments.contains { !$0.isEmpty } }

    /// The segments written to the file (for tests).
    var spilledSegments: Int { segments.reduce(0) { $0 + $1.count } }

    /// How many fingerprints repeat an earlier one: each bucket's, from memory and read back
    /// from the file, are put in an open-addressing table at most half full, the buckets shared
    /// out among `workers` threads.
    ///
    /// - Throws: ``IngestError/Kind/unreadable`` naming the temporary directory when the
    ///   fingerprints could not be written out or read back intact.
    func duplicates(workers: Int) throws(IngestError) -> Int {
        if let spillFailure { throw spillFailure }
        guard count > 0 else { return 0 }
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: Self.bucketCount)
        counts.initialize(repeating: 0)
        let failures = UnsafeMutableBufferPointer<IngestError?>.allocate(capacity: Self.bucketCount)
        failures.initialize(repeating: nil)
        defer {
            counts.deallocate()
            _ = failures.deinitialize()
            failures.deallocate()
        }
        // Sound: iteration `b` writes element `b` only; the buffers outlive the call.
        nonisolated(unsafe) let results = counts, errors = failures
        let runs = self.runs, segments = self.segments
        let count = { @Sendable (b: Int) in
            do throws(IngestError) {
                results[b] = try Self.duplicates(inBucket: b, runs: runs, segments: segments.isEmpty ? [] : segments[b])
            } catch {
                errors[b] = error
            }
        }
        if workers > 1 && self.count >= 1 << 16 {
            DispatchQueue.concurrentPerform(iterations: Self.bucketCount, execute: count)
        } else {
            for b in 0..<Self.bucketCount { count(b) }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        return counts.reduce(0, +)
    }

    /// The fingerprints of bucket `b` that repeat an earlier one, from `runs` and `segments`.
    private static func duplicates(inBucket b: Int, runs: [Run], segments: [FingerprintSpill.Segment]) throws(IngestError) -> Int {
        let total = runs.reduce(0) { $0 + Int($1.starts[b + 1] - $1.starts[b]) } + segments.reduce(0) { $0 + $1.count }
        guard total > 1 else { return 0 }
        var size = 16
        while size < total * 2 { size *= 2 }
        var repeated = 0
        var table = [Fingerprint](repeating: Fingerprint(high: 0, low: 0), count: size)
        try table.withUnsafeMutableBufferPointer { (table) throws(IngestError) in
            for run in runs where run.starts[b + 1] > run.starts[b] {
                run.prints.withUnsafeBufferPointer { prints in
                    repeated += insert(UnsafeBufferPointer(rebasing: prints[Int(run.starts[b])..<Int(run.starts[b + 1])]), into: table)
                }
            }
            for segment in segments {
                repeated += try segment.file.read(segment) { prints in insert(prints, into: table) }
            }
        }
        return repeated
    }

    /// Puts `prints` into `table` (a power of two in size, never more than half full), returning
    /// how many were there already.
    @inline(__always)
    private static func insert(_ prints: UnsafeBufferPointer<Fingerprint>, into table: UnsafeMutableBufferPointer<Fingerprint>) -> Int {
        let mask = table.count - 1
        var repeated = 0
        // Sound: every index is masked to the table's size. Through the buffer, the probe loop
        // neither checks bounds nor the array's uniqueness on each store.
        for fingerprint in prints {
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
