/// Mergeable aggregate state: events, quantity, cost and unpriced events per (group, period).
///
/// Groups are small dense integers (for example `treated person × service`), so the state is
/// four flat `Int64` arrays indexed by `group * 2 + period`; no hash maps. States of disjoint row
/// ranges merge exactly by addition, which is what makes chunked and parallel runs give the
/// same answer as a single pass.
public struct PeriodTotals: Sendable, Equatable {
    /// Number of groups.
    public let groups: Int
    /// Events by `group * 2 + period`.
    public private(set) var events: [Int64]
    /// Summed quantity by `group * 2 + period`.
    public private(set) var quantity: [Int64]
    /// Summed cost of priced events in pence by `group * 2 + period`.
    public private(set) var cost: [Pence]
    /// Unpriced events by `group * 2 + period`.
    public private(set) var unpriced: [Int64]
    /// Whether a cost sum went past what 64 bits hold (sums are then meaningless; callers
    /// report an error instead of a wrapped figure).
    public private(set) var overflowed = false

    /// An empty state for `groups` groups.
    public init(groups: Int) {
        self.groups = groups
        events = Array(repeating: 0, count: groups * 2)
        quantity = events
        cost = events
        unpriced = events
    }

    /// Adds one event to `group` in `period` (`.before` or `.after`).
    @inline(__always)
    public mutating func add(group: Int, period: Period, quantity units: Int32, cost pence: Pence, priced: Bool) {
        let slot = group &* 2 &+ Int(period.rawValue)
        events[slot] &+= 1
        quantity[slot] &+= Int64(units)
        if priced {
            let (sum, overflow) = cost[slot].addingReportingOverflow(pence)
            cost[slot] = sum
            overflowed = overflowed || overflow
        } else {
            unpriced[slot] &+= 1
        }
    }

    /// Adds another state of the same shape into this one.
    public mutating func merge(_ other: PeriodTotals) {
        precondition(other.groups == groups, "merging states of different shapes")
        overflowed = overflowed || other.overflowed
        for i in 0..<events.count {
            events[i] &+= other.events[i]
            quantity[i] &+= other.quantity[i]
            let (sum, overflow) = cost[i].addingReportingOverflow(other.cost[i])
            cost[i] = sum
            overflowed = overflowed || overflow
            unpriced[i] &+= other.unpriced[i]
        }
    }

    /// The figures of `group` in `period`.
    public func figures(group: Int, period: Period) -> PeriodFigures {
        let slot = group * 2 + Int(period.rawValue)
        return PeriodFigures(events: events[slot], quantity: quantity[slot], cost: cost[slot], unpriced: unpriced[slot])
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

    /// Adds another window's figures.
    public static func + (lhs: PeriodFigures, rhs: PeriodFigures) -> PeriodFigures {
        PeriodFigures(events: lhs.events + rhs.events, quantity: lhs.quantity + rhs.quantity,
                      cost: lhs.cost + rhs.cost, unpriced: lhs.unpriced + rhs.unpriced)
    }
}
