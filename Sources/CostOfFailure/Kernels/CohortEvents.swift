import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Every event of the cohort's members, at any date, priced: what the per-person analyses
/// (``CohortFold``s: the financial years, the appraisal's split by cashability, the baseline
/// check) are computed from, on the streaming path and the table path alike.
///
/// The streaming scan (``BeforeAfterScan`` with ``BeforeAfterScan/keepsCohortEvents``) appends
/// each cohort member's row as it is priced; a ``Study`` makes the same list from its table
/// (``init(table:costs:cohort:)``). Either way the list is 20 bytes an event
/// (``PackedCohortEvent``) of the cohort's members only — no one else's rows, no text — and is grouped by member once
/// (``grouped(workers:)``), after which any number of folds read each member's events in turn.
/// Lists set aside as they fill, and lists of other threads' parts, are taken over rather than
/// copied (as the scan's windowed events are), and sums are exact, so nothing depends on how
/// the rows were split.
public struct CohortEvents: Sendable {
    /// Members of the cohort (codes `0..<cohortSize`).
    public let cohortSize: Int
    /// Member `m`'s events are kept in bucket `m >> bucketShift` (see ``Bucket``).
    let bucketShift: Int
    /// The events, by bucket of member codes.
    private var buckets: [Bucket]
    /// The costs the events' own field cannot hold (see ``PackedCohortEvent``).
    private var outsized: [PackedCohortEvent.Outsized] = []
    /// Events a bucket's list holds before it is set aside (see ``Bucket``).
    var chunkEvents: Int

    /// The events of one range of member codes, in the order taken: the full lists set aside
    /// and other scans' lists taken over, then the list being filled.
    ///
    /// Keeping each bucket apart as the events arrive is what lets ``grouped(workers:)`` copy them into
    /// their final place a bucket at a time and free each bucket's lists as soon as it is copied:
    /// grouping one list of every event held the lists and their grouped copy at once (100M
    /// rows: 656 + 722 MB of heap at the finance pack's peak). A bucket's list being filled is
    /// partly empty: at most a chunk (80 KB) per bucket (at most 64) per thread, a few MB in all.
    private struct Bucket: Sendable {
        var lists: [[PackedCohortEvent]] = []
        var current: [PackedCohortEvent] = []

        var count: Int { lists.reduce(current.count) { $0 + $1.count } }
    }

    /// Buckets of at least this many member codes (`1 << 12`), and at most this many buckets
    /// (more members make wider buckets).
    static let leastBucketShift = 12, mostBuckets = 64
    /// Events a bucket's list holds before it is set aside: 80 KB (a list starts empty and
    /// doubles up to it, so a small cohort holds little).
    static let defaultChunkEvents = 1 << 12

    /// An empty list for a cohort of `cohortSize` members.
    public init(cohortSize: Int) {
        var shift = Self.leastBucketShift
        while (cohortSize - 1) >> shift >= Self.mostBuckets { shift += 1 }
        self.init(cohortSize: cohortSize, bucketShift: shift, chunkEvents: Self.defaultChunkEvents)
    }

    /// An empty list whose buckets span `1 << bucketShift` member codes and whose lists are set
    /// aside at `chunkEvents` events (tests use small ones).
    init(cohortSize: Int, bucketShift: Int, chunkEvents: Int) {
        precondition(cohortSize >= 0 && bucketShift >= 0 && chunkEvents >= 1, "a list's shape")
        self.cohortSize = cohortSize
        self.bucketShift = bucketShift
        self.chunkEvents = chunkEvents
        buckets = Array(repeating: Bucket(), count: (cohortSize + (1 << bucketShift) - 1) >> bucketShift)
    }

    /// An empty list of the same shape (members, buckets, chunks).
    func empty() -> CohortEvents {
        CohortEvents(cohortSize: cohortSize, bucketShift: bucketShift, chunkEvents: chunkEvents)
    }

