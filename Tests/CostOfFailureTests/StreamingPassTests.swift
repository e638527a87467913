import Foundation
import Testing
@testable import CostOfFailure

/// What a compare run produced, as comparable values: its rows and everything it reports.
private struct Outcome: Equatable, CustomStringConvertible {
    var rows: [BeforeAfterTable.Row] = []
    var sources: [SourceReconciliation] = []
    var rejects: [IngestError] = []
    var unpriced: [EventCosts.UnpricedPair] = []
    var coverage: [SourceCoverage] = []
    var error: String?

    var description: String {
        error.map { "error: \($0)" } ?? "\(rows.count) rows, \(sources), \(rejects.count) rejects, \(unpriced.count) unpriced pairs"
    }
}

/// The table path: load every event, price them all, then aggregate.
private func tablePath(_ inputs: StudyInputs) -> Outcome {
    do {
        let study = try inputs.load()
        return Outcome(rows: try BeforeAfterTable(study: study).rows, sources: study.events.sources,
                       rejects: study.events.rejects, unpriced: study.costs.unpriced, coverage: study.sourceCoverage)
    } catch {
        return Outcome(error: "\(error)")
    }
}

/// The streaming path with `loader`.
private func onePass(_ inputs: StudyInputs, loader: EventLoader) -> Outcome {
    do {
        let pass = try StreamingPass(inputs, loader: loader)
        #expect(pass.events.count == 0, "the pass keeps no rows")
        return Outcome(rows: pass.beforeAfter.rows, sources: pass.events.sources, rejects: pass.events.rejects, unpriced: pass.unpriced,
                       coverage: pass.sourceCoverage)
    } catch {
        return Outcome(error: "\(error)")
    }
}

private func expectSamePaths(_ inputs: StudyInputs, expectRows: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
    let expected = tablePath(inputs)
    if expectRows { #expect(!expected.rows.isEmpty, "\(expected)", sourceLocation: sourceLocation) }
    for loader in loaders(inputs.policy) {
        let actual = onePass(inputs, loader: loader)
        #expect(actual.rows.count == expected.rows.count, sourceLocation: sourceLocation)
        #expect(zip(actual.rows, expected.rows).first { $0 != $1 } == nil,
                "morsel \(loader.morselRows), workers \(loader.workers), parts of \(loader.partBytes) bytes", sourceLocation: sourceLocation)
        #expect(actual.sources == expected.sources, sourceLocation: sourceLocation)
        #expect(actual.rejects == expected.rejects, sourceLocation: sourceLocation)
        #expect(actual.unpriced == expected.unpriced, sourceLocation: sourceLocation)
        // Each source's coverage of the cohort, tallied as the pass streams (see SourceCoverageTally).
        #expect(actual.coverage == expected.coverage, "morsel \(loader.morselRows), workers \(loader.workers), parts of \(loader.partBytes) bytes",
                sourceLocation: sourceLocation)
        #expect(actual.error == expected.error, sourceLocation: sourceLocation)
    }
}

private func file(_ text: String, _ name: String) throws -> InputSource {
    .file(try temporaryFile(text, name: name))
}

private func unitCostsCSV(_ entries: [UnitCostTable.Entry]) -> String {
    "service,event,unit_cost\n" + entries.map { "\($0.service),\($0.event),\(String(format: $0.unitCostPence))\n" }.joined()
}

private func interventionsCSV(_ entries: [InterventionTable.Entry]) -> String {
    "person_id,start_date\n" + entries.map { "\($0.personID),\($0.start)\n" }.joined()
}

@Suite("One-pass compare against the table path")
struct StreamingPassTests {
    @Test("Generated studies: the same rows, reconciliation and unpriced pairs however the rows are split", arguments: [31, 32, 33, 34] as [UInt64])
    func generatedStudies(seed: UInt64) throws {
        let generated = GeneratedStudy(seed: seed, rows: 3_000)
        var inputs = StudyInputs(events: [EventSource(try file(generated.csvText(), "events.csv"))],
                                 interventions: try file(interventionsCSV(generated.interventions), "interventions.csv"),
                                 unitCosts: try file(unitCostsCSV(generated.unitCosts), "unit-costs.csv"),
                                 windows: generated.windows)
        inputs.replaceShippedUnitCosts = true  // the reference prices with the generated table alone
        expectSamePaths(inputs)
        #expect(onePass(inputs, loader: EventLoader()).rows == generated.referenceRows())
    }

