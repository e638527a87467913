import Testing
import CostOfFailure

@Suite("Windows and exposure")
struct StudyWindowsTests {
    let index = day("2023-05-01")

    @Test("Spans parse as days, months and years", arguments: [
        ("6m", WindowSpan(6, .months)), ("12m", WindowSpan(12, .months)), ("10y", WindowSpan(10, .years)),
        ("90d", WindowSpan(90, .days)), ("0d", WindowSpan(0, .days)), ("1Y", WindowSpan(1, .years)),
    ])
    func parsesSpans(text: String, span: WindowSpan) {
        #expect(WindowSpan(text) == span)
    }

    @Test("Malformed spans are rejected", arguments: ["", "6", "m", "6w", "-6m", "+6m", "6.5m", "6 m", "١٢m", "100001d"])
    func rejectsSpans(text: String) {
        #expect(WindowSpan(text) == nil)
    }

    @Test("Boundaries: index − span is before, the day before the index is before, the index is after, index + span is outside")
    func boundaries() {
        let bounds = StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(12, .months)).bounds(index: index)
        #expect(bounds.period(of: day("2022-10-31").daysSinceEpoch) == .outside)
        #expect(bounds.period(of: day("2022-11-01").daysSinceEpoch) == .before)
        #expect(bounds.period(of: day("2023-04-30").daysSinceEpoch) == .before)
        #expect(bounds.period(of: day("2023-05-01").daysSinceEpoch) == .after)
        #expect(bounds.period(of: day("2024-04-30").daysSinceEpoch) == .after)
        #expect(bounds.period(of: day("2024-05-01").daysSinceEpoch) == .outside)
        #expect(bounds.beforeDays == 181)
        #expect(bounds.afterDays == 366)  // 2023-05-01 to 2024-04-30 spans 29 Feb 2024
    }

    @Test("Day spans count days exactly")
    func daySpans() {
        let bounds = StudyWindows(before: WindowSpan(30, .days), after: WindowSpan(1, .days)).bounds(index: index)
        #expect(bounds.beforeDays == 30)
        #expect(bounds.afterDays == 1)
        #expect(bounds.period(of: index.addingDays(-30).daysSinceEpoch) == .before)
        #expect(bounds.period(of: index.addingDays(-31).daysSinceEpoch) == .outside)
        #expect(bounds.period(of: index.addingDays(1).daysSinceEpoch) == .outside)
    }

    @Test("Month windows from 31 August and 29 February clamp to month end")
    func monthEndClamping() {
        let fromAugust = StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(6, .months)).bounds(index: day("2023-08-31"))
        #expect(CivilDate(daysSinceEpoch: fromAugust.beforeStart) == day("2023-02-28"))
        #expect(CivilDate(daysSinceEpoch: fromAugust.afterEnd) == day("2024-02-29"))
        #expect(fromAugust.period(of: day("2024-02-28").daysSinceEpoch) == .after)
        #expect(fromAugust.period(of: day("2024-02-29").daysSinceEpoch) == .outside)
        let fromLeapDay = StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)).bounds(index: day("2024-02-29"))
        #expect(CivilDate(daysSinceEpoch: fromLeapDay.beforeStart) == day("2023-02-28"))
        #expect(CivilDate(daysSinceEpoch: fromLeapDay.afterEnd) == day("2025-02-28"))
        #expect(fromLeapDay.beforeDays == 366)
        #expect(fromLeapDay.afterDays == 365)
    }

    @Test("The observation end is inclusive and cuts the after window and its exposure")
    func observationEnd() {
        let windows = StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(12, .months), observationEnd: day("2024-03-31"))
        let bounds = windows.bounds(index: index)
        #expect(bounds.period(of: day("2024-03-31").daysSinceEpoch) == .after)
        #expect(bounds.period(of: day("2024-04-01").daysSinceEpoch) == .outside)
        #expect(bounds.afterDays == 336)
        #expect(bounds.beforeDays == 181)
    }

    @Test("An observation end after the window changes nothing; one on the index date leaves one day")
    func observationEndEdges() {
        let late = StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(12, .months), observationEnd: day("2030-01-01"))
        #expect(late.bounds(index: index).afterDays == 366)
        let same = StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(12, .months), observationEnd: index)
        #expect(same.bounds(index: index).afterDays == 1)
        let before = StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(12, .months), observationEnd: index.addingDays(-1))
        let cut = before.bounds(index: index)
        #expect(cut.afterDays == 0)
        #expect(cut.beforeDays == 181)  // the before window ends on the observation end exactly
        #expect(cut.period(of: index.addingDays(-1).daysSinceEpoch) == .before)
        #expect(cut.period(of: index.daysSinceEpoch) == .outside)
        // Data ending inside the before window cuts its exposure and its events too.
        let early = StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(12, .months), observationEnd: index.addingDays(-11))
        let earlyBounds = early.bounds(index: index)
        #expect(earlyBounds.beforeDays == 171)
        #expect(earlyBounds.afterDays == 0)
        #expect(earlyBounds.period(of: index.addingDays(-11).daysSinceEpoch) == .before)
        #expect(earlyBounds.period(of: index.addingDays(-10).daysSinceEpoch) == .outside)
    }

    @Test("Annualised rates: value × 365 / days, money rounded half away from zero")
    func annualised() {
        #expect(Annualised.pence(100, days: 365) == 100)
        #expect(Annualised.pence(1, days: 730) == 1)  // 0.5 rounds away from zero
        #expect(Annualised.pence(-1, days: 730) == -1)
        #expect(Annualised.pence(3_166_800, days: 181) == 6_386_088)  // £31,668 over 181 days
        #expect(Annualised.pence(5, days: 0) == nil)
        #expect(Annualised.count(116, days: 181)! > 233.92)
        #expect(Annualised.count(116, days: 181)! < 233.93)
        #expect(Annualised.count(1, days: 0) == nil)
    }
}
