import Foundation
import Testing

@Suite("cof report")
struct ReportCommandTests {
    func report(_ person: String, extra: [String] = []) throws -> CofRunner.Result {
        try CofRunner.run(["report", "--person", person] + CofRunner.johnStudy(services: true) + extra)
    }

    @Test("John's report: the Liberated Method's 161 interactions, A&E, and £ figures")
    func john() throws {
        let result = try report("JOHN-0001")
        try #require(result.exitCode == 0, "\(result)")
        let text = result.out
        #expect(text.contains("Liberated Method"))
        #expect(text.contains("161"))
        #expect(text.contains("A&E"))
        #expect(text.contains("£"))
        #expect(text.hasPrefix("Cost of failure: JOHN-0001\n"))
        // The response line: 161 Liberated Method events costing £28,065.00 (fixture README).
        #expect(text.contains("Liberated Method: 161 events costing £28,065 since the index date"))
        #expect(text.contains("index date 2023-05-01"))
        #expect(text.contains("A&E 116 → 7"))
        #expect(text.contains("Caveat: a before/after change is not an effect."))
    }

    @Test("John's Housing options (unpriced events in both windows) is not available, not £0, and no saving")
    func unpricedNotFree() throws {
        let result = try report("JOHN-0001")
        try #require(result.exitCode == 0, "\(result)")
        let after = try #require(result.out.components(separatedBy: "Before and after the index date").dropFirst().first)
        let tokens = after.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        // service (two words), category, events 3 → 3, their rates, then five money columns not
        // available, 2 and 3 unpriced, 6 events of 1 person left out.
        let housing = try #require(tokens.first { $0.prefix(2) == ["Housing", "options"] })
        #expect(Array(housing.dropFirst(3)) == ["3", "3", "6.0", "3.3", "–", "–", "–", "–", "–", "2", "3", "6", "1"], "\(housing)")
        #expect(!after.contains("£0.00            -£7,039.82"))
        // The total and the headline count only what is priced in both windows, and say so.
        let total = try #require(tokens.first { $0.first == "Total" })
        #expect(total.contains("£345,236.14") && total.contains("-£341,459.24"), "\(total)")
        #expect(result.out.contains("consumption £345,236 a year before → £3,777 a year after (priced in both windows; 6 events with unpriced ones beside them left out)"))
        #expect(result.out.contains("left out: 6 events of 1 person in services with unpriced events in a window (no cost there, so no saving counted)"))
        #expect(result.out.contains("observed annual saving") && result.out.contains("£341,459.24"))
    }

    @Test("John's report in one price base: lifetime, before/after, appraisal and trajectory")
    func onePriceBase() throws {
        let result = try report("JOHN-0001", extra: ["--price-base", "2024-25"])
        try #require(result.exitCode == 0, "\(result)")
        let text = result.out
        #expect(text.contains("Money in 2024-25 prices (restated with HM Treasury GDP deflators"))
        for section in ["Lifetime (", "Before and after the index date", "Green Book appraisal (", "Trajectory: mean use per person-month"] {
            #expect(text.contains(section), "\(section)")
        }
        // 161 Liberated Method events costing £28,065.00 in 2023-24 prices: £29,199.15 in 2024-25's.
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("  intervention service cost ") && $0.hasSuffix(" £29,199.15") })
        #expect(text.contains("Baseline check: "))
        // Months -24 to +12: 37 lines under the trajectory's header and rule.
        let trajectory = text.components(separatedBy: "Trajectory: mean use per person-month")[1].split(separator: "\n")
        #expect(trajectory.filter { $0.first == " " || $0.first == "-" || $0.first?.isNumber == true }.count >= 37)
    }

    @Test("the before/after table has A&E 116 → 7 and Hospital 4 → 0")
    func beforeAfterRows() throws {
        let result = try report("JOHN-0001")
        try #require(result.exitCode == 0, "\(result)")
        let after = try #require(result.out.components(separatedBy: "Before and after the index date").dropFirst().first)
        let section = try #require(after.components(separatedBy: "Consumption (failure demand)").first)
        let tokens = section.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        // service, category (one word for Health), before_events, after_events, ...
        let ae = tokens.filter { $0.first == "A&E" }
        try #require(ae.count == 1)
        #expect(Array(ae[0].prefix(4)) == ["A&E", "Health", "116", "7"])
        let hospital = tokens.filter { $0.first == "Hospital" }
        try #require(hospital.count == 1)
        #expect(Array(hospital[0].prefix(4)) == ["Hospital", "Health", "4", "0"])
        // The intervention is the response, not failure demand: no Liberated Method row in that table.
        #expect(!tokens.contains { $0.first == "Liberated" && $0.count > 6 })
    }

    @Test("unpriced events are reported, not priced at zero")
    func unpriced() throws {
        let result = try report("JOHN-0001")
        try #require(result.exitCode == 0, "\(result)")
        #expect(result.out.contains("Housing options / advice contact"))
    }

    @Test("--output writes the report and nothing to standard output")
    func output() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("john.txt")
        let toFile = try report("JOHN-0001", extra: ["--output", path])
        #expect(toFile.exitCode == 0, "\(toFile)")
        #expect(toFile.stdout.isEmpty)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == (try report("JOHN-0001").out))
        #expect(try directory.contents() == ["john.txt"])
    }

    @Test("a person with no intervention is bad data (65) with a clear message", arguments: ["NOBODY", "P-0002"])
    func noIntervention(person: String) throws {
        let directory = try TemporaryDirectory()
        let result = try report(person, extra: ["--output", directory.path("out.txt")])
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.stdout.isEmpty)
        let error = try #require(result.errLines.last)
        #expect(error.hasPrefix("cof: error: "))
        #expect(error.contains("no intervention"))
        #expect(error.contains(person))   // the user's own argument
        #expect(try directory.contents().isEmpty)
    }

    @Test("the cohort report covers everyone with an intervention: exact on a terminal, protected in a pipe")
    func cohort() throws {
        let screen = try CofRunner.runOnTerminal(["report"] + CofRunner.johnStudy(services: true))
        try #require(screen.exitCode == 0, "\(screen)")
        #expect(screen.out.contains("Cost of failure: cohort of 1 person with an intervention\n"))
        #expect(screen.out.contains("Liberated Method: 161 events"))
        // Into a pipe the cohort's figures are the protected tables: John alone is one person,
        // so every figure is withheld and no narrative of his use is printed.
        let piped = try CofRunner.run(["report"] + CofRunner.johnStudy(services: true))
        try #require(piped.exitCode == 0, "\(piped)")
        #expect(piped.out.hasPrefix("Cost of failure: the cohort\n"))
        #expect(piped.out.contains("Disclosure control: nhs-england"))
        #expect(piped.out.contains("[c]") && !piped.out.contains("161"))
        // Money shows only as nothing at all (£0.00, no one's use) or withheld.
        #expect(piped.out.firstMatch(of: /£[1-9]/) == nil && piped.out.firstMatch(of: /£0\.0[1-9]/) == nil)
    }
}
