import Foundation
import Testing
@testable import CostOfFailure

private func failure(_ text: String, path: String) -> ProjectFile.Failure? {
    do throws(ProjectFile.Failure) { _ = try ProjectFile.parse(Data(text.utf8), path: path) } catch { return error }
    return nil
}

@Suite("Project files as TOML (cof.toml)")
struct ProjectFileTOMLTests {
    @Test("John's cof.toml reads as his cof.json: the same sources, tables, windows and comparison")
    func johnTOML() throws {
        let json = try ProjectFile.load(path: fixture("john/cof.json"))
        let toml = try ProjectFile.load(path: fixture("john/cof.toml"))
        #expect(toml.sources == json.sources)
        #expect(toml.interventions == json.interventions)
        #expect(toml.unitCosts == json.unitCosts)
        #expect(toml.services == json.services)
        #expect(toml.before == json.before && toml.after == json.after)
        #expect(toml.observationEnd == json.observationEnd && toml.observationEnd != nil)
        #expect(toml.onError == json.onError)
        func rows(_ project: ProjectFile) throws -> [BeforeAfterTable.Row] {
            try BeforeAfterTable(study: StudyInputs(events: project.sources, interventions: try #require(project.interventions),
                                                    unitCosts: project.unitCosts, services: project.services,
                                                    windows: StudyWindows(before: try #require(project.before), after: try #require(project.after),
                                                                          observationEnd: project.observationEnd)).load()).rows
        }
        #expect(try rows(toml) == rows(json))
    }

    @Test("TOML integers, dates and date-times map as the JSON form's values do")
    func values() throws {
        let project = try ProjectFile.parse(Data("""
            max_rejects = 12
            observation_end = 2024-03-31T23:59:00
            [[sources]]
            file = "e.csv"
            extract_date = 2024-03-30
            """.utf8), path: "/p/cof.toml")
        #expect(project.maxRejects == 12)
        #expect(project.observationEnd == CivilDate(iso: "2024-03-31"))
        #expect(project.sources.first?.extractDate == CivilDate(iso: "2024-03-30"))
    }

