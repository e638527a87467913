import Foundation
import Testing

/// `Fixtures/<relative>` as an absolute path.
private func anyFixture(_ relative: String) -> String {
    CofRunner.repositoryRoot.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
}

@Suite("cof with a project file, the reject policy and validate")
struct ProjectAndRejectsTests {
    @Test("--project gives the same comparison as the flags on the single events file, with a reconciliation per source")
    func projectMatchesFlags() throws {
        let project = try CofRunner.run(["compare", "--project", CofRunner.fixture("cof.json"), "--format", "csv"])
        let flags = try CofRunner.run(["compare"] + CofRunner.johnStudy() + ["--format", "csv"])
        #expect(project.exitCode == 0, "\(project)")
        #expect(project.out == flags.out)
        #expect(project.errLines.filter { $0.contains(": read ") }.count == 11)
        #expect(project.err.contains("council-housing.csv: read 116 = loaded 113 + rejected 0 (+ blank 3)"))
    }

    @Test("Flags override the project file")
    func flagsOverride() throws {
        let result = try CofRunner.run(["compare", "--project", CofRunner.fixture("cof.json"), "--before", "10y", "--format", "csv", "--quiet"])
        #expect(result.exitCode == 0, "\(result)")
        let ae = try #require(try CSV.records(result.out).rows.first { $0["service"] == "A&E" })
        #expect(ae["before_days"] == "3652")
        #expect(ae["after_days"] == "336")
    }

