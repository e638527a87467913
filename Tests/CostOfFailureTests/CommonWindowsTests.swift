import Testing
@testable import CostOfFailure

/// The cohort's common windows, and the calendar periods a window is exactly: what decides
/// whether a calendar table's cells add up to a window's figures (see ``CommonWindows``).
@Suite("Common windows and the calendar periods they span")
struct CommonWindowsTests {
    private func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }
    private func span(_ from: String, _ to: String) -> CommonWindows.Span {
        CommonWindows.Span(start: date(from).daysSinceEpoch, end: date(to).daysSinceEpoch)
    }

    private let years = StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months), observationEnd: CivilDate(iso: "2024-03-31"))

    @Test("Members with one index date share their windows; one other date, in any part, ends it; a part with no member changes nothing")
    func noteAndMerge() {
        var one = CommonWindows(), other = CommonWindows()
        #expect(one.before == nil && one.after == nil)
        one.note(years.bounds(index: date("2022-04-01")))
        one.note(years.bounds(index: date("2022-04-01")))
        #expect(one.before == span("2021-04-01", "2022-04-01"))
        #expect(one.after == span("2022-04-01", "2023-04-01"))
        var merged = one
        merged.merge(CommonWindows())
        #expect(merged == one)
        var empty = CommonWindows()
        empty.merge(one)
        #expect(empty == one)
        other.note(years.bounds(index: date("2022-04-02")))
        merged.merge(other)
        #expect(merged.before == nil && merged.after == nil)
        merged.merge(one)
        #expect(merged.before == nil, "differing stays differing")
        // Cut at the observation end: index dates whose after windows end there alike still differ
        // in their before windows.
        var cut = CommonWindows()
        cut.note(years.bounds(index: date("2023-06-01")))
        cut.note(years.bounds(index: date("2023-07-01")))
        #expect(cut.after == nil)
    }

    @Test("Financial years close to the windows: exactly or nearly (a day off, one in twenty elsewhere, two years for 24 months); none for index dates spread over a year")
    func closeYears() {
        func close(_ windows: StudyWindows, _ dates: [String]) -> (before: [Int], after: [Int]) {
            var overlap = FinancialYearOverlap(), other = FinancialYearOverlap()
            // Noted in two parts, as a fold's threads would.
            for (i, text) in dates.enumerated() {
                if i % 2 == 0 { overlap.note(windows.bounds(index: date(text))) } else { other.note(windows.bounds(index: date(text))) }
            }
            overlap.merge(other)
            return overlap.closeYears(tolerance: 1.0 / 3.0)
        }
        let twoYears = StudyWindows(before: WindowSpan(24, .months), after: WindowSpan(12, .months), observationEnd: CivilDate(iso: "2024-03-31"))
        for dates in [Array(repeating: "2022-04-01", count: 10), Array(repeating: "2022-04-02", count: 10),
                      Array(repeating: "2022-04-01", count: 19) + ["2022-07-01"]] {
            #expect(close(years, dates) == ([2021], [2022]), "\(dates)")
        }
        #expect(close(twoYears, Array(repeating: "2022-04-15", count: 4)) == ([2020, 2021], [2022]))
        let spread = (0..<12).map { month in String(format: "2022-%02d-01", month + 1) }
        #expect(close(years, spread) == ([], []))
    }

    @Test("Financial years: exactly from a 1 April to the day before a later one, else none")
    func financialYears() {
        #expect(CommonWindows.financialYears(span("2021-04-01", "2022-04-01")) == 2021..<2022)
        #expect(CommonWindows.financialYears(span("2019-04-01", "2022-04-01")) == 2019..<2022)
        #expect(CommonWindows.financialYears(span("2021-04-02", "2022-04-01")) == nil)
        #expect(CommonWindows.financialYears(span("2021-04-01", "2022-03-31")) == nil)
        #expect(CommonWindows.financialYears(span("2021-04-01", "2021-04-01")) == nil, "an empty window spans no year")
        #expect(CommonWindows.financialYears(span("2021-01-01", "2022-01-01")) == nil)
    }

    @Test("Quarters: exactly from a quarter's first day to the day before a later one's, else none")
    func quarters() {
        let q = { (year: Int, quarter: Int) in QuarterlyTimeline.Quarter(year: year, quarter: quarter).ordinal }
        #expect(QuarterlyTimeline.quarters(span("2022-04-01", "2023-04-01")) == q(2022, 2)..<q(2023, 2))
        #expect(QuarterlyTimeline.quarters(span("2022-01-01", "2022-04-01")) == q(2022, 1)..<q(2022, 2))
        #expect(QuarterlyTimeline.quarters(span("2022-01-02", "2022-04-01")) == nil)
        #expect(QuarterlyTimeline.quarters(span("2022-01-01", "2022-03-31")) == nil)
        #expect(QuarterlyTimeline.quarters(span("2022-01-01", "2022-01-01")) == nil)
    }
}
