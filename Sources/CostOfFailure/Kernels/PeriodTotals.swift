/// Mergeable aggregate state: events, quantity, cost and unpriced events per (group, period).
///
/// Groups are small dense integers (for example `treated person × service`), so the state is one
/// flat array of cells indexed by `group * 2 + period`; no hash maps. A cell keeps its four
/// counters side by side, and a group's two periods are adjacent (64 bytes, one cache line), so
/// adding an event touches one line rather than one per counter. States of disjoint row ranges
/// merge exactly by addition, which is what makes chunked and parallel runs give the same answer
/// as a single pass.
public struct PeriodTotals: Sendable, Equatable {
    /// One (group, period)'s counters.
    struct Cell: Sendable, Equatable {
        var events: Int64 = 0
        var quantity: Int64 = 0
        var cost: Pence = 0
        var unpriced: Int64 = 0
    }

    /// Number of groups.
    public private(set) var groups: Int
    /// Cells by `group * 2 + period`.
    private var cells: [Cell]
    /// Whether a cost sum went past what 64 bits hold (sums are then meaningless; callers
    /// report an error instead of a wrapped figure).
    public private(set) var overflowed = false

    /// An empty state for `groups` groups.
    public init(groups: Int) {
        self.groups = groups
        cells = Array(repeating: Cell(), count: groups * 2)
    }

    /// Sets every figure back to zero (keeping the memory).
    public mutating func reset() {
        for i in cells.indices { cells[i] = Cell() }
        overflowed = false
    }

    /// Adds one event to `group` in `period` (`.before` or `.after`).
    @inline(__always)
    public mutating func add(group: Int, period: Period, quantity units: Int32, cost pence: Pence, priced: Bool) {
        let slot = group &* 2 &+ Int(period.rawValue)
        let overflow = cells.withUnsafeMutableBufferPointer { cells -> Bool in
            // Sound: callers pass a group below `groups` and a period that is not `.outside`
            // (checked in debug builds), so `slot` is inside the buffer.
            assert(slot >= 0 && slot < cells.count)
            let cell = cells.baseAddress! + slot
            cell.pointee.events &+= 1
            cell.pointee.quantity &+= Int64(units)
            guard priced else {
                cell.pointee.unpriced &+= 1
                return false
            }
            let (sum, overflow) = cell.pointee.cost.addingReportingOverflow(pence)
            cell.pointee.cost = sum
            return overflow
        }
        if overflow { overflowed = true }
    }

    /// Adds another state of the same shape into this one.
    public mutating func merge(_ other: PeriodTotals) {
        precondition(other.groups == groups, "merging states of different shapes")
        merge(other, group: { $0 })
    }

    /// Adds another state into this one, group `g` of `other` into group `group(g)` of this one
    /// (which must exist).
    public mutating func merge(_ other: PeriodTotals, group: (Int) -> Int) {
        overflowed = overflowed || other.overflowed
        for g in 0..<other.groups {
            let target = group(g)
            for period in 0..<2 {
                let from = other.cells[g * 2 + period]
                guard from.events != 0 else { continue }
                let slot = target * 2 + period
                cells[slot].events &+= from.events
                cells[slot].quantity &+= from.quantity
                let (sum, overflow) = cells[slot].cost.addingReportingOverflow(from.cost)
                cells[slot].cost = sum
                overflowed = overflowed || overflow
                cells[slot].unpriced &+= from.unpriced
            }
        }
    }

    /// The figures of `group` in `period`.
    public func figures(group: Int, period: Period) -> PeriodFigures {
        let cell = cells[group * 2 + Int(period.rawValue)]
        return PeriodFigures(events: cell.events, quantity: cell.quantity, cost: cell.cost, unpriced: cell.unpriced)
    }
}

/// One group's totals in one window.
public struct PeriodFigures: Sendable, Equatable {
    /// Events in the window.
    public var events: Int64
    /// Their summed quantity.
    public var quantity: Int64
    /// Their summed cost in pence (priced events only).
    public var cost: Pence
    /// Events in the window that have no price.
    public var unpriced: Int64

    /// Creates figures.
    public init(events: Int64 = 0, quantity: Int64 = 0, cost: Pence = 0, unpriced: Int64 = 0) {
        self.events = events
        self.quantity = quantity
        self.cost = cost
        self.unpriced = unpriced
    }

    /// Adds another window's figures. Only for figures of one ``Study``, whose costs and
    /// quantities taken together fit (see ``CostResolver/maximumTotal``), so no sum of them can
    /// overflow; figures from elsewhere add with ``adding(_:figure:)``.
    public static func + (lhs: PeriodFigures, rhs: PeriodFigures) -> PeriodFigures {
        PeriodFigures(events: lhs.events + rhs.events, quantity: lhs.quantity + rhs.quantity,
                      cost: lhs.cost + rhs.cost, unpriced: lhs.unpriced + rhs.unpriced)
    }

    /// Adds another window's figures, or throws the overflow error for `figure` when a sum does
    /// not fit in 64 bits.
    public func adding(_ other: PeriodFigures, figure: @autoclosure () -> String) throws(CostResolver.Overflow) -> PeriodFigures {
        let events = self.events.addingReportingOverflow(other.events)
        let quantity = self.quantity.addingReportingOverflow(other.quantity)
        let cost = self.cost.addingReportingOverflow(other.cost)
        let unpriced = self.unpriced.addingReportingOverflow(other.unpriced)
        if events.overflow || quantity.overflow || cost.overflow || unpriced.overflow { throw CostResolver.Overflow(figure: figure()) }
        return PeriodFigures(events: events.partialValue, quantity: quantity.partialValue, cost: cost.partialValue, unpriced: unpriced.partialValue)
    }
}
