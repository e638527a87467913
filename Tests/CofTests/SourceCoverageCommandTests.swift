import Foundation
import Testing

@Suite("cof: each source's coverage of the cohort")
struct SourceCoverageCommandTests {
    /// Twenty treated people; health.csv has twelve of them and two others, agency.csv writes
    /// the IDs of three of them with a space (`P 00`), so it covers none of the cohort.
    private func files() throws -> (TemporaryDirectory, [String]) {
        let directory = try TemporaryDirectory()
        let cohort = (0..<20).map { "P\($0 < 10 ? "0" : "")\($0)" }
        let health = try directory.write("health.csv", "person_id,service,event,date\n"
            + cohort.prefix(12).map { "\($0),A&E,attendance,2019-06-01\n" }.joined() + "X1,A&E,attendance,2019-06-01\nX2,A&E,attendance,2019-06-01\n")
        let agency = try directory.write("agency.csv", "person_id,service,event,date\n"
            + cohort.prefix(3).map { "\($0.prefix(1)) \($0.dropFirst()),Police,arrest,2019-06-01\n" }.joined())
        let interventions = try directory.write("interventions.csv", "person_id,start_date\n" + cohort.map { "\($0),2020-01-01\n" }.joined())
        return (directory, ["--events", health, "--events", agency, "--interventions", interventions])
    }

    @Test("A source that covers none of the cohort is warned about on standard error, by file, without an ID")
    func warning() throws {
        let (directory, inputs) = try files()
        let unitCosts = try directory.write("unit-costs.csv", "service,event,unit_cost\nA&E,*,100\nPolice,*,50\n")
        let export = try CofRunner.run(["export", "--table", "by-service", "--format", "csv", "--unit-costs", unitCosts,
                                        "--before", "12m", "--after", "12m"] + inputs)
        #expect(export.exitCode == 0, "\(export)")
        #expect(export.errLines.contains { $0.hasPrefix("cof: warning: ") && $0.contains("agency.csv: covers none of the cohort's people") && $0.contains("mismatched ID formats") }, "\(export)")
        #expect(!export.errLines.contains { $0.contains("warning") && $0.contains("health.csv") })
        #expect(!export.err.contains("P 0") && !export.err.contains("P00"))
        // Standard error is not a terminal here: counts of people go through the default rule
        // (12 → 10, 20 → 20, 2 withheld).
        #expect(export.err.contains("health.csv: covers 10 of the cohort's 20 people; [c] people outside the cohort"), "\(export)")
        let validate = try CofRunner.run(["validate"] + inputs)
        #expect(validate.errLines.contains { $0.hasPrefix("cof: warning: ") && $0.contains("agency.csv: covers none") }, "\(validate)")
    }

    @Test("cof validate's JSON to a pipe carries each source's coverage under disclosure control")
    func validateJSON() throws {
        let (directory, inputs) = try files()
        defer { withExtendedLifetime(directory) {} }
        let result = try CofRunner.run(["validate", "--format", "json"] + inputs)
        #expect(result.exitCode == 0, "\(result)")
        // The source's people (14, published as 15) are its covered people (12) and those outside
        // (2, withheld): the covered count is withheld with them, or it would give the 2 back.
        #expect(result.out.contains(#""people": 15"#), "\(result)")
        #expect(result.out.contains(#""coverage": {"cohort_people_covered": "[c]", "cohort_people": 20, "people_outside_cohort": "[c]", "covers_too_little": false}"#), "\(result)")
        #expect(result.out.contains(#""coverage": {"cohort_people_covered": 0, "cohort_people": 20, "people_outside_cohort": "[c]", "covers_too_little": true}"#), "\(result)")
        #expect(result.out.contains(#""coverage_minimum_share": 0.05"#))
        #expect(result.out.contains("mismatched ID formats"))
    }
}
