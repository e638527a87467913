/// Unit costs laid out by (service code, event code) of one event table.
///
/// Dense (one slot per service × event type) when that grid is small, which is the usual case
/// (tens of services, tens of event types): a lookup is one array read. When an export uses
/// free-text event descriptions the grid would be huge, so prices are then kept in a hash map
/// holding only the priced pairs.
struct PriceGrid {
    /// Marks a pair with no price.
    static let none = Pence.min
    /// The largest dense grid, in slots (8 MiB of prices).
    static let denseLimit = 1 << 20

    private let eventCount: Int
    /// Price of (service, event) at `service * eventCount + event`, when dense.
    private let dense: [Pence]
    /// Prices of priced (service, event) cells, when sparse.
    private let sparse: [Int: Pence]
    private let isDense: Bool
    /// Service-wide default (`event = *`) by service code.
    private let wildcard: [Pence]

    init(unitCosts: UnitCostTable, services: StringDictionary, events: StringDictionary) {
        eventCount = max(events.count, 1)
        isDense = services.count * eventCount <= PriceGrid.denseLimit
        var dense = [Pence](repeating: PriceGrid.none, count: isDense ? services.count * eventCount : 0)
        var sparse: [Int: Pence] = [:]
        var wildcard = [Pence](repeating: PriceGrid.none, count: services.count)
        for entry in unitCosts.entries {
            guard let s = services.code(of: entry.service) else { continue }
            if entry.event == UnitCostTable.anyEvent {
                wildcard[Int(s)] = entry.unitCostPence
            } else if let e = events.code(of: entry.event) {
                let cell = Int(s) * eventCount + Int(e)
                if isDense { dense[cell] = entry.unitCostPence } else { sparse[cell] = entry.unitCostPence }
            }
        }
        self.dense = dense
        self.sparse = sparse
        self.wildcard = wildcard
    }

    @inline(__always)
    func cell(service: Int32, event: Int32) -> Int {
        Int(service) * eventCount + Int(event)
    }

    /// The (service, event) codes of `cell`.
    func codes(of cell: Int) -> (Int32, Int32) {
        (Int32(cell / eventCount), Int32(cell % eventCount))
    }

    /// The unit price for `cell`, falling back to the service's wildcard; ``none`` when neither exists.
    @inline(__always)
    func price(cell: Int, service: Int32) -> Pence {
        let price = isDense ? dense[cell] : (sparse[cell] ?? PriceGrid.none)
        return price != PriceGrid.none ? price : wildcard[Int(service)]
    }
}
