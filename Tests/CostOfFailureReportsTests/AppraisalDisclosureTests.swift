import CostOfFailure
@testable import CostOfFailureReports
import Testing

/// The Green Book appraisal's figures under disclosure control: a withheld saving takes every
/// figure worked from it along, and the assumptions (labels) stay.
@Suite("Appraisal under disclosure control")
struct AppraisalDisclosureTests {
    /// `people` people, each with £365 of A&E before and £73 after a 2020-01-01 index date, £100 recorded each.
    static func appraisal(people count: Int) throws -> Appraisal {
        var builder = EventTableBuilder()
        let people = (0..<count).map { "P\($0)" }
        for person in people {
            builder.append(person: person, service: "A&E", event: "attendance", date: CivilDate(iso: "2019-06-01")!, explicitCost: 36_500)
            builder.append(person: person, service: "A&E", event: "attendance", date: CivilDate(iso: "2020-06-01")!, explicitCost: 7_300)
        }
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []),
                              interventions: InterventionTable(entries: people.map { .init(personID: $0, start: CivilDate(iso: "2020-01-01")!, costPence: 10_000) }),
                              windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: CivilDate(iso: "2020-12-30")!))
        return try Appraisal(study: study, assumptions: .init(years: 3, persistenceBasisPoints: 8_000, recurringCostPerPersonPence: 5_000,
                                                              optimismBiasCostsBasisPoints: 2_000, optimismBiasBenefitsBasisPoints: 1_000,
                                                              deadweightBasisPoints: 3_000))
    }

    static let savingFigures = ["observed_annual_saving", "deadweight_annual", "annual_saving_net_of_deadweight", "annual_saving",
                                "present_value_of_benefits_before_optimism_bias", "optimism_bias_benefit_reduction", "present_value_of_benefits"]
    static let costFigures = ["intervention_cost", "recurring_annual_cost", "present_value_of_costs_before_optimism_bias",
                              "optimism_bias_cost_uplift", "present_value_of_costs"]
    static let bothFigures = ["net_present_value", "benefit_cost_ratio", "return_on_investment", "switching_value_percent", "net_saving_first_year"]

    @Test("A cohort of four: every figure withheld, the assumptions shown")
    func smallCohort() throws {
        let table = DisclosureControl(rule: .nhsEngland).protect(try Self.appraisal(people: 4).resultTable())
        for name in Self.savingFigures + Self.costFigures + Self.bothFigures {
            #expect(table.column(name)?.state(0) == .suppressed, "\(name)")
        }
        for name in ["years", "persistence_percent", "optimism_bias_costs_percent", "optimism_bias_benefits_percent", "deadweight"] {
            #expect(table.column(name)?.state(0) == .value, "\(name)")
        }
    }

    @Test("A withheld cohort change withholds every figure worked from the saving, and only those")
    func mirroredSaving() throws {
        let appraisal = try Self.appraisal(people: 20)
        // A stand-in for the cohort's change, resting on 3 people: withheld, and mirrored.
        let source = ResultTable(name: "cohort", title: "c", columns: [
            ResultColumn("change_per_person_year", .money([-1])).resting(on: DisclosureBasis(role: .magnitude, people: [3])),
        ])
        let set = LinkedTables(tables: [source, appraisal.resultTable()], mirrors: [
            (CellReference(table: "cohort", column: "change_per_person_year", row: 0),
             CellReference(table: Appraisal.tableName, column: "observed_annual_saving", row: 0)),
        ])
        let open = try #require(DisclosureControl(rule: .nhsEngland).protect(LinkedTables(tables: [appraisal.resultTable()])).table(Appraisal.tableName))
        for name in Self.savingFigures + Self.costFigures + Self.bothFigures {
            #expect(open.column(name)?.state(0) == .value, "\(name)")
        }
        let table = try #require(DisclosureControl(rule: .nhsEngland).protect(set).table(Appraisal.tableName))
        for name in Self.savingFigures + Self.bothFigures {
            #expect(table.column(name)?.state(0) == .suppressed, "\(name)")
        }
        for name in Self.costFigures {
            #expect(table.column(name)?.state(0) == .value, "\(name)")
        }
    }
}