    @Test("--on-error reject loads the good rows, writes every reject with its position, and reconciles")
    func rejectPolicy() throws {
        let directory = try TemporaryDirectory()
        let events = try directory.write("events.csv", """
            person_id,service,event,date,quantity,cost
            JOHN-0001,A&E,attendance,2023-01-10,,
            JOHN-0001,A&E,attendance,31/02/2023,,
            JOHN-0001,A&E,"attendance
            (walk-in)",2023-01-11,,
            JOHN-0001,A&E,attendance,2023-01-12,0,

            JOHN-0001,A&E,attendance,2023-01-13,,
            """)
        let rejects = directory.path("rejects.csv")
        let result = try CofRunner.run(["compare"] + CofRunner.johnStudy(events: events)
                                       + ["--on-error", "reject", "--rejects", rejects, "--format", "csv"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.err.contains("events.csv: read 6 = loaded 3 + rejected 2 (+ blank 1)"), "\(result)")
        let written = try CSV.parse(String(contentsOfFile: rejects, encoding: .utf8))
        #expect(written.first == ["file", "line", "record", "column", "kind", "message"])
        #expect(written.dropFirst().map { [$0[1], $0[2], $0[3], $0[4]] } == [["3", "3", "date", "bad_date"], ["6", "5", "quantity", "bad_quantity"]])
        let ae = try #require(try CSV.records(result.out).rows.first { $0["service"] == "A&E" })
        #expect(ae["before_events"] == "3")
    }

    @Test("Without --rejects, a per-kind summary goes to stderr; --max-rejects stops the run")
    func rejectSummaryAndLimit() throws {
        let directory = try TemporaryDirectory()
        let events = try directory.write("events.csv", "person_id,service,event,date\nJOHN-0001,A&E,attendance,2023-02-30\nJOHN-0001,A&E,attendance,2023-02-31\n")
        let summary = try CofRunner.run(["compare"] + CofRunner.johnStudy(events: events) + ["--on-error", "reject"])
        #expect(summary.exitCode == 0, "\(summary)")
        #expect(summary.err.contains("2 rows rejected"))
        #expect(summary.err.contains("bad_date: 2"))
        let limited = try CofRunner.run(["compare"] + CofRunner.johnStudy(events: events) + ["--on-error", "reject", "--max-rejects", "1"])
        #expect(limited.exitCode == 65)
        #expect(limited.err.contains("too many rejected rows"))
        let misuse = try CofRunner.run(["compare"] + CofRunner.johnStudy(events: events) + ["--rejects", directory.path("r.csv")])
        #expect(misuse.exitCode == 64)
    }

    @Test("--show-values quotes the cell only when asked")
    func showValues() throws {
        let directory = try TemporaryDirectory()
        let events = try directory.write("events.csv", "person_id,service,event,date\nSECRET-77,A&E,attendance,2023-02-30\n")
        let hidden = try CofRunner.run(["compare"] + CofRunner.johnStudy(events: events))
        let shown = try CofRunner.run(["compare"] + CofRunner.johnStudy(events: events) + ["--show-values"])
        #expect(hidden.exitCode == 65 && shown.exitCode == 65)
        #expect(!hidden.err.contains("2023-02-30"))
        #expect(shown.err.contains("found '2023-02-30'"))
    }

    @Test("validate: exit 0 on John's project, 65 on malformed files, JSON that parses")
    func validate() throws {
        let clean = try CofRunner.run(["validate", "--project", CofRunner.fixture("cof.json"), "--format", "json"])
        #expect(clean.exitCode == 0, "\(clean)")
        let report = try #require(try JSONSerialization.jsonObject(with: clean.stdout) as? [String: Any])
        #expect(report["clean"] as? Bool == true)
        #expect((report["sources"] as? [Any])?.count == 11)
        // Into a pipe a count of one person is withheld; exact only when asked for.
        #expect(report["people_without_intervention"] as? String == "[c]")
        let exact = try CofRunner.run(["validate", "--project", CofRunner.fixture("cof.json"), "--format", "json", "--disclosure", "none"])
        let exactReport = try #require(try JSONSerialization.jsonObject(with: exact.stdout) as? [String: Any])
        #expect(exactReport["people_without_intervention"] as? Int == 1)

        let dirty = try CofRunner.run(["validate", "--events", anyFixture("malformed/bad_amount.csv"),
                                       "--events", anyFixture("malformed/stray_quote.csv"), "--events", anyFixture("dialects/crlf.csv")])
        #expect(dirty.exitCode == 65, "\(dirty)")
        #expect(dirty.out.contains("bad_number: 1"))
        #expect(dirty.out.contains("bad_quoting: 1"))
        #expect(dirty.out.contains("stray_quote.csv:3: record 3, column 'event'"))
        #expect(dirty.out.contains("not clean: 2 rows rejected"))
    }

    @Test("--by cohort and --by category: one headline row, and categories whose costs add up to the person rows'")
    func cohortBreakdowns() throws {
        // Exact figures (--disclosure none): the sums below are checked to the penny.
        let cohort = try CofRunner.run(["compare", "--project", CofRunner.fixture("cof.json"), "--by", "cohort", "--format", "csv", "--quiet", "--disclosure", "none"])
        #expect(cohort.exitCode == 0, "\(cohort)")
        let lines = cohort.out.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("people,person_years_before,person_years_after,before_cost,after_cost,") == true)
        #expect(lines.last?.hasPrefix("1,0.50,0.92,") == true)  // John: 181 and 336 days
        let byCategory = try CofRunner.run(["compare", "--project", CofRunner.fixture("cof.json"), "--by", "category", "--format", "csv", "--quiet", "--disclosure", "none"])
        let persons = try CofRunner.run(["compare", "--project", CofRunner.fixture("cof.json"), "--format", "csv", "--quiet"])
        // The money adds up over the (person, service) rows priced in both windows (PricedCells):
        // John's Housing options, with unpriced events, is left out of both windows.
        func sum(_ csv: String, column: String, pricedInBothOnly: Bool = false) -> Int {
            let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            guard let header = rows.first, let index = header.firstIndex(of: column) else { return -1 }
            let unpriced = ["before_unpriced", "after_unpriced"].compactMap { header.firstIndex(of: $0) }
            return rows.dropFirst().filter { row in !pricedInBothOnly || unpriced.allSatisfy { row[$0] == "0" } }
                .reduce(0) { $0 + Int(($1[index]).replacingOccurrences(of: ".", with: ""))! }
        }
        #expect(sum(byCategory.out, column: "before_cost") == sum(persons.out, column: "before_cost", pricedInBothOnly: true))
        #expect(sum(byCategory.out, column: "after_cost") == sum(persons.out, column: "after_cost", pricedInBothOnly: true))
        #expect(sum(persons.out, column: "before_cost", pricedInBothOnly: true) < sum(persons.out, column: "before_cost"))
        #expect(sum(byCategory.out, column: "left_out_events") == 6)  // Housing options: 3 events before, 3 after
    }

