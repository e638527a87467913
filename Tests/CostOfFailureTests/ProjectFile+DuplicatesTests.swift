import Foundation
import Testing
@testable import CostOfFailure

private func failure(_ text: String, path: String = "/p/cof.json") -> ProjectFile.Failure? {
    do throws(ProjectFile.Failure) { _ = try ProjectFile.parse(Data(text.utf8), path: path) } catch { return error }
    return nil
}

@Suite("Duplicate keys and the same file listed twice")
struct ProjectFileDuplicatesTests {
    @Test("A key written twice in one JSON object is an error with its key path and lines", arguments: [
        ("{\n\"before\": \"6m\",\n\"sources\": [{\"file\": \"e.csv\"}],\n\"before\": \"3m\"\n}", "before", 4, 2),
        ("{\"sources\": [{\"file\": \"e.csv\"},\n {\"file\": \"f.csv\",\n  \"columns\": {\"date\": \"A\",\n   \"date\": \"B\"}}]}", "sources[1].columns.date", 4, 3),
        ("{\"sources\": [{\"file\": \"e.csv\", \"fil\\u0065\": \"f.csv\"}]}", "sources[0].file", 1, 1),
    ])
    func jsonDuplicate(text: String, keyPath: String, line: Int, firstLine: Int) throws {
        let error = try #require(failure(text))
        #expect(error.keyPath == keyPath, "\(error)")
        #expect(error.detail.contains("duplicate key on line \(line), already set on line \(firstLine)"), "\(error)")
    }

    @Test("Keys that only look alike are not duplicates: the same key in two objects, a key's text inside a string")
    func notDuplicates() throws {
        let project = try ProjectFile.parse(Data(#"""
            {"sources": [{"file": "e.csv", "name": "\"file\": \"x\", \\\"file", "columns": {"date": "file"}},
                         {"file": "f.csv", "name": "{\"file\": 1}"}],
             "title": "before \"before\""}
            """#.utf8), path: "/p/cof.json")
        #expect(project.sources.count == 2)
    }

    @Test("The scanner's findings on its own", arguments: [
        (#"{"a": 1, "b": {"a": 2}}"#, nil as String?),
        (#"{"a": [1, {"x": 1, "x": 2}]}"#, "a[1].x"),
        (#"[{"k": "\\"}, {"k": 1, "k": 2}]"#, "[1].k"),
        (#"{"\ud83d\ude00": 1, "😀": 2}"#, "😀"),
    ])
    func scanner(text: String, expected: String?) {
        let found = JSONDuplicateKeys.first(in: Array(text.utf8))
        #expect(found.map { ProjectFile.keyPath($0.path, showValues: true) } == expected)
    }

    @Test("The same file twice, through a symbolic link, another spelling or a hard link, names both key paths")
    func sameFileTwice() throws {
        let folder = try ScratchFolder()
        try folder.write("a.csv", "person_id,service,event,date\n")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link.csv", withDestinationPath: folder.path + "/a.csv")
        try FileManager.default.linkItem(atPath: folder.path + "/a.csv", toPath: folder.path + "/hard.csv")
        for other in ["link.csv", "./a.csv", "hard.csv", "sub/../a.csv"] {
            try FileManager.default.createDirectory(atPath: folder.path + "/sub", withIntermediateDirectories: true)
            let error = failure(#"{"sources": [{"file": "a.csv"}, {"file": "\#(other)"}]}"#, path: folder.path + "/cof.json")
            #expect(error?.keyPath == "sources[1].file", "\(other): \(String(describing: error))")
            #expect(error?.detail.contains("sources[0].file") == true, "\(other)")
        }
        // An events file given again as the interventions.
        let tables = failure(#"{"sources": [{"file": "a.csv"}], "interventions": {"file": "link.csv"}}"#, path: folder.path + "/cof.json")
        #expect(tables?.keyPath == "interventions")
        // Standard input twice.
        let stdin = failure(#"{"sources": [{"file": "-"}], "interventions": "-"}"#, path: folder.path + "/cof.json")
        #expect(stdin?.keyPath == "interventions" && stdin?.detail.contains("sources[0].file") == true)
        // In TOML too.
        let toml = failure("[[sources]]\nfile = \"a.csv\"\n[[sources]]\nfile = \"hard.csv\"\n", path: folder.path + "/cof.toml")
        #expect(toml?.keyPath == "sources[1].file")
    }

    @Test("Two different files of the same name in different folders are fine")
    func sameNameDifferentFolders() throws {
        let folder = try ScratchFolder()
        try folder.write("north/events.csv", "person_id,service,event,date\n")
        try folder.write("south/events.csv", "person_id,service,event,date\n")
        let project = try ProjectFile.parse(Data(#"{"sources": [{"file": "north/events.csv"}, {"file": "south/events.csv"}]}"#.utf8),
                                            path: folder.path + "/cof.json")
        #expect(project.sources.count == 2)
    }
}
