import Testing
@testable import CostOfFailure

/// ``Appraisal/Split``: the appraisal's split by cashability sums event by event, and leaves out
/// the cells ``PricedCells`` leaves out (through ``MemberCells``), so its parts follow the totals' rule.
@Suite("The appraisal's split by cashability")
struct AppraisalSplitTests {
    @Test("The appraisal's cashable saving leaves out a cell with an unpriced event, as its total does")
    func appraisalCashableSplit() throws {
        var builder = EventTableBuilder()
        // A: Police arrests (cashable, £100 each): 2 before, 1 after, and an unpriced caution
        // after. Without the rule the cashable saving would be £200 − £100 a year; with it the
        // Police cell is left out and the cashable saving is £0, like the total's.
        builder.append(person: "A", service: "Police", event: "arrest", date: day("2019-03-01"))
        builder.append(person: "A", service: "Police", event: "arrest", date: day("2019-06-01"))
        builder.append(person: "A", service: "Police", event: "arrest", date: day("2020-03-01"))
        builder.append(person: "A", service: "Police", event: "caution", date: day("2020-04-01"))
        // A&E (cashable, £50): 2 before, none after: priced in both, a £100 saving.
        builder.append(person: "A", service: "A&E", event: "attendance", date: day("2019-02-01"))
        builder.append(person: "A", service: "A&E", event: "attendance", date: day("2019-05-01"))
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: [
            .init(service: "Police", event: "arrest", unitCostPence: 10_000, cashable: true),
            .init(service: "A&E", event: "attendance", unitCostPence: 5_000, cashable: true),
        ]), interventions: InterventionTable(entries: [.init(personID: "A", start: day("2020-01-01"))]),
            windows: StudyWindows(before: WindowSpan(365, .days), after: WindowSpan(365, .days)))
        let comparison = try BeforeAfterTable(study: study)
        let split = study.groupedCohortEvents.fold(
            Appraisal.Split(catalog: study.services, unitCosts: study.unitCostTable, services: study.events.services,
                            events: study.events.events, only: nil),
            windows: study.cohortWindows, workers: 2)
        // A&E's £100 before only: the Police cell (£200 before, £100 after) is left out.
        #expect(split.before == [10_000, 0, 0] && split.after == [0, 0, 0] && split.serviceCost == 0)
        let appraisal = try Appraisal(study: study, beforeAfter: comparison)
        #expect(appraisal.observedAnnualSaving == 10_000)
        #expect(appraisal.cashableObservedSaving == 10_000)
        #expect(appraisal.unstatedObservedSaving == 0)
    }
}
