/// `cof validate`'s findings about one event source as a one-pass scan: what
/// ``DataQualityReport/Source`` holds beyond what the load itself reports, tallied a morsel at a
/// time as the loader decodes the rows (see ``EventLoader/scan(_:following:into:)``), so the event
/// table is never held.
///
/// The load follows the cohort (the interventions' people, coded as in ``FollowedPeople``; none
/// without interventions) and tallies each source's people itself (``SourceCoverageTally``). The
/// scan tallies the rest: rows by (service, event), the rows no explicit cost and no unit cost
/// prices (by the one pricing rule, ``CostResolver``), rows by day (for the first and last day,
/// and the rows past an observation end decided only after the read), which cohort members have
/// a row, the people outside the cohort when asked (to join sources), and a 128-bit fingerprint
/// of every row for the duplicates (see ``RowFingerprints``).
///
/// A person is told apart by their cohort code, or, outside the cohort, by the 64-bit hash of
/// their ID (``EventTableBuilder/personHash``): two different IDs of one source share one with a
/// chance of about P² / 2^65 for P people (1 in 37 million for a million people), the bound the
/// cohort coverage already has. The scans of the parts of a file read on several threads join
/// exactly with ``append(_:recoding:)``: every tally is a sum or a union, and the fingerprints
/// are made from the rows' values, not the codes of one thread's dictionaries.
///
/// Memory: 16 bytes a row for the fingerprints (160 MB at 10M rows) up to a budget of 256 MB
/// across the scan's parts, past which they go to an encrypted, unlinked temporary file (see
/// ``FingerprintSpill``); a bit per cohort member, a count per day of the source's span; 16 bytes
/// per person outside the cohort when asked.
public struct DataQualityScan: EventScan, Sendable {
    /// The prices (`nil`: no unit costs given, so no event is called unpriced).
    public let resolver: CostResolver?

    /// Loaded rows by `service << 32 | event`.
    private var rowsByPair: [Int: Int] = [:]
    /// Unpriced rows by `service << 32 | event`.
    private var unpricedByPair: [Int: Int] = [:]
    /// Whether some row's cost was implausible (``CostResolver/Price/implausible(uncoveredYear:)``):
    /// the table path then priced nothing, so reported no unpriced pairs (kept as it was).
    public private(set) var metImplausibleCost = false
    /// Cohort members (by code) with a loaded row (a bit each).
    private var cohortSeen: [UInt64]
    /// The ID hashes of the people outside the cohort with a loaded row, when ``collectsOutsidePeople``.
    private var outside = Set<UInt64>()
    /// Whether the scan keeps ``outsidePeople`` (to join several sources' people).
    public let collectsOutsidePeople: Bool
    /// Loaded rows by day: `dayCounts[i]` rows on day `firstCountedDay + i`.
    private var dayCounts: [Int] = []
    private var firstCountedDay: Int32 = 0
    /// Every loaded row's fingerprint (shared with the other parts: where they spill).
    private var fingerprints: RowFingerprints

    // Per read (not joined): the dictionaries' values as fingerprints, by code, the price grid
    // for the morsels' codes, and scratch space for a morsel's rows.
    private var servicePrints: [RowFingerprints.ValuePrint] = []
    private var eventPrints: [RowFingerprints.ValuePrint] = []
    private var grid: PriceGrid?
    private var gridShape = (services: -1, events: -1)
    private var pairCounts: [Int] = []
    private var morselPrints: [RowFingerprints.Fingerprint] = []
    private var groupedPrints: [RowFingerprints.Fingerprint] = []
    private var bucketStarts: [Int] = []

    /// A scan that prices with `unitCosts` (`nil`: none given), for a load following a cohort
    /// of `cohortSize` people; it keeps the IDs' hashes of the people outside the cohort when
    /// `collectsOutsidePeople`.
    public init(unitCosts: UnitCostTable?, cohortSize: Int, collectsOutsidePeople: Bool = false) {
        self.init(unitCosts: unitCosts, cohortSize: cohortSize, collectsOutsidePeople: collectsOutsidePeople, spill: FingerprintSpill())
    }

    /// A scan whose fingerprints go to `spill` past its budget (tests give a small one).
    init(unitCosts: UnitCostTable?, cohortSize: Int, collectsOutsidePeople: Bool, spill: FingerprintSpill) {
        self.init(resolver: unitCosts.map { CostResolver(unitCosts: $0) }, cohortSize: cohortSize, collectsOutsidePeople: collectsOutsidePeople,
                  spill: spill)
    }

