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
/// Scans of the parts of a file join by concatenation after their service codes are mapped, and
/// sums are integer, so the result does not depend on how the file was split.
public struct ComparisonScan: EventScan, Sendable {
    /// One treated person's event in a window.
    struct WindowedEvent: Sendable {
        var person: Int32
        var service: Int32
        var quantity: Int32
        var period: Period
        var priced: Bool
        var cost: Pence
    }

    /// Each followed person's windows, by person code.
    public let windows: PersonWindows
    /// The prices.
    public let unitCosts: UnitCostTable

    /// The windowed events of followed people, in the order they were read.
    private var windowed: [WindowedEvent] = []
    /// Events with neither an explicit cost nor a unit cost (all people, all dates), by
    /// `service << 32 | event`.
    public private(set) var unpricedCounts: [Int: Int] = [:]
    /// The first event whose cost is implausible, in file order; the scan takes nothing after it.
    public private(set) var overflow: CostResolver.Overflow?

    private var grid: PriceGrid?
    private var gridShape = (services: -1, events: -1)

    /// A scan for the people `windows` is laid out for, priced with `unitCosts`.
    public init(windows: PersonWindows, unitCosts: UnitCostTable) {
        self.windows = windows
        self.unitCosts = unitCosts
    }

    /// A scan with the same windows and prices that has taken nothing.
    public func empty() -> ComparisonScan {
        ComparisonScan(windows: windows, unitCosts: unitCosts)
    }

    /// Number of treated events found in a window so far.
    public var windowedEvents: Int { windowed.count }

    /// Prices the rows of `morsel` and keeps the windowed events of followed people.
    public mutating func take(_ morsel: borrowing EventTableBuilder) {
        // The table path stops at the first implausible cost; nothing after it matters.
        guard overflow == nil else { return }
        if gridShape != (morsel.services.count, morsel.events.count) {
            grid = PriceGrid(unitCosts: unitCosts, services: morsel.services, events: morsel.events)
            gridShape = (morsel.services.count, morsel.events.count)
        }
        guard let grid else { return }
        let cap = CostResolver.maximumEventCost.magnitude
        for i in 0..<morsel.count {
            let service = morsel.service[i]
            var cost: Pence = 0
            var priced = true
            if morsel.explicitCostValidity[i] {
                cost = morsel.explicitCost[i]
                if cost.magnitude > cap { return noteOverflow(morsel, row: i) }
            } else {
                let cell = grid.cell(service: service, event: morsel.event[i])
                let unit = grid.price(cell: cell, service: service)
                if unit == PriceGrid.none {
                    unpricedCounts[Int(service) << 32 | Int(morsel.event[i]), default: 0] += 1
                    priced = false
                } else {
                    let (product, overflowed) = unit.multipliedReportingOverflow(by: Pence(morsel.quantity[i]))
                    if overflowed || product.magnitude > cap { return noteOverflow(morsel, row: i) }
                    cost = product
                }
            }
            let person = morsel.person[i]
            if person < 0 { continue }
            let period = windows.period(person: person, day: morsel.day[i])
            if period == .outside { continue }
            windowed.append(WindowedEvent(person: person, service: service, quantity: morsel.quantity[i],
                                          period: period, priced: priced, cost: cost))
        }
    }

    /// Adds the scan of the rows that follow this scan's.
    public mutating func append(_ later: consuming ComparisonScan, recoding: EventTableBuilder.Recoding) {
        if overflow == nil { overflow = later.overflow }
        let services = recoding.services
        for (key, count) in later.unpricedCounts {
            let service = services[key >> 32], event = recoding.events[key & 0xFFFF_FFFF]
            unpricedCounts[Int(service) << 32 | Int(event), default: 0] += count
        }
        if windowed.isEmpty, services.enumerated().allSatisfy({ $0.offset == Int($0.element) }) {
            // Nothing kept yet and the same service codes (the first part of a file read into an
            // empty load): take the part's list over without a copy.
            windowed = later.windowed
            return
        }
        windowed.reserveCapacity(windowed.count + later.windowed.count)
        for var event in later.windowed {
            event.service = services[Int(event.service)]
            windowed.append(event)
        }
    }

    /// Calls `body` for each followed person with a windowed event, in code order, with their
    /// totals by service (`services` services: a ``PeriodTotals`` whose group is the service code).
    ///
    /// The events are grouped by a counting sort on the person code: one pass to count, one to
    /// place, then each person's events are summed into a small reused state.
    ///
    /// - Throws: ``CostResolver/Overflow`` for the first implausible event cost the scan met, or
    ///   a sum that does not fit in 64-bit pence.
    public func forEachPerson(services: Int, _ body: (Int32, PeriodTotals) -> Void) throws(CostResolver.Overflow) {
        if let overflow { throw overflow }
        let people = windows.index.count
        var starts = [Int](repeating: 0, count: people + 1)
        for event in windowed { starts[Int(event.person) + 1] += 1 }
        for p in 0..<people { starts[p + 1] += starts[p] }
        var order = [Int32](repeating: 0, count: windowed.count)
        var next = starts
        for (i, event) in windowed.enumerated() {
            order[next[Int(event.person)]] = Int32(i)
            next[Int(event.person)] += 1
        }
        var totals = PeriodTotals(groups: services)
        for person in 0..<people where starts[person + 1] > starts[person] {
            totals.reset()
            for slot in starts[person]..<starts[person + 1] {
                let event = windowed[Int(order[slot])]
                totals.add(group: Int(event.service), period: event.period, quantity: event.quantity,
                           cost: event.cost, priced: event.priced)
            }
            if totals.overflowed { throw CostResolver.Overflow(service: "", event: "") }
            body(Int32(person), totals)
        }
    }

    /// The unpriced (service, event) pairs with their counts, named from `services` and
    /// `events`, in output order.
    public func unpriced(services: StringDictionary, events: StringDictionary) -> [EventCosts.UnpricedPair] {
        EventCosts.inOutputOrder(unpricedCounts.map { key, count in
            EventCosts.UnpricedPair(service: services[Int32(key >> 32)], event: events[Int32(key & 0xFFFF_FFFF)], events: count)
        })
    }

    private mutating func noteOverflow(_ morsel: borrowing EventTableBuilder, row: Int) {
        overflow = CostResolver.Overflow(service: morsel.services[morsel.service[row]], event: morsel.events[morsel.event[row]])
    }
}
