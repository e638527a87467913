import Foundation
import Testing
@testable import CostOfFailure

private func parse(_ json: String, path: String = "/data/project/cof.json") throws -> ProjectFile {
    try ProjectFile.parse(Data(json.utf8), path: path)
}

private func failure(_ json: String) -> ProjectFile.Failure? {
    do { _ = try parse(json) } catch let error as ProjectFile.Failure { return error } catch { return nil }
    return nil
}

@Suite("Project files")
struct ProjectFileTests {
    @Test("John's eleven agency files give exactly the comparison of his single events file")
    func johnAgencies() throws {
        let project = try ProjectFile.load(path: fixture("john/cof.json"))
        #expect(project.sources.count == 11)
        let windows = StudyWindows(before: try #require(project.before), after: try #require(project.after),
                                   observationEnd: project.observationEnd)
        let unitCosts: InputSource = try #require(project.unitCosts)
        func comparison(_ sources: [EventSource]) throws -> [BeforeAfterTable.Row] {
            try BeforeAfterTable(study: StudyInputs(events: sources, interventions: try #require(project.interventions),
                                              unitCosts: unitCosts, services: project.services,
                                              windows: windows).load()).rows
        }
        let agencies = try comparison(project.sources)
        let single = try comparison([EventSource(.file(fixture("john/events.csv")))])
        #expect(agencies == single)
        #expect(agencies.first { $0.service == "A&E" }?.before.events == 116)
    }

