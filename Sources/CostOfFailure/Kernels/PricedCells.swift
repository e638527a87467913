/// The engine's one rule for unpriced events in totals and savings, written once and used by
/// every analysis that sums cost over windows (the cohort summary, the report, the appraisal,
/// the difference in differences) on the table path and the streaming path alike.
///
/// The rule: a (person, service) window with an unpriced event has no cost. A total or a
/// saving therefore adds up only the (person, service) cells priced in *both* windows — a cell
/// with an unpriced event in either window is left out of the money, before and after alike,
/// since half of it would read as a saving (or a rise) that is only a gap in the prices — and
/// says beside it how many events, in how many cells, it left out. Its events still count
/// where events are counted; only its money is held back.
///
/// The intervention's own services are the response's cost, not a saving: their priced cost is
/// kept whole (a lower bound, its unpriced events counted beside it), since leaving part of a
/// cost out would flatter the saving (``init(keepingAll:after:)``).
///
/// A state with add and merge: sums of disjoint cells merge exactly by addition, every sum
/// overflow-checked.
public struct PricedCells: Sendable, Equatable {
    /// The before-window figures of the cells priced in both windows, summed.
    public var before = PeriodFigures()
    /// The after-window figures of the cells priced in both windows, summed.
    public var after = PeriodFigures()
    /// Cells priced in both windows that were added.
    public var pricedCells: Int64 = 0
    /// Events (both windows) of the cells left out.
    public var leftOutEvents: Int64 = 0
    /// Cells left out (each a person and a service).
    public var leftOutCells: Int64 = 0

    /// An empty state.
    public init() {}

    /// A cost kept whole (the intervention's own services): every priced figure counts.
    public init(keepingAll before: PeriodFigures, after: PeriodFigures) {
        self.before = before
        self.after = after
        pricedCells = before.events + after.events > 0 ? 1 : 0
    }

    /// Whether a (person, service) cell with these window figures is priced in both windows
    /// (and so counts in totals and savings).
    @inline(__always)
    public static func counts(before: PeriodFigures, after: PeriodFigures) -> Bool {
        hasCost(before) && hasCost(after)
    }

    /// Whether one (person, service) window cell has a cost at all: the rule's first half (a
    /// window with an unpriced event has none), for figures that look at one window only, as
    /// the matching's before-window use does (``MatchingFeatures``).
    @inline(__always)
    public static func hasCost(_ window: PeriodFigures) -> Bool {
        window.unpriced == 0
    }

    /// The part of a cell a total takes: the cell itself when it is priced in both windows,
    /// else nothing (zero figures).
    public static func pricedPart(before: PeriodFigures, after: PeriodFigures) -> (before: PeriodFigures, after: PeriodFigures) {
        counts(before: before, after: after) ? (before, after) : (PeriodFigures(), PeriodFigures())
    }

    /// Adds one (person, service) cell; returns whether it counted (`false`: left out).
    ///
    /// - Throws: ``CostResolver/Overflow`` naming `figure` when a sum does not fit in 64 bits.
    @discardableResult
    public mutating func add(before: PeriodFigures, after: PeriodFigures, figure: @autoclosure () -> String) throws(CostResolver.Overflow) -> Bool {
        if Self.counts(before: before, after: after) {
            self.before = try self.before.adding(before, figure: figure())
            self.after = try self.after.adding(after, figure: figure())
            pricedCells = try Self.sum(pricedCells, 1, figure())
            return true
        }
        leftOutEvents = try Self.sum(leftOutEvents, try Self.sum(before.events, after.events, figure()), figure())
        leftOutCells = try Self.sum(leftOutCells, 1, figure())
        return false
    }

    /// Adds another state (over other cells) into this one.
    ///
    /// - Throws: ``CostResolver/Overflow`` naming `figure` when a sum does not fit in 64 bits.
    public mutating func merge(_ other: PricedCells, figure: @autoclosure () -> String) throws(CostResolver.Overflow) {
        before = try before.adding(other.before, figure: figure())
        after = try after.adding(other.after, figure: figure())
        pricedCells = try Self.sum(pricedCells, other.pricedCells, figure())
        leftOutEvents = try Self.sum(leftOutEvents, other.leftOutEvents, figure())
        leftOutCells = try Self.sum(leftOutCells, other.leftOutCells, figure())
    }

    /// Whether there are events but no cell priced in both windows: then the total's money is
    /// not available (never £0).
    public var hasNoPricedCell: Bool { pricedCells == 0 && leftOutCells > 0 }

    private static func sum(_ a: Int64, _ b: Int64, _ figure: String) throws(CostResolver.Overflow) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow { throw CostResolver.Overflow(figure: figure) }
        return sum
    }
}