    /// The events of `table`'s cohort members, priced by `costs`, in row order: the store
    /// read by the same kernel as the stream (`cohort` codes the members, in byte order of
    /// their IDs, as the streaming scan codes them).
    public init(table: EventTable, costs: EventCosts, cohort: StringDictionary) {
        self.init(cohortSize: cohort.count)
        let member = (0..<Int32(table.persons.count)).map { cohort.code(of: table.persons[$0]) ?? -1 }
        for row in 0..<table.count {
            let person = member[Int(table.person[row])]
            if person < 0 { continue }
            append(CohortEvent(person: person, service: table.service[row], event: table.event[row], day: table.day[row],
                               quantity: table.quantity[row], cost: costs.pence[row], priced: costs.priced[row]))
        }
    }

    /// Number of events.
    public var count: Int { buckets.reduce(0) { $0 + $1.count } }

    /// Appends one event.
    @inline(__always)
    mutating func append(_ event: CohortEvent) {
        let bucket = Int(event.person) >> bucketShift
        let packed = PackedCohortEvent(event, outsized: &outsized)
        if buckets[bucket].current.count == buckets[bucket].current.capacity, buckets[bucket].current.count >= chunkEvents {
            setAside(bucket)
        }
        buckets[bucket].current.append(packed)
    }

    @inline(never)
    private mutating func setAside(_ bucket: Int) {
        buckets[bucket].lists.append(buckets[bucket].current)
        buckets[bucket].current = []
        buckets[bucket].current.reserveCapacity(chunkEvents)
    }

    /// Takes over the events of `later` (another thread's parts, or a later file), whose
    /// service and event codes `services` and `events` map into this list's. In each bucket
    /// they follow this list's events; events appended after follow them.
    mutating func append(_ later: consuming CohortEvents, services: [Int32], events: [Int32]) {
        precondition(later.cohortSize == cohortSize && later.bucketShift == bucketShift, "lists of the same cohort, bucketed alike")
        let same = services.enumerated().allSatisfy { $0.offset == Int($0.element) }
            && events.enumerated().allSatisfy { $0.offset == Int($0.element) }
        // The later list's outsized costs follow this one's.
        let offset = outsized.count
        precondition(later.outsized.count <= PackedCohortEvent.outsizedCapacity - offset, "more outsized costs than a list numbers")
        let shifts = !later.outsized.isEmpty && offset > 0
        outsized += later.outsized
        later.outsized = []
        for b in buckets.indices {
            var taken: [[PackedCohortEvent]] = []
            swap(&taken, &later.buckets[b].lists)
            var latest: [PackedCohortEvent] = []
            swap(&latest, &later.buckets[b].current)
            taken.append(latest)
            // This bucket's own list being filled goes before the later events.
            if !buckets[b].current.isEmpty {
                var own: [PackedCohortEvent] = []
                swap(&own, &buckets[b].current)
                buckets[b].lists.append(own)
            }
            for j in taken.indices {
                // Moved out of `taken`, so that the list has one owner and is recoded in place:
                // a list still referenced from `taken` would be copied by the first write.
                var list: [PackedCohortEvent] = []
                swap(&list, &taken[j])
                if list.isEmpty { continue }
                if shifts {
                    list.withUnsafeMutableBufferPointer { list in
                        for i in list.indices { list[i].shiftOutsized(by: offset) }
                    }
                }
                if !same {
                    list.withUnsafeMutableBufferPointer { list in
                        for i in list.indices { list[i].recode(services: services, events: events, outsized: &outsized) }
                    }
                }
                buckets[b].lists.append(list)
            }
        }
    }

