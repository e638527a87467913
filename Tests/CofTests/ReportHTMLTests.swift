import Foundation
import Testing

@Suite("cof report --html")
struct ReportHTMLTests {
    /// The SHA-256 of `path` as `sha256sum` computes it (not the engine's own code).
    func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }

    /// The value of the headline item labelled `label`.
    func headline(_ html: String, _ label: String) -> String? {
        guard let start = html.range(of: "<dt>\(label)</dt><dd>") else { return nil }
        return html[start.upperBound...].components(separatedBy: "</dd>").first
    }

    /// The HTML of the section with id `id`, up to its end.
    func section(_ html: String, _ id: String) -> String? {
        guard let start = html.range(of: "<section id=\"\(id)\">") else { return nil }
        return html[start.lowerBound...].components(separatedBy: "</section>").first
    }

    /// The `<table>` of `html` whose caption starts with `caption`, up to its end.
    func table(_ html: String, caption: String) -> String? {
        guard let start = html.range(of: "<caption>\(caption)") else { return nil }
        return html[start.lowerBound...].components(separatedBy: "</table>").first
    }

    /// A generated spike-recruited cohort of `treated` among `people`, and the options that
    /// analyse it against a matched comparison group.
    func spikeCohort(_ directory: TemporaryDirectory, people: Int, treated: Int) throws -> [String] {
        let generated = try CofRunner.run(["generate", "--spike-cohort", "--people", String(people), "--treated", String(treated),
                                           "--seed", "3", "--output-dir", directory.url.path])
        try #require(generated.exitCode == 0, "\(generated)")
        return ["--events", directory.path("events.csv"), "--interventions", directory.path("interventions.csv"),
                "--unit-costs", directory.path("unit-costs.csv"), "--services", directory.path("services.csv"),
                "--before", "12m", "--after", "12m", "--observation-end", "2022-03-31", "--match-comparison", "--quiet"]
    }

    @Test("A cohort with a matched comparison group: use change, DiD, placebo and balance explained, the under-60 warning beside them, the appraisal's ratios apart, left-out counts and coverage, small cells withheld")
    func cohortWithComparisonGroup() throws {
        let directory = try TemporaryDirectory()
        let study = try spikeCohort(directory, people: 200, treated: 30)
        let path = directory.path("cohort.html")
        let result = try CofRunner.run(["report", "--html", path, "--resamples", "200"] + study)
        try #require(result.exitCode == 0, "\(result)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let effect = try #require(section(html, "effect"))
        #expect(effect.contains("<p class=\"banner warning\" role=\"alert\">Warning: fewer than 60 treated people"), "\(effect)")
        #expect(html.contains("carries a warning") || html.contains("warnings: see"))
        for caption in ["Treated people whose cost per person-year", "Difference in differences of cost per person-year",
                        "Placebo test: ", "Balance of the variables matched on"] {
            #expect(effect.contains("<caption>\(caption)"), "\(caption)")
        }
        for explanation in ["A mean can hide how people differ", "The comparison group is people without the intervention",
                            "The placebo test repeats the analysis", "The standardised mean difference (SMD)"] {
            #expect(effect.contains(explanation), "\(explanation)")
        }
        #expect(!effect.contains("the before/after change is not an effect"))
        // 30 treated people written to a file: the groups of 1 to 7 of the up/same/down table are withheld.
        let useChange = try #require(table(effect, caption: "Treated people whose cost per person-year"))
        #expect(useChange.contains("<td class=\"num suppressed\" title=\"suppressed: a small number, or a figure resting on few people\">[c]</td>"), "\(useChange)")
        // The headline: the DiD and its interval, the ratios named apart, the switching value and P(NPV > 0).
        #expect(headline(html, "difference in differences, per person-year (95% interval)") != nil)
        #expect(headline(html, "benefit–cost ratio (BCR: benefits ÷ costs)") != nil)
        #expect(headline(html, "return on investment (ROI: (benefits − costs) ÷ costs)") != nil)
        #expect(headline(html, "switching value (share of the saving needed for NPV = 0)") != nil)
        #expect(headline(html, "probability that NPV &gt; 0 (bootstrap)") != nil)
        let appraisal = try #require(section(html, "appraisal"))
        #expect(appraisal.contains("Assumptions: 1 year(s) from year 0 (undiscounted)"))
        #expect(appraisal.contains("measured by the comparison group"))
        for name in ["benefit cost ratio", "return on investment", "switching value percent", "probability npv positive"] {
            #expect(appraisal.contains("<th scope=\"row\">\(name)</th>"), "\(name)")
        }
        // The unpriced rule beside the totals' left-out counts.
        #expect(headline(html, "events left out of the money (unpriced)")?.hasSuffix(" people") == true)
        let figures = try #require(section(html, "figures"))
        #expect(figures.contains("<th scope=\"row\">left out events</th>") && figures.contains("No unpriced event is counted as free"))
        // Each source's coverage, counts rounded to 5 as any count that leaves the screen.
        let checks = try #require(section(html, "checks"))
        let coverage = try #require(table(checks, caption: "Each event source&#39;s coverage of the cohort"))
        #expect(coverage.contains("<td class=\"num\">30</td>"), "\(coverage)")
        #expect(html.contains("observation end 2022-03-31 (inclusive; given)"))
        #expect(html.contains("The difference in differences is an effect only as far as the comparison group shows"))
        #expect(!html.lowercased().contains("<script"))
    }

    @Test("Five treated people with a matched group: the DiD's estimate, the placebo's and every balance SMD withheld on the page")
    func tinyCohortWithheld() throws {
        let directory = try TemporaryDirectory()
        let study = try spikeCohort(directory, people: 100, treated: 5)
        let path = directory.path("cohort.html")
        let result = try CofRunner.run(["report", "--html", path, "--resamples", "100"] + study)
        try #require(result.exitCode == 0, "\(result)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let suppressed = "<td class=\"num suppressed\" title=\"suppressed: a small number, or a figure resting on few people\">[c]</td>"
        // The overall line of each (All services), and every line of the balance table.
        for (caption, lines) in [("Difference in differences of cost per person-year", 1), ("Placebo test: ", 1), ("Balance of the variables matched on", 6)] {
            let rows = try #require(table(html, caption: caption)).components(separatedBy: "<tr>").dropFirst(2)
            #expect(rows.count >= lines && rows.prefix(lines).allSatisfy { $0.contains(suppressed) }, "\(caption)")
        }
        #expect(headline(html, "difference in differences, per person-year (95% interval)") == "[c] ([c] to [c])")
        #expect(headline(html, "probability that NPV &gt; 0 (bootstrap)") == "[c]")
    }

    @Test("A person's HTML report is written only with --raw-ids: exit 64 and no file without it")
    func personNeedsRawIDs() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("john.html")
        let result = try CofRunner.run(["report", "--person", "JOHN-0001", "--html", path] + CofRunner.johnStudy(services: true))
        #expect(result.exitCode == 64)
        #expect(result.err.contains("--raw-ids"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("Events through a pipe are hashed from the bytes the report read (not a second read of the drained pipe: the hash of nothing); a small file through one says it was not hashed",
          .timeLimit(.minutes(2)))
    func pipedInputs() throws {
        let directory = try TemporaryDirectory()
        let events = directory.path("events.pipe"), unitCosts = directory.path("unit-costs.pipe")
        #expect(mkfifo(events, 0o600) == 0 && mkfifo(unitCosts, 0o600) == 0)
        // Each pipe's writer waits for cof to open it, writes the fixture and closes it (the end of the input).
        var writers: [(thread: Thread, done: DispatchSemaphore, path: String)] = []
        for (pipe, fixture) in [(events, "events.csv"), (unitCosts, "unit-costs.csv")] {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: CofRunner.fixture(fixture))))
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                let fd = open(pipe, O_WRONLY)
                var written = 0
                while fd >= 0, written < bytes.count {
                    let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    if count <= 0 { break }
                    written += count
                }
                if fd >= 0 { close(fd) }
                done.signal()
            }
            thread.start()
            writers.append((thread, done, pipe))
        }
        let path = directory.path("cohort.html")
        var study = CofRunner.johnStudy(events: events, services: true)
        study[study.firstIndex(of: "--unit-costs")! + 1] = unitCosts
        let result = try CofRunner.run(["report", "--html", path] + study)
        // A writer cof did not read to the end (it failed, or hung) is let go: its pipe is
        // opened and drained here until the writer has written everything and closed it.
        for writer in writers where writer.done.wait(timeout: .now() + 5) == .timedOut {
            let fd = open(writer.path, O_RDONLY | O_NONBLOCK)
            var sink = [UInt8](repeating: 0, count: 65_536)
            while writer.done.wait(timeout: .now() + .milliseconds(10)) == .timedOut {
                _ = sink.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            }
            close(fd)
        }
        try #require(result.exitCode == 0, "\(result)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let expected = try sha256sum(CofRunner.fixture("events.csv"))
        #expect(html.contains("\(events); SHA-256 \(expected)"))
        #expect(!html.contains("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "the SHA-256 of no bytes")
        #expect(html.contains("\(unitCosts) (not hashed: read once from a pipe or device)"))
    }

    @Test("John's report: one self-contained file with the headline, three charts, the inputs' SHA-256 and no script")
    func john() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("john.html")
        let result = try CofRunner.run(["report", "--person", "JOHN-0001", "--raw-ids", "--price-base", "2024-25", "--html", path]
                                       + CofRunner.johnStudy(services: true))
        try #require(result.exitCode == 0, "\(result)")
        #expect(result.stdout.isEmpty)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<h1>Cost of failure: JOHN-0001</h1>"))
        #expect(headline(html, "person") == "JOHN-0001")
        #expect(headline(html, "index date") == "2023-05-01 (6m before, 12m after)")
        // 161 Liberated Method events: £28,065.00 in 2023-24 prices, £29,199.15 in 2024-25's.
        #expect(headline(html, "intervention cost") == "£29,199")
        #expect(headline(html, "change, a year")?.hasPrefix("-£") == true)
        #expect(html.contains("not for release"))
        let events = try sha256sum(CofRunner.fixture("events.csv"))
        #expect(events.count == 64)
        #expect(html.contains("SHA-256 \(events)"))
        #expect(html.contains("read 3667 = loaded 3667 + rejected 0"))
        #expect(html.components(separatedBy: "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"").count - 1 == 3)
        #expect(html.contains("class=\"mark\""))
        #expect(html.contains("<h2>Caveats</h2>"))
        #expect(html.contains("<li>Regression to the mean: "))
        #expect(!html.lowercased().contains("<script"))
        #expect(try directory.contents() == ["john.html"])
    }

    @Test("A cohort's report is suppressed by default and names no one; --no-suppression says so on the page")
    func cohort() throws {
        let data = try TemporaryDirectory()
        let generated = try CofRunner.run(["generate", "--events", "8000", "--seed", "3", "--output-dir", data.url.path])
        try #require(generated.exitCode == 0, "\(generated)")
        let study = ["--events", data.path("events.csv"), "--interventions", data.path("interventions.csv"),
                     "--unit-costs", data.path("unit-costs.csv"), "--services", data.path("services.csv"),
                     "--before", "12m", "--after", "12m", "--quiet"]
        let suppressed = try CofRunner.run(["report", "--html", data.path("cohort.html")] + study)
        try #require(suppressed.exitCode == 0, "\(suppressed)")
        let exact = try CofRunner.run(["report", "--html", data.path("exact.html"), "--no-suppression"] + study)
        try #require(exact.exitCode == 0, "\(exact)")
        #expect(exact.err.contains("disclosure control is off"))

        let html = try String(contentsOfFile: data.path("cohort.html"), encoding: .utf8)
        let unsuppressed = try String(contentsOfFile: data.path("exact.html"), encoding: .utf8)
        #expect(html.contains("Disclosure control (nhs-england)"))
        #expect(!html.contains("UNSUPPRESSED"))
        #expect(unsuppressed.contains("<p class=\"banner warning\" role=\"alert\">UNSUPPRESSED"))
        // The headline's count of people is the exact count rounded to 5.
        let people = try #require(headline(unsuppressed, "people with an intervention").flatMap { Int($0) })
        #expect(headline(html, "people with an intervention") == String((people + 2) / 5 * 5))
        #expect(!html.lowercased().contains("<script"))
        // No treated person's ID appears anywhere in it.
        let interventions = try String(contentsOfFile: data.path("interventions.csv"), encoding: .utf8)
        let ids = interventions.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").first.map(String.init) }
        #expect(ids.count == people)
        #expect(!ids.contains { html.contains($0) })
        // No comparison group: the page says the before/after change is not an effect, beside the up/same/down shares.
        let effect = try #require(section(html, "effect"))
        #expect(effect.contains("the before/after change is not an effect"))
        #expect(effect.contains("<caption>Treated people whose cost per person-year"))
        #expect(!html.contains("<caption>Difference in differences") && !html.contains("<caption>Placebo test"))
        #expect(headline(html, "probability that NPV &gt; 0 (bootstrap)") == nil)
        #expect(html.contains("<li>A before/after change is not an effect."))
        // The default observation end, and how it was decided.
        #expect(html.contains("(inclusive; the last date the data covers: latest event)"))
    }

    @Test("John without --observation-end: the page states the default end in its provenance, and Housing options is not available, not £0")
    func defaultEndAndUnpriced() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("john.html")
        let study = CofRunner.johnStudy(services: true)
        let withoutEnd = Array(study.prefix { $0 != "--observation-end" }) + Array(study.drop { $0 != "--observation-end" }.dropFirst(2))
        let result = try CofRunner.run(["report", "--person", "JOHN-0001", "--raw-ids", "--html", path] + withoutEnd)
        try #require(result.exitCode == 0, "\(result)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let statement = try #require(result.errLines.first { $0.hasPrefix("cof: observation end ") })
        #expect(statement.hasSuffix(": the last date the data covers (latest event); pass --observation-end to set it"))
        let date = String(statement.dropFirst("cof: observation end ".count).prefix(10))
        #expect(html.contains("observation end \(date) (inclusive; the last date the data covers: latest event)"))
        // The by-service table: Housing options' money is not available, with its counts left out.
        let row = try #require(html.components(separatedBy: "<tr>").first { $0.hasPrefix("<td>Housing options</td>") })
        #expect(!row.contains("£"), "\(row)")
        #expect(row.contains(#"<td class="num">2</td><td class="num">3</td><td class="num">6</td><td class="num">1</td></tr>"#), "\(row)")
    }

    @Test("--html and --output together are a usage error")
    func both() throws {
        let result = try CofRunner.run(["report", "--html", "a.html", "--output", "a.txt"] + CofRunner.johnStudy())
        #expect(result.exitCode == 64, "\(result)")
    }
}