    private init(resolver: CostResolver?, cohortSize: Int, collectsOutsidePeople: Bool, spill: FingerprintSpill) {
        self.resolver = resolver
        cohortSeen = [UInt64](repeating: 0, count: (cohortSize + 63) / 64)
        self.collectsOutsidePeople = collectsOutsidePeople
        fingerprints = RowFingerprints(spill: spill)
    }

    /// A scan with the same prices and cohort that has taken nothing, its fingerprints going to
    /// the same temporary file past the same budget.
    public func empty() -> DataQualityScan {
        DataQualityScan(resolver: resolver, cohortSize: cohortSeen.count * 64, collectsOutsidePeople: collectsOutsidePeople,
                        spill: fingerprints.spill)
    }

    /// Never: every row is counted.
    public var hasStopped: Bool { false }

    /// Tallies the rows of `morsel`.
    public mutating func take(_ morsel: borrowing EventTableBuilder) {
        guard morsel.count > 0 else { return }
        RowFingerprints.ValuePrint.extend(&servicePrints, from: morsel.services)
        RowFingerprints.ValuePrint.extend(&eventPrints, from: morsel.events)
        if let resolver, gridShape != (morsel.services.count, morsel.events.count) {
            grid = PriceGrid(unitCosts: resolver.unitCosts, services: morsel.services, events: morsel.events)
            gridShape = (morsel.services.count, morsel.events.count)
        }
        let services = morsel.services.count, events = morsel.events.count
        morsel.withColumns { rows in
            countPairs(rows, services: services, events: events)
            countDays(rows.day)
            notePeople(rows)
            fingerprint(rows)
        }
    }

    /// Counts the rows (and the unpriced ones) by pair: in a dense array of the morsel's pairs
    /// when there are not too many (then added to the maps once per pair), else in the maps.
    private mutating func countPairs(_ rows: EventTableBuilder.Columns, services: Int, events: Int) {
        let pairs = services * events
        guard pairs <= 1 << 16 else { return countPairsSparsely(rows) }
        if pairCounts.count < 2 * pairs { pairCounts = [Int](repeating: 0, count: 2 * pairs) }
        var implausible = false
        pairCounts.withUnsafeMutableBufferPointer { counts in
            // Sound: codes are below the dictionaries' sizes, so every cell is below 2 × pairs.
            if let resolver, let grid {
                for i in 0..<rows.person.count {
                    let service = rows.service[i], event = rows.event[i]
                    let cell = Int(service) * events + Int(event)
                    counts[cell] += 1
                    switch resolver.price(hasExplicitCost: rows.hasExplicitCost(i), explicitCost: rows.explicitCost[i], service: service,
                                          event: event, quantity: rows.quantity[i], day: rows.day[i], grid: grid) {
                    case .cost: break
                    case .unpriced: counts[pairs + cell] += 1
                    case .implausible: implausible = true
                    }
                }
            } else {
                for i in 0..<rows.person.count { counts[Int(rows.service[i]) * events + Int(rows.event[i])] += 1 }
            }
        }
        if implausible { metImplausibleCost = true }
        for cell in 0..<pairs where pairCounts[cell] > 0 {
            let key = (cell / events) << 32 | cell % events
            rowsByPair[key, default: 0] += pairCounts[cell]
            if pairCounts[pairs + cell] > 0 { unpricedByPair[key, default: 0] += pairCounts[pairs + cell] }
            pairCounts[cell] = 0
            pairCounts[pairs + cell] = 0
        }
    }

    /// ``countPairs(_:services:events:)`` for morsels of very many pairs: row by row, in the maps.
    @inline(never)
    private mutating func countPairsSparsely(_ rows: EventTableBuilder.Columns) {
        for i in 0..<rows.person.count {
            let service = rows.service[i], event = rows.event[i]
            let key = Int(service) << 32 | Int(event)
            rowsByPair[key, default: 0] += 1
            guard let resolver, let grid else { continue }
            switch resolver.price(hasExplicitCost: rows.hasExplicitCost(i), explicitCost: rows.explicitCost[i], service: service,
                                  event: event, quantity: rows.quantity[i], day: rows.day[i], grid: grid) {
            case .cost: break
            case .unpriced: unpricedByPair[key, default: 0] += 1
            case .implausible: metImplausibleCost = true
            }
        }
    }

