import Testing
@testable import CostOfFailure

@Suite("Top users")
struct TopUsersTests {
    @Test("Competition ranks over the period, ties in ID order, cohort ranks in each person's own windows")
    func ranks() throws {
        var builder = EventTableBuilder()
        for (person, dates) in [("P2", ["2019-06-01", "2019-07-01", "2020-02-01"]), ("P1", ["2019-05-01", "2019-08-01", "2019-09-01"]),
                                ("P3", ["2019-06-01"]), ("P4", ["2015-01-01", "2015-01-02", "2015-01-03", "2015-01-04"])] {
            for date in dates { builder.append(person: person, service: "A&E", event: "attendance", date: day(date), explicitCost: 100) }
        }
        builder.append(person: "P3", service: "A&E", event: "attendance", date: day("2019-06-02"), explicitCost: 5_000)
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []),
                              interventions: InterventionTable(entries: [.init(personID: "P1", start: day("2020-01-01")),
                                                                         .init(personID: "P2", start: day("2020-01-01"))]),
                              windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
        let lines = TopUsers(study: study, period: day("2019-01-01")...day("2020-12-31"), top: 3).lines
        #expect(lines.map(\.personID) == ["P1", "P2", "P3"])  // P4's events are before the period
        #expect(lines.map(\.rankByEvents) == [1, 1, 3])
        #expect(lines.map(\.rankByCost) == [2, 2, 1])  // P3's two events cost £51
        #expect(lines.map(\.beforeEvents) == [3, 2, nil])
        #expect(lines.map(\.rankBefore) == [1, 2, nil])
        #expect(lines.map(\.rankAfter) == [nil, 1, nil])  // P1 has no event after
    }
}
