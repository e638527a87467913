import Dispatch

/// The before/after kernel as a one-pass scan: prices every event as it streams past and keeps
/// the treated people's events that fall in a window, so `cof compare` never holds the event
/// table (see ``EventLoader/scan(_:following:into:)``).
///
/// It follows the people of one dictionary — the treated cohort, coded in byte order of their
/// IDs — and ``windows`` is laid out by those codes; rows of anyone else arrive with person code
/// -1 and are priced (so unpriced pairs and implausible costs are found exactly as the table
/// path finds them) but not kept. A windowed event is appended to a flat list (24 bytes, written
/// in order), not summed into a dense person × service array: that array is 64 bytes per treated
/// person per service, 670 MB per thread at 100M rows, and every add was a cache and TLB miss.
/// The list is grouped by person once, at the end, with a counting sort (``forEachPerson(services:_:)``).
/// Scans of the parts of a file join by taking over each other's lists after their service
/// codes are mapped, and sums are integer, so the result does not depend on how the file was
/// split or in what order the parts were read. (One caveat, beyond any real data: a sum whose
/// running total passes 2^63 pence on the way and comes back is found to overflow in some
/// orders and not others; it needs a single person and service with more than 92 million
/// events at the £1bn cap.)
public struct BeforeAfterScan: EventScan, Sendable {
    /// One treated person's event in a window.
    struct WindowedEvent: Sendable {
        var person: Int32
        var service: Int32
        var quantity: Int32
        var period: Period
        var priced: Bool
        var cost: Pence
    }

    /// Each followed person's windows, by person code (their exposure cut by time at risk once
    /// ``applyTimeAtRisk()`` has been called).
    public private(set) var windows: PersonWindows
    /// The latest day of any loaded row, of anyone (`Int32.min` before any): with no
    /// observation end given, the last date the data covers (``ObservationEnd``).
    public private(set) var latestDay = Int32.min
    /// The earliest day of any loaded row, of anyone (`Int32.max` before any), tallied only
    /// when the scan ``keepsCohortEvents`` (the baseline check starts from it).
    public private(set) var earliestDay = Int32.max
    /// The prices, and the price base explicit costs are restated in.
    public let resolver: CostResolver
    /// The services file: which services take days out of exposure (see ``TimeAtRisk``).
    public let services: ServiceCatalog
    /// Whether some service takes days out of exposure (a plain flag for the per-row check).
    private let marksExposure: Bool
    /// The followed people's marked events (custody, death).
    private var timeAtRisk: TimeAtRisk
    /// What each service code of the morsels does to exposure (rebuilt as codes are added).
    private var exposureByService: [ServiceCatalog.Exposure] = []

    /// The windowed events of followed people this scan took, in the order they were read: the
    /// latest list (full ones are set aside in ``joined``).
    private var windowed: [WindowedEvent] = []
    /// The windowed events of the scans appended to this one, a list each (service codes
    /// already mapped), and this scan's own full lists (see ``chunkEvents``): they are grouped
    /// by person list by list, on several threads, rather than first copied into one.
    private var joined: [[WindowedEvent]] = []
    /// Which followed people have any row at all (a bit per person code).
    private var seen: [UInt64] = []
    /// Events with neither an explicit cost nor a unit cost (all people, all dates), by
    /// `service << 32 | event`.
    public private(set) var unpricedTally = UnpricedTally()
    /// The first event whose cost is implausible, in file order; the scan takes nothing after it.
    public private(set) var overflow: CostResolver.Overflow?
    /// The magnitudes of every windowed cost taken together: while within its ceiling, no sum
    /// of any group can overflow, so results can be streamed out without first checking every group.
    public private(set) var windowedCosts = CeilingSum.costs
    /// Every row's cost and quantity, of anyone, taken together when the scan
    /// ``keepsCohortEvents``: checked as a study's (``EventTotals``), so that the finance pack's
    /// pass refuses what the table path refuses.
    public private(set) var totals = EventTotals()

