/// The before/after kernel as a one-pass scan: prices every event as it streams past and sums
/// the treated people's into `(person, service, period)`, so `cof compare` never holds the event
/// table (see ``EventLoader/scan(_:following:into:)``).
///
/// It follows the people of one dictionary — the treated cohort, coded in byte order of their
/// IDs — and ``windows`` is laid out by those codes; rows of anyone else arrive with person code
/// -1 and are priced (so unpriced pairs and implausible costs are found exactly as the table
/// path finds them) but not summed. Sums go into one ``PeriodTotals`` whose group is
/// `person * serviceStride + service`; the stride widens when a new service appears. Scans of
/// the parts of a file join by integer addition after their service codes are mapped, so the
/// result does not depend on how the file was split.
public struct ComparisonScan: EventScan, Sendable {
    /// Each followed person's windows, by person code.
    public let windows: PersonWindows
    /// The prices.
    public let unitCosts: UnitCostTable

    /// The totals by `(person * serviceStride + service, period)`.
    public private(set) var totals = PeriodTotals(groups: 0)
    /// Services per person in ``totals``; at least the number of services seen.
    public private(set) var serviceStride = 0
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

    private var personCount: Int { windows.index.count }

    /// A scan with the same windows and prices that has taken nothing.
    public func empty() -> ComparisonScan {
        ComparisonScan(windows: windows, unitCosts: unitCosts)
    }

    /// Prices and sums the rows of `morsel`.
    public mutating func take(_ morsel: borrowing EventTableBuilder) {
        // The table path stops at the first implausible cost; nothing after it matters.
        guard overflow == nil else { return }
        if gridShape != (morsel.services.count, morsel.events.count) {
            grid = PriceGrid(unitCosts: unitCosts, services: morsel.services, events: morsel.events)
            gridShape = (morsel.services.count, morsel.events.count)
        }
        if morsel.services.count > serviceStride { widen(to: morsel.services.count) }
        guard let grid else { return }
        let cap = CostResolver.maximumEventCost.magnitude
        let stride = serviceStride
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
            totals.add(group: Int(person) &* stride &+ Int(service), period: period,
                       quantity: morsel.quantity[i], cost: cost, priced: priced)
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
        let needed = (services.max().map { Int($0) + 1 }) ?? 0
        if serviceStride == 0, totals.groups == 0, services.enumerated().allSatisfy({ $0.offset == Int($0.element) }) {
            // Nothing taken yet and the same service codes (the first part of a file read into an
            // empty load): take the part's totals over without a copy.
            totals = later.totals
            serviceStride = later.serviceStride
            return
        }
        if needed > serviceStride { widen(to: needed) }
        let laterStride = later.serviceStride, stride = serviceStride
        totals.merge(later.totals) { group in
            (group / laterStride) * stride + Int(services[group % laterStride])
        }
    }

    /// The figures of followed person `person` with service `service` in `period`.
    public func figures(person: Int32, service: Int32, period: Period) -> PeriodFigures {
        guard Int(service) < serviceStride else { return PeriodFigures() }
        return totals.figures(group: Int(person) * serviceStride + Int(service), period: period)
    }

    /// The unpriced (service, event) pairs with their counts, named from `services` and
    /// `events`, in output order.
    public func unpriced(services: StringDictionary, events: StringDictionary) -> [EventCosts.UnpricedPair] {
        EventCosts.inOutputOrder(unpricedCounts.map { key, count in
            EventCosts.UnpricedPair(service: services[Int32(key >> 32)], event: events[Int32(key & 0xFFFF_FFFF)], events: count)
        })
    }

    private mutating func widen(to services: Int) {
        let old = serviceStride
        serviceStride = services
        guard old > 0 else {
            totals = PeriodTotals(groups: personCount * services)
            return
        }
        totals = totals.regrouped(groups: personCount * services) { group in
            (group / old) * services + group % old
        }
    }

    private mutating func noteOverflow(_ morsel: borrowing EventTableBuilder, row: Int) {
        overflow = CostResolver.Overflow(service: morsel.services[morsel.service[row]], event: morsel.events[morsel.event[row]])
    }
}
