/// Every event's cost (in magnitude) and quantity taken together, with the recorded
/// intervention costs, checked against the engine's ceiling: the rule that lets the analyses
/// over a study add costs, counts and quantities without checking each sum (any sum of some of
/// them fits). A ``Study`` adds its table's columns (``init(costs:quantities:)``); the streaming scan adds every row it
/// prices, of anyone, so that the two paths accept and refuse the same inputs.
///
/// The sums saturate just past their ceilings, so adding and merging never wrap, in any order.
public struct EventTotals: Sendable, Equatable {
    /// The costs' magnitudes taken together, held at most one past ``CostResolver/maximumTotal``.
    private var costMagnitude: UInt64 = 0
    /// The quantities taken together, held at most one past `Int64.max`.
    private var units: UInt64 = 0

    private static let costCeiling = CostResolver.maximumTotal.magnitude
    private static let unitCeiling = UInt64(Int64.max)

    /// Nothing added.
    public init() {}

    /// Totals as another process held them (a partial's, see ``held``), each clamped to one
    /// past its ceiling as sums are held.
    public init(costMagnitude: UInt64, units: UInt64) {
        self.costMagnitude = min(costMagnitude, Self.costCeiling + 1)
        self.units = min(units, Self.unitCeiling + 1)
    }

    /// The sums as held (each at most one past its ceiling), for a partial's text form.
    public var held: (costMagnitude: UInt64, units: UInt64) { (costMagnitude, units) }

    /// The totals of a table's columns: every event's cost (0 when unpriced) and quantity, in
    /// step, each added as the streaming scan adds a row (``add(cost:quantity:)``).
    public init<Costs: Sequence<Pence>, Quantities: Sequence<Int32>>(costs: Costs, quantities: Quantities) {
        for (cost, quantity) in zip(costs, quantities) { add(cost: cost, quantity: quantity) }
    }

    /// Adds one event's cost (0 when unpriced) and quantity.
    ///
    /// No wrap: each cost is at most the £1bn event cap (an implausible one stops the read) and
    /// each quantity below 2^31, added to sums held at most one past their ceilings.
    @inline(__always)
    public mutating func add(cost: Pence, quantity: Int32) {
        costMagnitude = min(costMagnitude &+ cost.magnitude, Self.costCeiling + 1)
        units = min(units &+ UInt64(quantity.magnitude), Self.unitCeiling + 1)
    }

    /// Adds the totals of other events.
    public mutating func merge(_ other: EventTotals) {
        // No wrap for the costs (each sum is at most 4e18 + 1); the units may reach 2^64.
        costMagnitude = min(costMagnitude + other.costMagnitude, Self.costCeiling + 1)
        let (sum, overflow) = units.addingReportingOverflow(other.units)
        units = overflow ? Self.unitCeiling + 1 : min(sum, Self.unitCeiling + 1)
    }

    /// Checks the events' costs, then with `interventions`' recorded costs, then the quantities.
    ///
    /// - Throws: ``CostResolver/Overflow`` naming the first total that is too large.
    public func check(interventions: InterventionTable) throws(CostResolver.Overflow) {
        try check(recorded: interventions.entries.lazy.compactMap(\.costPence))
    }

    /// Checks the events' costs, then with the recorded costs `recordedCosts`, then the
    /// quantities (as ``check(interventions:)`` for the table they were taken from).
    ///
    /// - Throws: ``CostResolver/Overflow`` naming the first total that is too large.
    public func check(recordedCosts: InterventionCosts) throws(CostResolver.Overflow) {
        try check(recorded: recordedCosts.costs.lazy.map(\.pence))
    }

    private func check(recorded: some Sequence<Pence>) throws(CostResolver.Overflow) {
        if costMagnitude > Self.costCeiling { throw CostResolver.Overflow(figure: "the events' costs taken together") }
        var magnitude = costMagnitude
        for cost in recorded {
            let (sum, overflow) = magnitude.addingReportingOverflow(cost.magnitude)
            if overflow || sum > Self.costCeiling {
                throw CostResolver.Overflow(figure: "the events' and the interventions' recorded costs taken together")
            }
            magnitude = sum
        }
        if units > Self.unitCeiling { throw CostResolver.Overflow(figure: "the events' quantities taken together") }
    }
}
