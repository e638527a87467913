import Testing
@testable import CostOfFailure

@Suite("Quarterly timeline")
struct QuarterlyTimelineTests {
    /// Worked by hand. A (treated, index 2020-06-01):
    /// - 2019-10-01 Foodbank (not in the services file: Uncategorised), 2019-12-31 A&E → 2019 Q4;
    /// - 2020-01-01 and 2020-03-31 Police → 2020 Q1 (Criminal justice, 2 events);
    /// - nothing in 2020 Q2 (listed, empty);
    /// - 2020-07-01 Liberated Method (Intervention), 2020-09-30 A&E with quantity 5 (one event) → 2020 Q3.
    /// B has no intervention (not in the cohort); C's only event is after the observation end.
    func study() throws -> Study {
        var builder = EventTableBuilder()
        builder.append(person: "A", service: "Foodbank", event: "parcel", date: day("2019-10-01"))
        builder.append(person: "A", service: "A&E", event: "attendance", date: day("2019-12-31"))
        builder.append(person: "A", service: "Police", event: "arrest", date: day("2020-01-01"))
        builder.append(person: "A", service: "Police", event: "arrest", date: day("2020-03-31"))
        builder.append(person: "A", service: "Liberated Method", event: "support", date: day("2020-07-01"))
        builder.append(person: "A", service: "A&E", event: "attendance", date: day("2020-09-30"), quantity: 5)
        builder.append(person: "B", service: "A&E", event: "attendance", date: day("2020-01-01"))
        builder.append(person: "C", service: "Police", event: "arrest", date: day("2020-10-01"))
        let services = ServiceCatalog(entries: [
            .init(service: "A&E", category: "Health"),
            .init(service: "Police", category: "Criminal justice"),
            .init(service: "Liberated Method", category: ServiceCatalog.interventionCategory),
        ])
        let interventions = InterventionTable(entries: [.init(personID: "A", start: day("2020-06-01")), .init(personID: "C", start: day("2020-06-01"))])
        return try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []), interventions: interventions, services: services,
                         windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-09-30")))
    }

    @Test("The cohort: every quarter from the first event's to the last's, categories byte-wise with the intervention's last")
    func cohort() throws {
        let timeline = QuarterlyTimeline(study: try study())
        #expect(timeline.quarters.map(\.description) == ["2019 Q4", "2020 Q1", "2020 Q2", "2020 Q3"])
        #expect(timeline.categories == ["Criminal justice", "Health", "Uncategorised", "Intervention"])
        #expect(timeline.counts == [[0, 1, 1, 0], [2, 0, 0, 0], [0, 0, 0, 0], [0, 1, 0, 1]])
        let table = timeline.resultTable()
        #expect(table.columns.map(\.name) == ["quarter", "Criminal justice", "Health", "Uncategorised", "Intervention", "total"])
        guard case .integer(let totals) = table.column("total")?.values else {
            Issue.record("no total column")
            return
        }
        #expect(totals == [2, 2, 0, 2])
        #expect(table.title.hasSuffix("of the cohort"))
    }

    @Test("One person, with or without an intervention; a quarter's first day")
    func person() throws {
        let timeline = QuarterlyTimeline(study: try study(), person: "B")
        #expect(timeline.quarters == [.init(year: 2020, quarter: 1)])
        #expect(timeline.categories == ["Health"])
        #expect(timeline.counts == [[1]])
        #expect(QuarterlyTimeline.Quarter(containing: day("2020-12-31")).start == day("2020-10-01"))
        #expect(QuarterlyTimeline(study: try study(), person: "nobody").quarters.isEmpty)
    }
}
