import Foundation
import Testing

/// Data that tries to act on the reader's screen (a terminal escape sequence, a bidirectional
/// override), through every output a person reads, and messages that must not quote the data.
@Suite("cof: text from the data never acts on a screen, and messages quote no data unless asked")
struct HostileTextTests {
    /// ESC [ 2 J clears a terminal; U+202E shows the rest of the ID reversed.
    static let service = "Police\u{1B}[2J"
    static let person = "P1\u{202E}987"
    static let rawCharacters: [Unicode.Scalar] = ["\u{1B}", "\u{202E}"]

    /// An events file and an interventions file in `directory` with the hostile service and ID.
    func hostileStudy(_ directory: TemporaryDirectory, service: String = service) throws -> [String] {
        let events = try directory.write("events.csv", """
            person_id,service,event,date,quantity,cost
            \(Self.person),\(service),arrest,2023-05-01,1,120.00
            \(Self.person),\(service),arrest,2023-09-01,1,120.00
            P2,A&E,attendance,2023-06-01,1,80.00

            """)
        let interventions = try directory.write("interventions.csv", "person_id,start_date\n\(Self.person),2023-07-01\nP2,2023-07-01\n")
        return ["--events", events, "--interventions", interventions, "--before", "6m", "--after", "6m", "--observation-end", "2024-01-31"]
    }

    func raw(in text: String) -> [Unicode.Scalar] {
        Self.rawCharacters.filter { text.unicodeScalars.contains($0) }
    }

    @Test("compare's terminal table and standard error: escapes, never the raw bytes")
    func terminal() throws {
        let directory = try TemporaryDirectory()
        let result = try CofRunner.run(["compare"] + hostileStudy(directory))
        try #require(result.exitCode == 0, "\(result)")
        #expect(raw(in: result.out).isEmpty)
        #expect(raw(in: result.err).isEmpty)
        #expect(result.out.contains("Police\\x1B[2J"))
        #expect(result.out.contains("P1\\u{202E}987"))
    }

    @Test("report --html and report's text: escapes, never the raw characters")
    func html() throws {
        let directory = try TemporaryDirectory()
        let text = try CofRunner.run(["report"] + hostileStudy(directory) + ["--person", Self.person])
        try #require(text.exitCode == 0, "\(text)")
        #expect(raw(in: text.out).isEmpty)
        #expect(text.out.contains("Cost of failure: P1\\u{202E}987"))
        #expect(text.out.contains("Police\\x1B[2J"))
        let page = directory.path("report.html")
        let result = try CofRunner.run(["report"] + hostileStudy(directory) + ["--person", Self.person, "--html", page, "--raw-ids"])
        try #require(result.exitCode == 0, "\(result)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(raw(in: html).isEmpty)
        #expect(raw(in: result.err).isEmpty)
        #expect(html.contains("Police\\x1B[2J"))
        #expect(html.contains("P1\\u{202E}987"))
    }

