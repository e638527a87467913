import Foundation
import Testing

/// One command that reads event files, as the progress tests run it.
struct ProgressCase: Sendable, CustomTestStringConvertible {
    var name: String
    var arguments: [String]
    /// The events on standard input, when they come there.
    var stdin: String?

    var testDescription: String { name }

    static let all: [ProgressCase] = [
        ProgressCase(name: "compare", arguments: ["compare", "--format", "csv"] + CofRunner.johnStudy()),
        ProgressCase(name: "compare by cohort", arguments: ["compare", "--by", "cohort", "--format", "csv"] + CofRunner.johnStudy()),
        ProgressCase(name: "report", arguments: ["report"] + CofRunner.johnStudy(services: true)),
        ProgressCase(name: "export", arguments: ["export", "--table", "finance", "--format", "json"] + CofRunner.johnStudy(services: true)),
        ProgressCase(name: "validate", arguments: ["validate", "--events", CofRunner.fixture("events.csv"),
                                                   "--interventions", CofRunner.fixture("interventions.csv"),
                                                   "--unit-costs", CofRunner.fixture("unit-costs.csv")]),
        ProgressCase(name: "partial", arguments: ["partial"] + Array(CofRunner.johnStudy().dropFirst(2)),
                     stdin: try? String(contentsOfFile: CofRunner.fixture("events.csv"), encoding: .utf8)),
    ]

    func run(_ extra: [String], environment: [String: String] = [:]) throws -> CofRunner.Result {
        try CofRunner.run(arguments + extra, stdin: stdin.map { Data($0.utf8) }, environment: environment)
    }
}

