import Foundation
import Testing
@testable import CostOfFailure

private func parse(_ json: String) throws -> ProjectFile {
    try ProjectFile.parse(Data(json.utf8), path: "/data/project/cof.json")
}

private func settingFailure(_ json: String) -> ProjectFile.Failure? {
    do { _ = try parse(json) } catch let error as ProjectFile.Failure { return error } catch { return nil }
    return nil
}

@Suite("Project files: person ID settings")
struct ProjectFilePersonIDTests {
    @Test("A source's person_id settings, and the interventions and comparison files as objects or plain paths")
    func settings() throws {
        let project = try parse(#"""
            {"sources": [{"file": "ed.csv", "person_id": {"trim": true, "remove_spaces": true, "remove": "-/", "case": "upper",
                                                         "pattern": "^NHS:(\\d+)$", "nhs_number": true}},
                         {"file": "police.csv"}],
             "interventions": {"path": "i.csv", "person_id": {"remove_spaces": true}},
             "comparison": "c.csv"}
            """#)
        #expect(project.sources[0].personID == PersonIDNormalisation(trim: true, remove: Set(" -/".utf8), letterCase: .upper,
                                                                       pattern: "^NHS:(\\d+)$", nhsNumber: true))
        #expect(project.sources[1].personID.isIdentity)
        #expect(project.interventions == .file("/data/project/i.csv"))
        #expect(project.interventionsPersonID == PersonIDNormalisation(remove: [0x20]))
        #expect(project.comparison == .file("/data/project/c.csv") && project.comparisonPersonID.isIdentity)
        #expect(project.sources[0].personID.description == #"trim, remove " -/", case upper, pattern ^NHS:(\d+)$, nhs_number"#)
    }

    @Test("A setting that cannot be used names its key path and is a usage error", arguments: [
        (#"{"sources": [{"file": "e.csv", "person_id": {"case": "title"}}]}"#, "sources[0].person_id.case", "expected \"upper\" or \"lower\""),
        (#"{"sources": [{"file": "e.csv", "person_id": {"pattern": "(\\d+"}}]}"#, "sources[0].person_id.pattern", "not a valid regular expression"),
        (#"{"sources": [{"file": "e.csv", "person_id": {"pattern": "(\\w)(\\d+)"}}]}"#, "sources[0].person_id.pattern", "has 2 capture groups; expected exactly one"),
        (#"{"sources": [{"file": "e.csv", "person_id": {"pattern": "\\d+"}}]}"#, "sources[0].person_id.pattern", "has 0 capture groups"),
        (#"{"sources": [{"file": "e.csv", "person_id": {"nhs": true}}]}"#, "sources[0].person_id.nhs", "unknown key"),
        (#"{"sources": [{"file": "e.csv", "person_id": {"trim": "yes"}}]}"#, "sources[0].person_id.trim", "expected true or false"),
        (#"{"sources": [{"file": "e.csv", "person_id": {"remove": "é"}}]}"#, "sources[0].person_id.remove", "ASCII characters"),
        (#"{"sources": [{"file": "e.csv", "person_id": "upper"}]}"#, "sources[0].person_id", "expected an object"),
        (#"{"sources": [], "comparison": {"path": "c.csv", "person_id": {"case": "UPPER"}}}"#, "comparison.person_id.case", "expected"),
    ] as [(String, String, String)])
    func unusable(json: String, keyPath: String, detail: String) throws {
        let found = try #require(settingFailure(json))
        let failure = found
        #expect(failure.keyPath == keyPath)
        #expect(failure.detail.contains(detail), "\(failure)")
        #expect(failure.isUnusableSetting && !failure.isMissing)
    }
}
