import Foundation
import Testing
@testable import CostOfFailure

/// The known answers of issue 19: a cohort recruited at a usage spike, with no effect and with
/// a planted one, analysed as an evaluator would (matched comparison group, re-matching
/// bootstrap, placebo, baseline check).
@Suite("A cohort recruited at a usage spike: known answers")
struct SpikeRecruitedCohortTests {
    /// Everything the analysis of one generated cohort gives.
    struct Analysis {
        var naive: CohortSummary
        var did: DifferenceInDifferences
        var placebo: PlaceboTest
        var baseline: RegressionToTheMean
        var balance: CovariateBalance
        var useChange: UseChange
        /// The same DiD with the matched group held fixed in the bootstrap (both groups resampled).
        var fixedGroup: DifferenceInDifferences
    }

    /// 1,000 people, 200 of them treated at their first crisis; a year either side.
    static func cohort(effect: Double = 0) -> SpikeRecruitedCohort {
        SpikeRecruitedCohort(options: .init(people: 1_000, treated: 200, seed: 1, effect: effect))
    }

    static func analyse(_ cohort: SpikeRecruitedCohort) throws -> Analysis {
        let inputs = StudyInputs(events: [EventSource(.file(try temporaryFile(cohort.eventsCSV())))],
                                 interventions: .file(try temporaryFile(cohort.interventionsCSV(), name: "i.csv")),
                                 unitCosts: .file(try temporaryFile(cohort.unitCostsCSV(), name: "u.csv")),
                                 services: .file(try temporaryFile(cohort.servicesCSV(), name: "s.csv")),
                                 windows: cohort.windows)
        let study = try inputs.load()
        let features = MatchingFeatures(study: study)
        let matching = ComparisonGroupMatching(study: study, features: features)
        let group = try Study(events: study.events, unitCosts: study.unitCostTable, interventions: InterventionTable(entries: matching.entries),
                              services: study.services, windows: study.windows)
        let treated = try BeforeAfterTable(study: study)
        let naive = try CohortSummary(beforeAfter: treated, members: study.cohortMembers, services: study.services, prices: "test")
        let did = try DifferenceInDifferences(treated: (treated, study.cohortMembers), comparisonGroup: (try BeforeAfterTable(study: group), group.cohortMembers),
                                              services: study.services, prices: "test", resamples: 1_000, seed: 1, matching: matching)
        let fixedGroup = try DifferenceInDifferences(treated: (treated, study.cohortMembers), comparisonGroup: (try BeforeAfterTable(study: group), group.cohortMembers),
                                                     services: study.services, prices: "test", resamples: 1_000, seed: 1)
        let placebo = try PlaceboTest(study: study, comparisonGroup: nil, features: features, resamples: 1_000, seed: 1)
        return Analysis(naive: naive, did: did, placebo: placebo, baseline: RegressionToTheMean(study: study),
                        balance: CovariateBalance(matching: matching),
                        useChange: try UseChange(beforeAfter: treated, members: study.cohortMembers, services: study.services),
                        fixedGroup: fixedGroup)
    }

    /// Cost per person-year over a group's exposure (pence).
    static func rate(_ cost: Pence, days: Int) -> Pence { cost * 365 / Pence(days) }

    @Test("No effect: the naive change is a large fall; the matched DiD interval covers zero; the placebo and the baseline check flag it")
    func noEffect() throws {
        let a = try Self.analyse(Self.cohort())
        let before = Self.rate(a.naive.total.before.cost, days: a.naive.beforeDays), after = Self.rate(a.naive.total.after.cost, days: a.naive.afterDays)
        let all = a.did.lines[0], placebo = a.placebo.overall
        // The figures the note quotes.
        print("spike-recruited cohort, no effect: naive before \(before) after \(after) per person-year (pence); DiD \(all); placebo \(placebo); baseline: \(a.baseline.summary); \(a.useChange.summary); imbalanced after matching: \(a.balance.imbalancedAfter)")
        #expect(a.did.treatedPeople == 200 && a.did.comparisonPeople == 200)
        #expect(after * 10 < before * 7, "the naive fall is large: more than 30%")
        let lower = try #require(all.lower), upper = try #require(all.upper)
        #expect(lower <= 0 && 0 <= upper, "the DiD interval covers zero: \(all)")
        #expect(a.placebo.flagged && (placebo.lower ?? 0) > 0, "the placebo's interval lies above zero: \(placebo)")
        #expect(a.baseline.flagged * 2 > a.baseline.people.count, "most treated people cost at least twice their baseline")
        #expect(a.did.replicates.count == 1_000)
        #expect(a.did.rematched && !a.fixedGroup.rematched)
        // Re-matching puts the match's own variability into the interval: wider than holding the group fixed.
        func sd(_ x: [Pence]) -> Double {
            let mean = Double(x.reduce(0, +)) / Double(x.count)
            return (x.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(x.count - 1)).squareRoot()
        }
        print("replicate SD re-matched \(sd(a.did.replicates)), group fixed \(sd(a.fixedGroup.replicates)); fixed interval \(a.fixedGroup.lines[0])")
        // Matching takes away the imbalance in the before window that recruitment at a spike makes.
        let health = try #require(a.balance.lines.first { $0.name.contains("Health") })
        #expect(abs(health.before ?? 0) > 0.5 && abs(health.after ?? 1) < 0.25, "\(health)")
    }

    @Test("A planted fall of 40% of the treated people's later events: the matched DiD interval covers the effect on the treated")
    func plantedEffect() throws {
        let without = try Self.analyse(Self.cohort()), with = try Self.analyse(Self.cohort(effect: 0.4))
        // The cohorts differ only in the events dropped: the effect on the treated, exactly.
        #expect(with.naive.total.before.cost == without.naive.total.before.cost)
        let planted = Self.rate(with.naive.total.after.cost, days: with.naive.afterDays) - Self.rate(without.naive.total.after.cost, days: without.naive.afterDays)
        let all = with.did.lines[0]
        print("spike-recruited cohort, 40% planted: effect \(planted); DiD \(all)")
        #expect(planted < -50_000)
        let lower = try #require(all.lower), upper = try #require(all.upper)
        #expect(lower <= planted && planted <= upper, "the DiD interval covers the planted effect \(planted): \(all)")
        #expect(upper < 0)
    }

    @Test("The same options give the same cohort; the effect drops only treated people's events on or after their index date")
    func deterministic() {
        let a = SpikeRecruitedCohort(options: .init(people: 300, treated: 60, seed: 5))
        let b = SpikeRecruitedCohort(options: .init(people: 300, treated: 60, seed: 5))
        #expect(a.events == b.events && a.eventsCSV() == b.eventsCSV() && a.interventionsCSV() == b.interventionsCSV())
        #expect(a.treated.count == 60)
        let dropped = SpikeRecruitedCohort(options: .init(people: 300, treated: 60, seed: 5, effect: 0.5))
        let index = Dictionary(uniqueKeysWithValues: a.treated.map { ($0.person, $0.index) })
        let kept = Set(dropped.events.map { "\($0.person) \($0.service) \($0.day) \($0.quantity)" })
        let lost = a.events.filter { !kept.contains("\($0.person) \($0.service) \($0.day) \($0.quantity)") }
        #expect(!lost.isEmpty)
        #expect(lost.allSatisfy { event in index[event.person].map { event.day >= $0 } ?? false })
    }
}
