import Foundation
import Testing

/// The table format fitted to the screen: the terminal's width, `COLUMNS` when set, 80 on a
/// terminal that does not say; into a pipe or a file with no `COLUMNS`, every row on one line.
/// The machine formats do not change.
@Suite("screen width")
struct ScreenWidthCommandTests {
    /// The widest line of `text`, in characters (John's data has no wide characters), leaving out
    /// the bold and dim escapes and, on a terminal, the lines standard error's notes and warnings
    /// showed (`cof: …`, not fitted: they are sentences the terminal wraps).
    static func widest(_ text: String) -> Int {
        text.replacing(/\x1B\[[0-9;]*m/, with: "").split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("cof: ") }.map(\.count).max() ?? 0
    }

    /// `COLUMNS` set to nothing: ignored, as if unset, whatever the test's own environment says.
    static let noColumns = ["COLUMNS": ""]

    @Test("COLUMNS=60: no line of the table format is wider than 60", arguments: [
        ["compare", "--by", "cohort"], ["compare"], ["compare", "--by", "service"],
        ["export", "--table", "cohort", "--format", "table"], ["export", "--table", "by-agency", "--format", "table"],
        ["export", "--table", "finance", "--format", "table"], ["report"], ["report", "--person", "JOHN-0001"],
    ])
    func sixty(command: [String]) throws {
        let result = try CofRunner.run(command + CofRunner.johnStudy(services: true) + ["--quiet"], environment: ["COLUMNS": "60"])
        try #require(result.exitCode == 0, "\(result)")
        #expect(!result.stdout.isEmpty)
        #expect(Self.widest(result.out) <= 60, "\(result.out)")
    }

    @Test("cof validate's report wraps its long lines at spaces to COLUMNS, a date format kept whole")
    func validate() throws {
        let directory = try TemporaryDirectory()
        let events = try directory.write("bad.csv", "person_id,service,event,date,quantity,cost\nX,A&E,attend,2023-02-30,,\n")
        let narrow = try CofRunner.run(["validate", "--events", events, "--quiet"], environment: ["COLUMNS": "50"])
        #expect(narrow.exitCode == 65, "\(narrow)")
        #expect(Self.widest(narrow.out) <= 50, "\(narrow.out)")
        #expect(narrow.out.contains("YYYY-MM-DD"))
        let unset = try CofRunner.run(["validate", "--events", events, "--quiet"], environment: Self.noColumns)
        #expect(Self.widest(unset.out) > 50)
    }

    @Test("a one-row table is label/value lines at 60 columns, one line with no width")
    func oneRow() throws {
        let arguments = ["compare", "--by", "cohort", "--no-suppression"] + CofRunner.johnStudy(services: true) + ["--quiet"]
        let fitted = try CofRunner.run(arguments, environment: ["COLUMNS": "60"])
        try #require(fitted.exitCode == 0, "\(fitted)")
        let lines = fitted.out.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("before cost ") && $0.hasSuffix("£171,199.29") }, "\(fitted.out)")
        #expect(lines.contains { $0.hasPrefix("people ") && $0.hasSuffix(" 1") }, "\(fitted.out)")
        // Into a pipe with no COLUMNS: the table as it always was, its row on one line.
        let piped = try CofRunner.run(arguments, environment: Self.noColumns)
        try #require(piped.exitCode == 0, "\(piped)")
        #expect(Self.widest(piped.out) > 300)
        #expect(piped.out.contains("£171,199.29"))
    }

    @Test("on a terminal: exact figures fitted to COLUMNS when the terminal does not say its width, else to 80")
    func terminal() throws {
        let arguments = ["compare", "--by", "service", "--quiet"] + CofRunner.johnStudy(services: true)
        // `script` gives cof a pseudo-terminal nobody has sized (0 columns), as a serial console might.
        let fifty = try CofRunner.runOnTerminal(arguments, environment: ["COLUMNS": "50"])
        try #require(fifty.exitCode == 0, "\(fifty)")
        #expect(!fifty.out.contains("[c]") && fifty.out.contains("£31,668.00"), "\(fifty)")
        #expect(Self.widest(fifty.out) <= 50, "\(fifty.out)")
        let unsaid = try CofRunner.runOnTerminal(arguments, environment: Self.noColumns)
        try #require(unsaid.exitCode == 0, "\(unsaid)")
        #expect(Self.widest(unsaid.out) <= 80, "\(unsaid.out)")
        #expect(Self.widest(unsaid.out) > 50)
    }

    @Test("a COLUMNS that is not a positive number is ignored", arguments: ["", "0", "-5", "wide", "60x"])
    func badColumns(columns: String) throws {
        let arguments = ["compare", "--by", "cohort"] + CofRunner.johnStudy(services: true) + ["--quiet"]
        let result = try CofRunner.run(arguments, environment: ["COLUMNS": columns])
        let unlimited = try CofRunner.run(arguments, environment: Self.noColumns)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == unlimited.stdout)
    }

    @Test("the machine formats are the same bytes whatever COLUMNS says", arguments: ["csv", "json", "md"])
    func machineFormats(format: String) throws {
        for command in [["compare"], ["compare", "--by", "service"], ["export", "--table", "by-agency"]] {
            let arguments = command + ["--format", format] + CofRunner.johnStudy(services: true) + ["--quiet"]
            let narrow = try CofRunner.run(arguments, environment: ["COLUMNS": "40"])
            let unset = try CofRunner.run(arguments, environment: Self.noColumns)
            #expect(narrow.exitCode == 0, "\(narrow)")
            #expect(narrow.stdout == unset.stdout, "\(command) \(format)")
            #expect(Self.widest(narrow.out) > 40)
        }
    }

    @Test("withheld cells keep their markers at any width: as many [c] at 40 columns as in one line each")
    func markers() throws {
        let arguments = ["export", "--project", CofRunner.fixture("cof.json"), "--table", "by-agency", "--format", "table", "--quiet"]
        let fitted = try CofRunner.run(arguments, environment: ["COLUMNS": "40"])
        let unlimited = try CofRunner.run(arguments, environment: Self.noColumns)
        try #require(fitted.exitCode == 0 && unlimited.exitCode == 0, "\(fitted)")
        let count = { (text: String) in text.components(separatedBy: "[c]").count - 1 }
        #expect(count(unlimited.out) > 0)
        #expect(count(fitted.out) == count(unlimited.out))
        #expect(Self.widest(fitted.out) <= 40, "\(fitted.out)")
    }
}
