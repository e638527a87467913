/// Resolves every event's cost once, into a pence column.
///
/// Precedence, exactly as the engine's contract says: the event's explicit cost; else
/// `unit_cost(service, event) × quantity`; else `unit_cost(service, *) × quantity`; else the
/// event is unpriced (counted and reported, never silently zero). Unit costs are joined on the
/// event table's dictionary codes through a dense (service × event) price grid, so the loop over
/// events is two array reads and a multiply.
public struct CostResolver: Sendable {
    /// The prices (already in the price base's prices, when there is one).
    public let unitCosts: UnitCostTable
    /// The price base explicit event costs are restated in, if any.
    public let priceBase: PriceBase?

    /// Creates a resolver over `unitCosts`; with a `priceBase`, explicit costs are restated
    /// from the financial year of their event.
    public init(unitCosts: UnitCostTable, priceBase: PriceBase? = nil) {
        self.unitCosts = unitCosts
        self.priceBase = priceBase
    }

    /// An explicit cost of an event on `day`, in the price base if there is one: `nil` when the
    /// price base's index does not cover the event's year.
    @inline(__always)
    func explicitCost(_ pence: Pence, day: Int32) -> Pence? {
        guard let priceBase else { return pence }
        return priceBase.restate(explicit: pence, day: day)
    }

    /// The most one event may cost: £1bn. No single contact with a public service costs more,
    /// and the cap keeps every sum the engine makes far inside 64-bit pence.
    public static let maximumEventCost: Pence = 100_000_000_000

    /// A cost the engine cannot state: an event cost beyond ``maximumEventCost``, a sum beyond
    /// 64 bits, or an explicit cost in a financial year the price base's index does not cover.
    public struct Overflow: Error, Sendable, CustomStringConvertible {
        /// Service of the event whose cost is implausible (empty for a sum).
        public var service: String
        /// Event type.
        public var event: String
        /// For an explicit cost that cannot be restated: the event's financial year.
        public var uncoveredYear: FinancialYear?
        /// A message for the user.
        public var description: String {
            if let uncoveredYear {
                return "no price index for \(uncoveredYear): an explicit cost of (\(service), \(event)) in that year cannot be restated in the price base; expected the deflator to cover the year of every event with an explicit cost"
            }
            return service.isEmpty
                ? "cost overflow: a total exceeds the largest amount the engine holds"
                : "implausible cost: an event of (\(service), \(event)) costs more than £1,000,000,000 (explicit cost, or unit cost × quantity); expected a cost per event"
        }

        /// Creates the error.
        public init(service: String, event: String, uncoveredYear: FinancialYear? = nil) {
            self.service = service
            self.event = event
            self.uncoveredYear = uncoveredYear
        }
    }

    /// Prices every event of `table`.
    public func resolve(_ table: EventTable) throws(Overflow) -> EventCosts {
        let grid = PriceGrid(unitCosts: unitCosts, services: table.services, events: table.events)
        var pence = [Pence](repeating: 0, count: table.count)
        var priced = ValidityBitmap()
        priced.reserveCapacity(table.count)
        var unpricedCounts: [Int: Int] = [:]  // only unpriced events touch it
        for i in 0..<table.count {
            if table.explicitCostValidity[i] {
                guard let cost = explicitCost(table.explicitCost[i], day: table.day[i]) else {
                    throw Overflow(service: table.services[table.service[i]], event: table.events[table.event[i]],
                                   uncoveredYear: FinancialYear(containing: CivilDate(daysSinceEpoch: table.day[i])))
                }
                if cost.magnitude > Self.maximumEventCost.magnitude {
                    throw Overflow(service: table.services[table.service[i]], event: table.events[table.event[i]])
                }
                pence[i] = cost
                priced.append(true)
                continue
            }
            let cell = grid.cell(service: table.service[i], event: table.event[i])
            let unit = grid.price(cell: cell, service: table.service[i])
            if unit == PriceGrid.none {
                unpricedCounts[cell, default: 0] += 1
                priced.append(false)
                continue
            }
            let (cost, overflow) = unit.multipliedReportingOverflow(by: Pence(table.quantity[i]))
            if overflow || cost.magnitude > Self.maximumEventCost.magnitude {
                throw Overflow(service: table.services[table.service[i]], event: table.events[table.event[i]])
            }
            pence[i] = cost
            priced.append(true)
        }
        var unpriced: [EventCosts.UnpricedPair] = []
        for (cell, count) in unpricedCounts {
            let (s, e) = grid.codes(of: cell)
            unpriced.append(.init(service: table.services[s], event: table.events[e], events: count))
        }
        return EventCosts(pence: pence, priced: priced, unpriced: EventCosts.inOutputOrder(unpriced))
    }
}
