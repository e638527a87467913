extension BeforeAfterPartial {
    /// A partial's figures summed over all its people, each sum checked to stay within 64 bits:
    /// the limit every partial the reader accepts and every merge it makes must keep.
    ///
    /// The tables made from a partial (``BeforeAfterTable``, ``CohortSummary``: totals by service,
    /// category and agency, each person's cost, the cohort's exposure) add up subsets of these
    /// figures. Each sum here is over magnitudes (costs and quantities may be negative), so when
    /// it fits in 64 bits every sum of any subset fits too, and none of that arithmetic can trap;
    /// what it derives beyond sums (rates per year, their differences) is checked where it is
    /// made. A genuine partial is nowhere near these limits (a cost sum past 2^63 pence needs more
    /// than nine million events at the £1bn cap); a partial that reaches them was edited, or is
    /// several merged more than once.
    public struct FigureTotals: Sendable, Equatable {
        /// Days of exposure before and after, summed over people.
        public private(set) var beforeDays = 0, afterDays = 0
        /// Events before and after, summed over rows.
        public private(set) var beforeEvents: Int64 = 0, afterEvents: Int64 = 0
        /// Unpriced events before and after, summed over rows.
        public private(set) var beforeUnpriced: Int64 = 0, afterUnpriced: Int64 = 0
        /// The magnitudes of the quantities before and after, summed over rows.
        public private(set) var beforeQuantity: Int64 = 0, afterQuantity: Int64 = 0
        /// The magnitudes of the costs in pence, both windows, summed over rows.
        public private(set) var costMagnitude: Int64 = 0

        /// No figures.
        public init() {}

        /// The totals of `partial`'s members and rows, or the name of the first figure whose sum
        /// goes past 64 bits.
        public init(_ partial: BeforeAfterPartial) throws(Overflow) {
            for member in partial.members { try add(member) }
            for member in partial.membersWithoutEvents { try add(member) }
            for row in partial.rows { try add(row) }
        }

        /// Which sum went past 64 bits, named for a message (no value is quoted).
        public struct Overflow: Error, Sendable, Equatable, CustomStringConvertible {
            /// The figure, such as `the events before`.
            public var figure: String
            /// `the sum of the events before goes past what 64 bits hold`.
            public var description: String { "the sum of \(figure) goes past what 64 bits hold" }
        }

        /// Adds a person's exposure.
        public mutating func add(_ member: CohortSummary.Member) throws(Overflow) {
            beforeDays = try Self.sum(beforeDays, member.beforeDays, "the days of exposure before")
            afterDays = try Self.sum(afterDays, member.afterDays, "the days of exposure after")
        }

        /// Adds a row's figures.
        public mutating func add(_ row: BeforeAfterTable.Row) throws(Overflow) {
            try add(events: (row.before.events, row.after.events), unpriced: (row.before.unpriced, row.after.unpriced),
                    quantity: (Self.magnitude(row.before.quantity), Self.magnitude(row.after.quantity)),
                    cost: [Self.magnitude(row.before.cost), Self.magnitude(row.after.cost)])
        }

        /// Adds another partial's totals (for a merge).
        public mutating func add(_ other: FigureTotals) throws(Overflow) {
            beforeDays = try Self.sum(beforeDays, other.beforeDays, "the days of exposure before")
            afterDays = try Self.sum(afterDays, other.afterDays, "the days of exposure after")
            try add(events: (other.beforeEvents, other.afterEvents), unpriced: (other.beforeUnpriced, other.afterUnpriced),
                    quantity: (other.beforeQuantity, other.afterQuantity), cost: [other.costMagnitude])
        }

        private mutating func add(events: (Int64, Int64), unpriced: (Int64, Int64), quantity: (Int64?, Int64?),
                                  cost: [Int64?]) throws(Overflow) {
            beforeEvents = try Self.sum(beforeEvents, events.0, "the events before")
            afterEvents = try Self.sum(afterEvents, events.1, "the events after")
            beforeUnpriced = try Self.sum(beforeUnpriced, unpriced.0, "the unpriced events before")
            afterUnpriced = try Self.sum(afterUnpriced, unpriced.1, "the unpriced events after")
            beforeQuantity = try Self.sum(beforeQuantity, quantity.0, "the quantity before")
            afterQuantity = try Self.sum(afterQuantity, quantity.1, "the quantity after")
            for part in cost { costMagnitude = try Self.sum(costMagnitude, part, "the cost in pence (before and after, in magnitude)") }
        }

        /// `|value|`, or `nil` for `Int64.min` (whose magnitude is past `Int64.max`).
        private static func magnitude(_ value: Int64) -> Int64? {
            value == .min ? nil : abs(value)
        }

        /// `total + value`, both at least 0; `value` `nil` stands for one past `Int64.max`.
        private static func sum<N: FixedWidthInteger>(_ total: N, _ value: N?, _ figure: String) throws(Overflow) -> N {
            guard let value, value >= 0 else { throw Overflow(figure: figure) }
            let (sum, overflow) = total.addingReportingOverflow(value)
            if overflow { throw Overflow(figure: figure) }
            return sum
        }
    }
}
