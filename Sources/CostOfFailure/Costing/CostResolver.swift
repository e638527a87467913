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

    /// An error from pricing.
    public struct Overflow: Error, Sendable, CustomStringConvertible {
        /// Service of the event whose cost overflowed.
        public var service: String
        /// Event type.
        public var event: String
        /// A message for the user.
        public var description: String {
            "cost overflow: unit cost × quantity for (\(service), \(event)) exceeds the largest amount the engine holds"
        }
    }

    /// Prices every event of `table`.
    public func resolve(_ table: EventTable) throws(Overflow) -> EventCosts {
        let grid = PriceGrid(unitCosts: unitCosts, services: table.services, events: table.events)
        var pence = [Pence](repeating: 0, count: table.count)
        var priced = ValidityBitmap()
        priced.reserveCapacity(table.count)
        var unpricedCounts = [Int](repeating: 0, count: grid.cellCount)
        for i in 0..<table.count {
            if table.explicitCostValidity[i] {
                pence[i] = table.explicitCost[i]
                priced.append(true)
                continue
            }
            let cell = grid.cell(service: table.service[i], event: table.event[i])
            let unit = grid.price(cell: cell, service: table.service[i])
            if unit == PriceGrid.none {
                unpricedCounts[cell] += 1
                priced.append(false)
                continue
            }
            let (cost, overflow) = unit.multipliedReportingOverflow(by: Pence(table.quantity[i]))
            if overflow {
                throw Overflow(service: table.services[table.service[i]], event: table.events[table.event[i]])
            }
            pence[i] = cost
            priced.append(true)
        }
        var unpriced: [EventCosts.UnpricedPair] = []
        for cell in 0..<grid.cellCount where unpricedCounts[cell] > 0 {
            let (s, e) = grid.codes(of: cell)
            unpriced.append(.init(service: table.services[s], event: table.events[e], events: unpricedCounts[cell]))
        }
        unpriced.sort { ($0.service.utf8.lexicographicallyPrecedes($1.service.utf8)) || ($0.service == $1.service && $0.event.utf8.lexicographicallyPrecedes($1.event.utf8)) }
        return EventCosts(pence: pence, priced: priced, unpriced: unpriced)
    }
}
