import Testing
@testable import CostOfFailure

/// Every analysis fed costs, quantities and intervention costs near the limits of 64-bit pence:
/// each returns a result or throws ``CostResolver/Overflow`` naming a figure — never a trap
/// (a trap would end this test process) and never a person's ID in the message.
@Suite("Extreme values")
struct ExtremeValuesTests {
    /// Explicit costs near the limits, and near the per-event cap (which the resolver enforces).
    static let explicitCosts: [Pence?] = [
        nil, 0, 1, -1, Int64.max / 2, Int64.max / 3, -(Int64.max / 2), Int64.max, Int64.min,
        CostResolver.maximumEventCost, -CostResolver.maximumEventCost, CostResolver.maximumEventCost / 3,
    ]
    /// Unit costs: some whose product with a large quantity overflows, some that fit under the cap.
    static let unitCosts: [Pence] = [1, 46, CostResolver.maximumEventCost / Pence(Int32.max), Int64.max / 2, Int64.max / 3, CostResolver.maximumEventCost]
    /// Recorded intervention costs (not capped per row; the study checks their total).
    static let interventionCosts: [Pence?] = [
        nil, 0, 1, Int64.max / 2, Int64.max / 3, Int64.max, -(Int64.max / 2), CostResolver.maximumTotal - 1, CostResolver.maximumTotal / 3,
    ]
    static let quantities: [Int32] = [1, 2, Int32.max, Int32.max / 2]

    /// A generated study: a few treated people and a few without an intervention, services with
    /// unit costs drawn from ``unitCosts``, rows with explicit costs from ``explicitCosts`` and
    /// quantities from ``quantities``, one person and service with many rows at the event cap,
    /// and intervention costs from ``interventionCosts``; windows of a day to years.
    struct Generated {
        var events: EventTableBuilder
        var unitCosts: UnitCostTable
        var interventions: InterventionTable
        var comparisonGroup: InterventionTable
        var services: ServiceCatalog
        var windows: StudyWindows
        var people: [String]
    }

    /// Values a loadable study can hold: event costs within the cap, unit costs whose product
    /// with any quantity is too, recorded costs that may or may not fit together.
    static let tameExplicitCosts: [Pence?] = [nil, 0, 1, -1, CostResolver.maximumEventCost, -CostResolver.maximumEventCost, CostResolver.maximumEventCost / 3]
    static let tameUnitCosts: [Pence] = [1, CostResolver.maximumEventCost / Pence(Int32.max)]
    static let tameInterventionCosts: [Pence?] = [nil, 0, 1, 5_000_000, CostResolver.maximumTotal / 20, -(CostResolver.maximumTotal / 20), CostResolver.maximumTotal / 3]

