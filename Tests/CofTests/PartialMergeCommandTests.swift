import Foundation
import Testing
import TestSupport

/// A generated dataset on disk and the study options over it (also for `TopUsersPartialMergeCommandTests`).
struct GeneratedFiles {
    let directory: TemporaryDirectory
    let header: String
    let lines: [Substring]

    init(events: Int, seed: UInt64, comparisonShare: Double = 0) throws {
        directory = try TemporaryDirectory()
        let result = try CofRunner.run(["generate", "--events", "\(events)", "--seed", "\(seed)", "--output-dir", directory.url.path]
                                       + (comparisonShare > 0 ? ["--comparison-share", "\(comparisonShare)"] : []))
        try #require(result.exitCode == 0, "\(result)")
        let text = try String(contentsOfFile: directory.path("events.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n")
        header = String(lines.removeFirst())
        self.lines = lines
    }

    /// Everything but the events.
    var tables: [String] {
        ["--interventions", directory.path("interventions.csv"), "--unit-costs", directory.path("unit-costs.csv"),
         "--services", directory.path("services.csv"), "--before", "12m", "--after", "6m", "--observation-end", "2023-09-30"]
    }

    /// The events split by person into `parts` at random, as standard inputs: even parts with
    /// a header, odd ones without, the second with CRLF line ends.
    func split(into parts: Int, seed: UInt64) -> [Data] {
        PersonSplit.texts(header: header, lines: lines, parts: parts, seed: seed).map { Data($0.utf8) }
    }

    /// Runs `cof partial` on each standard input and returns the partial files (`name`-N.partial).
    func partials(_ inputs: [Data], extra: [String] = [], name: String = "part") throws -> [String] {
        try inputs.enumerated().map { index, stdin in
            let path = directory.path("\(name)-\(index).partial")
            let result = try CofRunner.run(["partial"] + tables + extra + ["--output", path], stdin: stdin)
            try #require(result.exitCode == 0, "\(result)")
            return path
        }
    }
}

@Suite("cof partial and cof merge")
struct PartialMergeCommandTests {
    @Test("Random splits by person through the cof binary: merge gives compare's bytes, every table",
          arguments: [(21, 3), (22, 6)] as [(UInt64, Int)])
    func mergeEqualsCompare(seed: UInt64, parts: Int) throws {
        let files = try GeneratedFiles(events: 8_000, seed: seed)
        let partials = try files.partials(files.split(into: parts, seed: seed))
        let events = ["--events", files.directory.path("events.csv")]
        for by in ["person", "cohort", "service", "category", "agency"] {
            let compare = try CofRunner.run(["compare"] + events + files.tables + ["--by", by, "--format", "csv"])
            let merge = try CofRunner.run(["merge"] + partials + ["--by", by, "--format", "csv"])
            try #require(compare.exitCode == 0 && merge.exitCode == 0, "\(compare)\n\(merge)")
            #expect(compare.stdout.count > 100)
            #expect(merge.stdout == compare.stdout, "--by \(by)")
        }
        // Standard error says what compare says, the reconciliation summed over the partials.
        let compare = try CofRunner.run(["compare"] + events + files.tables + ["--format", "csv"])
        let merge = try CofRunner.run(["merge"] + partials + ["--format", "csv"])
        #expect(merge.errLines.first == "cof: <stdin>: read \(files.lines.count) = loaded \(files.lines.count) + rejected 0 (summed over \(parts) partials)")
        // But for compare's coverage of the cohort by source: a partial reads one stream of events
        // (standard input), not the agencies' sources, so merge has no per-source coverage to state.
        // Nor which shipped unit costs the generated file replaced: a merge does not read the file.
        #expect(Array(merge.errLines.dropFirst()) == Array(compare.errLines.dropFirst()).filter {
            !$0.contains("people outside the cohort") && !$0.hasPrefix("cof: unit costs: your file replaces")
        })
        #expect(compare.err.contains("Housing options / advice contact"))
        // cof export's cohort tables, suppressed after the merge.
        for table in ["cohort", "by-service"] {
            let export = try CofRunner.run(["export"] + events + files.tables + ["--table", table, "--format", "csv"])
            let merged = try CofRunner.run(["merge"] + partials + ["--table", table, "--format", "csv"])
            try #require(export.exitCode == 0 && merged.exitCode == 0, "\(export)\n\(merged)")
            #expect(merged.stdout == export.stdout, "--table \(table)")
        }
        // Every table cof export folds, and the finance pack, given the tables the partials were
        // made with: the bytes cof export writes from the events, the caveats said the same way.
        for table in ["financial-years", "intervention-by-year", "appraisal", "use-change", "trajectory", "by-agency"] {
            let export = try CofRunner.run(["export"] + events + files.tables + ["--table", table, "--format", "csv", "--discount-rate", "3%"])
            let merged = try CofRunner.run(["merge"] + partials + files.tables + ["--table", table, "--format", "csv", "--discount-rate", "3%"])
            try #require(export.exitCode == 0 && merged.exitCode == 0, "\(export)\n\(merged)")
            // (The generated data records no intervention costs: that table is its header.)
            #expect(export.stdout.count > (table == "intervention-by-year" ? 40 : 100), "--table \(table)")
            #expect(merged.stdout == export.stdout, "--table \(table)")
            #expect(merged.errLines.filter { !$0.contains("events.csv") && !$0.contains("<stdin>") && !$0.contains("people outside the cohort") }
                    == export.errLines.filter { !$0.contains("events.csv") && !$0.contains("people outside the cohort") }, "--table \(table)")
        }
        let pack = try CofRunner.run(["export"] + events + files.tables + ["--table", "finance", "--format", "json"])
        let mergedPack = try CofRunner.run(["merge"] + partials + files.tables + ["--table", "finance", "--format", "json"])
        try #require(pack.exitCode == 0 && mergedPack.exitCode == 0, "\(pack)\n\(mergedPack)")
        #expect(mergedPack.stdout == pack.stdout)
        let workbook = files.directory.path("merged.xlsx")
        let mergedWorkbook = try CofRunner.run(["merge"] + partials + files.tables + ["--format", "xlsx", "--output", workbook])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: workbook))
        #expect(mergedWorkbook.exitCode == 0 && bytes.starts(with: [0x50, 0x4B]), "\(mergedWorkbook)")
        // The cohort's report: the protected text cof report writes, and the HTML report, whose
        // provenance names the partials.
        let report = try CofRunner.run(["report"] + events + files.tables + ["--discount-rate", "3%"])
        let mergedReport = try CofRunner.run(["merge"] + partials + files.tables + ["--report", "--discount-rate", "3%"])
        try #require(report.exitCode == 0 && mergedReport.exitCode == 0, "\(report)\n\(mergedReport)")
        #expect(report.stdout.count > 1_000 && mergedReport.stdout == report.stdout)
        let html = files.directory.path("merged.html")
        let mergedHTML = try CofRunner.run(["merge"] + partials + files.tables + ["--html", html])
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(mergedHTML.exitCode == 0 && page.contains("\(parts) partials of cof partial, merged by cof merge"), "\(mergedHTML)")
    }

    @Test("Partials with the comparison group's candidates: merge gives cof export's and cof report's bytes with a comparison group, given or matched",
          arguments: [(31, 3)] as [(UInt64, Int)])
    func comparisonGroupThroughPartials(seed: UInt64, parts: Int) throws {
        let files = try GeneratedFiles(events: 8_000, seed: seed, comparisonShare: 0.2)
        let partials = try files.partials(files.split(into: parts, seed: seed), extra: ["--comparison-candidates"], name: "candidates")
        let events = ["--events", files.directory.path("events.csv")], given = ["--comparison", files.directory.path("comparison.csv")]
        for (group, tables) in [(given, ["did", "placebo", "balance", "appraisal"]), (["--match-comparison"], ["did", "balance"])] {
            for table in tables {
                let export = try CofRunner.run(["export"] + events + files.tables + group + ["--table", table, "--format", "csv", "--resamples", "200"])
                let merged = try CofRunner.run(["merge"] + partials + files.tables + group + ["--table", table, "--format", "csv", "--resamples", "200"])
                try #require(export.exitCode == 0 && merged.exitCode == 0, "\(export)\n\(merged)")
                #expect(export.stdout.count > 100, "--table \(table)")
                #expect(merged.stdout == export.stdout, "--table \(table) \(group)")
            }
        }
        // The finance pack with the comparison group's sheets, and the report with its difference in differences.
        let pack = try CofRunner.run(["export"] + events + files.tables + given + ["--table", "finance", "--format", "json", "--resamples", "200"])
        let mergedPack = try CofRunner.run(["merge"] + partials + files.tables + given + ["--table", "finance", "--format", "json", "--resamples", "200"])
        try #require(pack.exitCode == 0 && mergedPack.exitCode == 0, "\(pack)\n\(mergedPack)")
        #expect(mergedPack.stdout == pack.stdout && pack.out.contains("difference_in_differences"))
        let report = try CofRunner.run(["report"] + events + files.tables + ["--match-comparison", "--resamples", "200"])
        let mergedReport = try CofRunner.run(["merge"] + partials + files.tables + ["--match-comparison", "--report", "--resamples", "200"])
        try #require(report.exitCode == 0 && mergedReport.exitCode == 0, "\(report)\n\(mergedReport)")
        #expect(mergedReport.stdout == report.stdout)
        #expect(mergedReport.errLines.contains { $0.hasPrefix("cof: comparison group: ") && $0.contains("matched to") })
        // The HTML report's tables are the single process's (its provenance names the partials).
        let (html, mergedHTML) = (files.directory.path("group.html"), files.directory.path("group-merged.html"))
        let page = try CofRunner.run(["report"] + events + files.tables + given + ["--resamples", "200", "--html", html])
        let mergedPage = try CofRunner.run(["merge"] + partials + files.tables + given + ["--resamples", "200", "--html", mergedHTML])
        try #require(page.exitCode == 0 && mergedPage.exitCode == 0, "\(page)\n\(mergedPage)")
        // Every table but each source's coverage, which a merge does not have, and the provenance, which names the partials.
        func tables(_ path: String) throws -> [String] {
            try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "<table").dropFirst()
                .compactMap { $0.components(separatedBy: "</table>").first }.filter { !$0.contains("Each event source") && !$0.contains("class=\"provenance\"") }
        }
        let (one, merged) = (try tables(html), try tables(mergedHTML))
        #expect(merged.contains { $0.contains("Difference in differences") } && merged.contains { $0.contains("Placebo test") })
        #expect(merged.count > 8 && merged == one)
        // Partials without the candidates cannot make a group, nor merge with partials that carry them.
        let plain = try files.partials(files.split(into: 2, seed: seed), name: "plain")
        let refused = try CofRunner.run(["merge"] + plain + files.tables + given + ["--table", "did", "--format", "csv"])
        #expect(refused.exitCode == 64 && refused.err.contains("make every partial with cof partial --comparison-candidates"), "\(refused)")
        let mixed = try CofRunner.run(["merge", plain[0], partials[1], "--format", "csv"])
        #expect(mixed.exitCode == 65 && mixed.err.contains("made with --comparison-candidates) and the other does not"), "\(mixed)")
        // A comparison group's partials carry no top users' state beside the candidates (as cof export's pack has none).
        let both = try CofRunner.run(["partial"] + files.tables + ["--comparison-candidates", "--top-users"], stdin: files.split(into: 1, seed: 1)[0])
        #expect(both.exitCode == 64 && both.err.contains("not both"), "\(both)")
        let noGroup = try CofRunner.run(["merge"] + partials + files.tables + ["--table", "did", "--format", "csv"])
        #expect(noGroup.exitCode == 64 && noGroup.err.contains("needs a comparison group"), "\(noGroup)")
    }

    @Test("A merge's export tables need the partials' own tables: refused without them, with others, or for tables that need everyone")
    func mergeNeedsTheSameTables() throws {
        let files = try GeneratedFiles(events: 3_000, seed: 25)
        let partials = try files.partials(files.split(into: 2, seed: 3))
        let without = try CofRunner.run(["merge"] + partials + ["--table", "financial-years", "--format", "csv"])
        #expect(without.exitCode == 64 && without.err.contains("needs the interventions, unit costs and services the partials were made with"), "\(without)")
        let otherWindow = files.tables.map { $0 == "6m" ? "9m" : $0 }
        let other = try CofRunner.run(["merge"] + partials + otherWindow + ["--table", "financial-years", "--format", "csv"])
        #expect(other.exitCode == 64 && other.err.contains("the partials were made with after 6m, not 9m"), "\(other)")
        let topUsers = try CofRunner.run(["merge"] + partials + files.tables + ["--table", "top-users", "--format", "csv"])
        #expect(topUsers.exitCode == 64 && topUsers.err.contains("table top-users needs the top users' state, which these partials do not carry: make every partial with cof partial --from DATE --to DATE"), "\(topUsers)")
    }

    @Test("No --observation-end: compare decides the last date the data covers and says so; a partial refuses without one and, given it, merges to compare's bytes",
          arguments: [(23, 4)] as [(UInt64, Int)])
    func defaultObservationEnd(seed: UInt64, parts: Int) throws {
        let files = try GeneratedFiles(events: 6_000, seed: seed)
        // Without --observation-end, and a 24-month after window that runs past the data for some.
        let tables = Array(files.tables.dropLast(2)).map { $0 == "6m" ? "24m" : $0 }
        let events = ["--events", files.directory.path("events.csv")]
        let compare = try CofRunner.run(["compare"] + events + tables + ["--format", "csv"])
        try #require(compare.exitCode == 0, "\(compare)")
        // The latest event of the generated data, as stated on standard error.
        let latest = files.lines.map { line in line.split(separator: ",", omittingEmptySubsequences: false)[3] }.max().map(String.init)
        let statement = try #require(compare.errLines.first { $0.hasPrefix("cof: observation end ") })
        #expect(statement == "cof: observation end \(latest ?? "?"): the last date the data covers (latest event); pass --observation-end to set it")
        #expect(compare.errLines.contains { $0.contains("after windows run past the observation end") })
        let end = String(statement.dropFirst("cof: observation end ".count).prefix(10))
        // cof validate states the same date for the whole data: the one to give every partial.
        let validate = try CofRunner.run(["validate"] + events)
        #expect(validate.errLines.contains(String(statement)), "\(validate)")
        let refused = try CofRunner.run(["partial"] + tables, stdin: files.split(into: parts, seed: seed)[0])
        #expect(refused.exitCode == 64)
        #expect(refused.err.contains("a partition cannot know the last date the whole data covers"))
        // Given that date (in the data's other form, dd/mm/yyyy), the partials merge to compare's bytes.
        let dmy = end.split(separator: "-").reversed().joined(separator: "/")
        let partials = try files.split(into: parts, seed: seed).enumerated().map { index, stdin in
            let path = files.directory.path("default-\(index).partial")
            let result = try CofRunner.run(["partial"] + tables + ["--observation-end", dmy, "--output", path], stdin: stdin)
            try #require(result.exitCode == 0, "\(result)")
            return path
        }
        for by in ["person", "cohort", "service"] {
            let one = try CofRunner.run(["compare"] + events + tables + ["--by", by, "--format", "csv"])
            let merged = try CofRunner.run(["merge"] + partials + ["--by", by, "--format", "csv"])
            try #require(one.exitCode == 0 && merged.exitCode == 0, "\(one)\n\(merged)")
            #expect(merged.stdout == one.stdout, "--by \(by)")
        }
        let export = try CofRunner.run(["export"] + events + tables + ["--table", "cohort", "--format", "csv"])
        let mergedExport = try CofRunner.run(["merge"] + partials + ["--table", "cohort", "--format", "csv"])
        #expect(mergedExport.stdout == export.stdout)
    }

    @Test("Merging in stages (--partial) gives the same bytes as merging at once")
    func stages() throws {
        let files = try GeneratedFiles(events: 4_000, seed: 23)
        let p = try files.partials(files.split(into: 4, seed: 1))
        let staged = files.directory.path("staged.partial")
        let first = try CofRunner.run(["merge", "--partial", "--output", staged, p[3], p[1]])
        try #require(first.exitCode == 0, "\(first)")
        let once = try CofRunner.run(["merge", "--format", "csv"] + p)
        let twice = try CofRunner.run(["merge", "--format", "csv", p[2], staged, p[0]])
        #expect(once.exitCode == 0 && twice.exitCode == 0)
        #expect(once.stdout == twice.stdout)
        #expect(twice.errLines.first?.hasSuffix("(summed over 4 partials)") == true)
    }

    @Test("A partition with no rows at all is a partial of no one")
    func zeroRows() throws {
        let files = try GeneratedFiles(events: 500, seed: 24)
        let result = try CofRunner.run(["partial"] + files.tables, stdin: Data())
        try #require(result.exitCode == 0, "\(result)")
        #expect(result.out.hasPrefix("cof-partial\t5\n"))
        // Every treated person is listed without events (a quiet record each), no rows.
        let lines = result.out.split(separator: "\n")
        let quiet = lines.count { $0.hasPrefix("quiet\t") }
        let end = try #require(lines.last)
        #expect(quiet > 0 && !lines.contains { $0.hasPrefix("person\t") || $0.hasPrefix("row\t") })
        #expect(end.hasPrefix("end\t\(quiet)\t0\tsha256:") && end.count == "end\t\(quiet)\t0\tsha256:".count + 64, "\(end)")
        let path = try files.directory.write("empty.partial", result.out)
        let merge = try CofRunner.run(["merge", path, "--format", "csv"])
        let empty = try files.directory.write("no-events.csv", files.header + "\n")
        let compare = try CofRunner.run(["compare", "--events", empty] + files.tables + ["--format", "csv"])
        #expect(merge.exitCode == 0 && merge.stdout == compare.stdout, "\(merge)")
    }

    @Test("A bad row stops cof partial with exit 65 and its position, never skipped")
    func badRow() throws {
        let files = try GeneratedFiles(events: 500, seed: 25)
        let stdin = files.lines.prefix(4).map { $0 + "\n" }.joined() + "P-SECRET-1,A&E,attendance,2023-02-30,,\n"
        let result = try CofRunner.run(["partial"] + files.tables, stdin: Data(stdin.utf8))
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.err.contains("<stdin>:5: record 5, column 'date': bad date"), "\(result)")
        #expect(!result.err.contains("P-SECRET-1"))
        #expect(result.stdout.isEmpty)
        // With --on-error reject it is counted by kind, and the merge says so.
        let rejecting = try CofRunner.run(["partial"] + files.tables + ["--on-error", "reject"], stdin: Data(stdin.utf8))
        try #require(rejecting.exitCode == 0, "\(rejecting)")
        let path = try files.directory.write("r.partial", rejecting.out)
        let merge = try CofRunner.run(["merge", path, "--format", "csv"])
        #expect(merge.err.contains("cof: <stdin>: read 5 = loaded 4 + rejected 1 (summed over 1 partial)"), "\(merge)")
        #expect(merge.err.contains("cof: warning:   bad_date: 1"), "\(merge)")
    }

    @Test("An edited partial is refused with exit 65 at its end record; an untouched one merges to its own bytes")
    func checksum() throws {
        let files = try GeneratedFiles(events: 2_000, seed: 27)
        let p = try files.partials(files.split(into: 2, seed: 5))
        let good = try String(contentsOfFile: p[0], encoding: .utf8)
        // Merging one partial into a partial writes it back byte for byte, checksum and all.
        let again = try CofRunner.run(["merge", "--partial", p[0]])
        #expect(again.exitCode == 0 && again.stdout == Data(good.utf8), "\(again)")

        var lines = good.split(separator: "\n").map(String.init)
        let row = try #require(lines.firstIndex { $0.hasPrefix("row\t") })
        var fields = lines[row].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        fields[2] = String(Int(fields[2])! + 1)  // one more event before: a number still
        lines[row] = fields.joined(separator: "\t")
        let edited = try files.directory.write("edited.partial", lines.joined(separator: "\n") + "\n")
        let result = try CofRunner.run(["merge", p[1], edited, "--by", "cohort"])
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.err.contains("edited.partial:\(lines.count): the partial's checksum does not match its content: the file was edited or damaged"), "\(result)")
        #expect(result.stdout.isEmpty)

        let end = lines[lines.count - 1].split(separator: "\t").prefix(3).joined(separator: "\t")
        lines[lines.count - 1] = end
        let unsealed = try files.directory.write("unsealed.partial", lines.joined(separator: "\n") + "\n")
        let missing = try CofRunner.run(["merge", unsealed, p[1]])
        #expect(missing.exitCode == 65, "\(missing)")
        #expect(missing.err.contains("unsealed.partial:\(lines.count): the end record has no checksum"), "\(missing)")

        // A partial of format version 1 (no checksum) names the versions and what to do.
        lines[0] = "cof-partial\t1"
        let old = try files.directory.write("old.partial", lines.joined(separator: "\n") + "\n")
        let refused = try CofRunner.run(["merge", p[1], old])
        #expect(refused.exitCode == 65, "\(refused)")
        #expect(refused.err.contains("old.partial:1: partial format version 1; this cof"), "\(refused)")
        #expect(refused.err.contains("remake it"), "\(refused)")
    }

    @Test("Partials whose sums go past 64 bits end with exit 65 and the figure, never a trap or a value", arguments: [
        "cost", "days", "events", "rejected",
    ])
    func pastTheLimit(figure: String) throws {
        let directory = try TemporaryDirectory()
        let near = Int64.max - 7
        var paths: [String] = []
        for (name, person) in [("a", "P-SECRET-1"), ("b", "P-SECRET-2")] {
            let (days, events, cost) = (figure == "days" ? near : 365, figure == "events" ? near : 1, figure == "cost" ? near : 100)
            let text = [
                "cof-partial\t5", "engine\t0.6.0", "parameter\tbefore\t12m", "fingerprint\tf", "prices\tcash prices", "partials\t1",
                "service\tA&E\tHealth\tNHS", "source\t<stdin>\t1\t1\t0\t0",
            ] + (figure == "rejected" ? ["rejected\tbad_date\t\(near)"] : []) + ["days\tnone\tnone", "totals\t0\t0", "events\tnot kept"] + [
                "person\t\(person)\t\(days)\t365", "row\tA&E\t\(events)\t1\t\(cost)\t0\t0\t0\t0\t0", "end\t1\t1",
            ]
            paths.append(try directory.write("\(name).partial", PartialText.sealed(text.joined(separator: "\n") + "\n")))
        }
        // Each alone makes every table, but for a cost beyond any cohort's (CostResolver's
        // ceiling), whose cohort tables are refused with 65, the figure named and no value.
        for by in ["person", "cohort", "service"] {
            let alone = try CofRunner.run(["merge", paths[0], "--by", by, "--format", "csv"])
            if figure == "cost" && by != "person" {
                #expect(alone.exitCode == 65 && !alone.err.contains("P-SECRET") && !alone.err.contains("\(near)"), "--by \(by): \(alone)")
            } else {
                #expect(alone.exitCode == 0, "--by \(by): \(alone)")
            }
        }
        for arguments in [["--by", "cohort"], ["--by", "person", "--format", "csv"], ["--table", "by-service", "--format", "csv"], ["--partial"]] {
            let result = try CofRunner.run(["merge"] + paths + arguments)
            #expect(result.exitCode == 65, "\(arguments): \(result)")
            #expect(result.err.contains("goes past what 64 bits hold when \(paths[1]) is added"), "\(result)")
            #expect(!result.err.contains("P-SECRET") && !result.err.contains("\(near)"), "\(result)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("Bad partials: exit 65 with file and line, 66 when missing; other parameters refused")
    func badPartials() throws {
        let files = try GeneratedFiles(events: 2_000, seed: 26)
        let inputs = files.split(into: 2, seed: 3)
        let p = try files.partials(inputs)
        let text = try String(contentsOfFile: p[0], encoding: .utf8)
        let lines = text.split(separator: "\n")
        let cut = try files.directory.write("cut.partial", lines.dropLast().joined(separator: "\n") + "\n")
        let truncated = try CofRunner.run(["merge", cut, p[1]])
        #expect(truncated.exitCode == 65)
        #expect(truncated.err.contains("cut.partial:\(lines.count): the partial ends before its 'end' record"), "\(truncated)")

        let missing = try CofRunner.run(["merge", p[0], files.directory.path("nope.partial")])
        #expect(missing.exitCode == 66, "\(missing)")

        let otherWindow = try CofRunner.run(["partial"] + files.tables + ["--before", "24m"], stdin: inputs[1])
        let other = try files.directory.write("other.partial", otherWindow.out)
        let mismatch = try CofRunner.run(["merge", p[0], other])
        #expect(mismatch.exitCode == 65)
        #expect(mismatch.err.contains("other.partial was computed under other parameters than \(p[0]): before 24m, not 12m"), "\(mismatch)")

        let twice = try CofRunner.run(["merge", p[0], p[1], p[0]])
        #expect(twice.exitCode == 65)
        #expect(twice.err.contains("the same person is in \(p[0]):"), "\(twice)")

        let usage = try CofRunner.run(["merge"])
        #expect(usage.exitCode == 64)
    }
}
