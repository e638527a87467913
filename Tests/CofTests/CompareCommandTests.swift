import Foundation
import Testing

@Suite("cof compare")
struct CompareCommandTests {
    static let contractHeader = "person_id,service,before_events,before_quantity,before_cost,after_events,after_quantity,after_cost,before_days,after_days"
    static let moneyColumns = ["before_cost", "after_cost", "before_cost_per_year", "after_cost_per_year", "change_cost_per_year"]

    func compare(_ format: String, events: String = CofRunner.fixture("events.csv"), stdin: Data? = nil, extra: [String] = []) throws -> CofRunner.Result {
        try CofRunner.run(["compare"] + CofRunner.johnStudy(events: events) + ["--format", format] + extra, stdin: stdin)
    }

    func johnCSV() throws -> (text: String, header: [String], rows: [[String: String]]) {
        let result = try compare("csv")
        try #require(result.exitCode == 0, "\(result)")
        let (header, rows) = try CSV.records(result.out)
        return (result.out, header, rows)
    }

    @Test("--observation-end takes the data's date forms: 31/03/2024 is 2024-03-31; an impossible date is a usage error")
    func observationEndForms() throws {
        let iso = try compare("csv")
        let study = CofRunner.johnStudy().map { $0 == "2024-03-31" ? "31/03/2024" : $0 }
        let dmy = try CofRunner.run(["compare"] + study + ["--format", "csv"])
        try #require(iso.exitCode == 0 && dmy.exitCode == 0, "\(dmy)")
        #expect(dmy.stdout == iso.stdout)
        let bad = try CofRunner.run(["compare"] + CofRunner.johnStudy().map { $0 == "2024-03-31" ? "31/02/2024" : $0 } + ["--format", "csv"])
        #expect(bad.exitCode == 64)
    }

