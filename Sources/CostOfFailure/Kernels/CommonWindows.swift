/// The cohort's windows when every member's are the same days: what ties a calendar table to the
/// windows' figures.
///
/// A table by calendar period (the financial years) counts each member's events by date; the
/// before/after tables count them by window. When every member's window is the same run of whole
/// periods (one index date for everyone, 1 April, and windows of whole years, say), each window
/// figure *is* the sum of those periods' cells, and a figure withheld in one table could be read
/// off the other. Disclosure control must then know the sums (see
/// ``FinancialYearConsumption/linkedTables(cohort:)``). Noted member by member inside a fold, and
/// merged as the fold's parts are.
public struct CommonWindows: Sendable, Equatable {
    /// A window's days: `start..<end` (`end` may equal `start`).
    public struct Span: Sendable, Equatable {
        /// The first day.
        public var start: Int32
        /// The day after the last.
        public var end: Int32
    }

    private enum State: Sendable, Equatable {
        case noMember
        case same(before: Span, after: Span)
        case differ
    }

    private var state = State.noMember

    /// No member yet.
    public init() {}

    /// Notes one member's windows (as the observation end leaves them).
    public mutating func note(_ bounds: StudyWindows.Bounds) {
        let member = State.same(before: Span(start: bounds.beforeStart, end: bounds.beforeEnd),
                                after: Span(start: bounds.index.daysSinceEpoch, end: bounds.afterEnd))
        switch state {
        case .noMember: state = member
        case .same: if state != member { state = .differ }
        case .differ: break
        }
    }

    /// Takes in the members of `other`.
    public mutating func merge(_ other: CommonWindows) {
        switch (state, other.state) {
        case (_, .noMember): break
        case (.noMember, _): state = other.state
        default: if state != other.state { state = .differ }
        }
    }

    /// Every member's before window, when all are the same and there is a member.
    public var before: Span? {
        if case .same(let before, _) = state { return before }
        return nil
    }

    /// Every member's after window, when all are the same and there is a member.
    public var after: Span? {
        if case .same(_, let after) = state { return after }
        return nil
    }

    /// The financial years `span` is exactly (their start years), when it starts on one 1 April
    /// and ends the day before a later one; `nil` otherwise.
    public static func financialYears(_ span: Span) -> Range<Int>? {
        let first = FinancialYear(containing: CivilDate(daysSinceEpoch: span.start)).startYear
        let end = FinancialYear(containing: CivilDate(daysSinceEpoch: span.end)).startYear
        guard end > first, CivilDate(year: first, month: 4, day: 1)?.daysSinceEpoch == span.start,
              CivilDate(year: end, month: 4, day: 1)?.daysSinceEpoch == span.end else { return nil }
        return first..<end
    }
}
