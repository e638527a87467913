import Foundation
import Testing
import TestSupport

/// `cof partial --from/--to` (or `--top-users`) carries the top users' state and
/// `cof merge --table top-users` ranks it: the bytes, standard error and exit code of
/// `cof export --table top-users` over the same events; partials that cannot merge are refused.
@Suite("cof partial and cof merge: the top users")
struct TopUsersPartialMergeCommandTests {
    /// The periods: a span, an open end (both as cof export takes them), and every date.
    static let periods: [[String]] = [["--from", "2021-01-01", "--to", "2022-06-30"], ["--from", "2022-01-01"], []]

    @Test("Random splits by person (and an empty part): merge --table top-users writes cof export's bytes, CSV and JSON, raw and pseudonymised IDs, any --top",
          arguments: [(31, 3), (32, 5)] as [(UInt64, Int)])
    func mergeEqualsExport(seed: UInt64, parts: Int) throws {
        let files = try GeneratedFiles(events: 8_000, seed: seed)
        let events = ["--events", files.directory.path("events.csv")]
        let key = try files.directory.write("key.txt", "a-pseudonym-key-of-enough-length-0123456789\n")
        for period in Self.periods {
            // A part with no events at all (so none in the period) beside the random parts.
            let partials = try files.partials(files.split(into: parts, seed: seed) + [Data((files.header + "\n").utf8)],
                                              extra: period.isEmpty ? ["--top-users"] : period)
            for format in ["csv", "json"] {
                for ids in [["--raw-ids"], ["--pseudonym-key-file", key]] {
                    for top in [[], ["--top", "2"]] {
                        let options = ["--table", "top-users", "--format", format] + ids + top
                        let label = "\(period) \(format) \(ids[0]) \(top)"
                        // Quiet: standard error is the same bytes (the warnings only).
                        let export = try CofRunner.run(["export"] + events + files.tables + options + period + ["--quiet"])
                        let merge = try CofRunner.run(["merge"] + partials + options + ["--quiet"])
                        try #require(export.exitCode == 0, "\(label): \(export)")
                        #expect(export.stdout.count > 500, "\(label)")
                        #expect(merge.stdout == export.stdout && merge.stderr == export.stderr && merge.exitCode == export.exitCode,
                                "\(label): \(merge)")
                    }
                }
            }
            // Not quiet, with the tables the partials were made with and the same --from/--to: the
            // same bytes, and standard error says what export says but for the event files' lines
            // (the partials read standard input: the reconciliation is summed over them).
            let options = ["--table", "top-users", "--format", "csv", "--raw-ids"]
            let export = try CofRunner.run(["export"] + events + files.tables + options + period)
            let merge = try CofRunner.run(["merge"] + partials + files.tables + options + period)
            try #require(export.exitCode == 0 && merge.exitCode == 0, "\(period): \(export)\n\(merge)")
            #expect(merge.stdout == export.stdout, "\(period)")
            #expect(merge.errLines.filter { !$0.contains("<stdin>") } == export.errLines.filter { !$0.contains("events.csv") }, "\(period)")
            #expect(merge.errLines.first == "cof: <stdin>: read \(files.lines.count) = loaded \(files.lines.count) + rejected 0 (summed over \(parts + 1) partials)")
        }
    }

    @Test("IDs and service names whose escaped forms sort otherwise (a tab, a backslash, a line break): the partial merges, as export ranks")
    func escapedNames() throws {
        let directory = try TemporaryDirectory()
        let events = try directory.write("events.csv", """
            person_id,service,event,date
            P1,GP,consultation,2021-01-05
            "a\tx",GP,consultation,2021-02-01
            a!x,GP,consultation,2021-02-02
            "a\\x",GP,consultation,2021-02-03
            "a\nx",GP,consultation,2021-02-04
            a!x,"G\tP",consultation,2021-02-05
            a!x,G!P,consultation,2021-02-06

            """)
        let interventions = try directory.write("interventions.csv", "person_id,start_date\nP1,2021-01-01\n")
        let study = ["--events", events, "--interventions", interventions, "--before", "6m", "--after", "6m", "--observation-end", "2021-12-31", "--quiet"]
        let partial = directory.path("p.cofp")
        let made = try CofRunner.run(["partial"] + study + ["--top-users", "--output", partial])
        try #require(made.exitCode == 0, "\(made)")
        let options = ["--table", "top-users", "--format", "csv", "--raw-ids", "--quiet"]
        let export = try CofRunner.run(["export"] + study + options)
        let merge = try CofRunner.run(["merge", partial] + options)
        try #require(export.exitCode == 0, "\(export)")
        #expect(merge.exitCode == 0 && merge.stdout == export.stdout, "\(merge)")
    }

    @Test("Merging in stages keeps the top users' state: the same bytes as merging at once")
    func stages() throws {
        let files = try GeneratedFiles(events: 4_000, seed: 33)
        let p = try files.partials(files.split(into: 4, seed: 2), extra: ["--from", "2021-06-01", "--to", "2023-03-31"])
        let staged = files.directory.path("staged.partial")
        let first = try CofRunner.run(["merge", "--partial", "--output", staged, p[3], p[1]])
        try #require(first.exitCode == 0, "\(first)")
        let options = ["--table", "top-users", "--format", "json", "--raw-ids", "--top", "5"]
        let once = try CofRunner.run(["merge"] + p + options)
        let twice = try CofRunner.run(["merge", p[2], staged, p[0]] + options)
        #expect(once.exitCode == 0 && twice.exitCode == 0 && once.stdout.count > 500, "\(once)\n\(twice)")
        #expect(once.stdout == twice.stdout)
        // A partial with the state still makes every other table as before.
        let plain = try files.partials(files.split(into: 4, seed: 2), name: "plain")
        for by in ["person", "cohort"] {
            let with = try CofRunner.run(["merge"] + p + ["--by", by, "--format", "csv"])
            let without = try CofRunner.run(["merge"] + plain + ["--by", by, "--format", "csv"])
            #expect(with.exitCode == 0 && with.stdout == without.stdout, "--by \(by)")
        }
    }

    @Test("Refused: partials over other periods, one without the state, another period given to merge, a person in two partials, a damaged or cut state")
    func refusals() throws {
        let files = try GeneratedFiles(events: 3_000, seed: 34)
        let inputs = files.split(into: 2, seed: 7)
        let period = ["--from", "2021-01-01", "--to", "2022-06-30"]
        let p = try files.partials(inputs, extra: period)
        let table = ["--table", "top-users", "--format", "csv", "--raw-ids"]
        func partial(_ stdin: Data, _ extra: [String], _ name: String) throws -> String {
            let result = try CofRunner.run(["partial"] + files.tables + extra, stdin: stdin)
            try #require(result.exitCode == 0, "\(result)")
            return try files.directory.write(name, result.out)
        }

        let otherPeriod = try partial(inputs[1], ["--from", "2021-01-01"], "other-period.partial")
        let differ = try CofRunner.run(["merge", p[0], otherPeriod] + table)
        #expect(differ.exitCode == 65, "\(differ)")
        #expect(differ.err.contains("other-period.partial was computed under other parameters than \(p[0]): the top users' state over 2021-01-01 to open, not the top users' state over 2021-01-01 to 2022-06-30"), "\(differ)")

        let without = try partial(inputs[1], [], "without.partial")
        let one = try CofRunner.run(["merge", p[0], without] + table)
        #expect(one.exitCode == 65 && one.err.contains("without.partial was computed under other parameters than \(p[0]): no top users' state (made without --top-users, --from or --to), not the top users' state over 2021-01-01 to 2022-06-30"), "\(one)")
        // The refusal stands for every table: the partials were not made alike.
        let cohort = try CofRunner.run(["merge", p[0], without, "--by", "cohort"])
        #expect(cohort.exitCode == 65, "\(cohort)")

        let asked = try CofRunner.run(["merge"] + p + table + ["--from", "2021-01-01", "--to", "2022-12-31"])
        #expect(asked.exitCode == 64 && asked.err.contains("the partials carry the top users over 2021-01-01 to 2022-06-30, not 2021-01-01 to 2022-12-31 as --from/--to give here"), "\(asked)")
        let same = try CofRunner.run(["merge"] + p + table + period)
        #expect(same.exitCode == 0 && same.stdout.count > 200, "\(same)")

        // An untreated person's rows in both partials: no member is shared, the state's person is.
        let interventions = try String(contentsOfFile: files.directory.path("interventions.csv"), encoding: .utf8)
        let untreated = try #require(files.lines.first { line in
            !interventions.contains("\n" + line.prefix { $0 != "," } + ",") && line.contains(",2021-")
        })
        let id = String(untreated.prefix { $0 != "," })
        let stdins = inputs.map { String(decoding: $0, as: UTF8.self) }.map { text in
            Data((text.split(separator: "\n").filter { !$0.hasPrefix(id + ",") }.joined(separator: "\n") + "\n\(untreated)\n").utf8)
        }
        let shared = try stdins.enumerated().map { try partial($1, period, "shared-\($0).partial") }
        let twice = try CofRunner.run(["merge"] + shared + table)
        #expect(twice.exitCode == 65, "\(twice)")
        #expect(twice.err.contains("the same person is in the top users of \(shared[0]):") && twice.err.contains("expected each person in one partial only"), "\(twice)")
        #expect(!twice.err.contains(id), "\(twice)")

        // A damaged user record, sealed again as by someone who knows the format: its line, no ID.
        let text = try String(contentsOfFile: p[0], encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let user = try #require(lines.firstIndex { $0.hasPrefix("user\t") })
        var fields = lines[user].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let damagedID = fields[1]
        fields[3] = "many"
        lines[user] = fields.joined(separator: "\t")
        let damaged = try files.directory.write("damaged.partial", PartialText.sealed(lines.joined(separator: "\n") + "\n"))
        let bad = try CofRunner.run(["merge", damaged, p[1]] + table)
        #expect(bad.exitCode == 65 && bad.err.contains("damaged.partial:\(user + 1): a field of 4 bytes that is not a whole number: expected an event count"), "\(bad)")
        #expect(!bad.err.contains(damagedID) && bad.stdout.isEmpty, "\(bad)")
        // Not sealed again: the checksum, at the end record.
        let edited = try files.directory.write("edited.partial", lines.joined(separator: "\n") + "\n")
        let unsealed = try CofRunner.run(["merge", edited, p[1]] + table)
        #expect(unsealed.exitCode == 65 && unsealed.err.contains("edited.partial:\(lines.count): the partial's checksum does not match"), "\(unsealed)")
        // Cut short in the middle of the state.
        let original = text.split(separator: "\n").map(String.init)
        let cut = try files.directory.write("cut.partial", original.prefix(user + 3).joined(separator: "\n") + "\n")
        let short = try CofRunner.run(["merge", cut, p[1]] + table)
        #expect(short.exitCode == 65 && short.err.contains("cut.partial:\(user + 3): the top_users record counts"), "\(short)")
        #expect(!short.err.contains(damagedID), "\(short)")
    }
}
