/// `cof validate`'s findings about one event source as a one-pass scan: what
/// ``DataQualityReport/Source`` holds, tallied a morsel at a time as the loader decodes the rows
/// (see ``EventLoader/scan(_:into:)``), so the event table is never held.
///
/// Per source: rows by (service, event), the rows no explicit cost and no unit cost prices (by
/// the one pricing rule, ``CostResolver``), the distinct people (exact: a bit per person code of
/// the load, which codes everyone), rows by day (for the first and last day, and the rows past an
/// observation end decided only after the read), and a 128-bit fingerprint of every row for the
/// duplicates (see ``RowFingerprints`` for the bound on a collision). The scans of the parts of a
/// file read on several threads join exactly with ``append(_:recoding:)``: every tally is a sum
/// or a union, and the fingerprints are made from the rows' values, not their codes.
///
/// Memory: 16 bytes a row for the fingerprints (160 MB at 10M rows), a bit per person and a
/// count per day of the source's span; everything else is per (service, event) pair.
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
    /// Person codes with a loaded row (a bit each).
    private var people: [UInt64] = []
    /// Loaded rows by day: `dayCounts[i]` rows on day `firstCountedDay + i`.
    private var dayCounts: [Int] = []
    private var firstCountedDay: Int32 = 0
    /// Every loaded row's fingerprint.
    private var fingerprints = RowFingerprints()

    // Per read (not joined): the dictionaries' values as fingerprints, by code, the price grid
    // for the morsels' codes, and scratch space for a morsel's rows.
    private var personPrints: [RowFingerprints.ValuePrint] = []
    private var servicePrints: [RowFingerprints.ValuePrint] = []
    private var eventPrints: [RowFingerprints.ValuePrint] = []
    private var grid: PriceGrid?
    private var gridShape = (services: -1, events: -1)
    private var pairCounts: [Int] = []
    private var morselPrints: [RowFingerprints.Fingerprint] = []
    private var groupedPrints: [RowFingerprints.Fingerprint] = []
    private var bucketStarts: [Int] = []

    /// A scan that prices with `unitCosts` (`nil`: none given).
    public init(unitCosts: UnitCostTable?) {
        resolver = unitCosts.map { CostResolver(unitCosts: $0) }
    }

    private init(resolver: CostResolver?) {
        self.resolver = resolver
    }

    /// A scan with the same prices that has taken nothing.
    public func empty() -> DataQualityScan { DataQualityScan(resolver: resolver) }

    /// Never: every row is counted.
    public var hasStopped: Bool { false }

    /// Tallies the rows of `morsel`.
    public mutating func take(_ morsel: borrowing EventTableBuilder) {
        guard morsel.count > 0 else { return }
        RowFingerprints.ValuePrint.extend(&personPrints, from: morsel.persons)
        RowFingerprints.ValuePrint.extend(&servicePrints, from: morsel.services)
        RowFingerprints.ValuePrint.extend(&eventPrints, from: morsel.events)
        if let resolver, gridShape != (morsel.services.count, morsel.events.count) {
            grid = PriceGrid(unitCosts: resolver.unitCosts, services: morsel.services, events: morsel.events)
            gridShape = (morsel.services.count, morsel.events.count)
        }
        let words = (morsel.persons.count + 63) / 64
        if people.count < words { people.append(contentsOf: repeatElement(0, count: words - people.count)) }
        let services = morsel.services.count, events = morsel.events.count
        morsel.withColumns { rows in
            countPairs(rows, services: services, events: events)
            countDays(rows.day)
            notePeople(rows.person)
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

    /// Marks the rows' people.
    private mutating func notePeople(_ persons: UnsafeBufferPointer<Int32>) {
        people.withUnsafeMutableBufferPointer { people in
            // Sound: the bits were sized for every person code of the morsel's dictionary.
            for person in persons { people[Int(person) >> 6] |= 1 << UInt64(person & 63) }
        }
    }

    /// Fingerprints the rows and files them by bucket (a counting sort of the morsel).
    private mutating func fingerprint(_ rows: EventTableBuilder.Columns) {
        let count = rows.person.count
        if morselPrints.count < count {
            morselPrints = [RowFingerprints.Fingerprint](repeating: .init(high: 0, low: 0), count: count)
            groupedPrints = morselPrints
        }
        if bucketStarts.isEmpty { bucketStarts = [Int](repeating: 0, count: RowFingerprints.bucketCount + 1) }
        let personPrints = self.personPrints, servicePrints = self.servicePrints, eventPrints = self.eventPrints
        morselPrints.withUnsafeMutableBufferPointer { prints in
            groupedPrints.withUnsafeMutableBufferPointer { grouped in
                bucketStarts.withUnsafeMutableBufferPointer { starts in
                    for b in starts.indices { starts[b] = 0 }
                    for i in 0..<count {
                        let print = RowFingerprints.Fingerprint(
                            person: personPrints[Int(rows.person[i])], service: servicePrints[Int(rows.service[i])],
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
        let words = (recoding.persons.reduce(-1) { max($0, Int($1)) } + 64) / 64
        if people.count < words { people.append(contentsOf: repeatElement(0, count: words - people.count)) }
        for (w, word) in later.people.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                let person = recoding.persons[w << 6 | bits.trailingZeroBitCount]
                people[Int(person) >> 6] |= 1 << UInt64(person & 63)
                bits &= bits - 1
            }
        }
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

    /// Distinct people with a loaded row.
    public var peopleCount: Int { people.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The person codes with a loaded row, in code order.
    public var personCodes: [Int32] {
        var codes: [Int32] = []
        for (w, word) in people.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                codes.append(Int32(w << 6 | bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        return codes
    }

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
    public func duplicateRows(workers: Int) -> Int { fingerprints.duplicates(workers: workers) }

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