    /// Whether the scan keeps every row of a followed person (any date) in ``cohortEvents``,
    /// for the per-person folds of the finance pack; `cof compare` needs only the windowed ones.
    ///
    /// A scan that keeps them holds no list of windowed events besides (the kept events hold
    /// every one): once they are grouped, ``readKeptEvents(_:)`` hands them back, and the
    /// before/after table is summed from them (``personBlocks(services:)``).
    public var keepsCohortEvents = false
    /// The kept events, grouped, that the before/after table is summed from (see ``keepsCohortEvents``).
    private var keptGrouped: GroupedCohortEvents?
    /// The followed people's rows, any date, when ``keepsCohortEvents`` (else empty).
    public internal(set) var cohortEvents: CohortEvents

    private var grid: PriceGrid?
    private var gridShape = (services: -1, events: -1)

    /// Windowed events a list holds before the scan sets it aside and starts another (64K
    /// events, 1.5 MB; tests use a few). One list that kept doubling was copied into new memory
    /// at each step: most of the 10M-row job's page faults in the parse were those copies, and
    /// the peak memory at 100M rows was 568 MB against 514 MB with lists of 64K. The lists set
    /// aside are summed as the joined ones are, so nothing depends on where one ends.
    var chunkEvents = 1 << 16

    /// A scan for the people `windows` is laid out for, priced by `resolver`.
    /// `services` marks the services whose events take days out of exposure (none by default).
    public init(windows: PersonWindows, resolver: CostResolver, services: ServiceCatalog = .empty) {
        self.windows = windows
        self.resolver = resolver
        self.services = services
        marksExposure = services.marksExposure
        timeAtRisk = TimeAtRisk(services: services)
        cohortEvents = CohortEvents(cohortSize: windows.count)
    }

    /// A scan with the same windows and prices that has taken nothing.
    public func empty() -> BeforeAfterScan {
        var scan = BeforeAfterScan(windows: windows, resolver: resolver, services: services)
        scan.chunkEvents = chunkEvents
        scan.keepsCohortEvents = keepsCohortEvents
        scan.cohortEvents = cohortEvents.empty()
        return scan
    }

    /// Throws unless the windowed costs taken together (``windowedCosts``) are within the
    /// engine's ceiling (``CostResolver/maximumTotal``), as a study's costs are: then no sum of a
    /// group overflows, nor a rate or a change per year made from one, so the rows can be
    /// handed on block by block without failing half way. Checked once every row is taken.
    public func checkWindowedCosts() throws(CostResolver.Overflow) {
        guard windowedCosts.isWithinCeiling else {
            throw CostResolver.Overflow(figure: "the costs of the treated people's events in their windows taken together")
        }
    }

    /// Whether the scan met an implausible cost and takes nothing more.
    public var hasStopped: Bool { overflow != nil }

    /// Number of treated events found in a window so far, in the scan's own list (none for a
    /// scan that ``keepsCohortEvents``: the kept events hold them).
    public var windowedEvents: Int { joined.reduce(windowed.count) { $0 + $1.count } }

    /// Prices the rows of `morsel` and keeps the windowed events of followed people.
    public mutating func take(_ morsel: borrowing EventTableBuilder) {
        // The table path stops at the first implausible cost; nothing after it matters.
        guard overflow == nil else { return }
        if gridShape != (morsel.services.count, morsel.events.count) {
            grid = PriceGrid(unitCosts: resolver.unitCosts, services: morsel.services, events: morsel.events)
            gridShape = (morsel.services.count, morsel.events.count)
        }
        guard let grid else { return }
        if marksExposure, exposureByService.count != morsel.services.count {
            exposureByService = services.exposure(byCode: morsel.services)
        }
        // The loop reads the columns through buffers: through the builder's arrays, each read
        // was checked against the array's bounds and reloaded its base after every append.
        let latest = morsel.withColumns { rows in rows.day.max() ?? Int32.min }
        latestDay = max(latestDay, latest)
        if keepsCohortEvents { earliestDay = min(earliestDay, morsel.withColumns { rows in rows.day.min() ?? Int32.max }) }
        if let stop = morsel.withColumns({ rows in takeRows(rows, grid: grid) }) {
            noteOverflow(morsel, row: stop.row, uncoveredYear: stop.uncoveredYear)
        }
    }