    @Test("An absolute path stays absolute when a combining mark follows its first slash")
    func absolutePathWithCombiningMark() throws {
        // Found by ProjectFileFuzzer: "/" and U+034B are one Character, so hasPrefix("/") was false.
        let project = try parse(#"{"sources": [{"file": "/\u034bdata/e.csv", "columns": {"person_id": "ID"}}]}"#)
        guard case .file(let path) = try #require(project.sources.first).input else { Issue.record("not a file"); return }
        #expect(path == "/\u{34B}data/e.csv")
    }

    @Test("Every setting is read; paths are relative to the project file")
    func settings() throws {
        let project = try parse("""
            {"sources": [{"name": "Police", "file": "agencies/police.csv", "encoding": "windows-1252", "delimiter": ";",
                          "date_format": "DD/MM/YYYY HH:MM", "columns": {"person_id": "Subject ID", "date": "Incident Date"},
                          "service": "Police"},
                         {"file": "/abs/other.csv", "delimiter": "tab"}],
             "unit_costs": "costs.csv", "interventions": "../shared/interventions.csv", "services": "services.csv",
             "before": "6m", "after": "1y", "observation_end": "2024-03-31",
             "on_error": "reject", "rejects": "out/rejects.csv", "max_rejects": 10}
            """)
        let police = project.sources[0]
        #expect(police.input == .file("/data/project/agencies/police.csv"))
        #expect(police.name == "Police")
        #expect(police.encoding == .windows1252)
        #expect(police.dialect.delimiter == UInt8(ascii: ";"))
        #expect(police.dateFormat == DateFormat(order: .dayMonthYear, allowsTime: true))
        #expect(police.columns == [.personID: "Subject ID", .date: "Incident Date"])
        #expect(police.constantService == "Police")
        #expect(project.sources[1].input == .file("/abs/other.csv"))
        #expect(project.sources[1].dialect.delimiter == 0x09)
        #expect(project.unitCosts == .file("/data/project/costs.csv"))
        #expect(project.interventions == .file("/data/project/../shared/interventions.csv"))
        #expect(project.before == WindowSpan(6, .months))
        #expect(project.after == WindowSpan(1, .years))
        #expect(project.observationEnd == day("2024-03-31"))
        #expect(project.onError == .reject)
        #expect(project.rejects == "/data/project/out/rejects.csv")
        #expect(project.maxRejects == 10)
    }

    @Test("Dates are read as the data writes them: observation_end in either form, extract_date in its source's format or ISO")
    func datesAsTheDataWritesThem() throws {
        let project = try parse("""
            {"sources": [{"file": "a.csv", "date_format": "DD/MM/YYYY", "extract_date": "31/03/2024"},
                         {"file": "b.csv", "date_format": "DD/MM/YYYY", "extract_date": "2024-02-29"},
                         {"file": "c.csv"}],
             "observation_end": "30/06/2024"}
            """)
        #expect(project.sources.map(\.extractDate) == [day("2024-03-31"), day("2024-02-29"), nil])
        #expect(project.observationEnd == day("2024-06-30"))
    }

    @Test("Mistakes are named by their key path", arguments: [
        ("{\"sources\": []", nil, "not valid JSON"),
        ("[]", nil, "expected a JSON object"),
        ("{}", "sources", "missing"),
        ("{\"sources\": [], \"befor\": \"6m\"}", "befor", "unknown key"),
        ("{\"sources\": [{\"file\": \"a.csv\", \"dateformat\": \"x\"}]}", "sources[0].dateformat", "unknown key"),
        ("{\"sources\": [{}]}", "sources[0].file", "missing"),
        ("{\"sources\": [{\"file\": \"a.csv\", \"date_format\": \"MM/DD/YYYY\"}]}", "sources[0].date_format", "unknown date format"),
        ("{\"sources\": [{\"file\": \"a.csv\", \"encoding\": \"latin-9\"}]}", "sources[0].encoding", "unknown encoding"),
        ("{\"sources\": [{\"file\": \"a.csv\", \"delimiter\": \"::\"}]}", "sources[0].delimiter", "expected one of"),
        ("{\"sources\": [{\"file\": \"a.csv\", \"columns\": {\"nhs\": \"NHS\"}}]}", "sources[0].columns.nhs", "unknown engine column"),
        ("{\"sources\": [{\"file\": \"a.csv\", \"service\": \"A&E\", \"columns\": {\"service\": \"Dept\"}}]}", "sources[0].service", "both a constant"),
        ("{\"sources\": [], \"before\": \"6 months\"}", "before", "expected a span"),
        ("{\"sources\": [], \"observation_end\": \"31/02/2024\"}", "observation_end", "YYYY-MM-DD or DD/MM/YYYY"),
        ("{\"sources\": [{\"file\": \"a.csv\", \"date_format\": \"DD/MM/YYYY\", \"extract_date\": \"03/31/2024\"}]}", "sources[0].extract_date", "DD/MM/YYYY or YYYY-MM-DD"),
        ("{\"sources\": [], \"on_error\": \"skip\"}", "on_error", "\"fail\" or \"reject\""),
        ("{\"sources\": [], \"max_rejects\": -1}", "max_rejects", "whole number"),
        // JSONSerialization reads true as 1 and 1 as true: booleans and numbers are told apart.
        ("{\"sources\": [], \"max_rejects\": true}", "max_rejects", "whole number"),
        ("{\"sources\": [], \"replace_shipped_unit_costs\": 1}", "replace_shipped_unit_costs", "true or false"),
        ("{\"sources\": [], \"replace_shipped_unit_costs\": 0}", "replace_shipped_unit_costs", "true or false"),
        ("{\"sources\": [{\"file\": \"a.csv\", \"person_id\": {\"trim\": 1}}]}", "sources[0].person_id.trim", "true or false"),
        // A NUL ends a path where the system reads it: refused, not read as the part before it.
        ("{\"sources\": [{\"file\": \"a.csv\\u0000.gz\"}]}", "sources[0].file", "NUL"),
        ("{\"sources\": [], \"interventions\": \"i.csv\\u0000x\"}", "interventions", "NUL"),
    ] as [(String, String?, String)])
    func mistakes(json: String, keyPath: String?, phrase: String) throws {
        let error = try #require(failure(json))
        #expect(error.keyPath == keyPath)
        #expect(error.detail.contains(phrase), "\(error)")
        #expect(error.description.hasPrefix("/data/project/cof.json: "))
    }

    @Test("A data file given as the project file: its text is quoted only with showValues")
    func dataFileAsProject() throws {
        let csv = Data("SECRET-1,A&E,attendance,2023-05-01\n".utf8)
        for showValues in [false, true] {
            do {
                _ = try ProjectFile.parse(csv, path: "events.csv", showValues: showValues)
                Issue.record("expected a failure")
            } catch {
                #expect(error.description.contains("not a project file"))
                #expect(error.description.contains("SECRET-1") == showValues, "\(error)")
            }
        }
        // Keys that look like IDs, and what the JSON parser quotes, stay out of the message too.
        let keyed = failure(#"{"sources": [], "6018842011073901": 1}"#)
        #expect(keyed?.keyPath == "<a key that is not a setting name; give --show-values to see it>")
        #expect(ProjectFile.withoutQuotes("Unexpected character 'S' around line 1, column 1.") == "Unexpected character … around line 1, column 1. (give --show-values to see what was found)")
        #expect(ProjectFile.withoutQuotes("Invalid value around character 0.") == "Invalid value around character 0.")
        #expect(ProjectFile.looksLikeSettingName("date_formt") && !ProjectFile.looksLikeSettingName("P0012345") && !ProjectFile.looksLikeSettingName("a@b.c"))
    }

    @Test("A missing project file is told apart from a wrong one")
    func missing() {
        do {
            _ = try ProjectFile.load(path: "/nonexistent/cof.json")
            Issue.record("expected a failure")
        } catch {
            #expect(error.isMissing)
        }
    }
}
