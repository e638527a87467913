import Foundation
import Testing
@testable import CostOfFailure

@Suite("A matched comparison group")
struct ComparisonGroupMatchingTests {
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
        let matching = ComparisonGroupMatching(study: study)
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
        #expect(ComparisonGroupMatching(study: study).entries == matching.entries)
        var matched = inputs
        matched.matchComparison = true
        let comparison = try #require(try matched.loadComparisonGroupStudy(like: study))
        #expect(comparison.cohortMembers.count == matching.entries.count)
    }

    @Test("A replicate keeps a candidate with the chance a resample with replacement holds it, and never takes one already taken")
    func rematch() throws {
        #expect(ComparisonGroupMatching.keepChance(1) == 1)
        #expect(ComparisonGroupMatching.keepChance(2) == 0.75)  // 1 − (1/2)²
        #expect(abs(ComparisonGroupMatching.keepChance(1_000) - 0.6323) < 0.0001)
        let cohort = SpikeRecruitedCohort(options: .init(people: 200, treated: 20, seed: 2))
        let inputs = StudyInputs(events: [EventSource(.file(try temporaryFile(cohort.eventsCSV())))],
                                 interventions: .file(try temporaryFile(cohort.interventionsCSV(), name: "i.csv")),
                                 unitCosts: .file(try temporaryFile(cohort.unitCostsCSV(), name: "u.csv")),
                                 services: .file(try temporaryFile(cohort.servicesCSV(), name: "s.csv")), windows: cohort.windows)
        let study = try inputs.load()
        let matching = ComparisonGroupMatching(study: study)
        #expect(matching.unmatched == 0 && matching.entries.count == 20)
        // Candidates nearest first; the match is the nearest not taken by an earlier treated person.
        for draw in matching.draws {
            let distances = draw.candidates.map { candidate in
                MatchingFeatures.distance(draw.treatedFeatures, matching.features.measure(person: candidate, index: draw.index)[...], scale: matching.scale)
            }
            #expect(distances == distances.sorted())
            // The matched candidate's variables are kept; the others' only in the candidates' moments.
            #expect(draw.matched.map { matching.features.measure(person: draw.candidates[$0], index: draw.index) } == draw.matchedFeatures)
        }
        #expect(matching.candidateMoments.map(\.count).allSatisfy { $0 == matching.draws.reduce(0) { $0 + $1.candidates.count } })
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

    @Test("A candidate whose only before cost is in a cell with an unpriced event has the features and window costs of one without that cell")
    func unpricedCellHasNoCost() throws {
        var builder = EventTableBuilder()
        builder.append(person: "T", service: "A&E", event: "attendance", date: day("2019-09-01"), explicitCost: 2_000)
        for person in ["C1", "C2"] {
            builder.append(person: person, service: "A&E", event: "attendance", date: day("2019-06-01"), explicitCost: 1_000)
        }
        // C1's Hostel cell: a priced and an unpriced night before, a priced one after. It has no cost.
        builder.append(person: "C1", service: "Hostel", event: "night", date: day("2019-07-01"), explicitCost: 5_000)
        builder.append(person: "C1", service: "Hostel", event: "night", date: day("2019-08-01"))
        builder.append(person: "C1", service: "Hostel", event: "night", date: day("2020-03-01"), explicitCost: 3_000)
        let events = builder.finish()
        let services = ServiceCatalog(entries: [.init(service: "A&E", category: "Health"), .init(service: "Hostel", category: "Housing")])
        let windows = StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-12-31"))
        let study = try Study(events: events, unitCosts: UnitCostTable(entries: []),
                              interventions: InterventionTable(entries: [.init(personID: "T", start: day("2020-01-01"))]), services: services, windows: windows)
        let features = MatchingFeatures(study: study)
        let c1 = try #require(events.persons.code(of: "C1")), c2 = try #require(events.persons.code(of: "C2"))
        let index = day("2020-01-01")
        // Age 214 days; Health ln(1 + £10); Housing nothing (the Hostel cell has an unpriced night); no prior year.
        #expect(features.names == ["age of record (years)", "before-window use: Health (ln(1 + £))", "before-window use: Housing (ln(1 + £))", "prior-year use (ln(1 + £))"])
        #expect(features.measure(person: c1, index: index) == [214 / 365.25, log(11.0), 0, 0])
        #expect(features.measure(person: c1, index: index) == features.measure(person: c2, index: index))
        // The costs a replicate's match brings: the same as C2's, and as C1's before/after table gives.
        let isIntervention = [Bool](repeating: false, count: events.services.count)
        let column = [Int?](repeating: nil, count: events.services.count)
        let costs1 = try features.windowCosts(person: c1, index: index, columns: 1, column: column, isIntervention: isIntervention)
        let costs2 = try features.windowCosts(person: c2, index: index, columns: 1, column: column, isIntervention: isIntervention)
        #expect(costs1.before == [1_000] && costs1.after == [0])
        #expect(costs1.before == costs2.before && costs1.after == costs2.after)
        let group = try Study(events: events, unitCosts: UnitCostTable(entries: []),
                              interventions: InterventionTable(entries: [.init(personID: "C1", start: index)]), services: services, windows: windows)
        let table = try DifferenceInDifferences.people((try BeforeAfterTable(study: group), group.cohortMembers), column: [:], columns: 1, services: services)
        #expect(table.map(\.before) == [costs1.before] && table.map(\.after) == [costs1.after])
        #expect(table.map(\.beforeDays) == [costs1.beforeDays] && table.map(\.afterDays) == [costs1.afterDays])
    }

    @Test("A treated person without event rows is unmatched, counted apart and warned of")
    func treatedWithoutRows() throws {
        var builder = EventTableBuilder()
        builder.append(person: "T", service: "A&E", event: "attendance", date: day("2019-09-01"), explicitCost: 2_000)
        builder.append(person: "C", service: "A&E", event: "attendance", date: day("2019-06-01"), explicitCost: 1_000)
        builder.append(person: "D", service: "A&E", event: "attendance", date: day("2019-06-02"), explicitCost: 1_000)
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []),
                              interventions: InterventionTable(entries: ["T", "Z"].map { .init(personID: $0, start: day("2020-01-01")) }),
                              windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-12-31")))
        let matching = ComparisonGroupMatching(study: study)
        #expect(study.cohortMembers.count == 2)
        #expect(matching.entries.count == 1 && matching.unmatched == 1 && matching.unmatchedWithoutEvents == 1)
        let note = try #require(ComparisonGroupMatching.unmatchedNote(matching, cohort: 2))
        #expect(note.hasPrefix("1 of 2 treated people are unmatched: 1 have no event rows"))
        #expect(!note.contains("no candidate"))
    }
}