    @Test("An extract date on one source only: compare takes the earliest coverage (another source's latest event), says so, and equals giving that end")
    func extractDateOnOneSource() throws {
        // John's project with no observation_end, and the ED attendances extracted on 30/04/2024.
        let directory = try TemporaryDirectory()
        let johnFolder = URL(fileURLWithPath: CofRunner.fixture("cof.json")).deletingLastPathComponent()
        var project = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CofRunner.fixture("cof.json")))) as? [String: Any])
        project["observation_end"] = nil
        project["rejects"] = nil
        var sources = try #require(project["sources"] as? [[String: Any]])
        for index in sources.indices {
            sources[index]["file"] = johnFolder.appendingPathComponent(try #require(sources[index]["file"] as? String)).path
        }
        sources[0]["extract_date"] = "30/04/2024"
        project["sources"] = sources
        for key in ["unit_costs", "interventions", "services"] {
            project[key] = johnFolder.appendingPathComponent(try #require(project[key] as? String)).path
        }
        let path = directory.path("cof.json")
        try JSONSerialization.data(withJSONObject: project).write(to: URL(fileURLWithPath: path))
        let decided = try CofRunner.run(["compare", "--project", path, "--format", "csv"])
        try #require(decided.exitCode == 0, "\(decided)")
        let statement = try #require(decided.errLines.first { $0.hasPrefix("cof: observation end ") })
        #expect(statement.hasSuffix(": the last date the data covers (earliest of the sources' extract dates (or latest events, for a source without one)); pass --observation-end to set it"))
        let end = String(statement.dropFirst("cof: observation end ".count).prefix(10))
        #expect(end < "2024-03-28", "another source's latest event comes before the latest event of all")
        let given = try CofRunner.run(["compare", "--project", path, "--format", "csv", "--observation-end", end])
        #expect(given.stdout == decided.stdout)
    }

    @Test("the CSV header starts with the ten contract columns")
    func header() throws {
        let (text, header, rows) = try johnCSV()
        let firstLine = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)[0]
        #expect(firstLine.hasPrefix(Self.contractHeader))
        #expect(Array(header.prefix(10)) == Self.contractHeader.split(separator: ",").map(String.init))
        #expect(Set(header).count == header.count, "duplicate column names")
        // Every row has every column.
        let all = try CSV.parse(text)
        #expect(all.allSatisfy { $0.count == header.count })
        #expect(!rows.isEmpty)
        #expect(text.hasSuffix("\n"))
    }

    @Test("A&E: 116 attendances in the 6 months before, 7 in the (under) 12 months after")
    func accidentAndEmergency() throws {
        let (_, _, rows) = try johnCSV()
        let ae = rows.filter { $0["service"] == "A&E" }
        try #require(ae.count == 1)
        #expect(ae[0]["person_id"] == "JOHN-0001")
        #expect(ae[0]["before_events"] == "116")
        #expect(ae[0]["after_events"] == "7")
        #expect(ae[0]["before_days"] == "181")
        #expect(ae[0]["after_days"] == "336")
        // £273.00 an attendance (NCC-ED, 2023-24 prices).
        #expect(ae[0]["before_cost"] == "31668.00")
        #expect(ae[0]["after_cost"] == "1911.00")
    }

    @Test("Hospital has no events after the index date; Liberated Method has 161, none before")
    func hospitalAndIntervention() throws {
        let (_, _, rows) = try johnCSV()
        let hospital = rows.filter { $0["service"] == "Hospital" }
        #expect(hospital.allSatisfy { $0["after_events"] == "0" && $0["after_cost"] == "0.00" })
        #expect(hospital.contains { Int($0["before_events"] ?? "") ?? 0 > 0 })
        let liberated = try #require(rows.first { $0["service"] == "Liberated Method" })
        #expect(liberated["before_events"] == "0")
        #expect(liberated["after_events"] == "161")
        #expect(liberated["after_cost"] == "28065.00")
    }

    @Test("every row has the same exposure: one person, one index date")
    func exposure() throws {
        let (_, _, rows) = try johnCSV()
        #expect(rows.allSatisfy { $0["before_days"] == "181" && $0["after_days"] == "336" })
    }

    @Test("rows are sorted byte-wise by person, then service, with no duplicates")
    func sorted() throws {
        let (_, _, rows) = try johnCSV()
        let keys = rows.map { (Array(($0["person_id"] ?? "").utf8), Array(($0["service"] ?? "").utf8)) }
        for (a, b) in zip(keys, keys.dropFirst()) {
            let ordered = a.0.lexicographicallyPrecedes(b.0) || (a.0 == b.0 && a.1.lexicographicallyPrecedes(b.1))
            #expect(ordered, "\(String(decoding: a.1, as: UTF8.self)) is not before \(String(decoding: b.1, as: UTF8.self))")
        }
    }

    @Test("only people with an intervention appear (P-0002 has none)")
    func onlyTreatedPeople() throws {
        let (text, _, rows) = try johnCSV()
        #expect(Set(rows.compactMap { $0["person_id"] }) == ["JOHN-0001"])
        #expect(!text.contains("P-0002"))
    }

    @Test("money fields are plain pounds with two decimals")
    func moneyFormat() throws {
        let (_, header, rows) = try johnCSV()
        let pattern = try Regex(#"^-?\d+\.\d\d$"#)
        for column in Self.moneyColumns where header.contains(column) {
            for row in rows {
                let value = try #require(row[column])
                if column.hasSuffix("_per_year") && value.isEmpty { continue }   // no exposure
                #expect(value.wholeMatch(of: pattern) != nil, "\(column) = '\(value)'")
            }
        }
        for column in ["before_cost", "after_cost"] {
            #expect(rows.allSatisfy { ($0[column] ?? "").wholeMatch(of: pattern) != nil })
        }
    }

    @Test("JSON is an array of objects holding the same A&E figures as CSV")
    func json() throws {
        let result = try compare("json")
        try #require(result.exitCode == 0, "\(result)")
        let parsed = try JSONSerialization.jsonObject(with: result.stdout)
        let objects = try #require(parsed as? [[String: Any]])
        let (_, header, csvRows) = try johnCSV()
        #expect(objects.count == csvRows.count)
        let ae = try #require(objects.first { $0["service"] as? String == "A&E" })
        let csvAE = try #require(csvRows.first { $0["service"] == "A&E" })
        #expect(Set(ae.keys) == Set(header))
        #expect(ae["person_id"] as? String == "JOHN-0001")
        for column in ["before_events", "before_quantity", "after_events", "after_quantity", "before_days", "after_days"] {
            #expect((ae[column] as? NSNumber)?.int64Value == Int64(csvAE[column] ?? ""), "\(column)")
        }
        for column in ["before_cost", "after_cost"] {
            let number = try #require(ae[column] as? NSNumber)
            #expect(Int64((number.doubleValue * 100).rounded()) == pence(csvAE[column] ?? ""), "\(column)")
        }
        #expect((ae["before_events"] as? NSNumber)?.int64Value == 116)
        #expect((ae["after_events"] as? NSNumber)?.int64Value == 7)
        // Money is written with two decimals, straight from pence.
        #expect(result.out.contains("\"before_cost\": 31668.00"))
    }

    @Test("the table format is for reading: £ amounts with separators")
    func table() throws {
        let result = try compare("table")
        try #require(result.exitCode == 0, "\(result)")
        #expect(result.out.contains("£"))
        #expect(result.out.contains("£31,668.00"))
        #expect(result.out.contains("JOHN-0001"))
        #expect(!result.out.contains("P-0002"))
    }

    @Test("--output writes the file and nothing to standard output", arguments: ["csv", "json", "table"])
    func outputFile(format: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("result.\(format)")
        let toFile = try compare(format, extra: ["--output", path])
        #expect(toFile.exitCode == 0, "\(toFile)")
        #expect(toFile.stdout.isEmpty)
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        let toStdout = try compare(format)
        #expect(written == toStdout.stdout)
        #expect(try directory.contents() == ["result.\(format)"])   // no .partial- leftovers
    }

    @Test("events from standard input give the same output as from the file", arguments: ["csv", "json", "table"])
    func standardInput(format: String) throws {
        let events = try Data(contentsOf: URL(fileURLWithPath: CofRunner.fixture("events.csv")))
        let fromStdin = try compare(format, events: "-", stdin: events)
        let fromFile = try compare(format)
        #expect(fromStdin.exitCode == 0, "\(fromStdin)")
        #expect(!fromStdin.stdout.isEmpty)
        #expect(fromStdin.stdout == fromFile.stdout)
        #expect(fromStdin.err.contains("<stdin>"))
    }

    /// The result is the same whatever order the event rows come in, and however they are split
    /// across files.
    @Test("row order and file split do not matter", arguments: ["reversed", "split", "crlf"])
    func inputShapeDoesNotMatter(shape: String) throws {
        let original = try String(contentsOfFile: CofRunner.fixture("events.csv"), encoding: .utf8)
        var lines = original.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        let directory = try TemporaryDirectory()
        var files: [String] = []
        switch shape {
        case "reversed":
            files = [try directory.write("events.csv", ([header] + lines.reversed()).joined(separator: "\n") + "\n")]
        case "split":
            let half = lines.count / 2
            files = [try directory.write("a.csv", ([header] + lines[..<half]).joined(separator: "\n") + "\n"),
                     try directory.write("b.csv", ([header] + lines[half...]).joined(separator: "\n"))]   // no final newline
        default:
            files = [try directory.write("events.csv", ([header] + lines).joined(separator: "\r\n") + "\r\n")]
        }
        var args = ["compare"] + CofRunner.johnStudy(events: files[0]) + ["--format", "csv"]
        for extra in files.dropFirst() { args += ["--events", extra] }
        let reshaped = try CofRunner.run(args)
        #expect(reshaped.exitCode == 0, "\(reshaped)")
        #expect(reshaped.out == (try compare("csv").out))
    }

    func pence(_ text: String) -> Int64? {
        let negative = text.hasPrefix("-")
        let parts = text.drop { $0 == "-" }.split(separator: ".")
        guard parts.count == 2, let pounds = Int64(parts[0]), let rest = Int64(parts[1]) else { return nil }
        return (negative ? -1 : 1) * (pounds * 100 + rest)
    }
}