    /// The events grouped by member, in code order (within a member, in the order taken), on
    /// `workers` threads.
    ///
    /// Each bucket's events are counted by member, then, bucket by bucket, copied straight into
    /// their place in the grouped list (a counting sort over the bucket's members only, whose
    /// part of the list is about 13 MB at 100M rows), and the bucket's lists are freed as they
    /// are copied. Memory at the peak is the lists and the buckets' copies in flight, not the
    /// lists and a whole copy. Buckets are disjoint ranges of members, so threads take whole
    /// buckets and never write the same place.
    public consuming func grouped(workers: Int = 1) -> GroupedCohortEvents {
        var buckets: [Bucket] = []
        swap(&buckets, &self.buckets)
        let total = buckets.reduce(0) { $0 + $1.count }
        let bucketShift = self.bucketShift, cohortSize = self.cohortSize
        var starts = [Int](repeating: 0, count: cohortSize + 1)
        let events = [PackedCohortEvent.Grouped](unsafeOwnUninitializedCapacity: total) { buffer, initialized in
            buckets.withUnsafeMutableBufferPointer { buckets in
                starts.withUnsafeMutableBufferPointer { starts in
                    // Sound (both loops): bucket `b` reads and frees only its own lists and
                    // writes only the counts of its own members `first..<end` and the slots
                    // those counts give them, below `total`; the buffers outlive the loops.
                    nonisolated(unsafe) let (buckets, starts, buffer) = (buckets, starts, buffer)
                    func members(_ b: Int) -> Range<Int> { (b << bucketShift)..<min(cohortSize, (b + 1) << bucketShift) }
                    Self.forEachBucket(buckets.count, workers: workers) { b in
                        for list in buckets[b].lists + [buckets[b].current] {
                            for event in list { starts[Int(event.person) + 1] += 1 }
                        }
                    }
                    for m in 0..<cohortSize { starts[m + 1] += starts[m] }
                    // Bytes of lists freed since the memory was last handed back, by every
                    // thread: one bucket's lists are far less than the 32 MiB that triggers it.
                    let released = Atomic<Int>(0)
                    Self.forEachBucket(buckets.count, workers: workers) { b in
                        var lists: [[PackedCohortEvent]] = []
                        swap(&lists, &buckets[b].lists)
                        var latest: [PackedCohortEvent] = []
                        swap(&latest, &buckets[b].current)
                        lists.append(latest)
                        let first = members(b).lowerBound
                        var place = Array(starts[members(b)])
                        for i in lists.indices {
                            lists[i].withUnsafeBufferPointer { list in
                                for event in list {
                                    let slot = Int(event.person) - first
                                    (buffer.baseAddress! + place[slot]).initialize(to: PackedCohortEvent.Grouped(event))
                                    place[slot] += 1
                                }
                            }
                            let bytes = lists[i].capacity * MemoryLayout<PackedCohortEvent>.stride
                            lists[i] = []  // freed as soon as it is copied
                            if released.add(bytes, ordering: .relaxed).newValue >= 32 << 20 {
                                released.store(0, ordering: .relaxed)
                                Self.returnFreedMemory()
                            }
                        }
                    }
                }
            }
            initialized = total
        }
        return GroupedCohortEvents(events: events, outsized: outsized, starts: starts)
    }

    /// Calls `body` for each bucket `0..<count`, on `workers` threads taking buckets in turn.
    private static func forEachBucket(_ count: Int, workers: Int, _ body: (Int) -> Void) {
        if workers <= 1 || count <= 1 {
            for b in 0..<count { body(b) }
            return
        }
        withoutActuallyEscaping(body) { body in
            // Sound: the caller's buckets are disjoint (see ``grouped(workers:)``).
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: count) { body($0) }
        }
    }
}

extension CohortEvents {
    /// Hands the pages of freed lists back to the system. glibc keeps a freed list of a few
    /// MiB in its arena (its mmap threshold rises once one such block is freed), so without
    /// this the grouping's peak is the lists and their copy together; trimmed every 32 MiB, it
    /// is about the copy alone (10M rows, 3M events: the pack's peak RSS 325 → 263 MB).
    static func returnFreedMemory() {
        _ = mallocTrim?(0)
    }

    /// glibc's `malloc_trim` (not in the `Glibc` module's headers), `nil` on other C libraries.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        // Sound: glibc declares `int malloc_trim(size_t pad)`, the type it is cast to.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()
}
