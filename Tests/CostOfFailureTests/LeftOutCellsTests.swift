import Testing
@testable import CostOfFailure

/// ``LeftOutCells``: the cells ``PricedCells`` leaves out, for analyses that sum event by event
/// (the appraisal's split by cashability), so that its parts follow the totals' rule.
@Suite("Left-out cells")
struct LeftOutCellsTests {
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
        let leftOut = LeftOutCells(comparison: comparison, events: study.events)
        let police = try #require(study.events.services.code(of: "Police")), ae = try #require(study.events.services.code(of: "A&E"))
        let person = try #require(study.events.persons.code(of: "A"))
        #expect(leftOut.contains(person: person, service: police) && !leftOut.contains(person: person, service: ae))
        let fromStudy = LeftOutCells(study: study)
        #expect(fromStudy.contains(person: person, service: police) && !fromStudy.contains(person: person, service: ae))
        let appraisal = try Appraisal(study: study, comparison: comparison)
        #expect(appraisal.observedAnnualSaving == 10_000)
        #expect(appraisal.cashableObservedSaving == 10_000)
        #expect(appraisal.unstatedObservedSaving == 0)
    }
}
