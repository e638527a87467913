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
            try DifferenceInDifferences(treated: (try BeforeAfterTable(study: treated), treated.cohortMembers),
                                    comparisonGroup: (try BeforeAfterTable(study: comparison), comparison.cohortMembers),
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
        let comparison = try #require(try inputs.loadComparisonGroupStudy(like: study))
        let result = try DifferenceInDifferences(treated: (try BeforeAfterTable(study: study), study.cohortMembers),
                                             comparisonGroup: (try BeforeAfterTable(study: comparison), comparison.cohortMembers),
                                             services: study.services, prices: "test", resamples: 200, seed: 1)
        let all = try #require(result.lines.first)
        #expect((all.upper ?? 0) < 0, "\(all)")
        #expect(result.treatedPeople > 100 && result.comparisonPeople > 100)
    }

    /// 300 treated and 300 comparison people, index 2020-01-01, a year either side (the after
    /// window cut to 365 days). Everyone draws the same distributions before and after (£100
    /// events, 2-20 a year); each treated person then has exactly two after-events fewer: an
    /// effect of -£200 per person-year, known exactly.
    private func constructed(seed: UInt64) throws -> DifferenceInDifferences.Line {
        var random = SplitMix64(seed: seed)
        var builder = EventTableBuilder()
        var treated: [InterventionTable.Entry] = [], comparison: [InterventionTable.Entry] = []
        for n in 0..<600 {
            let id = "P\(n)", isTreated = n % 2 == 0
            let before = Int.random(in: 2...20, using: &random), after = Int.random(in: 2...20, using: &random)
            for k in 0..<before { builder.append(person: id, service: "A&E", event: "attendance", date: day("2019-01-01").addingDays(k * 17), explicitCost: 10_000) }
            for k in 0..<(after - (isTreated ? 2 : 0)) {
                builder.append(person: id, service: "A&E", event: "attendance", date: day("2020-01-01").addingDays(k * 17), explicitCost: 10_000)
            }
            if isTreated { treated.append(.init(personID: id, start: day("2020-01-01"))) } else { comparison.append(.init(personID: id, start: day("2020-01-01"))) }
        }
        let events = builder.finish()
        let windows = StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-12-30"))
        let treatedStudy = try Study(events: events, unitCosts: UnitCostTable(entries: []), interventions: InterventionTable(entries: treated), windows: windows)
        let comparisonStudy = try Study(events: events, unitCosts: UnitCostTable(entries: []), interventions: InterventionTable(entries: comparison), windows: windows)
        let result = try DifferenceInDifferences(treated: (try BeforeAfterTable(study: treatedStudy), treatedStudy.cohortMembers),
                                             comparisonGroup: (try BeforeAfterTable(study: comparisonStudy), comparisonStudy.cohortMembers),
                                             services: .empty, prices: "test", resamples: 400, seed: seed)
        return try #require(result.lines.first)
    }

    @Test("A constructed effect of exactly -£200 a person-year: the 95% interval covers it in about 95% of 20 datasets")
    func knownEffectCovered() throws {
        var covered = 0
        var errors: [Pence] = []
        for seed in 1...20 as ClosedRange<UInt64> {
            let line = try constructed(seed: seed)
            let lower = try #require(line.lower), upper = try #require(line.upper), estimate = try #require(line.estimate)
            if lower <= -20_000 && -20_000 <= upper { covered += 1 }
            errors.append(estimate + 20_000)
        }
        // Each estimate's standard error is about £63 (sd £775 a person, 300 a group): the
        // interval should miss about one dataset in twenty; 16 or more of 20 is the bar.
        #expect(covered >= 16, "covered \(covered) of 20")
        let meanError = errors.reduce(0, +) / Pence(errors.count)
        #expect(abs(meanError) < 6_000, "mean error \(meanError)")  // unbiased: 20 estimates average near the truth
    }

    @Test("A service called 'All services' is a line of its own, not a clash with the total")
    func serviceNamedLikeTheTotal() throws {
        var builder = EventTableBuilder()
        builder.append(person: "A", service: "All services", event: "x", date: day("2019-06-01"), explicitCost: 100)
        builder.append(person: "B", service: "All services", event: "x", date: day("2020-06-01"), explicitCost: 100)
        let events = builder.finish()
        let windows = StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years))
        let treated = try Study(events: events, unitCosts: UnitCostTable(entries: []), interventions: InterventionTable(entries: [.init(personID: "A", start: day("2020-01-01"))]), windows: windows)
        let comparison = try Study(events: events, unitCosts: UnitCostTable(entries: []), interventions: InterventionTable(entries: [.init(personID: "B", start: day("2020-01-01"))]), windows: windows)
        let result = try DifferenceInDifferences(treated: (try BeforeAfterTable(study: treated), treated.cohortMembers),
                                             comparisonGroup: (try BeforeAfterTable(study: comparison), comparison.cohortMembers),
                                             services: .empty, prices: "test", resamples: 100, seed: 1)
        #expect(result.lines.map(\.name) == ["All services", "All services"])
        #expect(result.lines[0].estimate == result.lines[1].estimate)
    }

    @Test("Someone in both groups is an error")
    func overlap() throws {
        let inputs = StudyInputs(events: [EventSource(.file(fixture("john/events.csv")))], interventions: .file(fixture("john/interventions.csv")),
                                 unitCosts: .file(fixture("john/unit-costs.csv")),
                                 windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)),
                                 comparisonGroup: .file(try temporaryFile("person_id,start_date\nJOHN-0001,2020-01-01\n", name: "c.csv")))
        let study = try inputs.load()
        #expect(throws: StudyInputs.Failure.self) { _ = try inputs.loadComparisonGroupStudy(like: study) }
    }

    @Test("Under 60 treated people is warned of, 60 is not; the title carries the warning without the exact count")
    func fewTreatedPeople() throws {
        #expect(DifferenceInDifferences.smallCohortWarning(treatedPeople: 59) != nil)
        #expect(DifferenceInDifferences.smallCohortWarning(treatedPeople: 60) == nil)
        func did(treated: Int) throws -> DifferenceInDifferences {
            var builder = EventTableBuilder()
            for n in 0..<(treated + 5) {
                builder.append(person: "P\(n)", service: "A&E", event: "x", date: day("2019-06-01"), explicitCost: 1_000)
            }
            let events = builder.finish()
            let windows = StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years))
            func study(_ people: Range<Int>) throws -> Study {
                try Study(events: events, unitCosts: UnitCostTable(entries: []),
                          interventions: InterventionTable(entries: people.map { .init(personID: "P\($0)", start: day("2020-01-01")) }), windows: windows)
            }
            let t = try study(0..<treated), c = try study(treated..<(treated + 5))
            return try DifferenceInDifferences(treated: (try BeforeAfterTable(study: t), t.cohortMembers), comparisonGroup: (try BeforeAfterTable(study: c), c.cohortMembers),
                                               services: .empty, prices: "test", resamples: 100, seed: 1, rounding: CountRounding(base: 5))
        }
        // Judged on the published count (rounded to 5): 57 is published as 55 and warned of; 58
        // is published as 60, and a warning beside it would say it is 58 or 59.
        let few = try did(treated: 57), enough = try did(treated: 58)
        #expect(few.warnings.count == 1 && enough.warnings.isEmpty)
        #expect(few.resultTable().title.contains("fewer than 60 treated people") && !few.resultTable().title.contains("57"))
        #expect(!enough.resultTable().title.contains("fewer than"))
        #expect(few.replicates.count == 100)
    }
}