    /// A study from `seed`: one seed in three draws from every extreme (most such studies are
    /// refused on loading), the others from values a study can hold, so that the analyses run.
    static func generate(seed: UInt64) -> Generated {
        var random = SplitMix64(seed: seed)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        let wild = seed % 3 == 0
        let explicitCosts = wild ? Self.explicitCosts : Self.tameExplicitCosts
        let unitCostChoices = wild ? Self.unitCosts : Self.tameUnitCosts
        // One seed in six puts the study just inside the ceiling: ten people, one observed for a
        // single day after the index date with £3.9tn of events on it, small recorded costs,
        // the others' index date after the observation end. Rates (× 365) and the appraisal's
        // saving × people then go past 64 bits.
        let pressure = seed % 6 == 1
        let interventionCosts = wild ? Self.interventionCosts : pressure || random.next() % 2 == 0 ? [nil, 0, 1, 5_000_000] : Self.tameInterventionCosts
        let treated = (0..<(pressure ? 10 : 1 + Int(random.next() % 10))).map { "T-SECRET-\($0)" }
        let untreated = (0..<(1 + Int(random.next() % 4))).map { "U-SECRET-\($0)" }
        let index = day("2020-01-01")
        let services = ["A&E", "Police", "Housing", "Liberated Method"]
        var builder = EventTableBuilder()
        let heavy = Int(random.next() % 5)  // how large the block of capped rows is
        for person in treated + untreated {
            for _ in 0..<(1 + Int(random.next() % 12)) {
                let offset = Int(random.next() % 800) - 400
                builder.append(person: person, service: pick(services), event: pick(["visit", "night"]), date: index.addingDays(offset),
                               quantity: pick(quantities), explicitCost: pick(explicitCosts))
            }
        }
        // Many rows for one person and one service, all at the cap, on the same day just
        // before the index date or on it: sums of up to 40,000 × £1bn, near the engine's
        // ceiling or past it.
        let rows = pressure ? 39_000 : [0, 100, 5_000, 39_000, 40_001][heavy]
        let blockDay = index.addingDays(pressure ? 0 : pick([-1, 0]))
        for _ in 0..<rows {
            builder.append(person: treated[0], service: "Police", event: "arrest", date: blockDay,
                           explicitCost: pressure ? CostResolver.maximumEventCost : pick([CostResolver.maximumEventCost, -CostResolver.maximumEventCost]))
        }
        let unitCosts = UnitCostTable(entries: [
            .init(service: "A&E", event: "*", unitCostPence: pick(unitCostChoices), cashable: true),
            .init(service: "Police", event: "*", unitCostPence: pick(unitCostChoices), cashable: false),
            .init(service: "Housing", event: "night", unitCostPence: pick(unitCostChoices)),
            .init(service: "Liberated Method", event: "*", unitCostPence: pick(unitCostChoices)),
        ])
        // The first person's index date is the day; the others' that day or the next, so that
        // with an observation end on the day some people have no after exposure at all.
        let interventions = InterventionTable(entries: treated.enumerated().flatMap { offset, person in
            let start = offset == 0 ? index : index.addingDays(pressure ? 1 : pick([0, 1]))
            return [InterventionTable.Entry(personID: person, start: start, costPence: pick(interventionCosts)),
             InterventionTable.Entry(personID: person, start: start.addingDays(30), costPence: pick(interventionCosts))]
        })
        let comparisonGroup = InterventionTable(entries: untreated.map { .init(personID: $0, start: index) })
        let spans = [WindowSpan(1, .days), WindowSpan(2, .days), WindowSpan(6, .months), WindowSpan(1, .years)]
        let windows = pressure
            ? StudyWindows(before: WindowSpan(1, .days), after: WindowSpan(1, .days), observationEnd: index)
            : StudyWindows(before: pick(spans), after: pick(spans), observationEnd: pick([nil, index, index.addingDays(1), day("2021-06-30")]))
        return Generated(events: builder, unitCosts: unitCosts, interventions: interventions, comparisonGroup: comparisonGroup,
                         services: ServiceCatalog(entries: [.init(service: "Liberated Method", category: ServiceCatalog.interventionCategory)]),
                         windows: windows, people: treated + untreated)
    }

    /// What running one analysis came to.
    enum Outcome: Equatable { case result, overflow }

