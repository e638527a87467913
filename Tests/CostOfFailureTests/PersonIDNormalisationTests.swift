import Foundation
import Testing
@testable import CostOfFailure

/// `rule` applied to `id` by the ingest's normaliser: the normalised ID, or why it was refused.
private func normalised(_ id: String, _ rule: PersonIDNormalisation, encoding: TextEncoding = .utf8) -> Result<String, PersonIDNormaliser.Failure> {
    var output: [UInt8] = []
    let normaliser = PersonIDNormaliser(rule, encoding: encoding)
    return Array(id.utf8).withUnsafeBytes { bytes in
        do throws(PersonIDNormaliser.Failure) {
            try normaliser.normalise(bytes, into: &output)
            return .success(String(decoding: output, as: UTF8.self))
        } catch {
            return .failure(error)
        }
    }
}

@Suite("Per-source person ID normalisation")
struct PersonIDNormalisationTests {
    /// Three treated people with NHS numbers; the health export writes them as they are, the
    /// agency export with spaces (`083 016 6130`-style) as one agency in issue 19 did.
    private let cohort = ["9434765919", "4010232137", "1000000060"]

    private func spaced(_ id: String) -> String {
        "\(id.prefix(3)) \(id.dropFirst(3).prefix(3)) \(id.suffix(4))"
    }