/// A progress line as `--progress` writes it: `cof: read 12 KB of 12 KB (100%), 162 rows, 3.1 MB/s`.
private func isProgressLine(_ line: some StringProtocol) -> Bool {
    String(line).wholeMatch(of: #/cof: read [0-9.]+ [KMGTP]?B( of [0-9.]+ [KMGTP]?B \((100|[1-9]?[0-9])%\))?, [0-9,]+ rows?(, [0-9.]+ [KMGTP]?B/s)?(, about [0-9]+ (s|min) left)?/#) != nil
}

/// Every progress sample shows at once and the last line is always written (see ProgressOptions).
private let immediate = ["COF_PROGRESS_INTERVAL_MS": "0"]

@Suite("Progress on standard error while event files are read")
struct ProgressCommandTests {
    @Test("--progress writes progress lines on standard error only: standard output is byte for byte the same",
          arguments: ProgressCase.all)
    func progressLines(_ command: ProgressCase) throws {
        let plain = try command.run([])
        let withProgress = try command.run(["--progress"], environment: immediate)
        #expect(plain.exitCode == 0, "\(plain)")
        #expect(withProgress.exitCode == 0, "\(withProgress)")
        #expect(withProgress.stdout == plain.stdout)
        #expect(!withProgress.out.contains("cof: read"))
        let lines = withProgress.errLines.filter { $0.hasPrefix("cof: read ") }
        #expect(!lines.isEmpty, "\(withProgress)")
        for line in lines { #expect(isProgressLine(line), "\(line)") }
        // The last says what was read in all: the whole file, the share only when its size is known.
        let fileSize = try #require(FileManager.default.attributesOfItem(atPath: CofRunner.fixture("events.csv"))[.size] as? Int)
        try #require((10_000..<999_500).contains(fileSize))
        let shownSize = "\(Int((Double(fileSize) / 1_000).rounded())) KB"
        let last = try #require(lines.last)
        #expect(last.hasPrefix(command.stdin == nil ? "cof: read \(shownSize) of \(shownSize) (100%), " : "cof: read \(shownSize), "), "\(last)")
        // Everything else on standard error is as it was.
        #expect(withProgress.errLines.filter { !$0.hasPrefix("cof: read ") } == plain.errLines)
    }

    @Test("Without --progress, standard error that is not a terminal gets no progress, whatever the interval",
          arguments: ProgressCase.all)
    func noProgressInLogs(_ command: ProgressCase) throws {
        let plain = try command.run([])
        let timed = try command.run([], environment: immediate)
        #expect(timed.exitCode == plain.exitCode)
        #expect(timed.stderr == plain.stderr, "\(timed)")
        #expect(timed.stdout == plain.stdout)
    }

    @Test("--quiet: no progress and no notes, only warnings and errors; the same output", arguments: ProgressCase.all)
    func quiet(_ command: ProgressCase) throws {
        let plain = try command.run([])
        let quiet = try command.run(["--quiet"], environment: immediate)
        #expect(quiet.exitCode == plain.exitCode, "\(quiet)")
        #expect(quiet.stdout == plain.stdout)
        for line in quiet.errLines {
            #expect(line.hasPrefix("cof: warning: ") || line.hasPrefix("cof: error: "), "\(line)")
        }
        #expect(plain.errLines.contains { !$0.hasPrefix("cof: warning: ") })  // there were notes to silence
    }

    @Test("--progress and --quiet together are a usage error")
    func progressAndQuiet() throws {
        let result = try ProgressCase.all[0].run(["--progress", "--quiet"])
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.stdout.isEmpty)
    }

    @Test("A bad row's error starts a line of its own after the progress lines")
    func errorAfterProgress() throws {
        let directory = try TemporaryDirectory()
        let events = try directory.write("bad.csv", "person_id,service,event,date,quantity,cost\n"
                                         + String(repeating: "JOHN-0001,A&E,attendance,2023-01-10,,\n", count: 500)
                                         + "JOHN-0001,A&E,attendance,2023-02-30,,\n")
        let result = try CofRunner.run(["compare", "--progress"] + CofRunner.johnStudy(events: events), environment: immediate)
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.stdout.isEmpty)
        let error = try #require(result.errLines.last)
        #expect(error.hasPrefix("cof: error: ") && error.contains("bad.csv:502:"), "\(result)")
        #expect(result.errLines.dropLast().allSatisfy { isProgressLine($0) }, "\(result)")
    }

    @Test("On a terminal the progress line is redrawn in place and cleared: nothing of it is left on a line")
    func terminal() throws {
        let result = try CofRunner.runOnTerminal(["compare", "--by", "cohort"] + CofRunner.johnStudy(), environment: immediate)
        #expect(result.exitCode == 0, "\(result)")
        // What shows of each line is what follows its last carriage return.
        for line in result.out.split(separator: "\n", omittingEmptySubsequences: false) {
            let shown = line.split(separator: "\r", omittingEmptySubsequences: false).last ?? ""
            #expect(!shown.contains("cof: read"), "\(line)")
        }
        #expect(result.out.contains("money in"))  // the notes still show, each on a line of its own
        let quiet = try CofRunner.runOnTerminal(["compare", "--by", "cohort", "--quiet"] + CofRunner.johnStudy(), environment: immediate)
        #expect(!quiet.out.contains("cof: read") && !quiet.out.contains("\r"), "\(quiet)")
    }

    @Test("On a terminal an error shows on a line of its own, with no progress left before it")
    func terminalError() throws {
        let directory = try TemporaryDirectory()
        let events = try directory.write("bad.csv", "person_id,service,event,date,quantity,cost\n"
                                         + String(repeating: "JOHN-0001,A&E,attendance,2023-01-10,,\n", count: 5_000)
                                         + "JOHN-0001,A&E,attendance,2023-02-30,,\n")
        let result = try CofRunner.runOnTerminal(["compare"] + CofRunner.johnStudy(events: events), environment: immediate)
        let shown = result.out.split(separator: "\n").map { $0.split(separator: "\r", omittingEmptySubsequences: false).last ?? "" }
        #expect(shown.contains { $0.hasPrefix("cof: error: ") && $0.contains("bad.csv:5002:") }, "\(result)")
        #expect(!shown.contains { $0.contains("cof: read") }, "\(result)")
    }
}