    @Test("Blocks of any number of people join into the whole table, in order")
    func blocks() throws {
        let generated = GeneratedStudy(seed: 35, rows: 3_000)
        var inputs = StudyInputs(events: [EventSource(try file(generated.csvText(), "events.csv"))],
                                 interventions: try file(interventionsCSV(generated.interventions), "interventions.csv"),
                                 unitCosts: try file(unitCostsCSV(generated.unitCosts), "unit-costs.csv"),
                                 windows: generated.windows)
        inputs.replaceShippedUnitCosts = true  // the reference prices with the generated table alone
        let pass = try StreamingPass(inputs)
        #expect(pass.beforeAfter.rows == generated.referenceRows())
        for people in [1, 3, 4_096] {
            var rows: [BeforeAfterTable.Row] = []
            var blocks = 0
            try pass.forEachBlock(people: people) { block in
                #expect(!block.rows.isEmpty)
                #expect(Set(block.rows.map(\.personID)).count <= people)
                rows += block.rows
                blocks += 1
            }
            #expect(rows == pass.beforeAfter.rows)
            #expect(people > 1 || blocks == Set(rows.map(\.personID)).count)
        }
        // Blocks built and transformed on several threads come back in order, whole.
        for (workers, blockBits) in [(1, 12), (2, 12), (2, 0), (3, 2), (2, 5)] {
            var rows: [BeforeAfterTable.Row] = []
            var blocks = 0
            try pass.forEachCodedBlock(workers: workers, blockBits: blockBits, transform: { BeforeAfterTable($0).rows }) { block in
                #expect(!block.isEmpty)
                #expect(Set(block.map(\.personID)).count <= 1 << blockBits)
                rows += block
                blocks += 1
            }
            #expect(rows == pass.beforeAfter.rows)
            #expect(blockBits > 0 || blocks == Set(rows.map(\.personID)).count)
        }
    }

