/// Resolves every event's cost once, into a pence column.
///
/// Precedence, exactly as the engine's contract says: the event's explicit cost; else
/// `unit_cost(service, event) × quantity`; else `unit_cost(service, *) × quantity`; else the
/// event is unpriced (counted and reported, never silently zero). A unit cost is per unit of the
/// events' quantity (converted once when its `quantity_unit` differs, ``UnitOfMeasure``); a
/// tariff's cost is its base plus the excess beyond its trim point
/// (``tariffCost(base:trimPoint:excessPerUnit:quantity:)``), in place of unit cost × quantity.
/// Unit costs are joined on the
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

    /// The most any total the engine states may hold in magnitude: £40 trillion, some thirty
    /// years of all UK public spending. ``Study`` checks that every priced event's cost and every
    /// recorded intervention cost, taken together in magnitude, stay within it (and the one-pass
    /// scan the same of its windowed events), so that any sum of some of them fits, and so does a
    /// rate per year (at most 365 × this) and the sum or difference of a few rates: 6 × 365 ×
    /// 4·10^15 < 2^63. Analyses lean on that for the arithmetic they do not check one by one.
    public static let maximumTotal: Pence = 4_000_000_000_000_000

    /// A cost the engine cannot state: an event cost beyond ``maximumEventCost``, a sum beyond
    /// ``maximumTotal`` or 64 bits, or an explicit cost in a financial year the price base's
    /// index does not cover. The one error every analysis ends with when a figure does not fit:
    /// its message names the event's (service, event) or the figure, never a value or a person.
    public struct Overflow: Error, Sendable, Equatable, CustomStringConvertible {
        /// Service of the event whose cost is implausible (empty for a sum).
        public var service: String
        /// Event type.
        public var event: String
        /// For an explicit cost that cannot be restated: the event's financial year.
        public var uncoveredYear: FinancialYear?
        /// For a sum or a figure derived from sums: what it is ("the appraisal's present value").
        public var figure: String?
        /// A message for the user.
        public var description: String {
            if let uncoveredYear {
                return "no price index for \(uncoveredYear): an explicit cost of (\(service), \(event)) in that year cannot be restated in the price base; expected the deflator to cover the year of every event with an explicit cost"
            }
            if let figure {
                return "overflow: \(figure) is beyond what the engine holds (money up to £40,000,000,000,000 either way, counts up to 2^63); expected the costs and quantities of real services and interventions"
            }
            return service.isEmpty
                ? "cost overflow: a total exceeds the largest amount the engine holds"
                : "implausible cost: an event of (\(service), \(event)) costs more than £1,000,000,000 (explicit cost, or unit cost × quantity); expected a cost per event"
        }

        /// Creates the error for an event's cost.
        public init(service: String, event: String, uncoveredYear: FinancialYear? = nil) {
            self.service = service
            self.event = event
            self.uncoveredYear = uncoveredYear
        }

        /// Creates the error for a sum, or a figure derived from sums, named by `figure`.
        public init(figure: String) {
            self.init(service: "", event: "")
            self.figure = figure
        }

        /// `value` as pence, or the error for `figure` when it does not fit in 64 bits.
        public static func pence(_ value: Int128, _ figure: @autoclosure () -> String) throws(Overflow) -> Pence {
            guard let pence = Pence(exactly: value) else { throw Overflow(figure: figure()) }
            return pence
        }

        /// `a + b` (money in pence, or a count), or the error for `figure` when the sum does not fit in 64 bits.
        public static func sum(_ a: Pence, _ b: Pence, _ figure: @autoclosure () -> String) throws(Overflow) -> Pence {
            let (sum, overflow) = a.addingReportingOverflow(b)
            if overflow { throw Overflow(figure: figure()) }
            return sum
        }

        /// `value`, or the error for `figure` when its magnitude is beyond ``maximumTotal``.
        public static func withinTotal(_ value: Pence, _ figure: @autoclosure () -> String) throws(Overflow) -> Pence {
            if value.magnitude > CostResolver.maximumTotal.magnitude { throw Overflow(figure: figure()) }
            return value
        }
    }

    /// One event's price under the precedence (see the type's summary): what the table path and
    /// the one-pass scan both ask of every row, so the rule is written once.
    public enum Price: Sendable, Equatable {
        /// The event's cost, within ``maximumEventCost``.
        case cost(Pence)
        /// No explicit cost and no unit cost: counted and reported, never zero.
        case unpriced
        /// A cost the engine cannot state (``Overflow``): beyond ``maximumEventCost``, or an
        /// explicit cost in `uncoveredYear`, a year the price base's index does not cover.
        case implausible(uncoveredYear: FinancialYear?)
    }

    /// The price of one event: its explicit cost when it has one (`hasExplicitCost`), restated
    /// in the price base; else its (service, event) unit cost from `grid`, else the service's
    /// `*`, times `quantity`; else unpriced.
    @inline(__always)
    func price(hasExplicitCost: Bool, explicitCost: Pence, service: Int32, event: Int32, quantity: Int32, day: Int32,
               grid: PriceGrid) -> Price {
        let cap = Self.maximumEventCost.magnitude
        if hasExplicitCost {
            guard let restated = self.explicitCost(explicitCost, day: day) else {
                // Covered: the restated cost does not fit, an implausible cost.
                if priceBase?.covers(day: day) == true { return .implausible(uncoveredYear: nil) }
                return .implausible(uncoveredYear: FinancialYear(containing: CivilDate(daysSinceEpoch: day)))
            }
            return restated.magnitude > cap ? .implausible(uncoveredYear: nil) : .cost(restated)
        }
        let unit = grid.price(cell: grid.cell(service: service, event: event), service: service)
        if unit >= 0 {
            let (product, overflowed) = unit.multipliedReportingOverflow(by: Pence(quantity))
            return overflowed || product.magnitude > cap ? .implausible(uncoveredYear: nil) : .cost(product)
        }
        if unit == PriceGrid.none { return .unpriced }
        let tariff = grid.tariff(unit)
        guard let cost = Self.tariffCost(base: tariff.base, trimPoint: tariff.trimPoint, excessPerUnit: tariff.excessPerUnit, quantity: quantity),
              cost.magnitude <= cap else { return .implausible(uncoveredYear: nil) }
        return .cost(cost)
    }

    /// A tariff's price of one event of `quantity` units (NHS National Cost Collection HRG
    /// admissions: an HRG's price covers a stay up to its trim point, and each excess bed day
    /// beyond it is paid at a price per day): `base + max(0, quantity − trimPoint) × excessPerUnit`.
    /// A stay of exactly the trim point is the base; one day more adds one excess price; a
    /// quantity of 0 is the base. `nil` when the cost does not fit in 64 bits (never a trap;
    /// the caller makes it an implausible cost).
    public static func tariffCost(base: Pence, trimPoint: Int32, excessPerUnit: Pence, quantity: Int32) -> Pence? {
        let excessUnits = max(0, Int64(quantity) - Int64(trimPoint))
        let (excess, overflowed) = excessPerUnit.multipliedReportingOverflow(by: excessUnits)
        if overflowed { return nil }
        let (cost, overflowedSum) = base.addingReportingOverflow(excess)
        return overflowedSum ? nil : cost
    }

    /// Prices every event of `table` (see ``price(hasExplicitCost:explicitCost:service:event:quantity:day:grid:)``).
    public func resolve(_ table: EventTable) throws(Overflow) -> EventCosts {
        let grid = PriceGrid(unitCosts: unitCosts, services: table.services, events: table.events)
        var pence = [Pence](repeating: 0, count: table.count)
        var priced = ValidityBitmap()
        priced.reserveCapacity(table.count)
        var unpriced = UnpricedTally()
        for i in 0..<table.count {
            let service = table.service[i], event = table.event[i]
            switch price(hasExplicitCost: table.explicitCostValidity[i], explicitCost: table.explicitCost[i], service: service,
                         event: event, quantity: table.quantity[i], day: table.day[i], grid: grid) {
            case .cost(let cost):
                pence[i] = cost
                priced.append(true)
            case .unpriced:
                unpriced.note(service: service, event: event)
                priced.append(false)
            case .implausible(let uncoveredYear):
                throw Overflow(service: table.services[service], event: table.events[event], uncoveredYear: uncoveredYear)
            }
        }
        return EventCosts(pence: pence, priced: priced, unpriced: unpriced.pairs(services: table.services, events: table.events))
    }
}
