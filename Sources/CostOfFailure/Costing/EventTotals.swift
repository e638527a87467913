/// Every event's cost (in magnitude) and quantity taken together, with the recorded
/// intervention costs, checked against the engine's ceiling: the rule that lets the analyses
/// over a study add costs, counts and quantities without checking each sum (any sum of some of
/// them fits). A ``Study`` adds its table's columns (``init(costs:quantities:)``); the streaming scan adds every row it
/// prices, of anyone, so that the two paths accept and refuse the same inputs.
///
/// The sums are ``CeilingSum``s, so adding and merging never wrap, in any order.
public struct EventTotals: Sendable, Equatable {
    /// The costs' magnitudes taken together, against ``CostResolver/maximumTotal``.
    private var costs = CeilingSum.costs
    /// The quantities taken together, against `Int64.max`.
    private var units = CeilingSum.counts

    /// Nothing added.
    public init() {}

    /// Totals as another process held them (a partial's, see ``held``), each clamped to one
    /// past its ceiling as sums are held.
    public init(costMagnitude: UInt64, units: UInt64) {
        costs = CeilingSum(held: costMagnitude, ceiling: costs.ceiling)
        self.units = CeilingSum(held: units, ceiling: self.units.ceiling)
    }

    /// The sums as held (each at most one past its ceiling), for a partial's text form.
    public var held: (costMagnitude: UInt64, units: UInt64) { (costs.held, units.held) }

    /// The totals of a table's columns: every event's cost (0 when unpriced) and quantity, in
    /// step, each added as the streaming scan adds a row (``add(cost:quantity:)``).
    public init<Costs: Sequence<Pence>, Quantities: Sequence<Int32>>(costs: Costs, quantities: Quantities) {
        for (cost, quantity) in zip(costs, quantities) { add(cost: cost, quantity: quantity) }
    }

    /// Adds one event's cost (0 when unpriced) and quantity.
    @inline(__always)
    public mutating func add(cost: Pence, quantity: Int32) {
        costs.add(cost.magnitude)
        units.add(UInt64(quantity.magnitude))
    }

    /// Adds the totals of other events.
    public mutating func merge(_ other: EventTotals) {
        costs.merge(other.costs)
        units.merge(other.units)
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
        if !costs.isWithinCeiling { throw CostResolver.Overflow(figure: "the events' costs taken together") }
        var withRecorded = costs
        for cost in recorded {
            withRecorded.add(cost.magnitude)
            if !withRecorded.isWithinCeiling {
                throw CostResolver.Overflow(figure: "the events' and the interventions' recorded costs taken together")
            }
        }
        if !units.isWithinCeiling { throw CostResolver.Overflow(figure: "the events' quantities taken together") }
    }
}
