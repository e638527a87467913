import Testing
@testable import CostOfFailure

@Suite("Appraisal")
struct AppraisalTests {
    @Test("Saving, optimism bias, cashable apart, cost, ROI, payback and present values, worked by hand")
    func handWorked() throws {
        let builder = handWorkedCohort()
        let study = try Study(
            events: builder.finish(),
            unitCosts: UnitCostTable(entries: [.init(service: "A&E", event: "attendance", unitCostPence: 1, cashable: true),
                                               .init(service: "Police", event: "*", unitCostPence: 1, cashable: false)]),
            interventions: InterventionTable(entries: ["A", "B", "C", "D"].map { .init(personID: $0, start: day("2020-01-01")) }
                                             + [.init(personID: "A", start: day("2020-03-01"), costPence: 50_000)]),
            services: ServiceCatalog(entries: [.init(service: "Liberated Method", category: ServiceCatalog.interventionCategory)]),
            windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-12-30")))
        let appraisal = try Appraisal(study: study, assumptions: .init(years: 3, discountRateBasisPoints: 350, optimismBiasPercent: 20))
        // Cost per person-year: £1,095 × 365 / 1,460 = £273.75 before, £438 × 365 / 1,460 = £109.50 after; 4 people.
        #expect(appraisal.grossAnnualSaving == 65_700)
        #expect(appraisal.annualSaving == 52_560)  // less 20%
        #expect(appraisal.cashableAnnualSaving == 23_360)  // A&E: (£91.25 - £18.25) × 4 × 0.8
        #expect(appraisal.nonCashableAnnualSaving == 29_200)  // Police: (£182.50 - £91.25) × 4 × 0.8
        #expect(appraisal.unstatedAnnualSaving == 0)
        #expect(appraisal.recordedCost == 50_000 && appraisal.serviceCost == 100_000)
        #expect(abs((appraisal.returnOnInvestment ?? 0) - 52_560.0 / 150_000.0) < 1e-12)
        #expect(abs((appraisal.paybackMonths ?? 0) - 150_000.0 * 12 / 52_560.0) < 1e-9)
        // Years 0, 1, 2: £525.60 + £525.60 / 1.035 (£507.83) + £525.60 / 1.035² (£490.65).
        #expect(appraisal.presentValue == Pence(152_408))
        #expect(appraisal.netPresentValue == Pence(2_408))
    }

    @Test("Discount factors: year 0 is undiscounted; 3.5% a year compounds")
    func discounting() throws {
        #expect(try Appraisal.discounted(100_000, year: 0, basisPoints: 350) == 100_000)
        #expect(try Appraisal.discounted(100_000, year: 1, basisPoints: 350) == 96_618)  // 0.966183575
        #expect(try Appraisal.discounted(100_000, year: 10, basisPoints: 350) == 70_892)  // 0.708918814
        #expect(try Appraisal.discounted(100_000, year: 5, basisPoints: 0) == 100_000)
    }
}
