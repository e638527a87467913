import Foundation
import Testing

/// `cof export` streams (one pass, per-member folds over the cohort's events) where it can, and
/// `COF_TABLE_PATH=1` makes it load the event table instead: for any input the two must write
/// the same bytes for every table and format, the same standard error and the same exit code.
/// These tests generate studies full of the cases where the two could part and hold them to it.
@Suite("cof export: the streaming pass and the table path write the same bytes")
struct StreamingExportTests {
    /// The tables a streaming pass folds (``ExportCommand/folded``), each exported alone as CSV.
    static let streamableTables = ["cohort", "by-service", "by-category", "by-agency", "financial-years",
                                   "intervention-by-year", "appraisal", "use-change", "trajectory"]

    /// The appraisal options of the README's example.
    static let appraisalOptions = ["--years", "5", "--persistence", "80%", "--recurring-cost", "5000",
                                   "--optimism-bias-costs", "20%", "--optimism-bias-benefits", "10%", "--deadweight", "30%"]

    @Test("Generated hard studies: the finance pack (JSON, workbook) and every streamable table (CSV), protected and not",
          arguments: HardStudy.Options.all)
    func hardStudies(_ options: HardStudy.Options) throws {
        let study = try HardStudy(options)
        let pack = try Self.exportEverything(study.arguments, stdin: study.stdin, directory: study.directory,
                                             files: options.badRows ? [study.rejectsPath] : [], label: options.description)
        // The study holds what it is meant to: recorded costs and unpriced events of the
        // intervention's own service, and a pair unpriced in the before window only.
        let tables = try #require(try JSONSerialization.jsonObject(with: pack) as? [[String: Any]])
        func rows(_ name: String) -> [[String: Any]] { tables.first { $0["name"] as? String == name }?["rows"] as? [[String: Any]] ?? [] }
        let intervention = rows("intervention_by_financial_year")
        #expect(intervention.contains { ($0["recorded_cost"] as? Double ?? 0) > 0 } && intervention.contains { ($0["unpriced"] as? Int ?? 0) > 0 })
        let police = try #require(rows("cohort_by_service").first { $0["service"] as? String == "Police" })
        #expect((police["before_unpriced"] as? Int ?? 0) > 0 && police["after_unpriced"] as? Int == 0, "\(police)")
        if options.badRows {
            // The same bad rows without --on-error reject: the first one stops both paths alike.
            let failing = study.arguments.filter { $0 != "--on-error" && $0 != "reject" && $0 != "--rejects" && $0 != study.rejectsPath }
            let result = try Self.expectSamePaths(["export"] + failing + ["--table", "finance", "--format", "json"],
                                                  stdin: study.stdin, label: "\(options) failing on the first bad row")
            #expect(result.exitCode == 65, "\(result)")
        }
    }