    /// The loop of ``take(_:)``: the row of the first implausible cost, when there is one (with
    /// the financial year an explicit cost could not be restated from).
    private mutating func takeRows(_ rows: EventTableBuilder.Columns, grid: PriceGrid) -> (row: Int, uncoveredYear: FinancialYear?)? {
        // Followed people's window records are read in row order, scattered over a table far
        // bigger than a cache at national scale: each is asked for this many rows ahead.
        let lookahead = 16
        let count = rows.person.count
        for i in 0..<count {
            if i + lookahead < count, rows.person[i + lookahead] >= 0 {
                windows.prefetch(person: rows.person[i + lookahead])
            }
            let service = rows.service[i]
            var cost: Pence = 0
            var priced = true
            switch resolver.price(hasExplicitCost: rows.hasExplicitCost(i), explicitCost: rows.explicitCost[i], service: service,
                                  event: rows.event[i], quantity: rows.quantity[i], day: rows.day[i], grid: grid) {
            case .cost(let price):
                cost = price
            case .unpriced:
                unpricedTally.note(service: service, event: rows.event[i])
                priced = false
            case .implausible(let uncoveredYear):
                return (i, uncoveredYear)
            }
            if keepsCohortEvents { totals.add(cost: cost, quantity: rows.quantity[i]) }
            let person = rows.person[i]
            if person < 0 { continue }
            noteSeen(person)
            if keepsCohortEvents { keepCohortEvent(rows, row: i, cost: cost, priced: priced) }
            if marksExposure { noteExposure(person: person, service: service, day: rows.day[i]) }
            let period = windows.period(person: person, day: rows.day[i])
            if period == .outside { continue }
            if !keepsCohortEvents {
                if windowed.count == windowed.capacity, windowed.count >= chunkEvents { startChunk() }
                windowed.append(WindowedEvent(person: person, service: service, quantity: rows.quantity[i],
                                              period: period, priced: priced, cost: cost))
            }
            windowedCosts.add(cost.magnitude)
        }
        return nil
    }

    /// Keeps a followed person's row for the per-person folds (only when asked).
    @inline(never)
    private mutating func keepCohortEvent(_ rows: EventTableBuilder.Columns, row i: Int, cost: Pence, priced: Bool) {
        cohortEvents.append(CohortEvent(person: rows.person[i], service: rows.service[i], event: rows.event[i], day: rows.day[i],
                                        quantity: rows.quantity[i], cost: cost, priced: priced))
    }

    /// Takes the followed people's rows kept for the per-person folds, leaving none.
    public mutating func takeCohortEvents() -> CohortEvents {
        var taken = cohortEvents.empty()
        swap(&taken, &cohortEvents)
        return taken
    }

    /// Sums the before/after table from `grouped`, the rows this scan kept (``takeCohortEvents()``)
    /// grouped by member, once the windows are final (``cutWindows(at:)``): a scan that keeps
    /// the cohort's events holds no windowed list of its own.
    public mutating func readKeptEvents(_ grouped: GroupedCohortEvents) {
        precondition(keepsCohortEvents && grouped.cohortSize == windows.count, "the grouped rows of a scan that kept them")
        keptGrouped = grouped
    }

    /// Notes a followed person's event for time at risk (only when some service is marked).
    @inline(never)
    private mutating func noteExposure(person: Int32, service: Int32, day: Int32) {
        timeAtRisk.noteEvent(person: person, day: day, exposure: exposureByService[Int(service)])
    }

