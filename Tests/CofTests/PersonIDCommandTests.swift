import Foundation
import Testing

@Suite("cof: person ID normalisation and the streamed coverage of the cohort")
struct PersonIDCommandTests {
    /// Twenty treated people with NHS numbers; health.csv writes twelve of them as they are (and
    /// two others), agency.csv writes three of them with spaces, as `083 016 6130`.
    private func files() throws -> (TemporaryDirectory, [String]) {
        let directory = try TemporaryDirectory()
        let cohort = (0..<20).map { nhsNumber(100_000_000 + $0 * 7) }
        let health = try directory.write("health.csv", "person_id,service,event,date\n"
            + cohort.prefix(12).map { "\($0),A&E,attendance,2019-06-01\n" }.joined()
            + "X1,A&E,attendance,2019-06-01\nX2,A&E,attendance,2019-06-01\n")
        let agency = try directory.write("agency.csv", "Client Ref,service,event,date\n"
            + cohort.prefix(3).map { "\($0.prefix(3)) \($0.dropFirst(3).prefix(3)) \($0.suffix(4)),Police,arrest,2019-06-01\n" }.joined())
        let interventions = try directory.write("interventions.csv", "person_id,start_date\n" + cohort.map { "\($0),2019-01-01\n" }.joined())
        let unitCosts = try directory.write("unit-costs.csv", "service,event,unit_cost\nA&E,*,100\nPolice,*,50\n")
        _ = (health, agency, interventions, unitCosts)
        return (directory, cohort)
    }

    /// The NHS number whose first nine digits are `stem`'s (a stem whose check would be 10 moves on).
    private func nhsNumber(_ stem: Int) -> String {
        var stem = stem
        while true {
            let digits = String(stem).map { Int(String($0))! }
            let check = 11 - zip(digits, (2...10).reversed()).reduce(0) { $0 + $1.0 * $1.1 } % 11
            if check != 10 { return String(stem) + String(check % 11) }
            stem += 1
        }
    }

    private func project(_ directory: TemporaryDirectory, agencyID: String?) throws -> String {
        try directory.write("cof.json", """
            {"sources": [{"file": "health.csv", "person_id": {"nhs_number": true}},
                         {"file": "agency.csv", "columns": {"person_id": "Client Ref"}\(agencyID.map { ", \"person_id\": \($0)" } ?? "")}],
             "interventions": "interventions.csv", "unit_costs": "unit-costs.csv", "before": "12m", "after": "12m",
             "on_error": "reject"}
            """)
    }

    @Test("cof compare states each source's coverage and warns about the spaced agency; removing spaces fixes it")
    func compareCoverage() throws {
        let (directory, _) = try files()
        let mismatched = try CofRunner.run(["compare", "--project", try project(directory, agencyID: nil), "--by", "cohort", "--format", "csv"])
        #expect(mismatched.exitCode == 0, "\(mismatched)")
        #expect(mismatched.errLines.contains { $0.hasPrefix("cof: warning: ") && $0.contains("agency.csv: covers none of the cohort's people") && $0.contains("mismatched ID formats") }, "\(mismatched)")
        // Off a terminal, counts of people through the default rule (12 → 10; the two X rows are rejected, so none outside; 3 outside the agency's → withheld).
        #expect(mismatched.err.contains("health.csv: covers 10 of the cohort's 20 people; 0 people outside the cohort"), "\(mismatched)")
        #expect(mismatched.err.contains("agency.csv: covers 0 of the cohort's 20 people; [c] people outside the cohort") || mismatched.err.contains("agency.csv: covers [c] of the cohort's 20 people"), "\(mismatched)")
        // The two X rows are not NHS numbers: rejected with the reason, no ID echoed.
        #expect(mismatched.err.contains("bad_nhs_number: 2"), "\(mismatched)")
        #expect(!mismatched.err.contains("X1") && !mismatched.err.contains(" 100 "))

        let fixed = try CofRunner.run(["compare", "--project", try project(directory, agencyID: #"{"remove_spaces": true}"#), "--by", "cohort", "--format", "csv"])
        #expect(fixed.exitCode == 0, "\(fixed)")
        #expect(!fixed.err.contains("warning: agency.csv"), "\(fixed)")
        #expect(!fixed.errLines.contains { $0.contains("covers none") })
    }

    @Test("A person ID setting that cannot be used ends cof compare with exit 64 and its key path")
    func unusableSetting() throws {
        let (directory, _) = try files()
        let result = try CofRunner.run(["compare", "--project", try project(directory, agencyID: #"{"pattern": "(a)(b)"}"#)])
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.err.contains("sources[1].person_id.pattern: the pattern has 2 capture groups"), "\(result)")
    }
}