    /// The parts of the workbook at `path`.
    func parts(_ path: String) throws -> [String: String] {
        try workbookParts(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test("export --format xlsx: escapes in the shared strings, no raw character in any part")
    func workbook() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("pack.xlsx")
        let result = try CofRunner.run(["export"] + hostileStudy(directory) + ["--format", "xlsx", "--output", path])
        try #require(result.exitCode == 0, "\(result)")
        let parts = try parts(path)
        for (name, part) in parts { #expect(raw(in: part).isEmpty, "\(name)") }
        #expect(parts["xl/sharedStrings.xml"]?.contains("Police\\x1B[2J") == true)
    }

    @Test("a 40,000-character service name: the workbook cell is cut to Excel's limit, with a warning naming the sheet and column, not the value")
    func longServiceName() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("pack.xlsx")
        let name = "Service" + String(repeating: "x", count: 40_000 - 7)
        let result = try CofRunner.run(["export"] + hostileStudy(directory, service: name) + ["--format", "xlsx", "--output", path])
        try #require(result.exitCode == 0, "\(result)")
        #expect(result.err.contains("cof: warning: sheet 'cohort_by_service', column 'service': 1 cell longer than Excel's 32,767 characters, cut to fit (ending with …)"))
        #expect(!result.err.contains("Servicexxx"))
        let strings = try #require(try parts(path)["xl/sharedStrings.xml"])
        let cells = strings.components(separatedBy: "<t>").dropFirst().map { $0.components(separatedBy: "</t>")[0] }
        #expect(cells.contains { $0.hasPrefix("Servicexxx") && $0.hasSuffix("…") && $0.utf16.count == 32_767 })
        #expect(!cells.contains { $0.utf16.count > 32_767 })
    }

    @Test("a file without a header row: the first row's cells only with --show-values")
    func headerlessFile() throws {
        let directory = try TemporaryDirectory()
        var arguments = try hostileStudy(directory)
        arguments[1] = try directory.write("headerless.csv", "SECRET-4242,A&E,attendance,2023-05-01,1,80.00\n")
        let hidden = try CofRunner.run(["compare"] + arguments)
        let shown = try CofRunner.run(["compare"] + arguments + ["--show-values"])
        #expect(hidden.exitCode == 65 && shown.exitCode == 65)
        #expect(!hidden.err.contains("SECRET-4242"))
        #expect(hidden.err.contains("headerless.csv:1: record 1, column 'person_id': missing column: expected a column named 'person_id' in the header; the first row does not look like a header (6 fields); expected columns: person_id, service, event, date, quantity, cost, end_date; give --show-values to see it"))
        #expect(shown.err.contains("the first row does not look like a header (6 fields): 'SECRET-4242', 'A&E', 'attendance', '2023-05-01', '1', '80.00'; expected columns"))
    }

    @Test("a header-less interventions file: the same")
    func headerlessInterventions() throws {
        let directory = try TemporaryDirectory()
        var arguments = try hostileStudy(directory)
        arguments[3] = try directory.write("interventions.csv", "SECRET-4242,2023-07-01\n")
        let hidden = try CofRunner.run(["compare"] + arguments)
        let shown = try CofRunner.run(["compare"] + arguments + ["--show-values"])
        #expect(hidden.exitCode == 65 && shown.exitCode == 65)
        #expect(!hidden.err.contains("SECRET-4242"))
        #expect(hidden.err.contains("the first row does not look like a header (2 fields); expected columns: person_id, start_date, end_date, programme, cost; give --show-values to see it"))
        #expect(shown.err.contains("'SECRET-4242', '2023-07-01'"))
    }

    @Test("the events CSV given as the project file: its text only with --show-values")
    func projectFileIsACSV() throws {
        let directory = try TemporaryDirectory()
        let events = try directory.write("events.csv", "SECRET-4242,A&E,attendance,2023-05-01\n")
        let hidden = try CofRunner.run(["compare", "--project", events])
        let shown = try CofRunner.run(["compare", "--project", events, "--show-values"])
        #expect(hidden.exitCode == 65 && shown.exitCode == 65)
        #expect(!hidden.err.contains("SECRET"))
        #expect(hidden.err.contains("not a project file: expected a JSON object"))
        #expect(hidden.err.contains("give --show-values to see its first line"))
        #expect(shown.err.contains("its first line: 'SECRET-4242,A&E,attendance,2023-05-01'"))

        // A JSON file keyed by person IDs: the key is not quoted either.
        let keyed = try directory.write("people.json", #"{"sources": [], "SECRET-4242": {"visits": 3}}"#)
        let keyHidden = try CofRunner.run(["compare", "--project", keyed])
        #expect(keyHidden.exitCode == 65)
        #expect(!keyHidden.err.contains("SECRET"))
        #expect(keyHidden.err.contains("<a key that is not a setting name; give --show-values to see it>: unknown key"))
        #expect(try CofRunner.run(["compare", "--project", keyed, "--show-values"]).err.contains("SECRET-4242: unknown key"))
        // A misspelt setting is still named.
        let typo = try directory.write("typo.json", #"{"sources": [], "befor": "6m"}"#)
        #expect(try CofRunner.run(["compare", "--project", typo]).err.contains("typo.json: befor: unknown key"))
    }

    @Test("--show-values says in its help that it may print personal data")
    func help() throws {
        let help = try CofRunner.run(["compare", "--help"])
        #expect(help.out.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ").contains("may print personal data"))
    }
}
