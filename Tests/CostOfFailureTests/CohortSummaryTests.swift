import Foundation
import Testing
@testable import CostOfFailure

@Suite("Cohort summary")
struct CohortSummaryTests {
    /// Four treated people with rows and one (Z) without, index date 2020-01-01, one year either
    /// side: the before window is 2019 (365 days); the after window would be 366 days of leap
    /// year 2020, and the observation end of 2020-12-30 makes it 365, so sums are easy to check.
    private func study() throws -> Study {
        var builder = handWorkedCohort()
        builder.append(person: "E", service: "A&E", event: "attendance", date: day("2019-06-01"), explicitCost: 50_000)  // not treated
        let interventions = InterventionTable(entries: ["A", "B", "C", "D", "Z"].map { .init(personID: $0, start: day("2020-01-01")) })
        let services = ServiceCatalog(entries: [
            .init(service: "A&E", category: "Health", agency: "NHS"), .init(service: "Police", category: "Criminal justice", agency: "Police"),
            .init(service: "Liberated Method", category: ServiceCatalog.interventionCategory, agency: "Local authority"),
        ])
        return try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []), interventions: interventions, services: services,
                         windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-12-30")))
    }

    @Test("Figures worked by hand: exposure, rates, the spread of changes, concentration, the intervention left out")
    func handWorked() throws {
        let study = try study()
        // Z has no rows but is in the interventions, so in the cohort with zero use; E is not treated.
        #expect(study.cohortMembers.map(\.personID) == ["A", "B", "C", "D", "Z"])
        #expect(study.cohortMembers.allSatisfy { $0.beforeDays == 365 && $0.afterDays == 365 })
        let summary = try CohortSummary(beforeAfter: try BeforeAfterTable(study: study), members: study.cohortMembers,
                                    services: study.services, prices: "test prices")
        #expect(summary.people == 5 && summary.beforeDays == 1_825 && summary.afterDays == 1_825)
        // Before: A £365 + B £730 = £1,095; after: B £365 + C £73 = £438 (A's £1,000 is the intervention).
        #expect(summary.total.before.cost == 109_500 && summary.total.after.cost == 43_800)
        #expect(summary.total.people == 3)
        // Changes per year: A -£365, B -£365, C +£73, D £0, Z £0 → sorted [-365, -365, 0, 0, 73].
        #expect(summary.peopleObservedInBoth == 5)
        #expect(summary.meanChange == -13_140)  // -657 / 5 = -131.40
        #expect(summary.medianChange == 0)  // the third of five
        #expect(summary.ninetiethPercentileChange == 7_300)  // rank ⌈0.9 × 5⌉ = 5
        #expect(summary.peopleWhoseCostWentUp == 1)
        #expect(abs((summary.topTenthShareOfBeforeCost ?? 0) - 730.0 / 1_095.0) < 1e-12)  // the top person of 4 is B
        let table = summary.resultTable()
        func money(_ name: String) -> Pence? {
            guard let column = table.columns.first(where: { $0.name == name }), case .money(let values) = column.values,
                  column.state(0) == .value else { return nil }
            return values[0]
        }
        // Z's year each side counts: without Z these were £273.75, £109.50 and -£164.25 (25% higher).
        #expect(money("before_cost_per_person_year") == 21_900)  // £1,095 × 365 / 1,825
        #expect(money("after_cost_per_person_year") == 8_760)  // £438 × 365 / 1,825
        #expect(money("change_per_person_year") == -13_140)
        #expect(summary.byCategory.map(\.name) == ["Criminal justice", "Health", ServiceCatalog.interventionCategory])
        #expect(summary.byCategory.last?.after.cost == 100_000)
        #expect(summary.byAgency.map(\.name) == ["Local authority", "NHS", "Police"])
        #expect(summary.byService.first { $0.name == "A&E" }?.people == 2)
    }

    @Test("A (person, service) with an unpriced event in one window is left out of the money, before and after, with its events and people beside it")
    func unpricedLeftOut() throws {
        // The hand-worked cohort, and B's arrest of 2020-09-01 with no cost: B's Police cell is
        // unpriced after, so its £730 before and £365 after both leave the money (else £730 →
        // £365 would read as a saving that is only a gap in the prices).
        var builder = handWorkedCohort()
        builder.append(person: "B", service: "Police", event: "caution", date: day("2020-09-01"))
        let interventions = InterventionTable(entries: ["A", "B", "C", "D"].map { .init(personID: $0, start: day("2020-01-01")) })
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []), interventions: interventions,
                              services: ServiceCatalog(entries: [.init(service: "Liberated Method", category: ServiceCatalog.interventionCategory, agency: "LA")]),
                              windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-12-30")))
        let summary = try CohortSummary(beforeAfter: try BeforeAfterTable(study: study), members: study.cohortMembers,
                                        services: study.services, prices: "test prices")
        // Money: A £365 before, C £73 after; B's Police cell (2 events before, 2 after) left out.
        #expect(summary.total.before.cost == 36_500 && summary.total.after.cost == 7_300)
        #expect(summary.total.before.events == 3 && summary.total.after.events == 3)  // events still counted
        #expect(summary.total.after.unpriced == 1)
        #expect(summary.total.leftOutEvents == 4 && summary.total.leftOutPeople == 1)
        let police = try #require(summary.byService.first { $0.name == "Police" })
        #expect(police.before.cost == 0 && police.after.cost == 0 && police.leftOutEvents == 4 && police.leftOutPeople == 1)
        // Nobody's money rests on B's Police cell: the after money rests on C alone.
        #expect(summary.total.afterBasis.pricedPeople == 1 && summary.total.beforeBasis.pricedPeople == 1)
        // Changes per year: A −£365, B £0 (nothing priced in both), C +£73, D £0.
        #expect(summary.meanChange == -7_300)  // −292 / 4
        let table = summary.resultTable()
        #expect(table.columns.map(\.name).suffix(2) == ["left_out_events", "left_out_people"])
        for name in ["left_out_events", "left_out_people"] {
            let column = try #require(table.columns.first { $0.name == name })
            #expect(column.basis?.people == [1], "\(name) rests on the people left out")
        }
        #expect(PricedCells.counts(before: PeriodFigures(events: 2, quantity: 2, cost: 73_000, unpriced: 0),
                                   after: PeriodFigures(events: 2, quantity: 2, cost: 36_500, unpriced: 1)) == false)
    }

    @Test("The one-pass compare finds the same cohort members as the table path")
    func membersBothPaths() throws {
        let generated = GeneratedStudy(seed: 51, rows: 3_000)
        let events = try temporaryFile(generated.csvText())
        let interventions = try temporaryFile("person_id,start_date\n" + generated.interventions.map { "\($0.personID),\($0.start)\n" }.joined(), name: "i.csv")
        let unitCosts = try temporaryFile("service,event,unit_cost\n", name: "u.csv")
        let inputs = StudyInputs(events: [EventSource(.file(events))], interventions: .file(interventions), unitCosts: .file(unitCosts),
                                 windows: generated.windows)
        let study = try inputs.load()
        let pass = try StreamingPass(inputs)
        #expect(!study.cohortMembers.isEmpty)
        #expect(pass.cohortMembers == study.cohortMembers)
        // A treated person without events is in the cohort on both paths.
        #expect(pass.cohortMembers.contains { $0.personID == "nobody-with-events" })
    }

    @Test("Treated people without events count in the cohort on both paths: people, person-years, cost per person-year")
    func peopleWithoutEventsBothPaths() throws {
        // A and B have events; N and M are in the interventions file with none at all.
        let inputs = StudyInputs(
            events: [EventSource(csv("person_id,service,event,date\nA,A&E,attendance,2019-06-01\nA,A&E,attendance,2020-06-01\nB,A&E,attendance,2019-03-01\n"))],
            interventions: csv("person_id,start_date\nA,2020-01-01\nN,2020-01-01\nB,2020-01-01\nM,2020-01-01\n", name: "i.csv"),
            unitCosts: csv("service,event,unit_cost\nA&E,*,100\n", name: "u.csv"),
            windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-12-30")))
        let study = try inputs.load()
        let pass = try StreamingPass(inputs)
        #expect(study.cohortMembers.map(\.personID) == ["A", "B", "M", "N"])
        #expect(pass.cohortMembers == study.cohortMembers)
        #expect(pass.membersWithoutEvents.map(\.personID) == ["M", "N"])
        let table = try CohortSummary(beforeAfter: try BeforeAfterTable(study: study), members: study.cohortMembers,
                                      services: study.services, prices: study.pricesDescription)
        let streamed = try pass.cohortSummary
        #expect(table.people == 4 && streamed.people == 4)
        #expect(table.beforeDays == 1_460 && streamed.beforeDays == 1_460 && table.afterDays == 1_460 && streamed.afterDays == 1_460)
        #expect(table.total == streamed.total && table.meanChange == streamed.meanChange && table.medianChange == streamed.medianChange)
        // Before £200, after £100, over four person-years each: £50 and £25 per person-year
        // (counting only A and B, £100 and £50: twice as much).
        func money(_ summary: CohortSummary, _ name: String) -> Pence? {
            let table = summary.resultTable()
            guard let column = table.columns.first(where: { $0.name == name }), case .money(let values) = column.values,
                  column.state(0) == .value else { return nil }
            return values[0]
        }
        for summary in [table, streamed] {
            #expect(money(summary, "before_cost_per_person_year") == 5_000)
            #expect(money(summary, "after_cost_per_person_year") == 2_500)
        }
        // The change per person-year: A £0, B -£100, M £0, N £0 → mean -£25, median £0.
        #expect(table.meanChange == -2_500 && table.medianChange == 0)
    }
}
