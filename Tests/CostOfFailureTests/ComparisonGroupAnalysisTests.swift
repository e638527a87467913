import Foundation
import Testing
@testable import CostOfFailure

/// The comparison group's analysis as a declaration over everyone's grouped events
/// (``ComparisonGroupAnalysis/init(features:cohort:group:services:prices:resamples:seed:rounding:)``)
/// against the path it replaced: a second ``Study`` for the group and four more for the
/// placebo, each re-pricing every event, and the tables of each (kept here as the reference).
@Suite("Comparison group analysis: grouped events against the studies' path")
struct ComparisonGroupAnalysisTests {
    /// The studies' path, as the commands ran it before: the group's study and its before/after
    /// table, the placebo's shifted studies, the balance measured on the two studies.
    static func reference(study: Study, group comparisonGroup: ComparisonGroup, resamples: Int, seed: UInt64,
                          rounding: CountRounding) throws -> (did: DifferenceInDifferences, placebo: PlaceboTest, balance: CovariateBalance) {
        let group = comparisonGroup.study
        let matching = comparisonGroup.matching
        let features = matching?.features ?? MatchingFeatures(study: study)
        let did = try DifferenceInDifferences(treated: (try BeforeAfterTable(study: study), study.cohortMembers),
                                              comparisonGroup: (try BeforeAfterTable(study: group), group.cohortMembers),
                                              services: study.services, prices: study.pricesDescription,
                                              resamples: resamples, seed: seed, rounding: rounding, matching: matching)
        let placebo = try PlaceboTest(study: study, comparisonGroup: matching == nil ? group : nil, features: features,
                                      resamples: resamples, seed: seed, rounding: rounding)
        let balance = matching.map(CovariateBalance.init(matching:)) ?? CovariateBalance(features: features, treated: study, comparisonGroup: group)
        return (did, placebo, balance)
    }

