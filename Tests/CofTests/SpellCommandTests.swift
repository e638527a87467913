import Foundation
import Testing
import TestSupport

/// The hand-worked spells study of the library's `TimeAtRiskTests`, on disk.
private struct SpellFiles {
    let directory: TemporaryDirectory
    static let header = SpellEvents.header
    static let lines = SpellEvents.lines

    init() throws {
        directory = try TemporaryDirectory()
        _ = try directory.write("events.csv", Self.header + "\n" + Self.lines.joined(separator: "\n") + "\n")
        _ = try directory.write("interventions.csv", "person_id,start_date\nP1,2023-06-10\nP2,2023-05-01\nP3,2023-06-01\n")
        _ = try directory.write("unit-costs.csv", "service,event,unit_cost\nHostel,*,50\nPrison,*,100\nA&E,*,200\nDeaths,*,0\n")
        _ = try directory.write("services.csv", """
            service,category,agency,exposure
            Hostel,Housing,Council,
            Prison,Criminal justice,HMPPS,removes
            Deaths,Register,GRO,ends
            A&E,Health,NHS,

            """)
    }

    var tables: [String] {
        ["--interventions", directory.path("interventions.csv"), "--unit-costs", directory.path("unit-costs.csv"),
         "--services", directory.path("services.csv"), "--before", "3m", "--after", "3m", "--observation-end", "2023-08-31"]
    }
}

@Suite("cof with spells and time at risk")
struct SpellCommandTests {
    @Test("compare: nights in their windows, days at risk, a warning for events after death; partials merge to the same bytes")
    func compareAndMerge() throws {
        let files = try SpellFiles()
        let compare = try CofRunner.run(["compare", "--events", files.directory.path("events.csv")] + files.tables
                                        + ["--format", "csv", "--disclosure", "none"])
        try #require(compare.exitCode == 0, "\(compare)")
        let (_, rows) = try CSV.records(compare.out)
        let p1 = rows.filter { $0["person_id"] == "P1" }
        #expect(p1.map { $0["before_events"] } == ["6", "20"] && p1.map { $0["after_events"] } == ["5", "0"])
        #expect(rows.map { "\($0["person_id"]!) \($0["before_days"]!) \($0["after_days"]!)" }
                == ["P1 77 83", "P1 77 83", "P2 89 62", "P2 89 62", "P2 89 62", "P3 92 92"])
        #expect(compare.err.contains("events.csv: read 12 = loaded 12 + rejected 0"))
        // Standard error is not a terminal here, so its count of people is under the disclosure rule.
        #expect(compare.err.contains("fewer than 8 treated people have events dated after their death"))
        let parts = PersonSplit.texts(header: SpellFiles.header, lines: SpellFiles.lines, parts: 3, seed: 5)
        let partials = try parts.enumerated().map { index, text in
            let path = files.directory.path("part-\(index).partial")
            let result = try CofRunner.run(["partial"] + files.tables + ["--output", path], stdin: Data(text.utf8))
            try #require(result.exitCode == 0, "\(result)")
            return path
        }
        let merge = try CofRunner.run(["merge"] + partials + ["--format", "csv", "--disclosure", "none"])
        try #require(merge.exitCode == 0, "\(merge)")
        #expect(merge.stdout == compare.stdout)
    }

    @Test("A spell that ends before it starts is a bad row with its line and column, and rejected rows still reconcile")
    func badSpell() throws {
        let files = try SpellFiles()
        let events = try files.directory.write("bad.csv", SpellFiles.header + "\nP1,Hostel,night,2023-06-13,,,2023-06-07\nP3,A&E,attendance,2023-06-05,,,\n")
        let failed = try CofRunner.run(["compare", "--events", events] + files.tables + ["--format", "csv", "--disclosure", "none"])
        #expect(failed.exitCode == 65)
        #expect(failed.err.contains("bad.csv:2: record 2, column 'end_date': bad spell: the end date is before the start date"), "\(failed)")
        let rejected = try CofRunner.run(["compare", "--events", events] + files.tables
                                         + ["--format", "csv", "--disclosure", "none", "--on-error", "reject"])
        #expect(rejected.exitCode == 0, "\(rejected)")
        #expect(rejected.err.contains("bad.csv: read 2 = loaded 1 + rejected 1"), "\(rejected)")
    }
}