    @Test("Synthetic data from the generator, with a comparison group and an effect")
    func synthetic() throws {
        let dataset = SyntheticDataset(options: .init(events: 40_000, seed: 5, comparisonShare: 0.2, effect: 0.3))
        var bytes: [UInt8] = []
        dataset.writeEvents { bytes += $0 }
        let inputs = StudyInputs(events: [EventSource(try file(String(decoding: bytes, as: UTF8.self), "events.csv"))],
                                 interventions: try file(dataset.interventionsCSV(), "interventions.csv"),
                                 unitCosts: try file(dataset.unitCostsCSV(), "unit-costs.csv"),
                                 windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months),
                                                       observationEnd: day("2023-06-30")))
        expectSamePaths(inputs)
    }

    @Test("A NUL or an inner byte-order mark in an ID or a name: the row rejected with its reason on both paths, the rest as if it were not there")
    func strayMarks() throws {
        let good = """
            person_id,service,event,date,quantity,cost
            P1,A&E,attendance,2023-01-10,1,100.00
            P1,A&E,attendance,2023-08-10,2,100.00
            P2,Police,arrest,2023-02-01,1,50.00
            P2,Police,arrest,2023-09-01,1,50.00

            """
        // P3 is not in the cohort: a scan that follows the cohort must still reject its NUL row.
        let bad = good + """
            P1\u{0},A&E,attendance,2023-03-01,1,100.00
            \u{FEFF}P2,Police,arrest,2023-03-02,1,50.00
            P1,A&E\u{0},attendance,2023-03-03,1,100.00
            P2,Police,arr\u{FEFF}est,2023-03-04,1,50.00
            P3\u{0},Police,arrest,2023-03-05,1,50.00
            P1,A&E,attendance,2023-09-11,1,100.00

            """
        let interventions = try file("person_id,start_date\nP1,2023-06-01\nP2,2023-06-01\n", "interventions.csv")
        let windows = StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(6, .months), observationEnd: day("2023-12-31"))
        func inputs(_ text: String) throws -> StudyInputs {
            StudyInputs(events: [EventSource(try file(text, "events.csv"))], interventions: interventions, unitCosts: nil,
                        windows: windows, policy: ErrorPolicy(mode: .reject))
        }
        let withBadRows = try inputs(bad)
        expectSamePaths(withBadRows)
        let outcome = tablePath(withBadRows)
        #expect(outcome.rejects.map(\.kind) == [.nulByte, .byteOrderMark, .nulByte, .byteOrderMark, .nulByte])
        #expect(outcome.rejects.map(\.line) == [6, 7, 8, 9, 10])
        #expect(outcome.rejects.map(\.column) == ["person_id", "person_id", "service", "event", "person_id"])
        #expect(outcome.sources.first?.rejected == 5 && outcome.sources.first?.balances == true)
        // The cohort and its figures: those of the good rows plus the last one, no new person or service.
        let expected = tablePath(try inputs(good + "P1,A&E,attendance,2023-09-11,1,100.00\n"))
        #expect(outcome.rows == expected.rows)
        #expect(Set(outcome.rows.map(\.personID)) == ["P1", "P2"])
        #expect(Set(outcome.rows.map(\.service)) == ["A&E", "Police"])
        // A message never quotes the ID, only where the byte is.
        #expect(outcome.rejects[0].description.hasSuffix("record 6, column 'person_id': NUL byte at byte 3 of the field: expected text with no NUL (0x00) bytes (the row would otherwise name another person, service or event)"))
    }

    @Test("Quoted line breaks, CRLF, blank lines and bad rows set aside", arguments: [false, true], [false, true])
    func rejectsAndQuoting(faults: Bool, quotedBreaks: Bool) throws {
        // Without quoted line breaks every cut is good, so a file is read in many parts.
        let events = try file(generatedCSV(seed: 41, rows: 4_000, faults: faults, quotedBreaks: quotedBreaks), "events.csv")
        let people = (0..<200).filter { $0 % 3 == 0 }.map { "P\($0),2023-05-0\($0 % 9 + 1)\n" }.joined()
        let unitCosts = "service,event,unit_cost\n" + (0..<5).map { "Service \($0),*,\($0 * 10 + 1).25\n" }.joined()
        let inputs = StudyInputs(events: [EventSource(events), EventSource(events)],
                                 interventions: try file("person_id,start_date\n" + people, "interventions.csv"),
                                 unitCosts: try file(unitCosts, "unit-costs.csv"),
                                 windows: StudyWindows(before: WindowSpan(90, .days), after: WindowSpan(3, .months)),
                                 policy: ErrorPolicy(mode: faults ? .reject : .fail))
        expectSamePaths(inputs)
    }

    @Test("Non-ASCII IDs: a Windows-1252 file's treated person is found; invalid UTF-8 is rejected whoever it is")
    func nonASCIIIDs() throws {
        // "PÉ1" and "Zoë" in Windows-1252 (É = 0xC9, ë = 0xEB); the interventions file is UTF-8.
        var cp1252: [UInt8] = Array("person_id,service,event,date\n".utf8)
        for i in 0..<200 {
            cp1252 += Array("P".utf8) + [0xC9] + Array("1,A&E,attendance,2023-0\(i % 9 + 1)-15\n".utf8)
            cp1252 += Array("Zo".utf8) + [0xEB] + Array(",Police,arrest,2023-0\(i % 9 + 1)-16\n".utf8)
            cp1252 += Array("P2,A&E,attendance,2023-0\(i % 9 + 1)-17\n".utf8)
        }
        var utf8 = Array("person_id,service,event,date\nP1,A&E,attendance,2023-01-01\n".utf8)
        utf8 += Array("P".utf8) + [0xC9, 0x31] + Array(",A&E,attendance,2023-02-01\n".utf8)  // invalid UTF-8, not treated
        utf8 += Array("PÉ1,A&E,attendance,2023-03-01\n".utf8)
        let directory = try temporaryFile("", name: "x")
        let folder = String(directory.dropLast(2))
        let cpPath = folder + "/cp1252.csv", utfPath = folder + "/utf8.csv"
        try Data(cp1252).write(to: URL(fileURLWithPath: cpPath))
        try Data(utf8).write(to: URL(fileURLWithPath: utfPath))
        let interventions = try file("person_id,start_date\nPÉ1,2023-05-01\nP1,2023-01-01\n", "interventions.csv")
        let unitCosts = try file("service,event,unit_cost\nA&E,*,100\nPolice,*,50\n", "unit-costs.csv")
        for policy in [ErrorPolicy(mode: .reject), .failFast] {
            let inputs = StudyInputs(events: [EventSource(.file(cpPath), encoding: .windows1252), EventSource(.file(utfPath))],
                                     interventions: interventions, unitCosts: unitCosts,
                                     windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)), policy: policy)
            expectSamePaths(inputs, expectRows: policy.mode == .reject)
        }
        let inputs = StudyInputs(events: [EventSource(.file(cpPath), encoding: .windows1252)], interventions: interventions,
                                 unitCosts: unitCosts, windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
        #expect(onePass(inputs, loader: EventLoader()).rows.map(\.personID) == ["PÉ1"])
    }

    @Test("IDs of every length around the 32 bytes held to a row's end, treated or not, with spaces around them")
    func idLengths() throws {
        // Treated and untreated IDs of 1 to 40 bytes, differing only in their last byte, so a
        // held or staged ID that lost or gained a byte would be someone else.
        var events = "person_id,service,event,date\n"
        var interventions = "person_id,start_date\n"
        for length in 1...40 {
            let stem = String(repeating: "N", count: length - 1)
            interventions += "\(stem)T,2023-05-01\n"
            for month in 1...9 {
                events += "\(stem)T,A&E,attendance,2023-0\(month)-10\n"
                events += " \(stem)U ,Police,arrest,2023-0\(month)-11\n"
                events += "\(stem)T ,Police,arrest,2023-0\(month)-12\n"
            }
        }
        let inputs = StudyInputs(events: [EventSource(try file(events, "events.csv"))],
                                 interventions: try file(interventions, "interventions.csv"),
                                 unitCosts: try file("service,event,unit_cost\nA&E,*,100\nPolice,*,50\n", "unit-costs.csv"),
                                 windows: StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(6, .months)))
        expectSamePaths(inputs)
        let rows = onePass(inputs, loader: EventLoader()).rows
        #expect(Set(rows.map(\.personID)).count == 40)
        #expect(rows.allSatisfy { $0.personID.hasSuffix("T") })
    }

    @Test("John's agencies through the project file, and his two window settings")
    func john() throws {
        let project = try ProjectFile.load(path: fixture("john/cof.json"))
        for windows in [StudyWindows(before: WindowSpan(10, .years), after: WindowSpan(12, .months)),
                        StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(12, .months), observationEnd: day("2024-03-31"))] {
            for sources in [project.sources, [EventSource(.file(fixture("john/events.csv")))]] {
                let inputs = StudyInputs(events: sources, interventions: project.interventions!, unitCosts: project.unitCosts!,
                                         services: project.services, windows: windows)
                expectSamePaths(inputs)
            }
        }
    }

    @Test("Malformed files fail, or are set aside, at the same row with the same message",
          arguments: ["bad_amount", "ragged_row", "runaway_quote", "impossible_date", "missing_column", "invalid_utf8", "zero_quantity",
                       "spell_ends_before_start"])
    func malformed(name: String) throws {
        for mode in [ErrorPolicy.Mode.fail, .reject] {
            let inputs = StudyInputs(events: [EventSource(.file(fixture("malformed/\(name).csv")))],
                                     interventions: .file(fixture("john/interventions.csv")), unitCosts: .file(fixture("john/unit-costs.csv")),
                                     windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)),
                                     policy: ErrorPolicy(mode: mode))
            expectSamePaths(inputs, expectRows: false)
        }
    }

    @Test("An implausible cost of someone not in the cohort is still an error, the first in file order")
    func overflowOutsideTheCohort() throws {
        var text = "person_id,service,event,date,quantity,cost\n"
        for i in 0..<500 { text += "P\(i % 20),A&E,attendance,2023-01-\(i % 18 + 10),1,\n" }
        text += "Q1,Police,arrest,2023-02-01,1,\"2,000,000,000\"\n"  // nobody treated; over the £1bn cap
        text += "Q2,Courts,hearing,2023-02-01,1,\"3,000,000,000\"\n"
        for i in 0..<500 { text += "P\(i % 20),A&E,attendance,2023-03-\(i % 18 + 10),1,\n" }
        let inputs = StudyInputs(events: [EventSource(try file(text, "events.csv"))],
                                 interventions: try file("person_id,start_date\nP1,2023-02-01\n", "interventions.csv"),
                                 unitCosts: try file("service,event,unit_cost\nA&E,*,100\n", "unit-costs.csv"),
                                 windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
        let expected = tablePath(inputs)
        #expect(expected.error?.contains("(Police, arrest)") == true, "\(expected)")
        for loader in loaders(.failFast) {
            #expect(onePass(inputs, loader: loader) == expected)
        }
    }

    @Test("A bad events file is reported before a bad unit-cost file, as the table path does")
    func errorOrder() throws {
        let inputs = StudyInputs(events: [EventSource(.file(fixture("malformed/bad_amount.csv")))],
                                 interventions: .file(fixture("john/interventions.csv")), unitCosts: .file("/nonexistent/unit-costs.csv"),
                                 windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
        let expected = tablePath(inputs)
        #expect(expected.error?.contains("bad_amount.csv") == true)
        #expect(onePass(inputs, loader: EventLoader()) == expected)
        var good = inputs
        good.events = [EventSource(.file(fixture("john/events.csv")))]
        let missing = tablePath(good)
        #expect(missing.error?.contains("unit-costs.csv") == true)
        #expect(onePass(good, loader: EventLoader()) == missing)
    }
}
