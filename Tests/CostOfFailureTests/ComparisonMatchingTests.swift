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
}
