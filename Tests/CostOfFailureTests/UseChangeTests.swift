import Testing
@testable import CostOfFailure

@Suite("Up, the same and down: each treated person's change in cost per person-year")
struct UseChangeTests {
    @Test("The same is within 10% of the before rate either way, boundary included")
    func boundary() {
        func direction(_ before: Pence, _ beforeDays: Int, _ after: Pence, _ afterDays: Int) -> UseChange.Direction? {
            UseChange.direction(before: before, beforeDays: beforeDays, after: after, afterDays: afterDays)
        }
        #expect(direction(1_000, 365, 1_100, 365) == .same)  // exactly +10%
        #expect(direction(1_000, 365, 1_101, 365) == .up)
        #expect(direction(1_000, 365, 900, 365) == .same)  // exactly −10%
        #expect(direction(1_000, 365, 899, 365) == .down)
        #expect(direction(0, 365, 0, 100) == .same)  // no use either side
        #expect(direction(0, 365, 1, 365) == .up)  // any use after none
        #expect(direction(1_000, 365, 1_100, 730) == .down)  // per year: £5.50 against £10
        #expect(direction(1_000, 730, 550, 365) == .same)  // £5.50 a year against £5: exactly +10%
        #expect(direction(-1_000, 365, -1_000, 365) == .same)  // refunds alike
        #expect(direction(1_000, 365, 1_000, 0) == nil)  // no exposure after: not judged
    }

    @Test("Counts, shares over the published counts, and each group's change per person-year")
    func table() throws {
        var builder = EventTableBuilder()
        // A: £365 before, £36.50 after (down); B: £100 before and after (same); C: nothing before, £1 after (up).
        builder.append(person: "A", service: "A&E", event: "x", date: day("2019-06-01"), explicitCost: 36_500)
        builder.append(person: "A", service: "A&E", event: "x", date: day("2020-06-01"), explicitCost: 3_650)
        builder.append(person: "B", service: "A&E", event: "x", date: day("2019-06-01"), explicitCost: 10_000)
        builder.append(person: "B", service: "A&E", event: "x", date: day("2020-06-01"), explicitCost: 10_000)
        builder.append(person: "C", service: "A&E", event: "x", date: day("2020-06-01"), explicitCost: 100)
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []),
                              interventions: InterventionTable(entries: ["A", "B", "C"].map { .init(personID: $0, start: day("2020-01-01")) }),
                              windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-12-30")))
        let change = try UseChange(beforeAfter: try BeforeAfterTable(study: study), members: study.cohortMembers, services: study.services)
        #expect((change.up, change.same, change.down, change.notJudged) == (1, 1, 1, 0))
        // Everyone: £137.50 after and £465 before, over 3 person-years each: £45.83 − £155 a person-year.
        #expect(change.changes == [100, 0, -32_850, -10_917])
        let table = change.resultTable()
        guard case .integer(let people)? = table.column("people")?.values else { Issue.record("no people column"); return }
        #expect(people == [1, 1, 1, 0, 3])
    }
}