    /// Runs `body`: a result, or the overflow error (whose message must name no person).
    static func outcome(_ people: [String], _ body: () throws -> Void) -> Outcome? {
        do {
            try body()
            return .result
        } catch let error as CostResolver.Overflow {
            #expect(!people.contains { error.description.contains($0) }, "\(error)")
            return .overflow
        } catch let error as ConsumptionReport.Failure {
            guard case .overflow(let overflow) = error else {
                Issue.record("unexpected \(error)")
                return nil
            }
            #expect(!people.contains { overflow.description.contains($0) }, "\(overflow)")
            return .overflow
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test("Every analysis returns or throws the overflow error on near-limit inputs", arguments: 0..<60)
    func everyAnalysis(seed: Int) throws {
        _ = Self.runEveryAnalysis(seed: seed)
    }

    @Test("The generated studies reach the analyses' own overflow checks, not only the study's")
    func analysesOverflow() {
        var outcomes: [Outcome?] = []
        for seed in 0..<60 { outcomes += Self.runEveryAnalysis(seed: seed) }
        #expect(outcomes.contains(.result))
        #expect(outcomes.contains(.overflow))
    }

    /// Runs every analysis of the study from `seed`; the outcomes of those that can throw, after
    /// the study loaded (none if it did not).
    static func runEveryAnalysis(seed: Int) -> [Outcome?] {
        var outcomes: [Outcome?] = []
        let generated = Self.generate(seed: UInt64(seed))
        let people = generated.people
        var study: Study?
        let loaded = Self.outcome(people) {
            study = try Study(events: generated.events.finish(), unitCosts: generated.unitCosts, interventions: generated.interventions,
                              services: generated.services, windows: generated.windows, workers: 1 + seed % 2)
        }
        #expect(loaded != nil)
        // The tame seeds with no block past the ceiling must load, so that the analyses run.
        if seed % 3 != 0 && generated.events.count < 39_000 && !generated.interventions.entries.contains(where: { ($0.costPence ?? 0).magnitude > 0 }) {
            #expect(loaded == .result)
        }
        guard let study else { return [] }
        var comparison: BeforeAfterTable?
        outcomes.append(Self.outcome(people) { comparison = try BeforeAfterTable(study: study) })
        outcomes.append(Self.outcome(people) {
            let summary = try CohortSummary(beforeAfter: try BeforeAfterTable(study: study), members: study.cohortMembers,
                                            services: study.services, prices: study.pricesDescription)
            _ = summary.resultTable()
            _ = summary.resultTable(summary.byService, name: "s", groupColumn: "service")
            _ = summary.resultTable(summary.byCategory, name: "c", groupColumn: "category")
            _ = summary.resultTable(summary.byAgency, name: "a", groupColumn: "agency")
        })
        _ = comparison?.resultTable()
        let years = FinancialYearConsumption(study: study)
        _ = years.resultTable()
        _ = years.interventionTable()
        _ = Trajectory(study: study).resultTable()
        _ = Trajectory(study: study, person: people[0]).resultTable()
        _ = QuarterlyTimeline(study: study).resultTable()
        _ = QuarterlyTimeline(study: study, person: people[0]).resultTable()
        _ = TopUsers(study: study, top: 3).resultTable()
        let baselines = RegressionToTheMean(study: study)
        _ = (baselines.resultTable(), baselines.summary)
        for assumptions in [Appraisal.Assumptions(), .init(years: 60, discountRateBasisPoints: 0, longTermDiscountRateBasisPoints: 0),
                            .init(years: 10, discountRateBasisPoints: 5_000, optimismBiasBenefitsBasisPoints: 10_000),
                            .init(years: 60, persistenceBasisPoints: 0, recurringCostPerPersonPence: CostResolver.maximumTotal,
                                  optimismBiasCostsBasisPoints: 100_000, deadweightBasisPoints: 10_000),
                            .init(years: 3, optimismBiasCostsBasisPoints: 2_000, optimismBiasBenefitsBasisPoints: 2_000, deadweightBasisPoints: 3_000)] {
            outcomes.append(Self.outcome(people) { _ = try Appraisal(study: study, assumptions: assumptions).resultTable() })
            outcomes.append(Self.outcome(people) { _ = try Appraisal(study: study, assumptions: assumptions, person: people[0]).resultTable() })
        }
        for subject in [ConsumptionReport.Subject.cohort, .person(people[0])] {
            outcomes.append(Self.outcome(people) {
                let report = try ConsumptionReport(study: study, subject: subject)
                _ = (report.beforeAfterTable(), report.lifetimeTable(), report.responseTable(), report.consumption, report.interventionSpend)
                _ = report.lifetimeByCategory
            })
        }
        // A comparison group from a file, and one matched from the people without an intervention.
        let matched = ComparisonGroupMatching(study: study)
        for group in [generated.comparisonGroup, InterventionTable(entries: matched.entries)] {
            outcomes.append(Self.outcome(people) {
                let other = try Study(events: study.events, unitCosts: study.unitCostTable, interventions: group, services: study.services,
                                      windows: study.windows, workers: 1)
                let did = try DifferenceInDifferences(treated: (try BeforeAfterTable(study: study), study.cohortMembers),
                                                      comparisonGroup: (try BeforeAfterTable(study: other), other.cohortMembers),
                                                      services: study.services, prices: "test", resamples: 40, seed: UInt64(seed))
                _ = did.resultTable()
            })
        }
        #expect(!outcomes.contains(nil))
        return outcomes
    }

    @Test("The generator makes studies that load (so the analyses run) as well as ones refused")
    func generatorCoversBoth() {
        var loaded = 0, refused = 0
        for seed in 0..<60 {
            let generated = Self.generate(seed: UInt64(seed))
            do {
                _ = try Study(events: generated.events.finish(), unitCosts: generated.unitCosts, interventions: generated.interventions,
                              services: generated.services, windows: generated.windows, workers: 1)
                loaded += 1
            } catch {
                refused += 1
            }
        }
        #expect(loaded >= 20 && refused >= 10, "\(loaded) loaded, \(refused) refused")
    }

    @Test("Rows from outside a study (merged partials, say) near the limits: the summary and the difference in differences throw, never trap",
          arguments: [Int64.max, Int64.max / 2, Int64.max / 3, Int64.min, -(Int64.max / 2), CostResolver.maximumTotal, CostResolver.maximumTotal + 1])
    func rowsFromElsewhere(cost: Pence) {
        func row(_ person: String, _ service: String, days: Int) -> BeforeAfterTable.Row {
            BeforeAfterTable.Row(personID: person, service: service,
                           before: PeriodFigures(events: Int64.max / 2, quantity: Int64.max / 2, cost: cost, unpriced: 0),
                           after: PeriodFigures(events: 1, quantity: 1, cost: cost == Int64.min ? Int64.max : -cost, unpriced: 0),
                           beforeDays: days, afterDays: days)
        }
        let people = ["T-SECRET-A", "T-SECRET-B", "T-SECRET-C"]
        let rows = people.flatMap { [row($0, "A&E", days: 1), row($0, "Police", days: 1)] }
        let comparison = BeforeAfterTable(rows: rows)
        let members = people.map { CohortSummary.Member(personID: $0, beforeDays: 1, afterDays: 1) }
        _ = comparison.resultTable()  // the change per year of a row this far out has no figure rather than a trap
        let summary = Self.outcome(people) {
            let summary = try CohortSummary(beforeAfter: comparison, members: members, services: .empty, prices: "test")
            _ = summary.resultTable()
            _ = summary.resultTable(summary.byService, name: "s", groupColumn: "service")
        }
        let did = Self.outcome(people) {
            _ = try DifferenceInDifferences(treated: (comparison, members), comparisonGroup: (comparison, members),
                                            services: .empty, prices: "test", resamples: 20).resultTable()
        }
        if cost.magnitude > CostResolver.maximumTotal.magnitude / 6 {
            #expect(summary == .overflow)
        }
        #expect(summary != nil && did != nil)
    }

    @Test("Intervention costs near the limit: the study is refused with the overflow error, naming the figure, not the person")
    func interventionCostsNearTheLimit() throws {
        var builder = EventTableBuilder()
        builder.append(person: "P-SECRET-1", service: "A&E", event: "visit", date: day("2019-06-01"), explicitCost: 10_000)
        let interventions = InterventionTable(entries: [
            .init(personID: "P-SECRET-1", start: day("2020-01-01"), costPence: Int64.max / 2),
            .init(personID: "P-SECRET-1", start: day("2020-02-01"), costPence: Int64.max / 2),
        ])
        do {
            _ = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []), interventions: interventions,
                          windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
            Issue.record("a study whose recorded costs do not fit was loaded")
        } catch {
            #expect(error.description.contains("interventions' recorded costs"), "\(error)")
            #expect(!error.description.contains("P-SECRET-1"))
        }
    }

    @Test("An appraisal whose saving times its people does not fit throws, naming the figure")
    func appraisalOverflow() throws {
        // Ten people. One is observed for one day after the index date, with 39,999 events at
        // the £1bn cap on it (within the ceiling); the other nine, whose index date is after
        // the observation end, add people but no exposure: the cohort's cost per person-year
        // after (× 365 over one day) times ten people does not fit in 64-bit pence.
        var builder = EventTableBuilder()
        let people = (0..<10).map { "P-SECRET-\($0)" }
        for _ in 0..<39_999 {
            builder.append(person: people[0], service: "Police", event: "arrest", date: day("2020-01-01"), explicitCost: CostResolver.maximumEventCost)
        }
        for person in people.dropFirst() {
            builder.append(person: person, service: "A&E", event: "visit", date: day("2019-06-01"), explicitCost: 100)
        }
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []),
                              interventions: InterventionTable(entries: people.enumerated().map {
                                  .init(personID: $0.element, start: day($0.offset == 0 ? "2020-01-01" : "2020-01-02"))
                              }),
                              windows: StudyWindows(before: WindowSpan(1, .days), after: WindowSpan(1, .days), observationEnd: day("2020-01-01")))
        #expect(study.cohortMembers.count == 10)
        #expect(throws: CostResolver.Overflow.self) { try Appraisal(study: study) }
        do {
            _ = try Appraisal(study: study)
        } catch {
            #expect(error.description.contains("appraisal"), "\(error)")
            #expect(!people.contains { error.description.contains($0) })
        }
    }

    @Test("Discounting at a rate that is not a rate is the overflow error, not a trap")
    func discountingOutOfRange() {
        #expect(throws: CostResolver.Overflow.self) { try Appraisal.discounted(100, year: 3, basisPoints: -10_000) }
        #expect(throws: CostResolver.Overflow.self) { try Appraisal.discounted(Int64.max, year: 60, basisPoints: -5_000) }
    }

    @Test("Rounded quotients of any 128-bit numerator do not trap")
    func roundedQuotient() {
        #expect(CohortSummary.roundedQuotient(Int128.max, 1) == nil)
        #expect(CohortSummary.roundedQuotient(Int128.min, 1) == nil)
        #expect(CohortSummary.roundedQuotient(Int128.min, Int128.max) == -1)
        #expect(CohortSummary.roundedQuotient(5, 2) == 3 && CohortSummary.roundedQuotient(-5, 2) == -3)
        #expect(CohortSummary.roundedQuotient(Int128(Int64.max), 1) == Int64.max)
        #expect(CohortSummary.roundedQuotient(Int128(Int64.min), 1) == Int64.min)
    }
}