    /// Takes the days the followed people could not use services (custody, after death) out of
    /// their windows' exposure, once every row has been taken (see ``TimeAtRisk``).
    public mutating func applyTimeAtRisk() {
        guard marksExposure else { return }
        windows.removeExposure(timeAtRisk)
    }

    /// Sets the full list of windowed events aside with the others (see ``chunkEvents``) and
    /// starts an empty one.
    @inline(never)
    private mutating func startChunk() {
        joined.append(windowed)
        windowed = []
        windowed.reserveCapacity(chunkEvents)
    }

    @inline(__always)
    private mutating func noteSeen(_ person: Int32) {
        if seen.isEmpty { seen = [UInt64](repeating: 0, count: (windows.count + 63) / 64) }
        seen[Int(person) >> 6] |= 1 << UInt64(person & 63)
    }

    /// Cuts every followed person's windows at `end` after the scan, for exposure: exact when no
    /// row the scan classified lies after `end` (as when `end` is ``latestDay``), since the
    /// windows then hold the same events and only their exposure changes.
    public mutating func cutWindows(at end: CivilDate) {
        windows = windows.cut(at: end)
    }

    /// Whether followed person `person` has any row in the data (in a window or not).
    public func wasSeen(_ person: Int32) -> Bool {
        !seen.isEmpty && seen[Int(person) >> 6] & (1 << UInt64(person & 63)) != 0
    }

    /// Adds the scan of other rows: another thread's parts of a file, or a later file. This
    /// scan's overflow, if any, is taken to be the earlier one.
    public mutating func append(_ later: consuming BeforeAfterScan, recoding: EventTableBuilder.Recoding) {
        if overflow == nil { overflow = later.overflow }
        timeAtRisk.append(later.timeAtRisk)
        latestDay = max(latestDay, later.latestDay)
        earliestDay = min(earliestDay, later.earliestDay)
        if seen.isEmpty {
            seen = later.seen
        } else if !later.seen.isEmpty {
            for i in seen.indices { seen[i] |= later.seen[i] }
        }
        totals.merge(later.totals)
        windowedCosts.merge(later.windowedCosts)
        let services = recoding.services
        cohortEvents.append(later.takeCohortEvents(), services: services, events: recoding.events)
        unpricedTally.merge(later.unpricedTally, services: services, events: recoding.events)
        // The later scan's lists are taken over, not copied; only their service codes change
        // (in place, and not at all when the codes are the same, as for the first part of a
        // file read into an empty load).
        let sameCodes = services.enumerated().allSatisfy { $0.offset == Int($0.element) }
        var lists = later.joined
        lists.append(later.windowed)
        // Cleared so that each list has one owner and is changed in place, not copied.
        later.joined = []
        later.windowed = []
        while !lists.isEmpty {
            var list = lists.removeFirst()
            if list.isEmpty { continue }
            if !sameCodes {
                list.withUnsafeMutableBufferPointer { list in
                    for i in list.indices { list[i].service = services[Int(list[i].service)] }
                }
            }
            if windowed.isEmpty && joined.isEmpty {
                windowed = list
            } else {
                joined.append(list)
            }
        }
    }

    /// Calls `body` for each followed person with a windowed event, in code order, with their
    /// totals by service (`services` services: a ``PeriodTotals`` whose group is the service code;
    /// its `overflowed` says whether a sum went past 64 bits).
    ///
    /// The events are grouped in two passes that each stay in cache: first into blocks of 4,096
    /// people (one sequential write stream per block), then, block by block, by person with a
    /// counting sort, and each person's events are summed into a small reused state. A single
    /// counting sort over all events gathered them from all over a list of hundreds of megabytes
    /// at 100M rows (measured: 2.2 s there against 0.1 s at 10M).
    public func forEachPerson<E: Error>(services: Int, _ body: (Int32, PeriodTotals) throws(E) -> Void) throws(E) {
        let blocks = personBlocks(services: services)
        for block in 0..<blocks.count { try blocks.forEachPerson(inBlock: block, body) }
    }

