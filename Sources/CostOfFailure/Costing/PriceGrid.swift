/// Unit costs laid out by (service code, event code) of one event table.
///
/// Dense (one slot per service × event type) when that grid is small, which is the usual case
/// (tens of services, tens of event types): a lookup is one array read. When an export uses
/// free-text event descriptions the grid would be huge, so prices are then kept in a hash map
/// holding only the priced pairs.
///
/// A slot holds the price of one unit of the events' quantity: a unit cost with a
/// `quantity_unit` is converted to it here, once per unit cost (``UnitOfMeasure``), so that the
/// loop over events never converts. A tariff's slot holds a negative number, `-(i + 1)` for
/// ``tariffs``[i] (unit costs are never negative, so the plain price stays one comparison away).
struct PriceGrid {
    /// Marks a pair with no price.
    static let none = Pence.min

    /// A base price plus a price per unit beyond a trim point (see
    /// ``CostResolver/tariffCost(base:trimPoint:excessPerUnit:quantity:)``).
    struct Tariff: Sendable, Equatable {
        var base: Pence
        var trimPoint: Int32
        var excessPerUnit: Pence
    }

    /// The tariffs the grid's negative slots point at.
    private(set) var tariffs: [Tariff] = []

    /// What a slot holds for `entry`: its price per unit of the events' quantity (beyond the
    /// event cap when the conversion does not fit, so that any event of it is implausible), or
    /// a tariff's `-(index + 1)`, appending the tariff.
    private static func slot(_ entry: UnitCostTable.Entry, tariffs: inout [Tariff]) -> Pence {
        if let trimPoint = entry.trimPoint, let excess = entry.excessPerUnitPence {
            tariffs.append(Tariff(base: entry.unitCostPence, trimPoint: trimPoint, excessPerUnit: excess))
            return -Pence(tariffs.count)
        }
        var price = entry.unitCostPence
        if let quantityUnit = entry.quantityUnit {
            let converted = UnitOfMeasure(unitText: entry.unit).price(entry.unitCostPence, per: quantityUnit)
            price = min(converted ?? Pence.max, CostResolver.maximumEventCost + 1)
        }
        if price >= 0 { return price }
        // A negative price (no file gives one: the loader refuses them) cannot sit in a slot:
        // it goes as the tariff 0 + quantity × price, which is price × quantity (quantities are
        // never negative), overflow-checked the same way.
        tariffs.append(Tariff(base: 0, trimPoint: 0, excessPerUnit: price))
        return -Pence(tariffs.count)
    }

    /// The tariff a negative slot value (not ``none``) points at.
    @inline(__always)
    func tariff(_ slot: Pence) -> Tariff { tariffs[Int(-slot) - 1] }
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
        var tariffs: [Tariff] = []
        for entry in unitCosts.entries {
            guard let s = services.code(of: entry.service) else { continue }
            if entry.event == UnitCostTable.anyEvent {
                wildcard[Int(s)] = Self.slot(entry, tariffs: &tariffs)
            } else if let e = events.code(of: entry.event) {
                let cell = Int(s) * eventCount + Int(e)
                let price = Self.slot(entry, tariffs: &tariffs)
                if isDense { dense[cell] = price } else { sparse[cell] = price }
            }
        }
        self.tariffs = tariffs
        self.dense = dense
        self.sparse = sparse
        self.wildcard = wildcard
    }

    @inline(__always)
    func cell(service: Int32, event: Int32) -> Int {
        Int(service) * eventCount + Int(event)
    }

    /// The slot for `cell` (a price per unit of quantity, a tariff's negative index, or ``none``),
    /// falling back to the service's wildcard; ``none`` when neither exists.
    @inline(__always)
    func price(cell: Int, service: Int32) -> Pence {
        let price = isDense ? dense[cell] : (sparse[cell] ?? PriceGrid.none)
        return price != PriceGrid.none ? price : wildcard[Int(service)]
    }
}
