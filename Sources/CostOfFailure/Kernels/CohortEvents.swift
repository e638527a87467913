import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Every event of the cohort's members, at any date, priced: what the per-person analyses
/// (``CohortFold``s: the financial years, the appraisal's split by cashability, the baseline
/// check) are computed from, on the streaming path and the table path alike.
///
/// The streaming scan (``BeforeAfterScan`` with ``BeforeAfterScan/keepsCohortEvents``) appends
/// each cohort member's row as it is priced; a ``Study`` makes the same list from its table
/// (``init(table:costs:cohort:)``). Either way the list is 24 bytes an event
/// (``PackedCohortEvent``) of the cohort's members only — no one else's rows, no text — and is grouped by member once
/// (``grouped()``), after which any number of folds read each member's events in turn.
/// Lists set aside as they fill, and lists of other threads' parts, are taken over rather than
/// copied (as the scan's windowed events are), and sums are exact, so nothing depends on how
/// the rows were split.
public struct CohortEvents: Sendable {
    /// Members of the cohort (codes `0..<cohortSize`).
    public let cohortSize: Int
    /// Full lists set aside, and other scans' lists taken over.
    private var lists: [[PackedCohortEvent]] = []
    /// The list being filled.
    private var current: [PackedCohortEvent] = []
    /// The costs the events' own field cannot hold (see ``PackedCohortEvent``).
    private var outsized: [PackedCohortEvent.Outsized] = []
    /// Events a list holds before it is set aside (see ``BeforeAfterScan/chunkEvents``).
    var chunkEvents = 1 << 16

    /// An empty list for a cohort of `cohortSize` members.
    public init(cohortSize: Int) {
        self.cohortSize = cohortSize
    }

    /// The events of `table`'s cohort members, priced by `costs`, in row order: the store
    /// read by the same kernel as the stream (`cohort` codes the members, in byte order of
    /// their IDs, as the streaming scan codes them).
    public init(table: EventTable, costs: EventCosts, cohort: StringDictionary) {
        self.init(cohortSize: cohort.count)
        let member = (0..<Int32(table.persons.count)).map { cohort.code(of: table.persons[$0]) ?? -1 }
        current.reserveCapacity(min(table.count, chunkEvents))
        for row in 0..<table.count {
            let person = member[Int(table.person[row])]
            if person < 0 { continue }
            append(CohortEvent(person: person, service: table.service[row], event: table.event[row], day: table.day[row],
                               quantity: table.quantity[row], cost: costs.pence[row], priced: costs.priced[row]))
        }
    }

    /// Number of events.
    public var count: Int { lists.reduce(current.count) { $0 + $1.count } }

    /// Appends one event.
    @inline(__always)
    mutating func append(_ event: CohortEvent) {
        if current.count == current.capacity, current.count >= chunkEvents { setAside() }
        current.append(PackedCohortEvent(event, outsized: &outsized))
    }

    @inline(never)
    private mutating func setAside() {
        lists.append(current)
        current = []
        current.reserveCapacity(chunkEvents)
    }

    /// Takes over the events of `later` (another thread's parts, or a later file), whose
    /// service and event codes `services` and `events` map into this list's.
    mutating func append(_ later: consuming CohortEvents, services: [Int32], events: [Int32]) {
        let same = services.enumerated().allSatisfy { $0.offset == Int($0.element) }
            && events.enumerated().allSatisfy { $0.offset == Int($0.element) }
        var taken = later.lists
        later.lists = []
        taken.append(later.current)
        later.current = []
        // The later list's outsized costs follow this one's.
        let offset = outsized.count
        precondition(later.outsized.count <= PackedCohortEvent.outsizedCapacity - offset, "more outsized costs than a list numbers")
        let shifts = !later.outsized.isEmpty && offset > 0
        outsized += later.outsized
        later.outsized = []
        for j in taken.indices {
            // Moved out of `taken`, so that the list has one owner and is recoded in place:
            // a list still referenced from `taken` would be copied by the first write, and
            // every list of the later part held twice until the loop ends.
            var list: [PackedCohortEvent] = []
            swap(&list, &taken[j])
            if list.isEmpty { continue }
            if !same || shifts {
                list.withUnsafeMutableBufferPointer { list in
                    for i in list.indices {
                        list[i].service = services[Int(list[i].service)]
                        list[i].event = events[Int(list[i].event)]
                        if shifts { list[i].shiftOutsized(by: offset) }
                    }
                }
            }
            if current.isEmpty && lists.isEmpty { current = list } else { lists.append(list) }
        }
    }

    /// The events grouped by member, in code order (within a member, in the order taken).
    ///
    /// Two counting sorts that each stay in cache: into blocks of 4,096 members (one write
    /// stream per block), then each block by member. Memory at the peak is the lists and one
    /// copy; the lists are released as the copy is made.
    public consuming func grouped() -> GroupedCohortEvents {
        let blockBits = 12
        let blocks = (cohortSize + (1 << blockBits) - 1) >> blockBits
        var all = lists
        all.append(current)
        lists = []
        current = []
        var blockStarts = [Int](repeating: 0, count: blocks + 1)
        for list in all {
            for event in list { blockStarts[Int(event.person) >> blockBits + 1] += 1 }
        }
        for b in 0..<blocks { blockStarts[b + 1] += blockStarts[b] }
        let total = blockStarts[blocks]
        var next = blockStarts
        var released = 0
        var byBlock = [PackedCohortEvent](unsafeUninitializedCapacity: total) { buffer, initialized in
            for i in all.indices {
                for event in all[i] {
                    let block = Int(event.person) >> blockBits
                    // Sound: the counts above give every event its own slot below `total`.
                    (buffer.baseAddress! + next[block]).initialize(to: event)
                    next[block] += 1
                }
                released += all[i].capacity * MemoryLayout<PackedCohortEvent>.stride
                all[i] = []  // released as soon as it is copied
                if released >= 32 << 20 {
                    Self.returnFreedMemory()
                    released = 0
                }
            }
            initialized = total
        }
        // Each block by member, through a block-sized scratch list, back in place.
        var memberStarts = [Int](repeating: 0, count: cohortSize + 1)
        var scratch: [PackedCohortEvent] = []
        byBlock.withUnsafeMutableBufferPointer { events in
            for b in 0..<blocks {
                let range = blockStarts[b]..<blockStarts[b + 1]
                let first = b << blockBits
                for i in range { memberStarts[Int(events[i].person) + 1] += 1 }
                let members = min(cohortSize, first + (1 << blockBits))
                var place = [Int](repeating: 0, count: members - first)
                var offset = range.lowerBound
                for m in first..<members {
                    place[m - first] = offset - range.lowerBound
                    offset += memberStarts[m + 1]
                }
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: events[range])
                for event in scratch {
                    let slot = Int(event.person) - first
                    events[range.lowerBound + place[slot]] = event
                    place[slot] += 1
                }
            }
        }
        for m in 0..<cohortSize { memberStarts[m + 1] += memberStarts[m] }
        return GroupedCohortEvents(events: byBlock, outsized: outsized, starts: memberStarts)
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
