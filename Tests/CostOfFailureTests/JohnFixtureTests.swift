import Testing
import CostOfFailure

/// John's fixture loaded through the engine with the given windows.
private func johnStudy(before: String, after: String, observationEnd: String? = "2024-03-31") throws -> Study {
    try StudyInputs(
        events: [EventSource(.file(fixture("john/events.csv")))], interventions: .file(fixture("john/interventions.csv")),
        unitCosts: .file(fixture("john/unit-costs.csv")), services: .file(fixture("john/services.csv")),
        windows: StudyWindows(before: WindowSpan(before)!, after: WindowSpan(after)!, observationEnd: observationEnd.map(day))
    ).load()
}

private let john = "JOHN-0001"

@Suite("John's case, reproduced through the engine")
struct JohnFixtureTests {
    @Test("Index date is the earliest of his two intervention rows")
    func indexDate() throws {
        let study = try johnStudy(before: "6m", after: "12m")
        #expect(study.interventions.entries.filter { $0.personID == john }.count == 2)
        #expect(study.indexDate(of: john) == day("2023-05-01"))
        #expect(study.indexDate(of: "P-0002") == nil)
    }

    @Test("Ten years before: 3,355+ interactions with exactly 14 services, 1,000+ health and criminal justice, ~500 nights, £2.0M–£2.2M")
    func tenYears() throws {
        let study = try johnStudy(before: "10y", after: "12m")
        let rows = try BeforeAfterTable(study: study).rows.filter { $0.personID == john && !study.services.isIntervention($0.service) }
        let used = rows.filter { $0.before.events > 0 }
        #expect(used.count == 14)
        let events = used.reduce(0) { $0 + $1.before.events }
        #expect(events >= 3_355)
        func eventsIn(_ category: String) -> Int64 {
            used.filter { study.services.category(of: $0.service) == category }.reduce(0) { $0 + $1.before.events }
        }
        #expect(eventsIn("Health") >= 1_000)
        #expect(eventsIn("Criminal justice") >= 1_000)
        let nights = used.first { $0.service == "Supported accommodation" }?.before.quantity ?? 0
        #expect((480...520).contains(nights))
        let cost = used.reduce(Pence(0)) { $0 + $1.before.cost }
        #expect((200_000_000...220_000_000).contains(cost))
        #expect(rows.allSatisfy { $0.beforeDays == 3_652 })  // 2013-05-01 to 2023-04-30: 3,650 days and two 29 Februaries
    }

    @Test("Six months before, under twelve after: A&E 116 → 7, no hospital admissions")
    func accidentAndEmergency() throws {
        let study = try johnStudy(before: "6m", after: "12m")
        let rows = try BeforeAfterTable(study: study).rows
        #expect(Set(rows.map(\.personID)) == [john])  // P-0002 has no intervention
        let ae = try #require(rows.first { $0.service == "A&E" })
        #expect(ae.before.events == 116)
        #expect(ae.after.events == 7)
        #expect(ae.beforeDays == 181)
        #expect(ae.afterDays == 336)
        #expect((rows.first { $0.service == "Hospital" }?.after.events ?? 0) == 0)
    }

    @Test("Liberated Method after the index date: 161 events, £27,500–£28,500, more than half on accommodation")
    func liberatedMethod() throws {
        let study = try johnStudy(before: "6m", after: "12m")
        let row = try #require(try BeforeAfterTable(study: study).rows.first { $0.service == "Liberated Method" })
        #expect(row.before.events == 0)
        #expect(row.after.events == 161)
        #expect((2_750_000...2_850_000).contains(row.after.cost))
        let events = study.events
        let service = try #require(events.services.code(of: "Liberated Method"))
        let accommodation = try #require(events.events.code(of: "accommodation"))
        let person = try #require(events.persons.code(of: john))
        var accommodationCost: Pence = 0
        for i in 0..<events.count where events.service[i] == service && events.event[i] == accommodation && events.person[i] == person
            && study.personWindows.period(person: person, day: events.day[i]) == .after {
            accommodationCost += study.costs.pence[i]
        }
        #expect(accommodationCost * 2 > row.after.cost)
    }

    @Test("The report keeps the intervention apart from consumption and shows the fall")
    func report() throws {
        let study = try johnStudy(before: "6m", after: "12m")
        let report = try ConsumptionReport(study: study, subject: .person(john))
        #expect(report.services.count == 14)
        #expect(report.response.map(\.service) == ["Liberated Method"])
        #expect(report.response.first?.after.events == 161)
        #expect(report.interventionSpend == report.response[0].after.cost)
        let total = report.consumption
        #expect(total.before.cost > 10 * total.after.cost)
        #expect(report.unpriced.map(\.event) == ["advice contact"])
        #expect(report.firstEventDay == day("2012-01-13"))
        #expect(report.beforeDays == 181 && report.afterDays == 336)
    }

    @Test("Unpriced events are counted, never priced at zero silently")
    func unpriced() throws {
        let study = try johnStudy(before: "10y", after: "12m")
        #expect(study.costs.unpriced.map { "\($0.service)/\($0.event)" } == ["Housing options/advice contact"])
        let housing = try #require(try BeforeAfterTable(study: study).rows.first { $0.service == "Housing options" })
        #expect(housing.before.unpriced == 30)
    }
}
