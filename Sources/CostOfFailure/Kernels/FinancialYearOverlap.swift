/// How much of the cohort's window days each financial year holds: what makes a financial year's
/// cells close to a window's figures when the windows do not coincide with it exactly.
///
/// ``CommonWindows`` ties the financial years to the windows when every member's window is
/// exactly whole years; but index dates a few days off 1 April, or most members on 1 April and a
/// few elsewhere, make the two tables nearly equal, and a withheld figure of one can be read, to
/// within a few per cent, off the other. So, summed over the members: each window's days, and the
/// days of it in each financial year. A year that holds most of a window's days
/// (``dominantYears(share:)``) is published under the window's protection, and the window under
/// the year's (see ``FinancialYearConsumption/linkedTables(cohort:)``). Noted member by member
/// inside a fold and merged as the fold's parts are; exact integers, so the order does not matter.
public struct FinancialYearOverlap: Sendable, Equatable {
    /// Days of each window, summed over the members.
    public private(set) var beforeDays: Int64 = 0, afterDays: Int64 = 0
    /// Days of each window in each financial year (by start year), summed over the members.
    public private(set) var beforeByYear: [Int: Int64] = [:], afterByYear: [Int: Int64] = [:]

    /// No member yet.
    public init() {}

    /// Notes one member's windows (as the observation end leaves them).
    public mutating func note(_ bounds: StudyWindows.Bounds) {
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
        beforeDays += other.beforeDays
        afterDays += other.afterDays
        beforeByYear.merge(other.beforeByYear, uniquingKeysWith: +)
        afterByYear.merge(other.afterByYear, uniquingKeysWith: +)
    }

    /// The years (start years) that hold at least `share` of the before and of the after
    /// window's days, summed over the members.
    public func dominantYears(share: Double) -> (before: [Int], after: [Int]) {
        func years(_ byYear: [Int: Int64], _ total: Int64) -> [Int] {
            guard total > 0 else { return [] }
            return byYear.filter { Double($0.value) >= share * Double(total) }.keys.sorted()
        }
        return (years(beforeByYear, beforeDays), years(afterByYear, afterDays))
    }
}