    /// The windowed events grouped into blocks of ``PersonBlocks/blockSize`` person codes: the
    /// first pass of ``forEachPerson(services:_:)``, after which blocks can be summed apart (and
    /// on several threads at once).
    public func personBlocks(services: Int) -> PersonBlocks {
        personBlocks(services: services, blockBits: PersonBlocks.blockBits)
    }

    /// ``personBlocks(services:)`` with blocks of `1 << blockBits` people (tests use small ones).
    ///
    /// Each list of windowed events (this scan's and each appended one's) is grouped apart,
    /// on a thread of its own when there are several large ones.
    func personBlocks(services: Int, blockBits: Int) -> PersonBlocks {
        let blocks = (windows.count + (1 << blockBits) - 1) >> blockBits
        if keepsCohortEvents {
            guard let keptGrouped else { preconditionFailure("the before/after table of a scan whose kept rows were not handed back") }
            return PersonBlocks(kept: keptGrouped, windows: windows, blocks: blocks, services: services, blockBits: blockBits)
        }
        let lists = ([windowed] + joined).filter { !$0.isEmpty }
        let grouped = UnsafeMutableBufferPointer<PersonBlocks.Grouped>.allocate(capacity: lists.count)
        defer { grouped.deallocate() }
        // Sound: iteration `i` initialises element `i` only; every element is initialised
        // (and then moved out) below.
        nonisolated(unsafe) let slots = grouped
        let group: @Sendable (Int) -> Void = { i in
            (slots.baseAddress! + i).initialize(to: Self.grouped(lists[i], blocks: blocks, blockBits: blockBits))
        }
        if lists.count > 1 && lists.reduce(0, { $0 + $1.count }) >= 1 << 16 {
            DispatchQueue.concurrentPerform(iterations: lists.count, execute: group)
        } else {
            for i in lists.indices { group(i) }
        }
        let parts = (0..<lists.count).map { (grouped.baseAddress! + $0).move() }
        return PersonBlocks(parts: parts, blocks: blocks, services: services, blockBits: blockBits)
    }

    /// `events` in blocks of person codes: a counting sort on the block.
    private static func grouped(_ events: [WindowedEvent], blocks: Int, blockBits: Int) -> PersonBlocks.Grouped {
        var starts = [Int](repeating: 0, count: blocks + 1)
        for event in events { starts[Int(event.person) >> blockBits + 1] += 1 }
        for b in 0..<blocks { starts[b + 1] += starts[b] }
        var next = starts
        let byBlock = [WindowedEvent](unsafeOwnUninitializedCapacity: events.count) { buffer, initialized in
            for event in events {
                let block = Int(event.person) >> blockBits
                // Sound: the counts above give every event its own slot below events.count.
                (buffer.baseAddress! + next[block]).initialize(to: event)
                next[block] += 1
            }
            initialized = events.count
        }
        return PersonBlocks.Grouped(events: byBlock, starts: starts)
    }

    /// A scan's windowed events by blocks of person codes (see ``personBlocks(services:)``).
    public struct PersonBlocks: Sendable {
        static let blockBits = 12
        /// Person codes per block.
        public static let blockSize = 1 << blockBits

        /// One list of events grouped by block.
        fileprivate struct Grouped: Sendable {
            let events: [WindowedEvent]
            /// Where each block's events start in `events`, and one past the last block's end.
            let starts: [Int]

            func block(_ b: Int) -> ArraySlice<WindowedEvent> { events[starts[b]..<starts[b + 1]] }
        }

        fileprivate let parts: [Grouped]
        /// Or: a scan's kept rows of the cohort (any date), grouped by member, with the windows
        /// that say which of them are windowed events.
        fileprivate let kept: (events: GroupedCohortEvents, windows: PersonWindows)?
        /// Number of blocks.
        public let count: Int
        fileprivate let services: Int
        /// Block `b` holds person codes `b << blockBits ..< (b + 1) << blockBits`.
        fileprivate let blockBits: Int

