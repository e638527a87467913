import Foundation
import Testing

/// John's project (`Fixtures/john/cof.json`) in `directory`, every path absolute, with its
/// `interventions` replaced by `interventions`.
private func johnProject(in directory: TemporaryDirectory, interventions: Any) throws -> String {
    let original = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CofRunner.fixture("cof.json")))) as! [String: Any]
    var project = original
    project["sources"] = (original["sources"] as! [[String: Any]]).map { source in
        var source = source
        source["file"] = CofRunner.fixture(source["file"] as! String)
        return source
    }
    for key in ["unit_costs", "services"] { project[key] = CofRunner.fixture(original[key] as! String) }
    project["interventions"] = interventions
    let data = try JSONSerialization.data(withJSONObject: project, options: [.prettyPrinted, .sortedKeys])
    return try directory.write("cof.json", String(decoding: data, as: UTF8.self))
}

@Suite("cof with every input mapped, and cof.toml")
struct InputMappingCommandTests {
    @Test("cof compare --project reads an interventions file with the agency's own headers, dates and delimiter")
    func agencyInterventions() throws {
        let directory = try TemporaryDirectory()
        let agencyFile = try directory.write("referrals.csv", """
            Client Reference;Referral Date;Closed;Programme Name;Spend
            JOHN-0001;01/05/2023;;Liberated Method;
            JOHN-0001;12/09/2023;;Liberated Method housing;

            """)
        let mapped = try johnProject(in: directory, interventions: [
            "file": agencyFile, "delimiter": ";", "date_format": "DD/MM/YYYY",
            "columns": ["person_id": "Client Reference", "start_date": "Referral Date", "end_date": "Closed",
                        "programme": "Programme Name", "cost": "Spend"],
        ])
        let result = try CofRunner.run(["compare", "--project", mapped, "--format", "csv"])
        let reference = try CofRunner.run(["compare", "--project", CofRunner.fixture("cof.json"), "--format", "csv"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(reference.exitCode == 0, "\(reference)")
        #expect(result.out == reference.out)
        #expect(!result.out.isEmpty)
    }

    @Test("An unmapped agency header fails with the file, line, the key path and the header found (exit 65)")
    func missingMappedColumn() throws {
        let directory = try TemporaryDirectory()
        let agencyFile = try directory.write("referrals.csv", "Client Reference,Referral Date\nJOHN-0001,2023-05-01\n")
        let mapped = try johnProject(in: directory, interventions: ["file": agencyFile, "columns": ["person_id": "Client Ref"]])
        let result = try CofRunner.run(["compare", "--project", mapped, "--format", "csv"])
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.err.contains("referrals.csv"), "\(result)")
        #expect(result.err.contains("interventions.columns.person_id"), "\(result)")
        #expect(result.err.contains("found 'Client Reference', 'Referral Date'"), "\(result)")
        #expect(!result.err.contains("JOHN-0001"))
    }

    @Test("cof compare --project cof.toml gives the output of cof.json")
    func tomlProject() throws {
        let toml = try CofRunner.run(["compare", "--project", CofRunner.fixture("cof.toml"), "--format", "csv"])
        let json = try CofRunner.run(["compare", "--project", CofRunner.fixture("cof.json"), "--format", "csv"])
        #expect(toml.exitCode == 0, "\(toml)")
        #expect(toml.out == json.out)
    }

    @Test("A duplicate key and the same file twice stop the run with the key paths (exit 65)")
    func duplicates() throws {
        let directory = try TemporaryDirectory()
        let events = try directory.write("events.csv", "person_id,service,event,date\nJOHN-0001,A&E,attendance,2023-06-01\n")
        try FileManager.default.createSymbolicLink(atPath: directory.url.appendingPathComponent("again.csv").path, withDestinationPath: events)
        try directory.write("interventions.csv", "person_id,start_date\nJOHN-0001,2023-05-01\n")
        let twice = try directory.write("twice.toml", """
            interventions = "interventions.csv"
            before = "6m"
            after = "6m"
            [[sources]]
            file = "events.csv"
            [[sources]]
            file = "again.csv"
            """)
        let result = try CofRunner.run(["compare", "--project", twice])
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.err.contains("sources[1].file") && result.err.contains("sources[0].file"), "\(result)")
        // Flags too: two spellings of one events file, or an interventions flag naming a project's source.
        let flags = try CofRunner.run(["compare", "--events", events, "--events", directory.url.appendingPathComponent("./again.csv").path,
                                       "--interventions", directory.url.appendingPathComponent("interventions.csv").path,
                                       "--before", "6m", "--after", "6m"])
        #expect(flags.exitCode == 64, "\(flags)")
        #expect(flags.err.contains("are the same file"), "\(flags)")
        let duplicate = try directory.write("dup.json", #"{"sources": [{"file": "events.csv"}], "interventions": "interventions.csv", "before": "6m", "after": "6m", "after": "12m"}"#)
        let second = try CofRunner.run(["compare", "--project", duplicate])
        #expect(second.exitCode == 65, "\(second)")
        #expect(second.err.contains("after: duplicate key on line 1"), "\(second)")
    }
}