    /// Counts the rows by day, the span of days counted widened first to take the morsel's.
    private mutating func countDays(_ days: UnsafeBufferPointer<Int32>) {
        guard let low = days.min(), let high = days.max() else { return }
        widenDays(to: low...high)
        let first = firstCountedDay
        dayCounts.withUnsafeMutableBufferPointer { counts in
            // Sound: every day lies in the span just widened to take them.
            for day in days { counts[Int(day) - Int(first)] += 1 }
        }
    }

    /// Makes the counts by day cover `span` (at least doubling a span it widens, so a file
    /// read in date order does not regrow them morsel by morsel).
    private mutating func widenDays(to span: ClosedRange<Int32>) {
        if dayCounts.isEmpty {
            firstCountedDay = span.lowerBound
            dayCounts = [Int](repeating: 0, count: Int(span.upperBound) - Int(span.lowerBound) + 1)
            return
        }
        let last = Int(firstCountedDay) + dayCounts.count - 1
        guard Int(span.lowerBound) < Int(firstCountedDay) || Int(span.upperBound) > last else { return }
        let extra = dayCounts.count
        let low = Int(span.lowerBound) < Int(firstCountedDay) ? min(Int(span.lowerBound), Int(firstCountedDay) - extra) : Int(firstCountedDay)
        let high = Int(span.upperBound) > last ? max(Int(span.upperBound), last + extra) : last
        // Not past the days an Int32 can hold.
        let newLow = max(low, Int(Int32.min)), newHigh = min(high, Int(Int32.max))
        var widened = [Int](repeating: 0, count: newHigh - newLow + 1)
        let offset = Int(firstCountedDay) - newLow
        for i in dayCounts.indices { widened[offset + i] = dayCounts[i] }
        dayCounts = widened
        firstCountedDay = Int32(newLow)
    }

    /// Marks the rows' cohort members, and keeps the others' ID hashes when asked.
    private mutating func notePeople(_ rows: EventTableBuilder.Columns) {
        cohortSeen.withUnsafeMutableBufferPointer { seen in
            // Sound: a followed person's code is below the cohort's size, for which the bits were made.
            for person in rows.person where person >= 0 { seen[Int(person) >> 6] |= 1 << UInt64(person & 63) }
        }
        guard collectsOutsidePeople else { return }
        for i in 0..<rows.person.count where rows.person[i] < 0 { outside.insert(rows.personHash[i]) }
    }

    /// Fingerprints the rows and files them by bucket (a counting sort of the morsel).
    private mutating func fingerprint(_ rows: EventTableBuilder.Columns) {
        let count = rows.person.count
        if morselPrints.count < count {
            morselPrints = [RowFingerprints.Fingerprint](repeating: .init(high: 0, low: 0), count: count)
            groupedPrints = morselPrints
        }
        if bucketStarts.isEmpty { bucketStarts = [Int](repeating: 0, count: RowFingerprints.bucketCount + 1) }
        let servicePrints = self.servicePrints, eventPrints = self.eventPrints
        morselPrints.withUnsafeMutableBufferPointer { prints in
            groupedPrints.withUnsafeMutableBufferPointer { grouped in
                bucketStarts.withUnsafeMutableBufferPointer { starts in
                    for b in starts.indices { starts[b] = 0 }
                    for i in 0..<count {
                        let person = rows.person[i]
                        // A cohort member by their code, anyone else by their ID's hash.
                        let identity = person >= 0 ? RowFingerprints.ValuePrint(high: UInt64(person), low: 1)
                                                   : RowFingerprints.ValuePrint(high: rows.personHash[i], low: 0)
                        let print = RowFingerprints.Fingerprint(
                            person: identity, service: servicePrints[Int(rows.service[i])],
                            event: eventPrints[Int(rows.event[i])], day: rows.day[i], quantity: rows.quantity[i],
                            explicitCost: rows.hasExplicitCost(i) ? rows.explicitCost[i] : nil)
                        prints[i] = print
                        starts[RowFingerprints.bucket(of: print) + 1] += 1
                    }
                    for b in 0..<RowFingerprints.bucketCount { starts[b + 1] += starts[b] }
                    // Sound: the counts give each fingerprint its own place below `count`; the
                    // places are then moved back to the buckets' starts.
                    for i in 0..<count {
                        let b = RowFingerprints.bucket(of: prints[i])
                        grouped[starts[b]] = prints[i]
                        starts[b] += 1
                    }
                    for b in stride(from: RowFingerprints.bucketCount, to: 0, by: -1) { starts[b] = starts[b - 1] }
                    starts[0] = 0
                    fingerprints.append(grouped: UnsafeBufferPointer(rebasing: grouped[..<count]), starts: UnsafeBufferPointer(starts))
                }
            }
        }
    }

