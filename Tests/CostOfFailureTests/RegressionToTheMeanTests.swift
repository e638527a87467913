import Testing
@testable import CostOfFailure

@Suite("Regression to the mean: the before window against the person's own baseline")
struct RegressionToTheMeanTests {
    @Test("Flagged at twice the baseline's cost per year; no baseline in the data, not judged")
    func flags() throws {
        var builder = EventTableBuilder()
        builder.append(person: "X", service: "A&E", event: "attendance", date: day("2017-12-01"), explicitCost: 1)  // the data's first day
        for (person, baseline, before) in [("A", 10_000, 20_000), ("B", 10_000, 19_999), ("D", 0, 5_000)] as [(String, Pence, Pence)] {
            builder.append(person: person, service: "A&E", event: "attendance", date: day("2018-03-01"), explicitCost: baseline)
            builder.append(person: person, service: "A&E", event: "attendance", date: day("2019-12-31"), explicitCost: before)
            builder.append(person: person, service: "Support", event: "visit", date: day("2019-12-30"), explicitCost: 99_999)  // intervention
        }
        builder.append(person: "C", service: "A&E", event: "attendance", date: day("2018-07-01"), explicitCost: 100)
        let interventions = InterventionTable(entries: ["A", "B", "D"].map { .init(personID: $0, start: day("2020-01-01")) }
                                              + [.init(personID: "C", start: day("2018-06-01"))])
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []), interventions: interventions,
                              services: ServiceCatalog(entries: [.init(service: "Support", category: ServiceCatalog.interventionCategory)]),
                              windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
        let check = RegressionToTheMean(study: study)
        #expect(check.people.map(\.personID) == ["A", "B", "D"])
        #expect(check.people.map(\.baselineDays) == [365, 365, 365])  // 2018 before the 2019 before window
        #expect(check.people.map(\.flagged) == [true, false, true])  // D: any cost against a baseline of nothing
        #expect(check.withoutBaseline == 1)  // C's baseline would start in June 2016
        #expect(check.flagged == 2)
        #expect(check.summary.hasPrefix("2 of 3 people"))
        let table = check.resultTable()
        #expect(table.columns.map(\.name) == ["people_with_baseline", "people_flagged", "people_without_baseline"])
        #expect(table.columns.compactMap { column -> Int64? in
            guard case .integer(let values) = column.values else { return nil }
            return values.first
        } == [3, 2, 1])
    }

    @Test("Days in custody leave the baseline's days: a baseline of 92 days with 10 in custody is 82 days at risk, and the flag follows")
    func custodyInBaseline() throws {
        var builder = EventTableBuilder()
        // Index 1 January 2023, before window 3 months: baseline [1 July, 1 October 2022) of 92 days.
        builder.append(person: "T", service: "A&E", event: "attendance", date: day("2022-07-01"), explicitCost: 8_200)
        for night in 1...10 {  // custody 1–10 August, in the baseline
            builder.append(person: "T", service: "Prison", event: "night", date: day("2022-08-\(night < 10 ? "0" : "")\(night)"), explicitCost: 0)
        }
        builder.append(person: "T", service: "A&E", event: "attendance", date: day("2022-11-01"), explicitCost: 16_400)
        let windows = StudyWindows(before: WindowSpan(3, .months), after: WindowSpan(3, .months), observationEnd: day("2023-03-31"))
        func check(_ services: ServiceCatalog) throws -> RegressionToTheMean.Person {
            let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []),
                                  interventions: InterventionTable(entries: [.init(personID: "T", start: day("2023-01-01"))]),
                                  services: services, windows: windows)
            return try #require(RegressionToTheMean(study: study).people.first)
        }
        let marked = try check(ServiceCatalog(entries: [.init(service: "Prison", category: "Criminal justice", exposure: .removes)]))
        #expect(marked.baselineDays == 82 && marked.beforeDays == 92)
        #expect(marked.baselineCost == 8_200 && marked.beforeCost == 16_400)
        // £164 over 92 days against twice £82 over 82 days: under twice, not flagged.
        #expect(!marked.flagged)
        // Without the mark the custody is exposure: £82 over 92 days, and £164 is exactly twice.
        let unmarked = try check(ServiceCatalog(entries: [.init(service: "Prison", category: "Criminal justice")]))
        #expect(unmarked.baselineDays == 92 && unmarked.flagged)
    }
}
