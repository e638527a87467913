import Foundation
import Testing

/// What `cof validate` lets out of the secure environment: its counts of people through one rule
/// with the sums that tie them, and none of its files destroyed.
@Suite("cof validate: counts of people and its files")
struct ValidateDisclosureTests {
    /// One source with 11 treated people and 53 others, each with two rows.
    func study(_ directory: TemporaryDirectory) throws -> (events: String, interventions: String) {
        let rows = (0..<64).flatMap { ["P\($0),A&E,attendance,2020-01-10\n", "P\($0),GP,consultation,2020-02-11\n"] }.joined()
        let events = try directory.write("events.csv", "person_id,service,event,date\n" + rows)
        let interventions = try directory.write("interventions.csv",
                                                "person_id,start_date\n" + (0..<11).map { "P\($0),2020-01-01\n" }.joined())
        return (events, interventions)
    }

    /// The counts a text report states: people, covered, cohort, outside, without an intervention.
    func counts(_ text: String) -> [String] {
        let patterns = ["people: ([^;]+);", "cohort coverage: (\\S+) of", "cohort's (\\S+) people", "; (\\S+) people outside",
                        "no intervention \\(left out of comparisons\\): (\\S+)", "intervention but no events: (\\S+)"]
        return patterns.map { pattern in
            guard let match = text.range(of: pattern, options: .regularExpression) else { return "?" }
            let found = String(text[match])
            let inner = try? NSRegularExpression(pattern: pattern).firstMatch(in: found, range: NSRange(found.startIndex..., in: found))
            return inner.flatMap { Range($0.range(at: 1), in: found).map { String(found[$0]) } } ?? "?"
        }
    }

    @Test("Into a pipe every count of people goes through the rule, so the cohort's 11 do not come back as people minus those outside")
    func peopleCountsProtectedTogether() throws {
        let directory = try TemporaryDirectory()
        let (events, interventions) = try study(directory)
        let exact = try CofRunner.run(["validate", "--events", events, "--interventions", interventions, "--disclosure", "none"])
        #expect(counts(exact.out) == ["64", "11", "11", "53", "53", "0"], "\(exact)")
        let published = try CofRunner.run(["validate", "--events", events, "--interventions", interventions])
        #expect(published.exitCode == 0, "\(published)")
        let figures = counts(published.out)
        #expect(!figures.contains("?"), "\(published)")
        // None of the exact counts, nor the cohort's people by difference, is published.
        let numbers = figures.compactMap { Int($0) }
        if numbers.count == figures.count {
            #expect(numbers[0] - numbers[3] != 11 && numbers[1] != 11 && numbers[0] != 64 && numbers[3] != 53, "\(published)")
            // A source's people are its covered people and those outside, as published.
            #expect(numbers[0] == numbers[1] + numbers[3], "\(published)")
            // One source: the people without an intervention are its people outside the cohort.
            #expect(numbers[4] == numbers[3], "\(published)")
        }
        let json = try CofRunner.run(["validate", "--events", events, "--interventions", interventions, "--format", "json"])
        #expect(!json.out.contains("\"people\": 64") && !json.out.contains("\"people_without_intervention\": 53"), "\(json)")
    }

    @Test("The pseudonym key file is an input: validate will not write its report over it, and takes no audit file")
    func keyFileAndAudit() throws {
        let directory = try TemporaryDirectory()
        let (events, _) = try study(directory)
        let key = try directory.write("key.txt", "a secret of 16+ bytes!!")
        let result = try CofRunner.run(["validate", "--events", events, "--pseudonym-key-file", key, "--output", key])
        #expect(result.exitCode == 64, "\(result)")
        #expect(try String(contentsOfFile: key, encoding: .utf8) == "a secret of 16+ bytes!!")
        let audit = try CofRunner.run(["validate", "--events", events, "--disclosure-audit", directory.url.appendingPathComponent("a.json").path])
        #expect(audit.exitCode == 64, "\(audit)")
        #expect(audit.err.contains("no disclosure audit"), "\(audit)")
    }

    @Test("Two outputs of one command that are one file are refused before anything is read")
    func sharedOutputs() throws {
        let directory = try TemporaryDirectory()
        let (events, interventions) = try study(directory)
        let same = directory.url.appendingPathComponent("same.out").path
        let base = ["export", "--events", events, "--interventions", interventions, "--before", "12m", "--after", "12m", "--format", "csv"]
        let rejects = try CofRunner.run(base + ["--on-error", "reject", "--rejects", same, "--output", same])
        #expect(rejects.exitCode == 64, "\(rejects)")
        #expect(rejects.err.contains("each output needs a file of its own"), "\(rejects)")
        #expect(!FileManager.default.fileExists(atPath: same))
        let audit = try CofRunner.run(base + ["--disclosure-audit", "./" + "same.out", "--output", "same.out"], in: directory.url)
        #expect(audit.exitCode == 64, "\(audit)")
        // An existing file reached through a link is the same file.
        let existing = try directory.write("existing.out", "kept\n")
        let link = directory.url.appendingPathComponent("link.out").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: existing)
        let linked = try CofRunner.run(base + ["--disclosure-audit", link, "--output", existing])
        #expect(linked.exitCode == 64, "\(linked)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "kept\n")
        // A device may take two outputs; two files of their own are fine.
        let devices = try CofRunner.run(base + ["--disclosure-audit", "/dev/null", "--output", "/dev/null"])
        #expect(devices.exitCode == 0, "\(devices)")
        let apart = try CofRunner.run(base + ["--disclosure-audit", directory.url.appendingPathComponent("a.json").path,
                                              "--output", directory.url.appendingPathComponent("t.csv").path])
        #expect(apart.exitCode == 0, "\(apart)")
    }
}

extension ValidateDisclosureTests {
    @Test("Several sources: the people without an intervention are withheld when one source's people outside the cohort are, or the difference gives them back")
    func unionWithheldWithItsParts() throws {
        let directory = try TemporaryDirectory()
        // Source a: 12 treated and 40 others; source b: the same 12 treated and 3 others of its own.
        let treated = (0..<12).map { "T\($0)" }
        let a = (treated + (0..<40).map { "A\($0)" }).map { "\($0),A&E,attendance,2020-01-10\n" }.joined()
        let b = (treated + (0..<3).map { "B\($0)" }).map { "\($0),Police,arrest,2020-01-12\n" }.joined()
        let first = try directory.write("a.csv", "person_id,service,event,date\n" + a)
        let second = try directory.write("b.csv", "person_id,service,event,date\n" + b)
        let interventions = try directory.write("interventions.csv", "person_id,start_date\n" + treated.map { "\($0),2020-01-01\n" }.joined())
        let arguments = ["validate", "--events", first, "--events", second, "--interventions", interventions, "--format", "json"]
        let exact = try CofRunner.run(arguments + ["--disclosure", "none"])
        #expect(exact.out.contains("\"people_without_intervention\": 43"), "\(exact)")
        for rule in ["ons-srs", "nhs-england"] {
            let published = try CofRunner.run(arguments + ["--disclosure", rule])
            #expect(published.exitCode == 0, "\(published)")
            // b's 3 people outside are withheld; 43 less a's 40 would give them back.
            #expect(published.out.contains("\"people_without_intervention\": \"[c]\""), "\(rule): \(published)")
        }
    }
}
