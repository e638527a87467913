import Testing
@testable import CostOfFailure

@Suite("Each source's coverage of the cohort")
struct SourceCoverageTests {
    /// Twenty treated people P00..P19: the health source has rows of twelve of them and of two
    /// people outside the cohort; the agency export writes every ID with a space, so it covers
    /// none of the cohort and all three of its people are outside it.
    private func inputs() -> StudyInputs {
        let cohort = (0..<20).map { "P\($0 < 10 ? "0" : "")\($0)" }
        let health = "person_id,service,event,date\n"
            + cohort.prefix(12).map { "\($0),A&E,attendance,2019-06-01\n\($0),A&E,attendance,2019-07-01\n" }.joined()
            + "X1,A&E,attendance,2019-06-01\nX2,A&E,attendance,2019-06-01\n"
        let agency = "person_id,service,event,date\n"
            + cohort.prefix(3).map { "\($0.prefix(1)) \($0.dropFirst()),Police,arrest,2019-06-01\n" }.joined()
        return StudyInputs(events: [EventSource(csv(health, name: "health.csv")), EventSource(csv(agency, name: "agency.csv"))],
                           interventions: csv("person_id,start_date\n" + cohort.map { "\($0),2020-01-01\n" }.joined(), name: "i.csv"),
                           unitCosts: csv("service,event,unit_cost\n", name: "u.csv"),
                           windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
    }

    @Test("Rows, cohort people covered and people outside the cohort, by source; a source covering none is warned about")
    func counts() throws {
        let coverage = try inputs().load().sourceCoverage
        #expect(coverage == [
            SourceCoverage(file: "health.csv", rows: 26, cohortPeople: 12, cohortSize: 20, peopleOutsideCohort: 2),
            SourceCoverage(file: "agency.csv", rows: 3, cohortPeople: 0, cohortSize: 20, peopleOutsideCohort: 3),
        ])
        #expect(coverage[0].warning == nil)
        let warning = try #require(coverage[1].warning)
        #expect(warning.hasPrefix("agency.csv: covers none of the cohort's people") && warning.contains("mismatched ID formats"))
        #expect(!warning.contains("P 0"))  // no ID
    }

    @Test("The 5% rule: one person of 20 (5%) is enough, none of 21 is not, and one of 21 is under 5%",
          arguments: [(1, 20, false), (0, 20, true), (1, 21, true), (2, 40, false), (1, 40, true)] as [(Int, Int, Bool)])
    func rule(covered: Int, cohort: Int, warned: Bool) {
        #expect(SourceCoverage.minimumCohortShare == 0.05)
        let coverage = SourceCoverage(file: "s.csv", rows: 10, cohortPeople: covered, cohortSize: cohort, peopleOutsideCohort: 0)
        #expect(coverage.coversTooLittle == warned && (coverage.warning != nil) == warned)
        // A source without rows covers nothing, and says nothing is wrong with its IDs.
        #expect(!SourceCoverage(file: "s.csv", rows: 0, cohortPeople: 0, cohortSize: cohort, peopleOutsideCohort: 0).coversTooLittle)
    }

    @Test("The coverage table rests each count on its people, so disclosure control can withhold and round it")
    func table() throws {
        let table = SourceCoverage.resultTable(try inputs().load().sourceCoverage)
        #expect(table.columns.map(\.name) == ["source", "rows", "cohort_people_covered", "cohort_people", "people_outside_cohort"])
        let covered = try #require(table.columns.first { $0.name == "cohort_people_covered" })
        #expect(covered.basis?.role == .count && covered.basis?.people == [12, 0])
    }

    @Test("cof validate's report carries the coverage")
    func dataQuality() throws {
        let inputs = inputs()
        let interventions = try InterventionLoader(reader: CSVReader()).load(inputs.interventions)
        let examined = try DataQualityReport.examine(inputs.events, loader: EventLoader(policy: ErrorPolicy(mode: .reject)), unitCosts: nil,
                                                     interventions: interventions)
        let report = DataQualityReport(examined, unitCosts: false, interventions: interventions, observationEnd: nil)
        #expect(report.coverage.map(\.cohortPeople) == [12, 0])
        #expect(report.coverage.map(\.peopleOutsideCohort) == [2, 3])
    }
}