    @Test("The same key-path errors as JSON")
    func keyPathErrors() {
        let toml = failure("before = 6\n[[sources]]\nfile = \"e.csv\"\n", path: "/p/cof.toml")
        let json = failure(#"{"before": 6, "sources": [{"file": "e.csv"}]}"#, path: "/p/cof.json")
        #expect(toml?.keyPath == "before" && json?.keyPath == "before")
        #expect(toml?.detail == json?.detail)
        let column = failure("[[sources]]\nfile = \"e.csv\"\ncolumns = { persn_id = \"ID\" }\n", path: "/p/cof.toml")
        #expect(column?.keyPath == "sources[0].columns.persn_id", "\(String(describing: column))")
    }

    @Test("A TOML syntax error gives its line and column, and says the file was read as TOML by its name")
    func syntaxError() throws {
        let error = try #require(failure("before = \"6m\"\nafter = \n[[sources]]\n", path: "/p/cof.toml"))
        #expect(error.keyPath == nil)
        #expect(error.detail.contains("line 2"), "\(error)")
        #expect(error.detail.contains("column"), "\(error)")
        #expect(error.detail.contains(".toml"), "\(error)")
        // The same text under a .json name is read as JSON, and says so.
        let json = try #require(failure("before = \"6m\"\n", path: "/p/cof.json"))
        #expect(json.detail.contains(".toml"), "\(json)")
    }

    @Test("A NUL byte or invalid UTF-8 in a TOML file is an error with its line")
    func badBytes() throws {
        var nul = Array("before = \"6m\"\nafter = \"1".utf8)
        nul += [0] + Array("2m\"\n".utf8)
        let error = try #require({ () -> ProjectFile.Failure? in
            do throws(ProjectFile.Failure) { _ = try ProjectFile.parse(Data(nul), path: "/p/cof.toml") } catch { return error }
            return nil
        }())
        #expect(error.detail.contains("line 2"), "\(error)")
    }

    @Test("A table header toml++ would assert on is refused with its position; arrays of arrays over lines are not headers", arguments: [
        ("[}\n", 1, 2), ("a = 1\n[[ }\n", 2, 4), ("[\nb = 1\n", 1, 2), ("title = \"\"\"\n[x]\n\"\"\"\n[#]\n", 4, 2),
    ])
    func badTableHeader(text: String, line: Int, column: Int) throws {
        let error = try #require(failure(text, path: "/p/cof.toml"))
        #expect(error.detail.contains("at line \(line), column \(column): expected a key"), "\(error)")
        #expect(TOMLGuard.firstUnsafe(in: Array("x = [\n  [1, 2],\n  [\n 3 ]\n]\n[a]\ns = '[}'\n".utf8)) == nil)
    }

    @Test("A control character TOML does not allow is refused with its position before toml++ sees it (a lone carriage return in a header made it assert); CR LF and tabs are fine", arguments: [
        ("[ \r2", 1, 3), ("a = 1\nb = \"x\u{1}\"\n", 2, 7), ("a = 1\r\nb\u{7F} = 2\n", 2, 2), ("\r", 1, 1),
    ])
    func controlCharacter(text: String, line: Int, column: Int) throws {
        let error = try #require(failure(text, path: "/p/cof.toml"))
        #expect(error.detail.contains("at line \(line), column \(column): expected no control character"), "\(error)")
        #expect(TOMLGuard.firstControlCharacter(in: Array("a = 1\r\n\tb = 'x\ty'\r\n".utf8)) == nil)
    }

    @Test("A key of thousands of dotted parts (a header, a dotted key, inside an inline table) is refused before toml++ recurses on it; 64 parts are fine")
    func deepKeys() throws {
        let parts = Array(repeating: "a", count: 6_000).joined(separator: ".")
        for text in ["[\(parts)]\n", "title.\(parts) = 1\n", "x = { \(parts) = 1 }\n", "[[\(parts)]]\n"] {
            let error = try #require(failure(text, path: "/p/cof.toml"))
            #expect(error.detail.contains("dotted parts"), "\(error)")
        }
        let sixtyFour = Array(repeating: "a", count: 64).joined(separator: ".")
        #expect(TOMLGuard.firstUnsafe(in: Array("[\(sixtyFour)]\nx.\(sixtyFour.dropFirst(2)) = 1.5\n['q.q.q' . b]\n".utf8)) == nil)
    }

    @Test("A bare value toml++ would assert on is refused with its position", arguments: [
        ("a = 2024-03-30T-10:00:00Z\n", 1, 5), ("x = [1,\n  2024-03-30T]\n", 2, 3), ("t = { a = tru }\n", 1, 11), ("n = 1__0\n", 1, 5),
    ])
    func badBareValue(text: String, line: Int, column: Int) throws {
        let error = try #require(failure(text, path: "/p/cof.toml"))
        #expect(error.detail.contains("at line \(line), column \(column): expected a value"), "\(error)")
    }

    @Test("Every TOML scalar form passes the guard", arguments: [
        "true", "false", "0", "-12", "1_000", "0xDEAD_beef", "0o17", "0b1010", "3.25", "-1e10", "6.02E+23", "inf", "-nan",
        "2024-03-31", "10:00:30", "10:00:30.5", "2024-03-31T10:00:00", "2024-03-31 10:00:00Z", "2024-03-31t10:00:00+05:30",
    ])
    func scalars(token: String) throws {
        #expect(TOMLGuard.isScalar(token))
        #expect(TOMLGuard.firstUnsafe(in: Array("a = \(token)\nb = [\(token), \(token)]\nc = { d = \(token) }\n".utf8)) == nil)
        // toml++ reads it too: no complaint is left but the project's own (a date is a string to it).
        let error = failure("[[sources]]\nfile = \"e.csv\"\nname = \(token)\n", path: "/p/cof.toml")
        #expect(error == nil || error?.keyPath == "sources[0].name", "\(String(describing: error))")
    }

    @Test("A key set twice in TOML is our error, with its key path and both lines", arguments: [
        ("before = \"6m\"\nafter = \"12m\"\nbefore = \"3m\"\n[[sources]]\nfile = \"e.csv\"\n", "before", 3, 1),
        ("[[sources]]\nfile = \"a.csv\"\n[[sources]]\nfile = \"b.csv\"\nname = \"B\"\nfile = \"c.csv\"\n", "sources[1].file", 6, 4),
    ])
    func duplicateKey(text: String, keyPath: String, line: Int, firstLine: Int) throws {
        let error = try #require(failure(text, path: "/p/cof.toml"))
        #expect(error.keyPath == keyPath, "\(error)")
        #expect(error.detail.contains("duplicate key on line \(line), already set on line \(firstLine)"), "\(error)")
    }

    @Test("A key set twice inside an inline table names the table and the key")
    func duplicateInline() throws {
        let error = try #require(failure("[[sources]]\nfile = \"a.csv\"\ncolumns = { date = \"A\", date = \"B\" }\n", path: "/p/cof.toml"))
        #expect(error.keyPath == "sources[0].columns.date", "\(error)")
        #expect(error.detail.contains("duplicate key on line 3"), "\(error)")
    }
}
