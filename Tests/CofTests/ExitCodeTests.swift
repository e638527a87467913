import Foundation
import Testing

/// One malformed events file and what the error must say about it.
struct BadEvents: Sendable, CustomTestStringConvertible {
    var name: String
    var contents: String
    /// The physical line the message must name.
    var line: Int
    /// The column the message must name, if the problem is in one column.
    var column: String?
    /// Words of the problem the message must contain.
    var problem: String
    /// A cell value that must not be echoed.
    var secret: String

    var testDescription: String { name }
}

@Suite("exit codes and bad input")
struct ExitCodeTests {
    static let header = "person_id,service,event,date,quantity,cost\n"
    static let good = "JOHN-0001,A&E,attendance,2023-01-10,,\n"

    static let badEvents: [BadEvents] = [
        BadEvents(name: "missing date column",
                  contents: "person_id,service,event,quantity,cost\nSECRET-PERSON-77,A&E,attendance,,\n",
                  line: 1, column: "date", problem: "missing column", secret: "SECRET-PERSON-77"),
        BadEvents(name: "unparseable date",
                  contents: header + good + "JOHN-0001,A&E,attendance,31/02/2023,,\n",
                  line: 3, column: "date", problem: "bad date", secret: "31/02/2023"),
        BadEvents(name: "bad amount in cost",
                  contents: header + good + "JOHN-0001,A&E,attendance,2023-01-11,,99.9Z9\n",
                  line: 3, column: "cost", problem: "bad amount", secret: "99.9Z9"),
        BadEvents(name: "bad quantity",
                  contents: header + good + good + "JOHN-0001,A&E,attendance,2023-01-11,7.25,\n",
                  line: 4, column: "quantity", problem: "bad quantity", secret: "7.25"),
        BadEvents(name: "wrong number of fields",
                  contents: header + good + "SECRET-ROW-9,A&E,attendance,2023-01-11,\n",
                  line: 3, column: nil, problem: "wrong number of fields", secret: "SECRET-ROW-9"),
        BadEvents(name: "quoted newline before the bad row",
                  contents: header + "JOHN-0001,\"A&E\nsecond line\",attendance,2023-01-10,,\n" + "JOHN-0001,A&E,attendance,2023-02-30,,\n",
                  line: 4, column: "date", problem: "bad date", secret: "2023-02-30"),
        BadEvents(name: "quoted CRLF and blank line before the bad row",
                  contents: header + "JOHN-0001,\"A&E\r\nx\r\ny\",attendance,2023-01-10,,\r\n\r\n" + "JOHN-0001,A&E,attendance,2023-02-29,,\r\n",
                  line: 6, column: "date", problem: "bad date", secret: "2023-02-29"),
        BadEvents(name: "missing person_id value",
                  contents: header + good + ",A&E,SECRET-EVENT,2023-01-11,,\n",
                  line: 3, column: "person_id", problem: "missing value", secret: "SECRET-EVENT"),
    ]

    @Test("bad events: exit 65, one line naming file, line, column and problem, no value echoed, no output file",
          arguments: badEvents)
    func badInput(_ bad: BadEvents) throws {
        let directory = try TemporaryDirectory()
        let events = try directory.write("bad.csv", bad.contents)
        let output = directory.path("out.csv")
        let result = try CofRunner.run(["compare"] + CofRunner.johnStudy(events: events) + ["--format", "csv", "--output", output])

        #expect(result.exitCode == 65, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errLines.count == 1, "\(result)")
        let message = try #require(result.errLines.first)
        #expect(message.hasPrefix("cof: error: \(events):\(bad.line): "), "\(message)")
        if let column = bad.column { #expect(message.contains("column '\(column)'"), "\(message)") }
        #expect(message.contains(bad.problem), "\(message)")
        #expect(message.contains("expected"), "\(message)")
        #expect(!result.err.contains(bad.secret), "personal data echoed: \(message)")
        #expect(!message.contains("Fatal error") && !message.contains("Stack"))
        // Written completely or not at all: nothing but the input is left in the directory.
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try directory.contents() == ["bad.csv"])
    }

