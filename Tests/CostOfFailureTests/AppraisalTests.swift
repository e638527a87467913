import Testing
@testable import CostOfFailure

@Suite("Appraisal")
struct AppraisalTests {
    /// The hand-worked cohort (people A–D, see ``handWorkedCohort()``): cost per person-year
    /// £1,095 × 365 / 1,460 = £273.75 before and £438 × 365 / 1,460 = £109.50 after, 4 people,
    /// so an observed saving of (£273.75 − £109.50) × 4 = £657.00; £500 recorded against A and
    /// £1,000 of the intervention's own service after: a one-off cost of £1,500.
    static func study(events: EventTable? = nil, people: [String] = ["A", "B", "C", "D"]) throws -> Study {
        try Study(
            events: events ?? handWorkedCohort().finish(),
            unitCosts: UnitCostTable(entries: [.init(service: "A&E", event: "attendance", unitCostPence: 1, cashable: true),
                                               .init(service: "Police", event: "*", unitCostPence: 1, cashable: false)]),
            interventions: InterventionTable(entries: people.map { .init(personID: $0, start: day("2020-01-01")) }
                                             + (people.contains("A") ? [.init(personID: "A", start: day("2020-03-01"), costPence: 50_000)] : [])),
            services: ServiceCatalog(entries: [.init(service: "Liberated Method", category: ServiceCatalog.interventionCategory)]),
            windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-12-30")))
    }

    @Test("The observed year alone: saving, its cashable parts, cost, BCR and ROI named apart, payback")
    func observedYear() throws {
        let appraisal = try Appraisal(study: try Self.study())
        #expect(appraisal.observedAnnualSaving == 65_700)
        #expect(appraisal.cashableObservedSaving == 29_200)  // A&E: (£91.25 − £18.25) × 4
        #expect(appraisal.nonCashableObservedSaving == 36_500)  // Police: (£182.50 − £91.25) × 4
        #expect(appraisal.unstatedObservedSaving == 0)
        #expect(appraisal.deadweight == .notAccountedFor && appraisal.deadweightAnnual == nil)
        #expect(appraisal.annualSaving == 65_700)
        #expect(appraisal.recordedCost == 50_000 && appraisal.serviceCost == 100_000 && appraisal.oneOffCost == 150_000)
        #expect(appraisal.presentValueOfBenefits == 65_700 && appraisal.presentValueOfCosts == 150_000)
        #expect(appraisal.netPresentValue == -84_300)
        // BCR = benefit ÷ cost; ROI = (benefit − cost) ÷ cost: 0.438 against -0.562, not one figure.
        #expect(abs((appraisal.benefitCostRatio ?? 0) - 0.438) < 1e-12)
        #expect(abs((appraisal.returnOnInvestment ?? 0) - -0.562) < 1e-12)
        // £1,500 must be repaid by £657 a year: 27.4 months; 228.3% of the saving breaks even.
        #expect(abs((appraisal.paybackMonths ?? 0) - 150_000.0 * 12 / 65_700) < 1e-9)
        #expect(abs((appraisal.switchingValuePercent ?? 0) - 150_000.0 * 100 / 65_700) < 1e-9)
        #expect(appraisal.probabilityNetPresentValuePositive == nil)
        let table = appraisal.resultTable()
        #expect(table.column("deadweight").map { if case .text(let v) = $0.values { v == ["not accounted for"] } else { false } } == true)
    }

    @Test("Three years with 20% drop-off, a recurring cost, optimism bias on both sides and 30% deadweight, worked by hand")
    func threeYears() throws {
        let assumptions = Appraisal.Assumptions(years: 3, persistenceBasisPoints: 8_000, recurringCostPerPersonPence: 10_000,
                                                optimismBiasCostsBasisPoints: 2_000, optimismBiasBenefitsBasisPoints: 1_000,
                                                deadweightBasisPoints: 3_000)
        let appraisal = try Appraisal(study: try Self.study(), assumptions: assumptions)
        // Deadweight: 30% of £657.00 = £197.10, assumed: £459.90 left; less 10% optimism bias: £413.91 in year 0.
        #expect(appraisal.deadweight == .assumed(basisPoints: 3_000))
        #expect(appraisal.deadweightAnnual == 19_710 && appraisal.annualSavingNetOfDeadweight == 45_990)
        #expect(appraisal.annualSaving == 41_391)
        // Benefits: £459.90; × 0.8 / 1.035 (0.772946860) = £355.48; × 0.64 / 1.035² (0.597446848) = £274.77.
        #expect(appraisal.presentValueOfBenefitsBeforeOptimismBias == Pence(45_990 + 35_548 + 27_477))
        #expect(appraisal.optimismBiasBenefitReduction == 10_902)  // 10% of £1,090.15, to the penny
        #expect(appraisal.presentValueOfBenefits == 98_113)
        // Costs: £1,500 in year 0; £100 × 4 people = £400 in years 1 and 2: £386.47 and £373.40.
        #expect(appraisal.recurringAnnualCost == 40_000)
        #expect(appraisal.presentValueOfCostsBeforeOptimismBias == 150_000 + 38_647 + 37_340)
        #expect(appraisal.optimismBiasCostUplift == 45_197)  // 20% of £2,259.87
        #expect(appraisal.presentValueOfCosts == 271_184)
        // Unwrapped first (here and below): an optional compared with a difference inside
        // #expect trips AddressSanitizer in the runtime's AnyHashable conversion (not this code's).
        let netPresentValue = try #require(appraisal.netPresentValue)
        #expect(netPresentValue == Pence(98_113) - Pence(271_184))
        #expect(abs((appraisal.benefitCostRatio ?? 0) - 98_113.0 / 271_184) < 1e-12)
        #expect(abs((appraisal.returnOnInvestment ?? 0) - (98_113.0 - 271_184) / 271_184) < 1e-12)
        #expect(abs((appraisal.switchingValuePercent ?? 0) - 271_184.0 * 100 / 98_113) < 1e-9)
        // Year 0: £413.91 against £1,500 × 1.2 = £1,800.
        let netSavingFirstYear = try #require(appraisal.netSavingFirstYear)
        #expect(netSavingFirstYear == Pence(41_391) - Pence(180_000))
        #expect(abs((appraisal.paybackMonths ?? 0) - 180_000.0 * 12 / 41_391) < 1e-9)
        let deadweight = try #require(appraisal.resultTable().column("deadweight"))
        guard case .text(let text) = deadweight.values else { Issue.record("deadweight is not text"); return }
        #expect(text == ["30% assumed, not measured"])
    }

    @Test("The switching value: the share of the saving at which NPV is zero")
    func switchingValue() throws {
        let appraisal = try Appraisal(study: try Self.study(), assumptions: .init(years: 5))
        let share = try #require(appraisal.switchingValuePercent)
        let benefits = try #require(appraisal.presentValueOfBenefits)
        // That share of the benefits, less the costs, is zero (to the penny).
        #expect(abs(Double(benefits) * share / 100 - Double(appraisal.presentValueOfCosts)) < 0.5)
        // No benefit: no share of it breaks even.
        let none = try Appraisal(study: try Self.study(people: ["D"]))
        #expect(none.presentValueOfBenefits == 0 && none.switchingValuePercent == nil)
    }

    @Test("P(NPV > 0) from a given set of resampled estimates; an NPV of exactly zero is not positive")
    func probabilityFromReplicates() throws {
        // 4 people, one year, costs £1,500: a change of −£500 per person-year saves £2,000 (NPV
        // +£500), −£375 saves exactly £1,500 (NPV 0), −£375.01 saves £1,500.04.
        let replicates: [Pence] = [-50_000, -40_000, -37_500, -37_501, 0]
        let p = try Appraisal.probabilityNetPresentValuePositive(replicates: replicates, people: 4, presentValueOfCosts: 150_000, .init())
        #expect(p == 0.6)
        // With 20% optimism bias on benefits only the first stays positive (£1,600); £1,280 and £1,200.03 do not.
        let biased = try Appraisal.probabilityNetPresentValuePositive(replicates: replicates, people: 4, presentValueOfCosts: 150_000,
                                                                      .init(optimismBiasBenefitsBasisPoints: 2_000))
        #expect(biased == 0.2)
        #expect(try Appraisal.probabilityNetPresentValuePositive(replicates: [], people: 4, presentValueOfCosts: 1, .init()) == nil)
    }

    @Test("With a comparison group the saving is the difference in differences and the deadweight is measured")
    func comparisonGroupDeadweight() throws {
        // E (comparison): £182.50 of A&E before, nothing after; F: nothing in either window.
        var builder = handWorkedCohort()
        builder.append(person: "E", service: "A&E", event: "attendance", date: day("2019-06-01"), explicitCost: 18_250)
        builder.append(person: "F", service: "A&E", event: "attendance", date: day("2010-06-01"), explicitCost: 1)
        let events = builder.finish()
        let treated = try Self.study(events: events), untreated = try Self.study(events: events, people: ["E", "F"])
        let did = try DifferenceInDifferences(treated: (try BeforeAfterTable(study: treated), treated.cohortMembers),
                                              comparisonGroup: (try BeforeAfterTable(study: untreated), untreated.cohortMembers),
                                              services: treated.services, prices: "test", resamples: 200, seed: 3)
        // Treated change −£164.25, comparison change −£91.25: −£73.00 per person-year, × 4 people.
        #expect(did.lines[0].estimate == -7_300)
        #expect(did.replicates.count == 200)
        let appraisal = try Appraisal(study: treated, beforeAfter: try BeforeAfterTable(study: treated),
                                      assumptions: .init(deadweightBasisPoints: 5_000), differenceInDifferences: did)
        #expect(appraisal.deadweight == .comparisonGroup)
        #expect(appraisal.observedAnnualSaving == 65_700)
        #expect(appraisal.annualSavingNetOfDeadweight == 29_200)  // the assumed 50% is not used
        #expect(appraisal.deadweightAnnual == 36_500)
        #expect(appraisal.resamplesUsed == 200)
        let expected = try Appraisal.probabilityNetPresentValuePositive(replicates: did.replicates, people: 4,
                                                                        presentValueOfCosts: appraisal.presentValueOfCosts, .init())
        #expect(appraisal.probabilityNetPresentValuePositive == expected)
        // For one person the comparison group does not apply.
        let one = try Appraisal(study: treated, beforeAfter: try BeforeAfterTable(study: treated), person: "B", differenceInDifferences: did)
        #expect(one.deadweight == .notAccountedFor && one.probabilityNetPresentValuePositive == nil)
    }

    @Test("Discount factors: year 0 is undiscounted; 3.5% a year compounds, then 3.0% from year 31; persistence compounds")
    func discounting() throws {
        #expect(try Appraisal.discounted(100_000, year: 0, basisPoints: 350) == 100_000)
        #expect(try Appraisal.discounted(100_000, year: 1, basisPoints: 350) == 96_618)  // 0.966183575
        #expect(try Appraisal.discounted(100_000, year: 10, basisPoints: 350) == 70_892)  // 0.708918814
        #expect(try Appraisal.discounted(100_000, year: 5, basisPoints: 0) == 100_000)
        // Year 30 at 3.5% throughout (0.356278...); year 31 steps down: ÷ 1.03, not ÷ 1.035.
        #expect(try Appraisal.discounted(100_000, year: 30, basisPoints: 350, longTermBasisPoints: 300) == 35_628)
        #expect(try Appraisal.discounted(100_000, year: 31, basisPoints: 350, longTermBasisPoints: 300) == 34_590)
        #expect(try Appraisal.discounted(100_000, year: 31, basisPoints: 350) == 34_423)
        #expect(try Appraisal.discounted(100_000, year: 2, basisPoints: 0, persistenceBasisPoints: 5_000) == 25_000)
    }

    @Test("Overflow at the boundary is the error, naming the figure, never a trap")
    func overflow() throws {
        #expect(try Appraisal.share(Pence.max, basisPoints: 10_000, "x") == Pence.max)
        #expect(throws: CostResolver.Overflow.self) { try Appraisal.share(Pence.max, basisPoints: 10_001, "x") }
        #expect(try Appraisal.saving(perPersonYearChange: -(Pence.max / 4), people: 4, "x") == Pence.max / 4 * 4)
        #expect(throws: CostResolver.Overflow.self) { try Appraisal.saving(perPersonYearChange: Pence.min, people: 1, "x") }
        // The costs' present value: the one-off at the limit is fine alone, not with a penny a year more.
        #expect(try Appraisal.presentValueOfCosts(oneOff: Pence.max, recurring: 0, .init(years: 60)).value == Pence.max)
        #expect(throws: CostResolver.Overflow.self) { try Appraisal.presentValueOfCosts(oneOff: Pence.max, recurring: 1, .init(years: 2)) }
        #expect(throws: CostResolver.Overflow.self) { try Appraisal.presentValueOfCosts(oneOff: Pence.max / 2, recurring: 0, .init(optimismBiasCostsBasisPoints: 20_000)) }
        // Benefits that do not drop off, summed over years, pass the limit.
        #expect(throws: CostResolver.Overflow.self) {
            try Appraisal.presentValueOfBenefits(yearZero: Pence.max / 2, .init(years: 3, discountRateBasisPoints: 0))
        }
        // A recurring cost per person that, times the people, does not fit.
        do {
            _ = try Appraisal(study: try Self.study(), assumptions: .init(years: 2, recurringCostPerPersonPence: Pence.max / 3))
            Issue.record("no overflow")
        } catch {
            #expect("\(error)".contains("recurring cost"), "\(error)")
        }
    }

    @Test("Every figure of the table rests on the cohort's people or is a stated assumption")
    func everyFigureHasABasis() throws {
        let table = try Appraisal(study: try Self.study(), assumptions: .init(years: 3, deadweightBasisPoints: 3_000)).resultTable()
        for column in table.columns {
            #expect(column.isLabel || column.basis != nil, "\(column.name)")
        }
        // Figures worked from the saving withhold with it; those from both costs and saving depend on both.
        for name in ["observed_annual_saving", "deadweight_annual", "annual_saving", "present_value_of_benefits", "optimism_bias_benefit_reduction"] {
            #expect(table.column(name)?.basis?.family == "saving", "\(name)")
        }
        for name in ["intervention_cost", "recurring_annual_cost", "present_value_of_costs", "optimism_bias_cost_uplift"] {
            #expect(table.column(name)?.basis?.family == "cost", "\(name)")
        }
        for name in ["net_present_value", "benefit_cost_ratio", "return_on_investment", "switching_value_percent", "probability_npv_positive"] {
            #expect(table.column(name)?.basis?.dependsOn.sorted() == ["cost", "saving"], "\(name)")
        }
    }
}