    /// Generated inputs: a cohort, a comparison file, custody (prison nights) and, with
    /// `deaths`, a service marking death, so that some people's windows lose days; the
    /// observation end, when given, cuts after windows short.
    static func inputs(seed: UInt64, observationEnd: CivilDate?, deaths: Bool, matched: Bool) throws -> StudyInputs {
        let dataset = SyntheticDataset(options: .init(events: 6_000, seed: seed, people: 240, interventionShare: 0.25, comparisonShare: 0.3))
        var events: [UInt8] = []
        _ = dataset.writeEvents { events += $0 }
        var services = "service,category,agency,exposure\n"
        for service in SyntheticDataset.services {
            let mark = service.name == "Prison" ? "removes" : (deaths && service.name == "Hospital") ? "ends" : ""
            services += "\(service.name),\(service.category),\(service.agency),\(mark)\n"
        }
        var inputs = StudyInputs(events: [EventSource(.bytes(name: "events.csv", events, chunkSize: 1 << 16))],
                                 interventions: csv(dataset.interventionsCSV(), name: "interventions.csv"),
                                 unitCosts: csv(dataset.unitCostsCSV(), name: "unit_costs.csv"),
                                 services: csv(services, name: "services.csv"),
                                 windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: observationEnd))
        if matched { inputs.matchComparison = true } else { inputs.comparisonGroup = csv(dataset.comparisonCSV(), name: "comparison.csv") }
        return inputs
    }

    @Test("The did, placebo and balance tables equal the studies' path exactly", arguments: [
        (UInt64(1), false, "2019-06-30", false), (2, false, nil, true), (3, true, "2020-02-29", false),
        (4, true, nil, true), (5, false, "2021-12-31", true), (6, true, "2018-11-15", true),
    ] as [(UInt64, Bool, String?, Bool)])
    func equalsStudiesPath(seed: UInt64, matched: Bool, end: String?, deaths: Bool) throws {
        let inputs = try Self.inputs(seed: seed, observationEnd: end.map(day), deaths: deaths, matched: matched)
        let study = try inputs.load()
        let group = try #require(try inputs.loadComparisonGroup(like: study))
        #expect((group.matching != nil) == matched)
        for rounding in [CountRounding.exact, CountRounding(base: 5)] {
            let old = try Self.reference(study: study, group: group, resamples: 150, seed: seed, rounding: rounding)
            let new = try ComparisonGroupAnalysis(features: group.matching?.features ?? MatchingFeatures(study: study),
                                                  cohort: ComparisonGroupAnalysis.cohort(of: study),
                                                  group: group.matching.map(ComparisonGroupAnalysis.Origin.matched) ?? .given(group.study.interventions.entries),
                                                  services: study.services, prices: study.pricesDescription, resamples: 150, seed: seed, rounding: rounding)
            Self.expectEqual(new.did, old.did)
            Self.expectEqual(new.placebo.result, old.placebo.result)
            #expect(new.balance.lines == old.balance.lines)
            #expect(new.balance.treatedPeople == old.balance.treatedPeople)
            #expect(new.balance.candidatePeople == old.balance.candidatePeople)
            #expect(new.balance.comparisonPeople == old.balance.comparisonPeople)
            #expect("\(new.did.resultTable())" == "\(old.did.resultTable())")
            #expect("\(new.placebo.resultTable())" == "\(old.placebo.resultTable())")
            #expect("\(new.balance.resultTable())" == "\(old.balance.resultTable())")
        }
        // What the comparison is worth: the cases it rests on are there.
        let groupStudy = group.study
        let cut = groupStudy.cohortMembers.count { $0.afterDays < 365 }
        let removed = (0..<Int32(groupStudy.events.persons.count)).filter { groupStudy.personWindows.index(of: $0) != PersonWindows.noIndex }
            .count { groupStudy.personWindows.bounds(of: $0).beforeRemoved + groupStudy.personWindows.bounds(of: $0).afterRemoved > 0 }
        #expect(removed > 0, "some comparison person has custody days in a window")
        if end != nil { #expect(cut > 0, "the observation end cuts some comparison person's after window") }
    }

    /// Every figure of two estimates.
    static func expectEqual(_ a: DifferenceInDifferences, _ b: DifferenceInDifferences) {
        #expect(a.lines == b.lines)
        #expect(a.replicates == b.replicates)
        #expect(a.treatedPeople == b.treatedPeople && a.comparisonPeople == b.comparisonPeople)
        #expect(a.linePeople.map(\.treated) == b.linePeople.map(\.treated) && a.linePeople.map(\.comparison) == b.linePeople.map(\.comparison))
        #expect(a.rematched == b.rematched && a.warnings == b.warnings)
    }

    @Test("A matched person's window costs take their custody out of exposure, as the group's before/after table does")
    func windowCostsTimeAtRisk() throws {
        let inputs = try Self.inputs(seed: 7, observationEnd: day("2020-06-30"), deaths: true, matched: true)
        let study = try inputs.load()
        let group = try #require(try inputs.loadComparisonGroup(like: study))
        let matching = try #require(group.matching)
        let members = Dictionary(uniqueKeysWithValues: group.study.cohortMembers.map { ($0.personID, $0) })
        var removedSeen = false
        for entry in matching.entries {
            let code = try #require(matching.features.persons.code(of: entry.personID))
            let bounds = matching.features.bounds(person: code, index: entry.start)
            let member = try #require(members[entry.personID])
            #expect(bounds.beforeDays == member.beforeDays && bounds.afterDays == member.afterDays)
            // What a bootstrap replicate reads of a re-matched candidate: the same exposure.
            let record = try matching.features.windowCosts(person: code, index: entry.start, columns: 1, column: matching.features.serviceNames.map { _ in nil },
                                                           isIntervention: matching.features.serviceNames.map { _ in false })
            #expect(record.beforeDays == member.beforeDays && record.afterDays == member.afterDays)
            if bounds.beforeRemoved + bounds.afterRemoved > 0 { removedSeen = true }
        }
        #expect(removedSeen)
    }
}
