import Testing
@testable import CostOfFailure

@Suite("The placebo test: every index date moved back by the after window")
struct PlaceboTestTests {
    @Test("The placebo date: back by the after window in its own unit, months clamped to the month's end")
    func dates() {
        func placebo(_ index: String, _ after: WindowSpan) -> CivilDate {
            PlaceboTest.placeboDate(day(index), windows: StudyWindows(before: WindowSpan(1, .years), after: after))
        }
        #expect(placebo("2020-08-31", WindowSpan(6, .months)) == day("2020-02-29"))  // a leap year's February
        #expect(placebo("2021-08-31", WindowSpan(6, .months)) == day("2021-02-28"))
        #expect(placebo("2020-02-29", WindowSpan(1, .years)) == day("2019-02-28"))
        #expect(placebo("2020-03-31", WindowSpan(1, .months)) == day("2020-02-29"))
        #expect(placebo("2020-03-01", WindowSpan(90, .days)) == day("2019-12-02"))
        let table = PlaceboTest.shifted(InterventionTable(entries: [.init(personID: "A", start: day("2020-08-31"), costPence: 5),
                                                                    .init(personID: "A", start: day("2020-09-30"))]),
                                        windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(6, .months)))
        #expect(table.entries.map(\.start) == [day("2020-02-29"), day("2020-03-30")])
        #expect(table.entries.allSatisfy { $0.costPence == nil })
        #expect(table.indexDates[PersonID("A")] == day("2020-02-29"))  // the earliest stays the earliest
    }

    @Test("The placebo worked by hand: the year before the index date against the year before that")
    func handWorked() throws {
        var builder = EventTableBuilder()
        builder.append(person: "A", service: "A&E", event: "x", date: day("2018-06-01"), explicitCost: 36_500)  // placebo before
        builder.append(person: "A", service: "A&E", event: "x", date: day("2020-06-01"), explicitCost: 99_999)  // real after: not the placebo's
        builder.append(person: "B", service: "A&E", event: "x", date: day("2019-06-01"), explicitCost: 7_300)  // placebo after
        let events = builder.finish()
        let windows = StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years))
        func study(_ person: String) throws -> Study {
            try Study(events: events, unitCosts: UnitCostTable(entries: []),
                      interventions: InterventionTable(entries: [.init(personID: person, start: day("2020-01-01"))]), windows: windows)
        }
        let placebo = try PlaceboTest(study: try study("A"), comparisonGroup: try study("B"), resamples: 100, seed: 1)
        // Placebo index 2019-01-01: A's £365 in 2018 → −£365 a person-year; B's £73 in 2019 → +£73.
        #expect(placebo.overall.treatedChange == -36_500)
        #expect(placebo.overall.comparisonChange == 7_300)
        #expect(placebo.overall.estimate == -43_800)
        #expect(placebo.result.warnings.count == 1)  // one treated person
        let table = placebo.resultTable()
        #expect(table.name == "placebo" && table.rowCount == 1 && table.title.hasPrefix("Placebo test"))
    }
}
