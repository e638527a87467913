import Foundation
import Testing

/// The inference tables through the binary: up/same/down shares, the difference in differences
/// with a matched comparison group, its placebo and the balance table — written to a pipe, so
/// under disclosure control — and the warning for a small cohort.
@Suite("cof: inference tables (use change, placebo, balance) under disclosure control")
struct InferenceCommandTests {
    /// A small spike-recruited cohort, and the options that analyse it.
    private static func cohort(_ directory: TemporaryDirectory, people: Int, treated: Int) throws -> [String] {
        let generated = try CofRunner.run(["generate", "--spike-cohort", "--people", String(people), "--treated", String(treated),
                                           "--seed", "3", "--output-dir", directory.url.path])
        try #require(generated.exitCode == 0, "\(generated)")
        return ["--events", directory.path("events.csv"), "--interventions", directory.path("interventions.csv"),
                "--unit-costs", directory.path("unit-costs.csv"), "--services", directory.path("services.csv"),
                "--before", "12m", "--after", "12m", "--observation-end", "2022-03-31", "--match-comparison"]
    }

    private static func table(_ pack: [[String: Any]], _ name: String) throws -> [[String: Any]] {
        try #require(pack.first { $0["name"] as? String == name }?["rows"] as? [[String: Any]], "no table \(name)")
    }

    @Test("The finance pack with a matched group: the new tables, small cells withheld, counts rounded, the under-60 warning")
    func financePack() throws {
        let directory = try TemporaryDirectory()
        let study = try Self.cohort(directory, people: 200, treated: 30)
        let result = try CofRunner.run(["export", "--table", "finance", "--format", "json", "--resamples", "200"] + study)
        try #require(result.exitCode == 0, "\(result)")
        #expect(result.err.contains("warning: fewer than 60 treated people"), "\(result.err)")
        let pack = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]])
        let names = pack.compactMap { $0["name"] as? String }
        #expect(names.suffix(4) == ["use_change", "difference_in_differences", "placebo", "balance"])
        let use = try Self.table(pack, "use_change")
        #expect(use.map { $0["use"] as? String } == ["went up", "stayed the same", "went down", "not judged (no exposure in a window)", "everyone"])
        // 30 people: the groups of 1 to 7 are withheld (with their shares and changes), the rest rounded to 5.
        let text = String(decoding: try JSONSerialization.data(withJSONObject: use), as: UTF8.self)
        #expect(text.contains("[c]"), "\(text)")
        for row in use {
            if let people = row["people"] as? Int { #expect(people % 5 == 0) }
        }
        #expect(use.last?["people"] as? Int == 30)
        let placebo = try Self.table(pack, "placebo")
        #expect(placebo.count == 1 && placebo[0]["service"] as? String == "All services")
        let balance = try Self.table(pack, "balance")
        #expect(balance.count == 6 && balance.allSatisfy { ($0["treated_people"] as? Int) == 30 })
    }

    @Test("Five treated people: every balance mean and SMD withheld, and the DiD's estimate")
    func tinyCohortWithheld() throws {
        let directory = try TemporaryDirectory()
        let study = try Self.cohort(directory, people: 100, treated: 5)
        let balance = try CofRunner.run(["export", "--table", "balance", "--format", "csv", "--csv-plain", "--resamples", "100"] + study)
        try #require(balance.exitCode == 0, "\(balance)")
        let records = try CSV.records(balance.out)
        #expect(records.rows.count == 6)
        for row in records.rows {
            for column in ["treated_mean", "comparison_mean", "smd_after_matching", "imbalanced_after", "smd_before_matching"] {
                #expect(row[column] == "[c]", "\(column): \(row[column] ?? "nil")")
            }
        }
        let did = try CofRunner.run(["export", "--table", "did", "--format", "csv", "--csv-plain", "--resamples", "100"] + study)
        try #require(did.exitCode == 0, "\(did)")
        let first = try #require(try CSV.records(did.out).rows.first)
        #expect(first["difference_in_differences"] == "[c]" && first["ci95_lower"] == "[c]")
    }

    @Test("cof report into a pipe: the sections and their notes, protected")
    func report() throws {
        let directory = try TemporaryDirectory()
        let study = try Self.cohort(directory, people: 200, treated: 30)
        let result = try CofRunner.run(["report"] + study)
        try #require(result.exitCode == 0, "\(result)")
        for heading in ["Whose use went up", "Difference in differences against the comparison group", "Placebo test", "Balance of the comparison group"] {
            #expect(result.out.contains(heading), "\(heading)")
        }
        #expect(result.out.contains("Note: fewer than 60 treated people"))
        #expect(result.out.contains("[c]"))
    }
}