    /// Adds the scan of another part of the same source, whose codes `recoding` maps into this
    /// scan's.
    public mutating func append(_ later: consuming DataQualityScan, recoding: EventTableBuilder.Recoding) {
        metImplausibleCost = metImplausibleCost || later.metImplausibleCost
        for (key, count) in later.rowsByPair { rowsByPair[Self.recoded(key, recoding), default: 0] += count }
        for (key, count) in later.unpricedByPair { unpricedByPair[Self.recoded(key, recoding), default: 0] += count }
        // Builders following the same people code them alike: no recoding of the cohort's codes.
        for i in cohortSeen.indices { cohortSeen[i] |= later.cohortSeen[i] }
        outside.formUnion(later.outside)
        if !later.dayCounts.isEmpty {
            let laterFirst = Int(later.firstCountedDay)
            widenDays(to: later.firstCountedDay...Int32(laterFirst + later.dayCounts.count - 1))
            let offset = laterFirst - Int(firstCountedDay)
            for i in later.dayCounts.indices where later.dayCounts[i] > 0 { dayCounts[offset + i] += later.dayCounts[i] }
        }
        fingerprints.append(later.fingerprints)
    }

    private static func recoded(_ key: Int, _ recoding: EventTableBuilder.Recoding) -> Int {
        Int(recoding.services[key >> 32]) << 32 | Int(recoding.events[key & 0xFFFF_FFFF])
    }

    /// The cohort members with a loaded row, a bit per code (bit `c & 63` of word `c >> 6`).
    public var cohortMembersSeen: [UInt64] { cohortSeen }

    /// The ID hashes of the people outside the cohort with a loaded row (empty unless the scan
    /// ``collectsOutsidePeople``).
    public var outsidePeople: Set<UInt64> { outside }

    /// The first and last day with a loaded row (`nil`: none).
    public var span: ClosedRange<Int32>? {
        guard let first = dayCounts.firstIndex(where: { $0 > 0 }), let last = dayCounts.lastIndex(where: { $0 > 0 }) else { return nil }
        return (Int32(Int(firstCountedDay) + first))...(Int32(Int(firstCountedDay) + last))
    }

    /// Loaded rows by day, the days with any in order.
    public var rowsByDay: [(day: Int32, rows: Int)] {
        dayCounts.indices.compactMap { i in dayCounts[i] > 0 ? (Int32(Int(firstCountedDay) + i), dayCounts[i]) : nil }
    }

    /// Loaded rows that repeat an earlier row exactly (person, service, event, date, quantity,
    /// explicit cost), counted on `workers` threads.
    ///
    /// - Throws: ``IngestError/Kind/unreadable`` naming the temporary directory when the
    ///   fingerprints of a large source could not be written to it or read back intact.
    public func duplicateRows(workers: Int) throws(IngestError) -> Int { try fingerprints.duplicates(workers: workers) }

    /// Whether some fingerprints went to the temporary file (for tests).
    var hasSpilledFingerprints: Bool { fingerprints.hasSpilled }

    /// Loaded rows by (service, event), named from `services` and `events` (the read's
    /// dictionaries), byte-wise by service then event.
    public func rowsByServiceEvent(services: StringDictionary, events: StringDictionary) -> [(service: String, event: String, rows: Int)] {
        Self.named(rowsByPair, services: services, events: events)
    }

    /// The unpriced rows by (service, event), as ``rowsByServiceEvent(services:events:)``.
    public func unpriced(services: StringDictionary, events: StringDictionary) -> [(service: String, event: String, rows: Int)] {
        Self.named(unpricedByPair, services: services, events: events)
    }

    private static func named(_ counts: [Int: Int], services: StringDictionary,
                              events: StringDictionary) -> [(service: String, event: String, rows: Int)] {
        counts.map { (services[Int32($0.key >> 32)], events[Int32(truncatingIfNeeded: $0.key)], $0.value) }
            .sorted { a, b in
                a.0 != b.0 ? Array(a.0.utf8).lexicographicallyPrecedes(Array(b.0.utf8)) : Array(a.1.utf8).lexicographicallyPrecedes(Array(b.1.utf8))
            }
            .map { (service: $0.0, event: $0.1, rows: $0.2) }
    }
}
