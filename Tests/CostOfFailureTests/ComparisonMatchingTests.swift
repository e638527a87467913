import Foundation
import Testing
@testable import CostOfFailure

@Suite("A matched comparison group")
struct ComparisonMatchingTests {
    @Test("Untreated people only, each once, with a record before the pseudo index date it takes; the same every time")
    func properties() throws {
        let dataset = SyntheticDataset(options: .init(events: 20_000, seed: 4))
        var bytes: [UInt8] = []
        dataset.writeEvents { bytes += $0 }
        let inputs = StudyInputs(events: [EventSource(.file(try temporaryFile(String(decoding: bytes, as: UTF8.self))))],
                                 interventions: .file(try temporaryFile(dataset.interventionsCSV(), name: "i.csv")),
                                 unitCosts: .file(try temporaryFile(dataset.unitCostsCSV(), name: "u.csv")),
                                 windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months)))
        let study = try inputs.load()
        let matching = ComparisonMatching(study: study)
        let treated = Set(study.cohortMembers.map(\.personID))
        #expect(matching.entries.count + matching.unmatched == treated.count)
        #expect(matching.entries.count > treated.count * 9 / 10)
        #expect(Set(matching.entries.map(\.personID)).count == matching.entries.count)
        #expect(!matching.entries.contains { treated.contains($0.personID) })
        let indexDates = Set(study.indexDates.values)
        #expect(matching.entries.allSatisfy { indexDates.contains($0.start) })
        var firstDay: [String: Int32] = [:]
        for i in 0..<study.events.count {
            let id = study.events.persons[study.events.person[i]]
            firstDay[id] = min(firstDay[id] ?? .max, study.events.day[i])
        }
        #expect(matching.entries.allSatisfy { (firstDay[$0.personID] ?? .max) < $0.start.daysSinceEpoch })
        #expect(ComparisonMatching(study: study).entries == matching.entries)
        var matched = inputs
        matched.matchComparison = true
        let comparison = try #require(try matched.loadComparison(like: study))
        #expect(comparison.cohortMembers.count == matching.entries.count)
    }

    @Test("A replicate keeps a candidate with the chance a resample with replacement holds it, and never takes one already taken")
    func rematch() throws {
        #expect(ComparisonMatching.keepChance(1) == 1)
        #expect(ComparisonMatching.keepChance(2) == 0.75)  // 1 − (1/2)²
        #expect(abs(ComparisonMatching.keepChance(1_000) - 0.6323) < 0.0001)
        let cohort = SpikeRecruitedCohort(options: .init(people: 200, treated: 20, seed: 2))
        let inputs = StudyInputs(events: [EventSource(.file(try temporaryFile(cohort.eventsCSV())))],
                                 interventions: .file(try temporaryFile(cohort.interventionsCSV(), name: "i.csv")),
                                 unitCosts: .file(try temporaryFile(cohort.unitCostsCSV(), name: "u.csv")),
                                 services: .file(try temporaryFile(cohort.servicesCSV(), name: "s.csv")), windows: cohort.windows)
        let study = try inputs.load()
        let matching = ComparisonMatching(study: study)
        #expect(matching.unmatched == 0 && matching.entries.count == 20)
        // Candidates nearest first; the match is the nearest not taken by an earlier treated person.
        #expect(matching.draws.allSatisfy { $0.distances == $0.distances.sorted() })
        #expect(matching.draws[0].matched == 0)
        func replicate(seed: UInt64) -> [Int?] {
            var random = SyntheticRandom(seed: seed)
            var used = [Bool](repeating: false, count: study.events.persons.count)
            return matching.draws.map { matching.rematch($0, random: &random, used: &used) }
        }
        let places = replicate(seed: 9)
        #expect(places == replicate(seed: 9))
        let taken = zip(matching.draws, places).compactMap { draw, place in place.map { draw.candidates[$0] } }
        #expect(Set(taken).count == taken.count)
        // The replicates are not all the real match: the draw of candidates varies.
        #expect((1...20).contains { replicate(seed: $0) != matching.draws.map(\.matched) })
    }
}