        fileprivate init(parts: [Grouped], blocks: Int, services: Int, blockBits: Int) {
            self.parts = parts
            kept = nil
            count = blocks
            self.services = services
            self.blockBits = blockBits
        }

        fileprivate init(kept: GroupedCohortEvents, windows: PersonWindows, blocks: Int, services: Int, blockBits: Int) {
            parts = []
            self.kept = (kept, windows)
            count = blocks
            self.services = services
            self.blockBits = blockBits
        }

        /// Calls `body` for each person of `block` with a windowed event, in code order, with
        /// their totals by service (as ``BeforeAfterScan/forEachPerson(services:_:)``).
        public func forEachPerson<E: Error>(inBlock block: Int, _ body: (Int32, PeriodTotals) throws(E) -> Void) throws(E) {
            if let kept {
                try Self.forEachPerson(inBlock: block, blockBits: blockBits, services: services, kept: kept, body)
                return
            }
            let blockSize = 1 << blockBits
            let slices = parts.map { $0.block(block) }.filter { !$0.isEmpty }
            guard !slices.isEmpty else { return }
            let first = block << blockBits
            var starts = [Int](repeating: 0, count: blockSize + 1)
            for slice in slices {
                for event in slice { starts[Int(event.person) - first + 1] += 1 }
            }
            for p in 0..<blockSize { starts[p + 1] += starts[p] }
            // The block's events by person (a counting sort), gathered from every list.
            var place = starts
            let byPerson = [WindowedEvent](unsafeOwnUninitializedCapacity: starts[blockSize]) { buffer, initialized in
                for slice in slices {
                    for event in slice {
                        // Sound: the counts above give every event its own slot below the total.
                        (buffer.baseAddress! + place[Int(event.person) - first]).initialize(to: event)
                        place[Int(event.person) - first] += 1
                    }
                }
                initialized = starts[blockSize]
            }
            var totals = PeriodTotals(groups: services)
            for p in 0..<blockSize where starts[p + 1] > starts[p] {
                totals.reset()
                for event in byPerson[starts[p]..<starts[p + 1]] {
                    totals.add(group: Int(event.service), period: event.period, quantity: event.quantity,
                               cost: event.cost, priced: event.priced)
                }
                try body(Int32(first + p), totals)
            }
        }

        /// ``forEachPerson(inBlock:_:)`` over kept rows: each member's events in a window,
        /// by the same windows the scan classified its rows with.
        private static func forEachPerson<E: Error>(inBlock block: Int, blockBits: Int, services: Int,
                                                    kept: (events: GroupedCohortEvents, windows: PersonWindows),
                                                    _ body: (Int32, PeriodTotals) throws(E) -> Void) throws(E) {
            let first = block << blockBits, end = min(first + (1 << blockBits), kept.events.cohortSize)
            var totals = PeriodTotals(groups: services)
            for member in first..<end where kept.events.hasEvents(member: member) {
                totals.reset()
                let windowed = kept.events.withEvents(of: member) { events in
                    var windowed = false
                    for event in events {
                        let period = kept.windows.period(person: Int32(member), day: event.day)
                        if period == .outside { continue }
                        windowed = true
                        totals.add(group: Int(event.service), period: period, quantity: event.quantity, cost: event.cost, priced: event.priced)
                    }
                    return windowed
                }
                if windowed { try body(Int32(member), totals) }
            }
        }
    }

    /// The unpriced (service, event) pairs with their counts, named from `services` and
    /// `events`, in output order.
    public func unpriced(services: StringDictionary, events: StringDictionary) -> [EventCosts.UnpricedPair] {
        unpricedTally.pairs(services: services, events: events)
    }

    private mutating func noteOverflow(_ morsel: borrowing EventTableBuilder, row: Int, uncoveredYear: FinancialYear? = nil) {
        overflow = CostResolver.Overflow(service: morsel.services[morsel.service[row]], event: morsel.events[morsel.event[row]],
                                         uncoveredYear: uncoveredYear)
    }
}
