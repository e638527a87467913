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