    @Test("a record number is given besides the physical line")
    func recordNumber() throws {
        let directory = try TemporaryDirectory()
        let bad = Self.badEvents.first { $0.name == "quoted newline before the bad row" }!
        let events = try directory.write("bad.csv", bad.contents)
        let result = try CofRunner.run(["compare"] + CofRunner.johnStudy(events: events))
        #expect(result.exitCode == 65)
        #expect(result.err == "cof: error: \(events):4: record 3, column 'date': bad date: expected a date as YYYY-MM-DD or DD/MM/YYYY, optionally followed by a time; found a day or month that does not exist\n")
    }

    @Test("bad data read from standard input is named <stdin>")
    func badStandardInput() throws {
        let bad = Self.badEvents.first { $0.name == "unparseable date" }!
        let result = try CofRunner.run(["compare"] + CofRunner.johnStudy(events: "-"), stdin: Data(bad.contents.utf8))
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.err.hasPrefix("cof: error: <stdin>:3: record 3, column 'date': bad date"))
        #expect(!result.err.contains(bad.secret))
    }

    @Test("bad data in the other inputs is also 65 and names that file", arguments: ["interventions", "unit-costs", "services"])
    func badOtherInput(kind: String) throws {
        let directory = try TemporaryDirectory()
        var args = ["compare", "--events", CofRunner.fixture("events.csv"), "--before", "6m", "--after", "12m"]
        let path: String, column: String
        switch kind {
        case "interventions":
            path = try directory.write("int.csv", "person_id,start_date\nJOHN-0001,2023-05-01\nJOHN-0001,2023-13-12\n")
            column = "start_date"
            args += ["--interventions", path, "--unit-costs", CofRunner.fixture("unit-costs.csv")]
        case "unit-costs":
            path = try directory.write("uc.csv", "service,event,unit_cost\nA&E,attendance,27x3\n")
            column = "unit_cost"
            args += ["--interventions", CofRunner.fixture("interventions.csv"), "--unit-costs", path]
        default:
            path = try directory.write("svc.csv", "service,agency\nA&E,NHS\n")
            column = "category"
            args += ["--interventions", CofRunner.fixture("interventions.csv"), "--unit-costs", CofRunner.fixture("unit-costs.csv"),
                     "--services", path]
        }
        let output = directory.path("out.csv")
        let result = try CofRunner.run(args + ["--output", output])
        #expect(result.exitCode == 65, "\(result)")
        let message = try #require(result.errLines.last)
        #expect(message.hasPrefix("cof: error: \(path):"), "\(message)")
        #expect(message.contains("column '\(column)'"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("a missing input file is exit 66", arguments: ["events", "interventions", "unit-costs", "services"])
    func missingFile(option: String) throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("no-such-\(option).csv")
        var args = ["compare", "--before", "6m", "--after", "12m", "--output", directory.path("out.csv")]
        let inputs = ["events": CofRunner.fixture("events.csv"), "interventions": CofRunner.fixture("interventions.csv"),
                      "unit-costs": CofRunner.fixture("unit-costs.csv"), "services": CofRunner.fixture("services.csv")]
        for (name, path) in inputs.sorted(by: { $0.key < $1.key }) { args += ["--\(name)", name == option ? missing : path] }
        let result = try CofRunner.run(args)
        #expect(result.exitCode == 66, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.err.contains(missing))
        #expect(try directory.contents().isEmpty)
    }

    @Test("usage errors are exit 64", arguments: [
        ["--before", "6w"],
        ["--before", "m"],
        ["--after", "-3m"],
        ["--observation-end", "2024-02-30"],
        ["--format", "xml"],
        ["--no-such-option"],
        ["--interventions", "-", "--events", "-"],
    ])
    func usage(change: [String]) throws {
        var base: [String: String] = [
            "--events": CofRunner.fixture("events.csv"), "--interventions": CofRunner.fixture("interventions.csv"),
            "--unit-costs": CofRunner.fixture("unit-costs.csv"), "--before": "6m", "--after": "12m",
        ]
        var extra: [String] = []
        var i = 0
        while i < change.count {
            if i + 1 < change.count, !change[i + 1].hasPrefix("--") {
                base[change[i]] = change[i + 1]
                i += 2
            } else {
                extra.append(change[i])
                i += 1
            }
        }
        let args = ["compare"] + base.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] } + extra
        let result = try CofRunner.run(args, stdin: Data())
        #expect(result.exitCode == 64, "\(args) → \(result)")
        #expect(result.stdout.isEmpty)
        #expect(!result.err.isEmpty)
    }

    @Test("a missing required option is exit 64", arguments: ["--events", "--interventions", "--before", "--after"])
    func missingOption(option: String) throws {
        let all: [(String, String)] = [
            ("--events", CofRunner.fixture("events.csv")), ("--interventions", CofRunner.fixture("interventions.csv")),
            ("--unit-costs", CofRunner.fixture("unit-costs.csv")), ("--before", "6m"), ("--after", "12m"),
        ]
        let args = ["compare"] + all.filter { $0.0 != option }.flatMap { [$0.0, $0.1] }
        let result = try CofRunner.run(args)
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.err.contains(option.dropFirst(2)))
    }

    @Test("without --unit-costs the shipped reference table prices the events, and says so")
    func shippedUnitCosts() throws {
        let args = ["compare", "--events", CofRunner.fixture("events.csv"), "--interventions", CofRunner.fixture("interventions.csv"),
                    "--before", "6m", "--after", "12m", "--price-base", "2024-25", "--format", "csv"]
        let result = try CofRunner.run(args)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.err.contains("shipped table of published UK unit costs"))
        #expect(result.err.contains("money in 2024-25 prices (restated with HM Treasury GDP deflators"))
        // A&E is £273.00 in 2023-24 prices: £284.04 in 2024-25 prices, per attendance.
        let ae = result.out.split(separator: "\n").first { $0.contains(",A&E,") }.map { $0.split(separator: ",").map(String.init) }
        let events = ae.flatMap { Int($0[2]) } ?? 0
        #expect(events > 0 && ae?[4] == String(format: "%.2f", Double(events * 28_404) / 100))
    }

    @Test("a price base the deflator does not cover is bad data, exit 65")
    func uncoveredPriceBase() throws {
        let args = ["compare", "--events", CofRunner.fixture("events.csv"), "--interventions", CofRunner.fixture("interventions.csv"),
                    "--unit-costs", CofRunner.fixture("unit-costs.csv"), "--before", "6m", "--after", "12m", "--price-base", "1990-91"]
        let result = try CofRunner.run(args)
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.err.contains("no price index for the price base 1990-91"))
    }

    @Test("an output file that cannot be written is exit 74")
    func unwritableOutput() throws {
        let directory = try TemporaryDirectory()
        let result = try CofRunner.run(["compare"] + CofRunner.johnStudy() + ["--format", "csv", "--output", directory.path("missing-dir/out.csv")])
        #expect(result.exitCode == 74, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errLines.last?.contains("cannot write") == true)
        #expect(try directory.contents().isEmpty)
    }

    @Test("success is exit 0 with progress on standard error only")
    func success() throws {
        let result = try CofRunner.run(["compare"] + CofRunner.johnStudy() + ["--format", "csv"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.out.hasPrefix("person_id,"))
        #expect(!result.err.contains("person_id,"))
        #expect(result.errLines.allSatisfy { $0.hasPrefix("cof: ") })
        let quiet = try CofRunner.run(["compare"] + CofRunner.johnStudy() + ["--format", "csv", "--quiet"])
        #expect(quiet.stdout == result.stdout)
        #expect(!quiet.err.contains("cof: read"))
    }
}
