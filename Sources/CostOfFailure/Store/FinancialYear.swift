/// A UK financial year, 1 April to 31 March, written `2023-24`.
public struct FinancialYear: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The calendar year the financial year starts in (2023 for 2023-24).
    public let startYear: Int

    /// The financial year starting in April of `startYear`.
    public init(startYear: Int) {
        self.startYear = startYear
    }

    /// The financial year `2023-24` (also `2023/24`); the second part must be the next year,
    /// both parts digits only, and the start year one of the calendar's (0001 to 9999).
    public init?(_ text: String) {
        let parts = text.trimmingSpaces.split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "/" }
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let start = Int(parts[0]), let end = Int(parts[1]), start >= 1, (start + 1) % 100 == end else { return nil }
        startYear = start
    }

    /// The financial year `date` falls in (dates from 1 April on belong to the year starting then).
    public init(containing date: CivilDate) {
        let (year, month, _) = date.components
        startYear = month >= 4 ? year : year - 1
    }

    /// 1 April of the start year.
    public var firstDay: CivilDate { CivilDate(year: startYear, month: 4, day: 1)! }

    /// `2023-24` (the start year in four digits, as it is read).
    public var description: String {
        let end = (startYear + 1) % 100
        let start = String(startYear)
        return String(repeating: "0", count: max(0, 4 - start.count)) + start + "-\(end < 10 ? "0" : "")\(end)"
    }

    public static func < (lhs: FinancialYear, rhs: FinancialYear) -> Bool { lhs.startYear < rhs.startYear }
}
