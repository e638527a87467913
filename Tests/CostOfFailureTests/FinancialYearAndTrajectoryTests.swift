import Testing
@testable import CostOfFailure

@Suite("Financial years, agencies and the trajectory")
struct FinancialYearAndTrajectoryTests {
    @Test("Consumption by financial year × agency × value type, the intervention's cost beside it")
    func financialYears() throws {
        var builder = EventTableBuilder()
        builder.append(person: "A", service: "A&E", event: "attendance", date: day("2024-03-31"), explicitCost: 1_000)
        builder.append(person: "A", service: "A&E", event: "attendance", date: day("2024-04-01"))
        builder.append(person: "A", service: "Police", event: "arrest", date: day("2024-04-02"))
        builder.append(person: "A", service: "Liberated Method", event: "support", date: day("2024-05-01"), explicitCost: 5_000)
        builder.append(person: "B", service: "A&E", event: "attendance", date: day("2024-04-01"))  // not treated
        let unitCosts = UnitCostTable(entries: [
            .init(service: "A&E", event: "attendance", unitCostPence: 27_300, valueType: "fiscal", agency: "NHS"),
            .init(service: "Police", event: "*", unitCostPence: 59_300),
        ])
        let services = ServiceCatalog(entries: [
            .init(service: "Police", category: "Criminal justice", agency: "Police"),
            .init(service: "Liberated Method", category: ServiceCatalog.interventionCategory, agency: "Local authority"),
        ])
        let study = try Study(events: builder.finish(), unitCosts: unitCosts,
                              interventions: InterventionTable(entries: [.init(personID: "A", start: day("2024-04-10"), costPence: 10_000)]),
                              services: services, windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
        let figures = FinancialYearConsumption(study: study)
        #expect(figures.lines == [
            .init(year: FinancialYear(startYear: 2023), agency: "NHS", valueType: "fiscal", events: 1, cost: 1_000, unpriced: 0, people: 1, pricedPeople: 1, largestCost: 1_000),
            .init(year: FinancialYear(startYear: 2024), agency: "NHS", valueType: "fiscal", events: 1, cost: 27_300, unpriced: 0, people: 1, pricedPeople: 1, largestCost: 27_300),
            .init(year: FinancialYear(startYear: 2024), agency: "Police", valueType: "unstated", events: 1, cost: 59_300, unpriced: 0, people: 1, pricedPeople: 1, largestCost: 59_300),
        ])
        // One person's events (5,000) and recorded cost (10,000): 15,000 is the largest part.
        #expect(figures.intervention == [.init(year: FinancialYear(startYear: 2024), events: 1, cost: 5_000, recorded: 10_000, people: 1, largestCost: 15_000)])
    }

    @Test("Event-time months: who is observed, which month an event falls in, the means")
    func trajectory() throws {
        var builder = EventTableBuilder()
        builder.append(person: "B", service: "A&E", event: "attendance", date: day("2018-01-01"), explicitCost: 1)  // the data's first day
        for (date, cost) in [("2019-12-20", 100), ("2020-01-15", 200), ("2020-02-14", 300), ("2020-02-15", 400), ("2020-03-20", 500)] {
            builder.append(person: "A", service: "A&E", event: "attendance", date: day(date), explicitCost: Pence(cost))
        }
        builder.append(person: "C", service: "A&E", event: "attendance", date: day("2020-01-31"), explicitCost: 1_000)
        let interventions = InterventionTable(entries: [.init(personID: "A", start: day("2020-01-15")), .init(personID: "C", start: day("2019-12-31"))])
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []), interventions: interventions,
                              windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-03-14")))
        let points = Trajectory(study: study, months: -2...2).points
        // A's months: -1 = [12-15, 01-15), 0 = [01-15, 02-15), 1 = [02-15, 03-15), 2 = [03-15, 04-15): not wholly observed.
        // C's months (index 2019-12-31): 0 = [12-31, 01-31), 1 = [01-31, 02-29) — Feb has 29 days in 2020 — 2 = [02-29, 03-31): not observed.
        #expect(points.map(\.month) == [-2, -1, 0, 1, 2])
        #expect(points.map(\.people) == [2, 2, 2, 2, 0])
        #expect(points.map(\.events) == [0, 1, 2, 2, 0])
        #expect(points.map(\.cost) == [0, 100, 500, 1_400, 0])
        #expect(points.map(\.meanCost) == [0, 50, 250, 700, nil])
    }

    @Test("Under rounding, a month's mean events per person is of the rounded count over the rounded people: mean × people gives the rounded count, never the exact one")
    func meanEventsUnderRounding() throws {
        var builder = EventTableBuilder()
        var entries: [InterventionTable.Entry] = []
        builder.append(person: "B", service: "A&E", event: "attendance", date: day("2018-01-01"), explicitCost: 1)  // the data's first day
        for person in 0..<11 {
            entries.append(.init(personID: "P\(person)", start: day("2020-01-01")))
            for _ in 0...(person % 3) {
                builder.append(person: "P\(person)", service: "A&E", event: "attendance", date: day("2020-01-10"), explicitCost: 100)
            }
        }
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []), interventions: InterventionTable(entries: entries),
                              windows: StudyWindows(before: WindowSpan(1, .months), after: WindowSpan(1, .months), observationEnd: day("2020-12-31")))
        let trajectory = Trajectory(study: study, months: 0...0)
        #expect(trajectory.points.map(\.events) == [21] && trajectory.points.map(\.people) == [11])
        let table = trajectory.resultTable(rounding: CountRounding(base: 5))
        guard case .rate(let means, _)? = table.column("mean_events_per_person")?.values else {
            Issue.record("no mean events column")
            return
        }
        // 20 events (21 rounded) over 10 people (11 rounded): 2.0, not 2.1 (which × 10 is 21).
        #expect(means == [2.0])
    }

    @Test("Event-time months follow the unpriced rule: a (person, service) cell with an unpriced event puts no cost in any month")
    func trajectoryLeavesOutUnpricedCells() throws {
        var builder = EventTableBuilder()
        // A: A&E £100 before and £100 after (priced in both); Police £500 before and an unpriced
        // caution after: Police leaves the money in both months, its 2 events counted beside.
        builder.append(person: "A", service: "A&E", event: "attendance", date: day("2019-12-20"), explicitCost: 10_000)
        builder.append(person: "A", service: "A&E", event: "attendance", date: day("2020-01-20"), explicitCost: 10_000)
        builder.append(person: "A", service: "Police", event: "arrest", date: day("2019-12-21"), explicitCost: 50_000)
        builder.append(person: "A", service: "Police", event: "caution", date: day("2020-01-21"))
        builder.append(person: "Z", service: "A&E", event: "attendance", date: day("2019-01-01"))  // the extract starts here
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []),
                              interventions: InterventionTable(entries: [.init(personID: "A", start: day("2020-01-01"))]),
                              windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-03-31")))
        let points = Trajectory(study: study, months: -1...0).points
        #expect(points.map(\.events) == [2, 2])
        #expect(points.map(\.cost) == [10_000, 10_000])  // not £600 → £100
        #expect(points.map(\.unpriced) == [0, 1])
        #expect(points.map(\.leftOutEvents) == [1, 1] && points.map(\.leftOutPeople) == [1, 1])
    }

    @Test("A death mid-window: the dead person counts in their month of death for its days at risk and in no month after it")
    func trajectoryAfterDeath() throws {
        var builder = EventTableBuilder()
        builder.append(person: "T", service: "A&E", event: "attendance", date: day("2022-11-01"), explicitCost: 100)  // the data's first day
        builder.append(person: "U", service: "A&E", event: "attendance", date: day("2022-11-15"), explicitCost: 100)
        builder.append(person: "T", service: "Deaths", event: "death", date: day("2023-02-10"), explicitCost: 0)
        builder.append(person: "U", service: "A&E", event: "attendance", date: day("2023-02-20"), explicitCost: 3_800)
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []),
                              interventions: InterventionTable(entries: ["T", "U"].map { .init(personID: $0, start: day("2023-01-01")) }),
                              services: ServiceCatalog(entries: [.init(service: "Deaths", category: "Register", exposure: .ends)]),
                              windows: StudyWindows(before: WindowSpan(2, .months), after: WindowSpan(4, .months), observationEnd: day("2023-04-30")))
        let points = Trajectory(study: study, months: -2...3).points
        // November to January both; February (28 days) both, T for 1–10 February only; March and April U alone.
        #expect(points.map(\.people) == [2, 2, 2, 2, 1, 1])
        #expect(points[3].personMonthUnits == Trajectory.monthUnit + Trajectory.monthUnit * 10 / 28)
        // £38 over 1 + 10/28 person-months: £28.
        #expect(points[3].cost == 3_800 && points[3].meanCost == 2_800)
        #expect(points[4].meanCost == 0 && points[2].meanCost == 0)
        let table = Trajectory(study: study, months: -2...3).resultTable()
        guard case .money(let means)? = table.column("mean_cost_per_person")?.values else { Issue.record("no mean column"); return }
        #expect(means[3] == 2_800)
        // Without the mark, death is just an event: everyone counts in every month.
        let unmarked = try Study(events: study.events, unitCosts: UnitCostTable(entries: []), interventions: study.interventions,
                                 windows: study.windows)
        #expect(Trajectory(study: unmarked, months: -2...3).points.map(\.people) == [2, 2, 2, 2, 2, 2])
        #expect(Trajectory(study: unmarked, months: -2...3).points[3].meanCost == 1_900)
    }
}
