/// Unit costs laid out densely by (service code, event code) of one event table.
struct PriceGrid {
    /// Marks a cell with no price.
    static let none = Pence.min

    private let eventCount: Int
    /// Price of (service, event) at `service * eventCount + event`.
    private let exact: [Pence]
    /// Service-wide default (`event = *`) by service code.
    private let wildcard: [Pence]

    init(unitCosts: UnitCostTable, services: StringDictionary, events: StringDictionary) {
        eventCount = max(events.count, 1)
        var exact = [Pence](repeating: PriceGrid.none, count: services.count * eventCount)
        var wildcard = [Pence](repeating: PriceGrid.none, count: services.count)
        for entry in unitCosts.entries {
            guard let s = services.code(of: entry.service) else { continue }
            if entry.event == UnitCostTable.anyEvent {
                wildcard[Int(s)] = entry.unitCostPence
            } else if let e = events.code(of: entry.event) {
                exact[Int(s) * eventCount + Int(e)] = entry.unitCostPence
            }
        }
        self.exact = exact
        self.wildcard = wildcard
    }

    /// Number of (service, event) cells.
    var cellCount: Int { exact.count }

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
        let price = exact[cell]
        return price != PriceGrid.none ? price : wildcard[Int(service)]
    }
}
