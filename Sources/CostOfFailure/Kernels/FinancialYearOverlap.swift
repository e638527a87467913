/// How much of the cohort's window days each financial year holds: what makes a run of financial
/// years' cells close to a window's figures when the windows do not coincide with them exactly.
///
/// ``CommonWindows`` ties the financial years to the windows when every member's window is
/// exactly whole years; but index dates a few days off 1 April, or most members on 1 April and a
/// few elsewhere, make the two tables nearly equal, and a withheld figure of one can be read, to
/// within a few per cent, off the other. So, summed over the members: each window's days, and the
/// days of it in each financial year. A run of years whose cells stand for a window's figure to
/// within a share of its days (``closeYears(tolerance:)``) is published under the window's
/// protection, and the window under theirs (see ``FinancialYearConsumption/linkedTables(cohort:)``).
/// Noted member by member inside a fold and merged as the fold's parts are; exact integers, so the
/// order does not matter.
public struct FinancialYearOverlap: Sendable, Equatable {
    /// Members noted.
    public private(set) var members: Int64 = 0
    /// Days of each window, summed over the members.
    public private(set) var beforeDays: Int64 = 0, afterDays: Int64 = 0
    /// Days of each window in each financial year (by start year), summed over the members.
    public private(set) var beforeByYear: [Int: Int64] = [:], afterByYear: [Int: Int64] = [:]

    /// No member yet.
    public init() {}

    /// Notes one member's windows (as the observation end leaves them).
    public mutating func note(_ bounds: StudyWindows.Bounds) {
        members += 1
        beforeDays += Self.add(start: bounds.beforeStart, end: bounds.beforeEnd, into: &beforeByYear)
        afterDays += Self.add(start: bounds.index.daysSinceEpoch, end: bounds.afterEnd, into: &afterByYear)
    }

    /// Adds the days of `start..<end` to the years they fall in; returns the days.
    private static func add(start: Int32, end: Int32, into byYear: inout [Int: Int64]) -> Int64 {
        guard end > start else { return 0 }
        var from = start
        var year = FinancialYear(containing: CivilDate(daysSinceEpoch: start)).startYear
        while from < end {
            // The next 1 April, or the window's end when there is none in the calendar.
            let next = CivilDate(year: year + 1, month: 4, day: 1).map { min($0.daysSinceEpoch, end) } ?? end
            byYear[year, default: 0] += Int64(next - from)
            from = next
            year += 1
        }
        return Int64(end - start)
    }

    /// Takes in the members of `other`.
    public mutating func merge(_ other: FinancialYearOverlap) {
        members += other.members
        beforeDays += other.beforeDays
        afterDays += other.afterDays
        beforeByYear.merge(other.beforeByYear, uniquingKeysWith: +)
        afterByYear.merge(other.afterByYear, uniquingKeysWith: +)
    }

    /// For the before and the after window, the run of consecutive years (start years) whose
    /// cells stand for the window's figures best, when they do so to within `tolerance` of the
    /// window's days; else none. A run's cells count every member's days in those years, the
    /// window's figures every member's window days: the days one counts and the other does not
    /// (window days outside the run, and the run's days outside each window), summed over the
    /// members, are what the two can differ by.
    public func closeYears(tolerance: Double) -> (before: [Int], after: [Int]) {
        func best(_ byYear: [Int: Int64], _ total: Int64) -> [Int] {
            guard total > 0, let first = byYear.keys.min(), let last = byYear.keys.max() else { return [] }
            var chosen: [Int] = [], least = Double(total) * tolerance
            for from in first...last {
                var inside: Int64 = 0, days: Int64 = 0
                for to in from...last {
                    inside += byYear[to] ?? 0
                    guard let start = CivilDate(year: to, month: 4, day: 1), let end = CivilDate(year: to + 1, month: 4, day: 1) else { break }
                    days += Int64(end.daysSinceEpoch - start.daysSinceEpoch)
                    let apart = Double(total - inside) + Double(members) * Double(days) - Double(inside)
                    if apart <= least {
                        least = apart
                        chosen = Array(from...to)
                    }
                }
            }
            return chosen
        }
        return (best(beforeByYear, beforeDays), best(afterByYear, afterDays))
    }
}
