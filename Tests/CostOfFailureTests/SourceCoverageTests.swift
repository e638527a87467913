import Foundation
import Testing
@testable import CostOfFailure

@Suite("Each source's coverage of the cohort")
struct SourceCoverageTests {
    /// Twenty treated people P00..P19: the health source has rows of twelve of them and of two
    /// people outside the cohort; the agency export writes every ID with a space, so it covers
    /// none of the cohort and all three of its people are outside it.
    private func inputs() -> StudyInputs {
        let cohort = (0..<20).map { "P\($0 < 10 ? "0" : "")\($0)" }
        let health = "person_id,service,event,date\n"
            + cohort.prefix(12).map { "\($0),A&E,attendance,2019-06-01\n\($0),A&E,attendance,2019-07-01\n" }.joined()
            + "X1,A&E,attendance,2019-06-01\nX2,A&E,attendance,2019-06-01\n"
        let agency = "person_id,service,event,date\n"
            + cohort.prefix(3).map { "\($0.prefix(1)) \($0.dropFirst()),Police,arrest,2019-06-01\n" }.joined()
        return StudyInputs(events: [EventSource(csv(health, name: "health.csv")), EventSource(csv(agency, name: "agency.csv"))],
                           interventions: csv("person_id,start_date\n" + cohort.map { "\($0),2020-01-01\n" }.joined(), name: "i.csv"),
                           unitCosts: csv("service,event,unit_cost\n", name: "u.csv"),
                           windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
    }

    @Test("Rows, cohort people covered and people outside the cohort, by source; a source covering none is warned about")
    func counts() throws {
        let coverage = try inputs().load().sourceCoverage
        #expect(coverage == [
            SourceCoverage(file: "health.csv", rows: 26, cohortPeople: 12, cohortSize: 20, peopleOutsideCohort: 2),
            SourceCoverage(file: "agency.csv", rows: 3, cohortPeople: 0, cohortSize: 20, peopleOutsideCohort: 3),
        ])
        #expect(coverage[0].warning == nil)
        let warning = try #require(coverage[1].warning)
        #expect(warning.hasPrefix("agency.csv: covers none of the cohort's people") && warning.contains("mismatched ID formats"))
        #expect(!warning.contains("P 0"))  // no ID
    }

    @Test("The 5% rule: one person of 20 (5%) is enough, none of 21 is not, and one of 21 is under 5%",
          arguments: [(1, 20, false), (0, 20, true), (1, 21, true), (2, 40, false), (1, 40, true)] as [(Int, Int, Bool)])
    func rule(covered: Int, cohort: Int, warned: Bool) {
        #expect(SourceCoverage.minimumCohortShare == 0.05)
        let coverage = SourceCoverage(file: "s.csv", rows: 10, cohortPeople: covered, cohortSize: cohort, peopleOutsideCohort: 0)
        #expect(coverage.coversTooLittle == warned && (coverage.warning != nil) == warned)
        // A source without rows covers nothing, and says nothing is wrong with its IDs.
        #expect(!SourceCoverage(file: "s.csv", rows: 0, cohortPeople: 0, cohortSize: cohort, peopleOutsideCohort: 0).coversTooLittle)
    }

    @Test("The coverage table rests each count on its people, so disclosure control can withhold and round it")
    func table() throws {
        let table = SourceCoverage.resultTable(try inputs().load().sourceCoverage)
        #expect(table.columns.map(\.name) == ["source", "rows", "cohort_people_covered", "cohort_people", "people_outside_cohort"])
        let covered = try #require(table.columns.first { $0.name == "cohort_people_covered" })
        #expect(covered.basis?.role == .count && covered.basis?.people == [12, 0])
    }

    @Test("Generated sources, one writing IDs two ways: the table's coverage is the pass's, however the pass splits the rows, and a plain count's",
          arguments: [false, true])
    func generatedTwoWays(normalised: Bool) throws {
        var random = SyntheticRandom(seed: normalised ? 8 : 7)
        let cohort = (0..<600).map { "AB\(100_000 + $0 * 37)" }
        let outsiders = (0..<300).map { "ZX\(500_000 + $0 * 11)" }
        func spaced(_ id: String) -> String { "\(id.prefix(2)) \(id.dropFirst(2).prefix(3)) \(id.suffix(3))" }
        // Health: plain IDs (some with blanks around them) of most of the cohort and some outsiders.
        var health: [String] = [], agency: [String] = []
        for id in cohort.filter({ _ in Int.random(in: 0..<10, using: &random) < 7 }) + outsiders.prefix(120) {
            for _ in 0..<Int.random(in: 1...4, using: &random) { health.append(Bool.random(using: &random) ? id : " \(id)\t") }
        }
        // The agency: each of its people's IDs written plainly or with spaces, row by row.
        for id in cohort.filter({ _ in Bool.random(using: &random) }) + outsiders.suffix(200) {
            for _ in 0..<Int.random(in: 1...3, using: &random) { agency.append(Bool.random(using: &random) ? id : spaced(id)) }
        }
        health.shuffle(using: &random)
        agency.shuffle(using: &random)
        func file(_ ids: [String], _ service: String) -> String {
            "person_id,service,event,date\n" + ids.map { "\($0),\(service),contact,2019-06-01\n" }.joined()
        }
        var agencySource = EventSource(.file(try temporaryFile(file(agency, "Police"), name: "agency.csv")))
        if normalised { agencySource.personID = PersonIDNormalisation(remove: [0x20]) }
        let inputs = StudyInputs(events: [EventSource(.file(try temporaryFile(file(health, "A&E"), name: "health.csv"))), agencySource,
                                          EventSource(.file(try temporaryFile(file([], "GP"), name: "empty.csv")))],
                                 interventions: .file(try temporaryFile("person_id,start_date\n" + cohort.map { "\($0),2020-01-01\n" }.joined(), name: "i.csv")),
                                 unitCosts: .file(try temporaryFile("service,event,unit_cost\n", name: "u.csv")),
                                 windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
        // The plain count: each source's distinct IDs as the ingest reads them, in or outside the cohort.
        let cohortSet = Set(cohort)
        func plain(_ ids: [String], _ file: String, remove: Bool) -> SourceCoverage {
            let people = Set(ids.map { id in
                let trimmed = id.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
                return remove ? trimmed.replacingOccurrences(of: " ", with: "") : trimmed
            })
            return SourceCoverage(file: file, rows: ids.count, cohortPeople: people.count { cohortSet.contains($0) }, cohortSize: cohort.count,
                                  peopleOutsideCohort: people.count { !cohortSet.contains($0) })
        }
        let expected = [plain(health, "health.csv", remove: false), plain(agency, "agency.csv", remove: normalised), plain([], "empty.csv", remove: false)]
        let table = try inputs.load().sourceCoverage
        #expect(table.map(\.cohortPeople) == expected.map(\.cohortPeople))
        #expect(table.map(\.peopleOutsideCohort) == expected.map(\.peopleOutsideCohort))
        #expect(table.map(\.rows) == expected.map(\.rows))
        #expect(normalised || table[1].cohortPeople < expected[0].cohortPeople, "the spaced IDs miss without normalisation")
        for loader in loaders(inputs.policy) {
            #expect(try StreamingPass(inputs, loader: loader).sourceCoverage == table,
                    "morsel \(loader.morselRows), workers \(loader.workers), parts of \(loader.partBytes) bytes")
        }
    }

    @Test("The table's tally gives the same counts whatever its morsel size")
    func tableMorsels() throws {
        let study = try inputs().load()
        let whole = SourceCoverageTally(table: study.events, cohort: study.cohortPeople).finished
        for morsel in [1, 3, 1 << 16] {
            let tally = SourceCoverageTally(table: study.events, cohort: study.cohortPeople, morselRows: morsel)
            #expect(tally.finished.map(\.cohortPeople) == whole.map(\.cohortPeople) && tally.finished.map(\.outside) == whole.map(\.outside))
        }
        #expect(whole.map(\.cohortPeople) == [12, 0] && whole.map(\.outside) == [2, 3])
    }

    @Test("Parts of a source join by union: an outside person in several parts counts once", arguments: [1, 2, 5] as [UInt64])
    func partsJoin(seed: UInt64) {
        var random = SyntheticRandom(seed: seed)
        // Hashes from a pool small enough that parts share many (0 among them: the set keeps it
        // apart), and parts large enough that a set grows past its first size.
        let pool = (0..<5_000).map { $0 == 0 ? 0 : random.next() }
        for parts in 1...4 {
            var tallies = (0..<parts).map { _ in SourceCoverageTally(cohortSize: 10) }
            var all = Set<UInt64>()
            for part in 0..<parts {
                for _ in 0..<Int(random.next() % 4_000) {
                    let hash = pool[Int(random.next() % UInt64(pool.count))]
                    all.insert(hash)
                    tallies[part].noteOutside(hash: hash)
                }
                [Int32(part), -1].withUnsafeBufferPointer { tallies[part].noteRows(persons: $0) }
            }
            var joined = tallies[0]
            for part in 1..<parts { joined.merge(tallies[part]) }
            joined.finishSource()
            #expect(joined.finished.map(\.outside) == [all.count], "parts \(parts)")
            #expect(joined.finished.map(\.cohortPeople) == [parts])
            // The next source starts empty.
            joined.finishSource()
            #expect(joined.finished.map(\.outside) == [all.count, 0])
        }
    }

    @Test("cof validate's report carries the coverage")
    func dataQuality() throws {
        let inputs = inputs()
        let interventions = try InterventionLoader(reader: CSVReader()).load(inputs.interventions)
        let examined = try DataQualityReport.examine(inputs.events, loader: EventLoader(policy: ErrorPolicy(mode: .reject)), unitCosts: nil,
                                                     interventions: interventions)
        let report = DataQualityReport(examined, unitCosts: false, interventions: interventions, observationEnd: nil)
        #expect(report.coverage.map(\.cohortPeople) == [12, 0])
        #expect(report.coverage.map(\.peopleOutsideCohort) == [2, 3])
    }
}
