/// A sum of magnitudes held against a ceiling: the one way the engine adds up everything it
/// priced or counted before it trusts any smaller sum of the same things.
///
/// The sum saturates one past its ceiling, so adding and merging never wrap, in any order and
/// from any number of threads or partials; ``isWithinCeiling`` then says whether every sum of
/// some of the added magnitudes fits (see ``CostResolver/maximumTotal``). ``EventTotals`` (a
/// study's and a pass's costs and quantities), the before/after scan's windowed costs and the
/// top users' tally each hold their totals as one of these.
public struct CeilingSum: Sendable, Equatable {
    /// The sum as held: at most one past ``ceiling``.
    public private(set) var held: UInt64 = 0
    /// The largest sum within the ceiling.
    public let ceiling: UInt64

    /// Nothing added, held against `ceiling` (at most `UInt64.max − 1`).
    public init(ceiling: UInt64) {
        precondition(ceiling < UInt64.max, "a ceiling must leave room for one past it")
        self.ceiling = ceiling
    }

    /// A sum of costs' magnitudes in pence, held against ``CostResolver/maximumTotal``.
    public static var costs: CeilingSum { CeilingSum(ceiling: CostResolver.maximumTotal.magnitude) }

    /// A sum of counts or quantities, held against `Int64.max`.
    public static var counts: CeilingSum { CeilingSum(ceiling: UInt64(Int64.max)) }

    /// A sum as another process held it (a partial's, see ``held``), clamped to one past `ceiling`.
    public init(held: UInt64, ceiling: UInt64) {
        self.init(ceiling: ceiling)
        self.held = min(held, ceiling + 1)
    }

    /// Whether the sum is within the ceiling: whether every sum of some of the added magnitudes fits.
    @inline(__always)
    public var isWithinCeiling: Bool { held <= ceiling }

    /// Adds `magnitude`.
    @inline(__always)
    public mutating func add(_ magnitude: UInt64) {
        let (sum, overflow) = held.addingReportingOverflow(magnitude)
        held = overflow ? ceiling + 1 : min(sum, ceiling + 1)
    }

    /// Adds another sum held against the same ceiling (another thread's or partial's).
    @inline(__always)
    public mutating func merge(_ other: CeilingSum) {
        add(other.held)
    }
}
