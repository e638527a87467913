import Foundation
import Testing
@testable import CostOfFailure

@Suite("Difference in differences")
struct DifferenceInDifferencesTests {
    @Test("The estimate worked by hand; the interval is the same for the same seed and holds the estimate")
    func handWorked() throws {
        var builder = EventTableBuilder()
        builder.append(person: "A", service: "A&E", event: "attendance", date: day("2019-06-01"), explicitCost: 36_500)
        builder.append(person: "B", service: "A&E", event: "attendance", date: day("2010-06-01"), explicitCost: 1)
        builder.append(person: "C", service: "A&E", event: "attendance", date: day("2020-06-01"), explicitCost: 7_300)
        builder.append(person: "D", service: "A&E", event: "attendance", date: day("2010-06-01"), explicitCost: 1)
        let events = builder.finish()
        let windows = StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-12-30"))
        func study(_ people: [String]) throws -> Study {
            try Study(events: events, unitCosts: UnitCostTable(entries: []),
                      interventions: InterventionTable(entries: people.map { .init(personID: $0, start: day("2020-01-01")) }), windows: windows)
        }
        let treated = try study(["A", "B"]), comparison = try study(["C", "D"])
        func did(seed: UInt64) throws -> DifferenceInDifferences {
            DifferenceInDifferences(treated: (try Comparison(study: treated), treated.cohortMembers),
                                    comparison: (try Comparison(study: comparison), comparison.cohortMembers),
                                    services: .empty, prices: "test", resamples: 400, seed: seed)
        }
        let result = try did(seed: 7)
        let all = try #require(result.lines.first)
        #expect(all.name == "All services")
        #expect(all.treatedChange == -18_250)  // £365 over 730 person-days before, nothing after
        #expect(all.comparisonChange == 3_650)  // nothing before, £73 over 730 person-days after
        #expect(all.estimate == -21_900)
        let lower = try #require(all.lower), upper = try #require(all.upper)
        #expect(lower <= -21_900 && -21_900 <= upper)
        #expect(try did(seed: 7).lines == result.lines)
    }

    @Test("A planted effect is found: the interval of generated data with 40% of treated later events removed lies below zero")
    func plantedEffect() throws {
        let dataset = SyntheticDataset(options: .init(events: 60_000, seed: 11, comparisonShare: 0.3, effect: 0.4))
        var bytes: [UInt8] = []
        dataset.writeEvents { bytes += $0 }
        let inputs = StudyInputs(events: [EventSource(.file(try temporaryFile(String(decoding: bytes, as: UTF8.self))))],
                                 interventions: .file(try temporaryFile(dataset.interventionsCSV(), name: "i.csv")),
                                 unitCosts: .file(try temporaryFile(dataset.unitCostsCSV(), name: "u.csv")),
                                 windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months), observationEnd: day("2024-03-31")),
                                 comparisonGroup: .file(try temporaryFile(dataset.comparisonCSV(), name: "c.csv")))
        let study = try inputs.load()
        let comparison = try #require(try inputs.loadComparison(like: study))
        let result = DifferenceInDifferences(treated: (try Comparison(study: study), study.cohortMembers),
                                             comparison: (try Comparison(study: comparison), comparison.cohortMembers),
                                             services: study.services, prices: "test", resamples: 200, seed: 1)
        let all = try #require(result.lines.first)
        #expect((all.upper ?? 0) < 0, "\(all)")
        #expect(result.treatedPeople > 100 && result.comparisonPeople > 100)
    }

    @Test("Someone in both groups is an error")
    func overlap() throws {
        let inputs = StudyInputs(events: [EventSource(.file(fixture("john/events.csv")))], interventions: .file(fixture("john/interventions.csv")),
                                 unitCosts: .file(fixture("john/unit-costs.csv")),
                                 windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)),
                                 comparisonGroup: .file(try temporaryFile("person_id,start_date\nJOHN-0001,2020-01-01\n", name: "c.csv")))
        let study = try inputs.load()
        #expect(throws: StudyInputs.Failure.self) { _ = try inputs.loadComparison(like: study) }
    }
}
