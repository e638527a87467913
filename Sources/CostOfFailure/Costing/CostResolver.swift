/// Resolves every event's cost once, into a pence column.
///
/// Precedence, exactly as the engine's contract says: the event's explicit cost; else
/// `unit_cost(service, event) × quantity`; else `unit_cost(service, *) × quantity`; else the
/// event is unpriced (counted and reported, never silently zero). Unit costs are joined on the
/// event table's dictionary codes through a dense (service × event) price grid, so the loop over
/// events is two array reads and a multiply.
public struct CostResolver: Sendable {
    /// The prices.
    public let unitCosts: UnitCostTable

    /// Creates a resolver over `unitCosts`.
    public init(unitCosts: UnitCostTable) {
        self.unitCosts = unitCosts
    }

    /// The most one event may cost: £1bn. No single contact with a public service costs more,
    /// and the cap keeps every sum the engine makes far inside 64-bit pence.
    public static let maximumEventCost: Pence = 100_000_000_000

    /// An event cost beyond ``maximumEventCost``, or a sum beyond 64 bits.
    public struct Overflow: Error, Sendable, CustomStringConvertible {
        /// Service of the event whose cost is implausible (empty for a sum).
        public var service: String
        /// Event type.
        public var event: String
        /// A message for the user.
        public var description: String {
            service.isEmpty
                ? "cost overflow: a total exceeds the largest amount the engine holds"
                : "implausible cost: an event of (\(service), \(event)) costs more than £1,000,000,000 (explicit cost, or unit cost × quantity); expected a cost per event"
        }

        /// Creates the error.
        public init(service: String, event: String) {
            self.service = service
            self.event = event
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
                let cost = table.explicitCost[i]
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