    @Test("cof export CSV is for Excel by default (byte-order mark, CRLF); --csv-plain is for pipelines; md is Markdown")
    func exportFormats() throws {
        let base = ["export", "--project", CofRunner.fixture("cof.json"), "--table", "by-category", "--quiet"]
        let excel = try CofRunner.run(base + ["--format", "csv"])
        #expect(excel.exitCode == 0, "\(excel)")
        #expect(excel.stdout.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(excel.out.contains("\r\n"))
        let plain = try CofRunner.run(base + ["--format", "csv", "--csv-plain"])
        #expect(!plain.stdout.starts(with: [0xEF, 0xBB, 0xBF]) && !plain.out.contains("\r"))
        #expect(plain.out.hasPrefix("category,people,before_events,"))
        let markdown = try CofRunner.run(base + ["--format", "md"])
        #expect(markdown.out.contains("| category | people |"))
    }

    @Test("top users: no key is a usage error; a key gives keyed pseudonyms; --raw-ids gives IDs")
    func pseudonyms() throws {
        let base = ["export", "--project", CofRunner.fixture("cof.json"), "--table", "top-users", "--top", "1", "--format", "csv", "--csv-plain", "--quiet"]
        let noKey = try CofRunner.run(base)
        #expect(noKey.exitCode == 64, "\(noKey)")
        #expect(noKey.err.contains("COF_PSEUDONYM_KEY"))
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("cof-key-\(UUID().uuidString)").path
        try Data("0123456789abcdef-test-key\n".utf8).write(to: URL(fileURLWithPath: keyFile))
        let keyed = try CofRunner.run(base + ["--pseudonym-key-file", keyFile])
        #expect(keyed.exitCode == 0, "\(keyed)")
        #expect(keyed.out.contains(",a0e458965c980a82,") && !keyed.out.contains("JOHN-0001"))
        let raw = try CofRunner.run(base + ["--raw-ids"])
        #expect(raw.out.contains(",JOHN-0001,"))
    }

    @Test("exports suppress small numbers by default; --no-suppression says so; the screen shows exact figures")
    func suppression() throws {
        let base = ["export", "--project", CofRunner.fixture("cof.json"), "--table", "by-agency", "--quiet"]
        let csv = try CofRunner.run(base + ["--format", "csv", "--csv-plain"])
        #expect(csv.exitCode == 0, "\(csv)")
        #expect(csv.out.contains("[c]") && csv.out.firstMatch(of: /£[1-9]/) == nil)
        let exact = try CofRunner.run(base + ["--format", "csv", "--csv-plain", "--no-suppression"])
        #expect(!exact.out.contains("[c]"))
        #expect(exact.err.contains("disclosure control is off"))
        let markdown = try CofRunner.run(base + ["--format", "md", "--no-suppression"])
        #expect(markdown.out.contains("UNSUPPRESSED"))
        // The table format into a pipe is protected like any other; only a terminal is exact.
        let piped = try CofRunner.run(base)
        #expect(piped.out.contains("[c]") && piped.out.firstMatch(of: /£[1-9]/) == nil)
        let screen = try CofRunner.runOnTerminal(base)
        #expect(!screen.out.contains("[c]") && screen.out.contains("£"), "\(screen)")
        #expect(screen.out.contains("exact figures, for this screen only"))
    }
}
