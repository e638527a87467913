import CostOfFailure
@testable import CostOfFailureReports
import Testing

/// The inference tables under disclosure control, at the cells an attack recovered before
/// they were protected: a comparison change given back by a difference in differences whose
/// treated change is a published 0, and one person's cost given back by a balance mean over
/// many people of whom only that one used the service.
@Suite("Inference tables under disclosure control")
struct InferenceDisclosureTests {
    private static func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }

    /// A study of `people` people (IDs `prefix`0…), each with £365 of A&E before and £73 after
    /// 2020-01-01, the first `hospitalUsers` of them with a £500 Hospital stay before it too.
    private static func study(prefix: String, people: Int, hospitalUsers: Int, builder: inout EventTableBuilder) -> [InterventionTable.Entry] {
        for p in 0..<people {
            let id = "\(prefix)\(p)"
            builder.append(person: id, service: "A&E", event: "attendance", date: day("2019-06-01"), explicitCost: 36_500)
            builder.append(person: id, service: "A&E", event: "attendance", date: day("2020-06-01"), explicitCost: 7_300)
            if p < hospitalUsers {
                builder.append(person: id, service: "Hospital", event: "stay", date: day("2019-07-01"), explicitCost: 50_000 + Int64(p))
            }
        }
        return (0..<people).map { .init(personID: "\(prefix)\($0)", start: day("2020-01-01")) }
    }

    @Test("A service no treated person used: the withheld comparison change is not given back by the estimate")
    func differenceInDifferencesLine() throws {
        var builder = EventTableBuilder()
        let treated = Self.study(prefix: "T", people: 20, hospitalUsers: 0, builder: &builder)
        let comparison = Self.study(prefix: "C", people: 20, hospitalUsers: 3, builder: &builder)
        let events = builder.finish()
        let windows = StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: Self.day("2020-12-31"))
        let treatedStudy = try Study(events: events, unitCosts: UnitCostTable(entries: []), interventions: InterventionTable(entries: treated), windows: windows)
        let groupStudy = try Study(events: events, unitCosts: UnitCostTable(entries: []), interventions: InterventionTable(entries: comparison), windows: windows)
        let did = try DifferenceInDifferences(treated: (try BeforeAfterTable(study: treatedStudy), treatedStudy.cohortMembers),
                                              comparisonGroup: (try BeforeAfterTable(study: groupStudy), groupStudy.cohortMembers),
                                              services: .empty, prices: "test", resamples: 50)
        let table = DisclosureControl(rule: .nhsEngland).protect(did.resultTable())
        guard case .text(let services) = table.column("service")!.values else { Issue.record("no services"); return }
        let row = try #require(services.firstIndex(of: "Hospital"))
        #expect(table.column("comparison_change_per_person_year")!.state(row) == .suppressed)
        // Any two of the three would give the third back: the treated change is a true 0 resting
        // on no one (a published 0 stays), so the estimate goes, and its interval but for a
        // bound that is 0 (a resample with no user), which gives nothing back.
        #expect(table.column("difference_in_differences")!.state(row) == .suppressed)
        for name in ["ci95_lower", "ci95_upper"] {
            guard case .money(let values) = table.column(name)!.values else { continue }
            #expect(table.column(name)!.state(row) == .suppressed || values[row] == 0, "\(name)")
        }
    }

    @Test("A balance mean over twelve people of whom one used the service is withheld; a zero mean is published")
    func balanceMeans() {
        // Variable 0: everyone's; variable 1: one treated user (ln(1 + £903.89)); variable 2: nobody's.
        let treated = (0..<12).map { [Double($0 + 1), $0 == 0 ? 6.808 : 0, 0] }
        let comparison = (0..<30).map { [Double($0 % 12 + 1), $0 < 10 ? 5.0 : 0, 0] }
        let table = DisclosureControl(rule: .nhsEngland).protect(
            CovariateBalance(names: ["age", "hostel", "none"], treated: treated, candidates: nil, candidatePeople: nil, comparisonGroup: comparison).resultTable())
        #expect(table.column("treated_mean")!.state(0) == .value)
        #expect(table.column("treated_mean")!.state(1) == .suppressed)
        #expect(table.column("smd_after_matching")!.state(1) == .suppressed)
        #expect(table.column("comparison_mean")!.state(1) == .value)
        #expect(table.column("treated_mean")!.state(2) == .value)
    }
}