    private func inputs(agency: PersonIDNormalisation, agencyIDs: [String]? = nil, interventionIDs: [String]? = nil,
                        interventionsRule: PersonIDNormalisation = .none, policy: ErrorPolicy = .failFast) throws -> StudyInputs {
        let health = "person_id,service,event,date\n" + cohort.map { "\($0),A&E,attendance,2019-06-01\n" }.joined()
            + "9999999999,A&E,attendance,2019-06-01\n"
        let agencyCSV = "Client Ref,service,event,date\n" + (agencyIDs ?? cohort.map(spaced)).map { "\($0),Police,arrest,2019-07-01\n" }.joined()
        var agencySource = EventSource(.file(try temporaryFile(agencyCSV, name: "agency.csv")), columns: [.personID: "Client Ref"])
        agencySource.personID = agency
        var inputs = StudyInputs(
            events: [EventSource(.file(try temporaryFile(health, name: "health.csv"))), agencySource],
            interventions: .file(try temporaryFile("person_id,start_date\n" + (interventionIDs ?? cohort).map { "\($0),2019-01-01\n" }.joined(), name: "interventions.csv")),
            unitCosts: .file(try temporaryFile("service,event,unit_cost\nA&E,attendance,100\nPolice,arrest,50\n", name: "unit-costs.csv")),
            windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)), policy: policy)
        inputs.interventionsPersonID = interventionsRule
        return inputs
    }

    /// The after-window cost of each treated person (pence), by the table path and the one-pass
    /// compare (which must agree).
    private func afterCosts(_ inputs: StudyInputs) throws -> [String: Pence] {
        func costs(_ rows: [BeforeAfterTable.Row]) -> [String: Pence] {
            rows.reduce(into: [:]) { $0[$1.personID, default: 0] += $1.after.cost }
        }
        let table = costs(try BeforeAfterTable(study: try inputs.load()).rows)
        let pass = try StreamingPass(inputs)
        #expect(costs(pass.beforeAfter.rows) == table)
        #expect(pass.sourceCoverage == (try inputs.load().sourceCoverage))
        return table
    }

    @Test("Without normalisation the spaced agency adds nothing and covers none of the cohort; removing spaces makes it match")
    func spacedAgencyMatches() throws {
        let plain = try inputs(agency: .none)
        #expect(try afterCosts(plain) == Dictionary(uniqueKeysWithValues: cohort.map { ($0, 100_00) }))
        #expect(try plain.load().sourceCoverage[1].coversTooLittle)
        let fixed = try inputs(agency: PersonIDNormalisation(remove: [0x20]))
        // Each person's cost now includes the agency's arrest (£50) beside the A&E attendance (£100).
        #expect(try afterCosts(fixed) == Dictionary(uniqueKeysWithValues: cohort.map { ($0, 150_00) }))
        let coverage = try fixed.load().sourceCoverage
        #expect(coverage.map(\.cohortPeople) == [3, 3] && coverage.map(\.peopleOutsideCohort) == [1, 0])
        #expect(coverage.allSatisfy { !$0.coversTooLittle })
    }

    @Test("The interventions file takes its own normalisation: spaced IDs there match unspaced events")
    func interventionsNormalised() throws {
        let inputs = try inputs(agency: PersonIDNormalisation(remove: [0x20]), interventionIDs: cohort.map { " " + spaced($0) + " " },
                                interventionsRule: PersonIDNormalisation(remove: [0x20]))
        #expect(try afterCosts(inputs) == Dictionary(uniqueKeysWithValues: cohort.map { ($0, 150_00) }))
    }

    @Test("Case: lower-case IDs brought to upper case match (ASCII letters only)")
    func letterCase() throws {
        #expect(normalised("ab-12c", PersonIDNormalisation(letterCase: .upper)) == .success("AB-12C"))
        #expect(normalised("AB-12C", PersonIDNormalisation(letterCase: .lower)) == .success("ab-12c"))
        #expect(normalised("é-a", PersonIDNormalisation(letterCase: .upper)) == .success("é-A"))
        let people = ["P01", "P02"]
        let inputs = try inputs(agency: PersonIDNormalisation(letterCase: .upper), agencyIDs: ["p01", "p02"], interventionIDs: people)
        #expect(try afterCosts(inputs) == ["P01": 50_00, "P02": 50_00])
    }

    @Test("Trim, remove and pattern run in order; the pattern's capture group is the ID")
    func steps() {
        #expect(normalised("\u{00A0}\r 083 016 6130\n", PersonIDNormalisation(trim: true, remove: [0x20])) == .success("0830166130"))
        #expect(normalised("083-016-6130", PersonIDNormalisation(remove: Set("-".utf8))) == .success("0830166130"))
        #expect(normalised("083\u{00A0}016\t6130", PersonIDNormalisation(remove: [0x20])) == .success("0830166130"))
        let pattern = PersonIDNormalisation(letterCase: .upper, pattern: "^NHS:(\\d{10})(?:/.*)?$")
        #expect(normalised("nhs:9434765919/ED", pattern) == .success("9434765919"))
        #expect(normalised("NHS:9434765919", pattern) == .success("9434765919"))
        if case .failure(let failure) = normalised("MRN:12345", pattern) {
            #expect(failure.kind == .idPatternMiss && !failure.detail.contains("12345"))
        } else {
            Issue.record("a pattern miss was taken")
        }
        // Windows-1252 bytes keep their values through the pattern (each byte one character).
        var output: [UInt8] = []
        let latin: [UInt8] = [0x58, 0xC9, 0x31]  // "XÉ1" in Windows-1252
        let taken = latin.withUnsafeBytes { bytes in
            (try? PersonIDNormaliser(PersonIDNormalisation(pattern: "X(.+)"), encoding: .windows1252).normalise(bytes, into: &output)) != nil
        }
        #expect(taken && output == [0xC9, 0x31])
    }

    @Test("An ID empty once normalised is a missing value; an NHS number check refuses mangled IDs")
    func refusals() {
        if case .failure(let failure) = normalised(" - ", PersonIDNormalisation(remove: Set("-".utf8))) {
            #expect(failure.kind == .missingValue)
        } else {
            Issue.record("an empty ID was taken")
        }
        let nhs = PersonIDNormalisation(remove: [0x20], nhsNumber: true)
        #expect(normalised("943 476 5919", nhs) == .success("9434765919"))
        if case .failure(let failure) = normalised("943 476 5991", nhs) {
            #expect(failure.kind == .badNHSNumber && failure.detail.hasPrefix("not a valid NHS number: check digit"))
        } else {
            Issue.record("a transposed NHS number was taken")
        }
    }

    @Test("A pattern miss is a bad row: rejected at its file, line and column, the ID not echoed, the others loaded",
          arguments: [false, true])
    func patternMissRejected(asTable: Bool) throws {
        let rule = PersonIDNormalisation(remove: [0x20], pattern: "^(\\d{10})$")
        let inputs = try inputs(agency: rule, agencyIDs: [spaced(cohort[0]), "SECRET-77", spaced(cohort[2])],
                                policy: ErrorPolicy(mode: .reject))
        let events = asTable ? try inputs.load().events : try StreamingPass(inputs).events
        let reject = try #require(events.rejects.first)
        #expect(events.rejects.count == 1)
        #expect(reject.file.hasSuffix("agency.csv") && reject.line == 3 && reject.record == 3 && reject.column == "Client Ref")
        #expect(reject.kind == .idPatternMiss)
        #expect(!reject.description.contains("SECRET"))
        #expect(events.sources[1].loaded == 2 && events.sources[1].rejected == 1)
        // Failing fast, the same row stops the load.
        var failing = inputs
        failing.policy = .failFast
        #expect {
            _ = try failing.load()
        } throws: { error in
            "\(error)".contains("agency.csv:3: record 3, column 'Client Ref': person ID does not match") && !"\(error)".contains("SECRET")
        }
    }

    @Test("An NHS number check rejects mangled IDs as bad rows with the reason", arguments: [false, true])
    func nhsRejected(asTable: Bool) throws {
        let rule = PersonIDNormalisation(remove: [0x20], nhsNumber: true)
        let inputs = try inputs(agency: rule, agencyIDs: ["943 476 5991", "943 476 591", "943 476 5919", "943 475 6919"],
                                policy: ErrorPolicy(mode: .reject))
        let events = asTable ? try inputs.load().events : try StreamingPass(inputs).events
        #expect(events.rejects.map(\.kind) == [.badNHSNumber, .badNHSNumber, .badNHSNumber])
        #expect(events.rejects.map(\.line) == [2, 3, 5])
        #expect(events.rejects[0].detail.hasPrefix("not a valid NHS number: check digit"))
        #expect(events.rejects[1].detail.contains("expected 10 digits, found 9 characters"))
        // The file's path is a temporary directory whose random name may hold any digits: look past it.
        #expect(events.rejects.allSatisfy { !$0.description.replacingOccurrences(of: $0.file, with: "").contains("943") })
    }

    @Test("With parts read on several threads and one-row morsels, streamed coverage equals the table's")
    func coverageAnySplit() throws {
        let inputs = try inputs(agency: PersonIDNormalisation(remove: [0x20]))
        let expected = try inputs.load().sourceCoverage
        for (workers, morsel) in [(1, 1), (2, 1), (3, 2)] {
            var loader = EventLoader(policy: inputs.policy, workers: workers, parallelThreshold: 0)
            loader.morselRows = morsel
            loader.partBytes = 40
            #expect(try StreamingPass(inputs, loader: loader).sourceCoverage == expected)
        }
    }
}