    @Test("A dataset of cof generate, its events split over three files, one of them on standard input")
    func generatedDataset() throws {
        let directory = try TemporaryDirectory()
        let generated = try CofRunner.run(["generate", "--events", "4000", "--seed", "23", "--people", "160",
                                           "--intervention-share", "0.4", "--output-dir", directory.path("g")])
        try #require(generated.exitCode == 0, "\(generated)")
        let text = try String(contentsOfFile: directory.path("g/events.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = String(lines.removeFirst())
        var parts = [[String]](repeating: [], count: 3)
        for (i, line) in lines.enumerated() { parts[i % 3].append(String(line)) }
        let files = try (0..<2).map { try directory.write("events-\($0).csv", ([header] + parts[$0]).joined(separator: "\n") + "\n") }
        let stdin = Data((([header] + parts[2]).joined(separator: "\n") + "\n").utf8)
        let arguments = ["--events", files[0], "--events", "-", "--events", files[1],
                         "--interventions", directory.path("g/interventions.csv"), "--unit-costs", directory.path("g/unit-costs.csv"),
                         "--services", directory.path("g/services.csv"), "--before", "12m", "--after", "12m"]
        try Self.exportEverything(arguments, stdin: stdin, directory: directory, label: "generated")
    }

    @Test("An implausible cost (over £1bn), a cost the price base cannot restate, a bad file: the same message and exit code on both paths",
          arguments: Attack.allCases)
    func failures(_ attack: Attack) throws {
        let study = try HardStudy(HardStudy.Options(seed: 7))
        let arguments = try attack.arguments(study)
        for table in ["finance", "financial-years"] {
            let result = try Self.expectSamePaths(["export"] + arguments + ["--table", table, "--format", "json"],
                                                  stdin: study.stdin, label: "\(attack) \(table)")
            #expect(result.exitCode == attack.exitCode, "\(attack): \(result)")
            if attack.exitCode == 65 {
                #expect(result.errLines.last?.contains(attack.message) == true, "\(attack): \(result)")
            }
        }
    }

    /// Inputs at the edge of what the engine accepts: most must fail, all alike.
    enum Attack: String, CaseIterable, CustomStringConvertible {
        case implausibleExplicitCostOfTreated, implausibleExplicitCostOfUntreated, implausibleUnitCostTimesQuantity
        case implausibleCostThenBadRow, recordedCostOverOneBillion, recordedCostOutsideDeflator, explicitCostOutsideDeflator
        case unitCostOutsideDeflatorAndBadEvents, badInterventionsAndBadEvents, missingEventsFile
        case costsOverCeilingOutsideCohort, recordedCostsTipOverCeiling

        var description: String { rawValue }

        var exitCode: Int32 {
            switch self {
            case .missingEventsFile: return 66
            // The £1bn cap is one event's; a recorded cost counts only in the study's total.
            case .recordedCostOverOneBillion: return 0
            default: return 65
            }
        }

        /// What the last line of standard error says.
        var message: String {
            switch self {
            case .implausibleExplicitCostOfTreated, .implausibleExplicitCostOfUntreated: return "implausible cost: an event of (A&E, attendance) costs more than £1,000,000,000"
            case .implausibleUnitCostTimesQuantity: return "implausible cost: an event of (Police, arrest) costs more than £1,000,000,000"
            case .recordedCostOutsideDeflator: return "an intervention cost (data row"
            case .explicitCostOutsideDeflator: return "no price index for 1998-99"
            case .implausibleCostThenBadRow, .unitCostOutsideDeflatorAndBadEvents, .badInterventionsAndBadEvents: return "extra.csv:3: record 3, column 'date': bad date"
            case .recordedCostOverOneBillion, .missingEventsFile: return ""
            case .costsOverCeilingOutsideCohort: return "overflow: the events' costs taken together is beyond what the engine holds"
            case .recordedCostsTipOverCeiling: return "overflow: the events' and the interventions' recorded costs taken together is beyond"
            }
        }

        /// The study's arguments, changed to fail this way.
        func arguments(_ study: HardStudy) throws -> [String] {
            var arguments = study.arguments
            func addEvents(_ line: String) throws {
                let path = try study.directory.write("extra.csv", "person_id,service,event,date,quantity,cost\n" + line + "\n")
                arguments = ["--events", path] + arguments
            }
            switch self {
            case .implausibleExplicitCostOfTreated: try addEvents("T001,A&E,attendance,2021-05-04,1,1000000000.01")
            case .implausibleExplicitCostOfUntreated: try addEvents("U001,A&E,attendance,2021-05-04,1,\"£1,500,000,000\"")
            case .implausibleUnitCostTimesQuantity: try addEvents("T002,Police,arrest,2021-05-04,2000000,")
            case .implausibleCostThenBadRow:
                // The pass stops taking rows at the implausible cost, but reads on: the bad
                // row after it is the error, as when the table is loaded first.
                try addEvents("T001,A&E,attendance,2021-05-04,1,1000000000.01\nT001,A&E,attendance,2021-02-30,1,")
            case .recordedCostOverOneBillion:
                let path = try study.directory.write("interventions-huge.csv", "person_id,start_date,cost\nT001,2021-01-01,1000000000.01\nT002,2021-02-01,\n")
                arguments = Self.replacing("--interventions", with: path, in: arguments)
            case .recordedCostOutsideDeflator:
                let path = try study.directory.write("interventions-old.csv", "person_id,start_date,cost\nT001,2021-01-01,10\nT002,1999-02-01,25\n")
                arguments = Self.replacing("--interventions", with: path, in: arguments) + ["--price-base", "2024-25"]
            case .explicitCostOutsideDeflator:
                try addEvents("T001,A&E,attendance,1998-05-04,1,12.50")
                arguments += ["--price-base", "2024-25"]
            case .unitCostOutsideDeflatorAndBadEvents:
                let path = try study.directory.write("unit-costs-old.csv", "service,event,unit_cost,price_year\nA&E,*,100,1990-91\n")
                arguments = Self.replacing("--unit-costs", with: path, in: arguments) + ["--price-base", "2024-25"]
                try addEvents("T001,A&E,attendance,2021-01-01,1,\nT001,A&E,attendance,2021-02-30,1,")
            case .badInterventionsAndBadEvents:
                // The table path reads the events first, so their error is the one reported.
                let path = try study.directory.write("interventions-bad.csv", "person_id,start_date\nT001,2021-13-01\n")
                arguments = Self.replacing("--interventions", with: path, in: arguments)
                try addEvents("T001,A&E,attendance,2021-01-01,1,\nT001,A&E,attendance,2021-02-30,1,")
            case .costsOverCeilingOutsideCohort, .recordedCostsTipOverCeiling:
                // Spells of 36,525 nights at £1bn a night: £73 trillion of someone outside the
                // cohort, past the £40 trillion a study holds (or £36.5 trillion, that a recorded
                // cost takes past it). The table path checks every event; so must the pass.
                let unitCosts = try study.directory.write("unit-costs-vault.csv", "service,event,unit_cost\nVault,*,1000000000\nA&E,*,100\n")
                let spell = "U001,Vault,night,1950-01-01,,,2050-01-01\n"
                let events = try study.directory.write("vault.csv", "person_id,service,event,date,quantity,cost,end_date\n"
                                                       + spell + (self == .costsOverCeilingOutsideCohort ? spell : ""))
                arguments = ["--events", events] + Self.replacing("--unit-costs", with: unitCosts, in: arguments)
                if self == .recordedCostsTipOverCeiling {
                    let path = try study.directory.write("interventions-tip.csv", "person_id,start_date,cost\nT001,2021-01-01,\"3,500,000,000,000\"\n")
                    arguments = Self.replacing("--interventions", with: path, in: arguments)
                }
            case .missingEventsFile:
                arguments = ["--events", study.directory.path("no-such-file.csv")] + arguments
            }
            return arguments
        }

        static func replacing(_ option: String, with value: String, in arguments: [String]) -> [String] {
            var arguments = arguments
            let at = arguments.firstIndex(of: option)!
            arguments[at + 1] = value
            return arguments
        }
    }

    /// Exports the finance pack (JSON on standard output, a workbook to a file) and every
    /// streamable table alone (CSV), under the default disclosure rule and under none, on both
    /// paths, expecting the same.
    @discardableResult
    static func exportEverything(_ arguments: [String], stdin: Data?, directory: TemporaryDirectory, files: [String] = [],
                                 label: String) throws -> Data {
        var unprotected = Data()
        let workbook = directory.path("pack.xlsx")
        for disclosure in [[], ["--disclosure", "none"]] {
            let finance = try expectSamePaths(["export"] + arguments + disclosure + ["--table", "finance", "--format", "json"],
                                              stdin: stdin, files: files, label: "\(label) finance json \(disclosure)")
            #expect(finance.exitCode == 0, "\(label): \(finance)")
            if !disclosure.isEmpty { unprotected = finance.stdout }
            let pack = try expectSamePaths(["export"] + arguments + disclosure + ["--format", "xlsx", "--output", workbook],
                                           stdin: stdin, files: [workbook] + files, label: "\(label) xlsx \(disclosure)")
            #expect(pack.exitCode == 0, "\(label): \(pack)")
            for table in streamableTables {
                let one = try expectSamePaths(["export"] + arguments + disclosure + ["--table", table, "--format", "csv"],
                                              stdin: stdin, files: files, label: "\(label) \(table) csv \(disclosure)")
                #expect(one.exitCode == 0, "\(label) \(table): \(one)")
            }
            // The cohort's report streams too: its protected text, and its HTML.
            let report = try expectSamePaths(["report"] + arguments + disclosure, stdin: stdin, files: files,
                                             label: "\(label) report \(disclosure)")
            #expect(report.exitCode == 0, "\(label): \(report)")
            let page = directory.path("report.html")
            let html = try expectSamePaths(["report"] + arguments + disclosure + ["--html", page], stdin: stdin, files: [page] + files,
                                           label: "\(label) report html \(disclosure)")
            #expect(html.exitCode == 0, "\(label): \(html)")
        }
        return unprotected
    }

    /// Runs `arguments` streaming and with `COF_TABLE_PATH=1`, expecting the same exit code,
    /// standard output, standard error and `files` (paths the run writes; removed after each
    /// run, so the second cannot pass on the first's file); returns the streaming run.
    @discardableResult
    static func expectSamePaths(_ arguments: [String], stdin: Data?, files: [String] = [], label: String) throws -> CofRunner.Result {
        func run(_ environment: [String: String]) throws -> (CofRunner.Result, [Data?]) {
            for file in files { try? FileManager.default.removeItem(atPath: file) }
            let result = try CofRunner.run(arguments, stdin: stdin, environment: environment)
            let written = files.map { try? Data(contentsOf: URL(fileURLWithPath: $0)) }
            for file in files { try? FileManager.default.removeItem(atPath: file) }
            return (result, written)
        }
        let (streamed, streamedFiles) = try run([:])
        let (table, tableFiles) = try run(["COF_TABLE_PATH": "1"])
        #expect(streamed.exitCode == table.exitCode, "\(label): exit \(streamed.exitCode) streaming, \(table.exitCode) from the table")
        #expect(streamed.stderr == table.stderr, "\(label): standard error differs: \(firstDifference(streamed.stderr, table.stderr))")
        #expect(streamed.stdout == table.stdout, "\(label): standard output differs: \(firstDifference(streamed.stdout, table.stdout))")
        for (i, file) in files.enumerated() {
            #expect(streamedFiles[i] != nil || streamed.exitCode != 0, "\(label): \(file) not written")
            if streamedFiles[i] != tableFiles[i] {
                let difference = file.hasSuffix(".xlsx") ? try workbookDifference(streamedFiles[i], tableFiles[i])
                    : firstDifference(streamedFiles[i] ?? Data(), tableFiles[i] ?? Data())
                Issue.record("\(label): \(file) differs: \(difference)")
            }
        }
        return streamed
    }

    /// The first line where `a` (streaming) and `b` (table) differ, for the failure message.
    static func firstDifference(_ a: Data, _ b: Data) -> String {
        let left = String(decoding: a, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let right = String(decoding: b, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for i in 0..<max(left.count, right.count) {
            let l = i < left.count ? String(left[i]) : "<none>", r = i < right.count ? String(right[i]) : "<none>"
            if l != r { return "line \(i + 1):\n  streaming: \(l.prefix(600))\n  table:     \(r.prefix(600))" }
        }
        return "none"
    }

    /// The first part of two workbooks that differs, and where.
    static func workbookDifference(_ a: Data?, _ b: Data?) throws -> String {
        guard let a, let b else { return "written by one path only (streaming: \(a != nil), table: \(b != nil))" }
        let left = try workbookParts(a), right = try workbookParts(b)
        for name in Set(left.keys).union(right.keys).sorted() where left[name] != right[name] {
            let l = Array((left[name] ?? "").utf8), r = Array((right[name] ?? "").utf8)
            let at = (0..<min(l.count, r.count)).first { l[$0] != r[$0] } ?? min(l.count, r.count)
            func around(_ bytes: [UInt8]) -> String { String(decoding: bytes[max(0, at - 200)..<min(bytes.count, at + 200)], as: UTF8.self) }
            return "\(name) at byte \(at):\n  streaming: \(around(l))\n  table:     \(around(r))"
        }
        return "the same parts, different zip bytes"
    }
}

/// A seeded numbers stream (SplitMix64): the same seed, the same study.
private struct SeededNumbers {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Civil days (days since 1970-01-01) written as the data writes dates.
private enum CivilDay {
    static func of(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        return era * 146_097 + yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear - 719_468
    }

    static func parts(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func iso(_ days: Int) -> String {
        let (y, m, d) = parts(days)
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }

    static func british(_ days: Int) -> String {
        let (y, m, d) = parts(days)
        return "\(d < 10 ? "0" : "")\(d)/\(m < 10 ? "0" : "")\(m)/\(y)"
    }
}

/// A seeded study on disk, a few thousand rows, with the cases where a per-member fold could
/// part from the table: treated people with no rows, or rows only outside their windows; the
/// intervention's own service priced and unpriced, beside recorded costs (some 0, some blank);
/// negative and zero explicit costs; a pair unpriced in the before window only; spells across
/// the index date and across 31 March, with explicit costs that do not divide evenly; custody
/// (`removes`) and death (`ends`) taking days out; a service in no services file; a person
/// with several interventions; events after the observation end; an event file per agency,
/// one on standard input, one with DD/MM/YYYY dates; bad rows set aside.
struct HardStudy {
    /// What varies between the studies.
    struct Options: CustomStringConvertible, Sendable {
        var seed: UInt64
        var observationEnd: String? = nil
        var priceBase = false
        var badRows = false
        var onStandardInput = false
        var appraisal = false
        var before = "12m", after = "6m"

        var description: String {
            "seed \(seed)" + (observationEnd.map { " end \($0)" } ?? "") + (priceBase ? " price-base" : "")
                + (badRows ? " rejects" : "") + (onStandardInput ? " stdin" : "") + (appraisal ? " appraisal" : "") + " \(before)/\(after)"
        }

        static let all: [Options] = [
            Options(seed: 1, observationEnd: "2023-06-30", priceBase: true, appraisal: true, before: "12m", after: "6m"),
            Options(seed: 2, badRows: true, onStandardInput: true, before: "6m", after: "12m"),
            Options(seed: 3, observationEnd: "2022-12-31", badRows: true, onStandardInput: true, appraisal: true, before: "365d", after: "200d"),
            Options(seed: 4, priceBase: true, appraisal: true, before: "12m", after: "12m"),
        ]
    }

    let directory: TemporaryDirectory
    /// The study's flags (events, tables, windows and the options).
    let arguments: [String]
    /// What `--events -` reads, when a file is on standard input.
    let stdin: Data?
    /// Where rejected rows are written, with bad rows.
    let rejectsPath: String

    init(_ options: Options) throws {
        directory = try TemporaryDirectory()
        var numbers = SeededNumbers(state: options.seed &* 0x1234_5677 &+ 99)
        var files: [String: [String]] = ["health": [], "police": [], "housing": [], "programme": []]
        var interventions: [String] = []

        func money(_ numbers: inout SeededNumbers) -> String {
            numbers.pick(["12.50", "-12.50", "(7.25)", "0", "\"£1,234.56\"", "333.33", "0.01", "-0.99"])
        }
        /// One person's events around `index` (nil: an untreated person, any date).
        func events(person: String, index: Int?, outsideOnly: Bool, count: Int, _ numbers: inout SeededNumbers) {
            let span = index.map { ($0 - 460)..<($0 + 460) } ?? (CivilDay.of(2017, 1, 1)..<CivilDay.of(2024, 3, 1))
            var died = false
            for _ in 0..<count {
                var day = span.lowerBound + numbers.below(span.count)
                if outsideOnly, let index {
                    // Before the longest before window or after the longest after window.
                    day = numbers.chance(50) ? index - 400 - numbers.below(300) : index + 380 + numbers.below(300)
                }
                let roll = numbers.below(100)
                switch roll {
                case 0..<30:
                    let event = numbers.pick(["attendance", "attendance", "handover"])
                    let quantity = numbers.chance(20) ? String(1 + numbers.below(3)) : ""
                    let cost = numbers.chance(12) ? money(&numbers) : ""
                    files["health"]!.append("\(person),A&E,\(event),\(CivilDay.iso(day)),\(quantity),\(cost)")
                case 30..<40:
                    files["health"]!.append("\(person),Ambulance,conveyance,\(CivilDay.iso(day)),,\(numbers.chance(10) ? money(&numbers) : "")")
                case 40..<58:
                    // A stop has no price, and a treated person's stops all lie in the last 90
                    // days before the index date: a pair unpriced in the before window only.
                    let stop = numbers.chance(35)
                    let stopDay = index.map { $0 - 1 - numbers.below(90) } ?? day
                    let when = stop && !outsideOnly ? stopDay : day
                    files["police"]!.append("\(person),Police,\(stop && !outsideOnly ? "stop" : "arrest"),\(CivilDay.british(when)),,\(numbers.chance(8) ? money(&numbers) : ""),")
                case 58..<72:
                    // A hostel spell; some across the index date, some across 31 March.
                    var start = day
                    if let index, !outsideOnly, numbers.chance(30) { start = index - 1 - numbers.below(20) }
                    if numbers.chance(25) {
                        let (year, _, _) = CivilDay.parts(day)
                        start = CivilDay.of(year, 3, 31) - numbers.below(10)
                        if outsideOnly, let index, start >= index - 400, start < index + 380 { start = day }
                    }
                    let nights = numbers.pick([0, 1, 2, 7, 23, 40])
                    let cost = numbers.chance(25) ? numbers.pick(["700.01", "-33.35", "0.05", "100"]) : ""
                    let quantity = numbers.chance(15) ? "2" : ""
                    files["housing"]!.append("\(person),Hostel,night,\(CivilDay.iso(start)),\(quantity),\(cost),\(nights == 0 ? "" : CivilDay.iso(start + nights))")
                case 72..<78:
                    let nights = 1 + numbers.below(20)
                    files["police"]!.append("\(person),Custody,remand,\(CivilDay.british(day)),,,\(CivilDay.british(day + nights))")
                case 78..<90 where index != nil:
                    // The intervention's own service: sessions priced, outreach not; some with
                    // their own explicit cost.
                    let event = numbers.chance(70) ? "session" : "outreach"
                    let when = outsideOnly ? day : index! + numbers.below(200)
                    let cost = numbers.chance(20) ? money(&numbers) : ""
                    files["programme"]!.append("\(person),LM,\(event),\(CivilDay.iso(when)),,\(cost),")
                case 90..<97:
                    files["programme"]!.append("\(person),Mystery,contact,\(CivilDay.iso(day)),,,")
                default:
                    if !died, numbers.chance(40) {
                        died = true
                        files["programme"]!.append("\(person),Deaths,death,\(CivilDay.iso(day)),,,")
                    } else {
                        files["health"]!.append("\(person),A&E,attendance,\(CivilDay.iso(day)),,")
                    }
                }
            }
        }

        let treated = 45 + numbers.below(20)
        for t in 0..<treated {
            let person = "T" + String(1000 + t).dropFirst()
            let index = CivilDay.of(2019, 6, 1) + numbers.below(1_250)
            // Several interventions for some: the earliest start is the index date, whatever
            // the order of the rows.
            var starts = [index]
            if numbers.chance(15) { starts += (0..<(1 + numbers.below(2))).map { _ in index + 1 + numbers.below(400) } }
            for start in starts.shuffled(using: &numbers) {
                let cost = numbers.pick(["", "", "0", "1500", "\"£2,250.50\"", "300.75"])
                interventions.append("\(person),\(CivilDay.iso(start)),,LM,\(cost)")
            }
            switch numbers.below(10) {
            case 0: break  // no rows at all
            case 1: events(person: person, index: index, outsideOnly: true, count: 3 + numbers.below(6), &numbers)
            default: events(person: person, index: index, outsideOnly: false, count: 10 + numbers.below(70), &numbers)
            }
        }
        for u in 0..<(20 + numbers.below(20)) {
            events(person: "U" + String(1000 + u).dropFirst(), index: nil, outsideOnly: false, count: 5 + numbers.below(30), &numbers)
        }
        if options.badRows {
            files["health"]! += ["T001,A&E,attendance,2021-02-30,,", "T002,A&E,attendance,2021-03-01,0,", "T003,A&E,attendance",
                                 "U001,A&E,attendance,2021-03-01,1,12.345"]
            files["housing"]! += ["T004,Hostel,night,2021-03-05,,,2021-03-01"]
        }

        let headers = ["health": "person_id,service,event,date,quantity,cost",
                       "police": "person_id,service,event,date,quantity,cost,end_date",
                       "housing": "Person_ID,Service,Event,Date,Quantity,Cost,End_Date",
                       "programme": "person_id,service,event,date,quantity,cost,end_date"]
        var eventArguments: [String] = []
        var stdin: Data?
        for name in ["health", "police", "housing", "programme"] {
            let text = ([headers[name]!] + files[name]!.shuffled(using: &numbers)).joined(separator: "\n") + "\n"
            if name == "housing" && options.onStandardInput {
                stdin = Data(text.utf8)
                eventArguments += ["--events", "-"]
            } else {
                eventArguments += ["--events", try directory.write("\(name).csv", text)]
            }
        }
        self.stdin = stdin
        let interventionsPath = try directory.write("interventions.csv", (["person_id,start_date,end_date,programme,cost"]
                                                                          + interventions.shuffled(using: &numbers)).joined(separator: "\n") + "\n")
        let unitCosts = try directory.write("unit-costs.csv", """
            service,event,unit_cost,price_year,value_type,agency,cashable
            A&E,attendance,162.00,2023-24,fiscal,NHS England,yes
            A&E,*,95.50,2021-22,fiscal,,yes
            Ambulance,*,280.00,2022-23,economic,Ambulance Trust,no
            Police,arrest,715.00,2019-20,social,,
            Hostel,night,41.25,2020-21,fiscal,Council,yes
            Custody,*,120.00,2022-23,,HMPPS,no
            Deaths,*,0,2023-24,,,
            LM,session,75.00,2023-24,fiscal,Programme,yes

            """)
        let services = try directory.write("services.csv", """
            service,category,agency,exposure
            A&E,Health,NHS,
            Ambulance,Health,NHS,
            Police,Criminal justice,Police,
            Hostel,Housing,Council,
            Custody,Criminal justice,HMPPS,removes
            Deaths,Register,GRO,ends
            LM,Intervention,Programme,

            """)
        rejectsPath = directory.path("rejects.csv")
        var arguments = eventArguments + ["--interventions", interventionsPath, "--unit-costs", unitCosts, "--services", services,
                                          "--before", options.before, "--after", options.after]
        if let end = options.observationEnd { arguments += ["--observation-end", end] }
        if options.priceBase { arguments += ["--price-base", "2024-25"] }
        if options.badRows { arguments += ["--on-error", "reject", "--rejects", rejectsPath] }
        if options.appraisal { arguments += StreamingExportTests.appraisalOptions }
        self.arguments = arguments
    }
}

extension SeededNumbers: RandomNumberGenerator {}
