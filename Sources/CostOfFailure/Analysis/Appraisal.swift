/// The intervention's cost against the change in the cohort's consumption, as HM Treasury's
/// Green Book and GMCA's cost-benefit model set it out: net saving, return on investment,
/// payback, and — for a projection over several years — present values discounted at the Green
/// Book rate, with an optional optimism-bias adjustment; cashable and non-cashable savings apart.
///
/// The annual saving is the cohort's fall in cost per person-year (all services but the
/// intervention's own) times its people: `(before − after) × people`, reduced by the optimism
/// bias (`saving × (100 − bias) / 100`). The intervention's cost is what the interventions file
/// records plus the cost of the intervention's own services in the after window, all incurred in
/// year 0. Year `t`'s saving is discounted by `1 / (1 + rate)^t` (year 0 undiscounted), the
/// factor rounded to nine decimal places and each year's value to the penny. ROI is the first
/// year's saving divided by the cost; payback is the cost over the monthly saving. Costs are the
/// priced part: events with no price are counted beside them, not in them. The unstated part of
/// the saving is what the cashable and non-cashable parts leave, so the three add up exactly.
public struct Appraisal: Sendable {
    /// The appraisal's assumptions.
    public struct Assumptions: Sendable, Equatable {
        /// Years the saving is projected over (1: the observed year only).
        public var years: Int
        /// Discount rate in basis points a year (350: the Green Book's 3.5%).
        public var discountRateBasisPoints: Int
        /// Optimism bias in per cent taken off the saving.
        public var optimismBiasPercent: Int

        /// Assumptions; by default one year, 3.5%, no optimism bias.
        public init(years: Int = 1, discountRateBasisPoints: Int = 350, optimismBiasPercent: Int = 0) {
            self.years = years
            self.discountRateBasisPoints = discountRateBasisPoints
            self.optimismBiasPercent = optimismBiasPercent
        }
    }

    /// The assumptions used.
    public let assumptions: Assumptions
    /// People in the cohort.
    public let people: Int
    /// People in the cohort, exactly (what the figures rest on, for disclosure control).
    let exactPeople: Int
    /// The saving a year before the optimism bias, and after it.
    public let grossAnnualSaving: Pence?, annualSaving: Pence?
    /// The saving a year by cashability of the unit costs (after the optimism bias).
    public let cashableAnnualSaving: Pence?, nonCashableAnnualSaving: Pence?, unstatedAnnualSaving: Pence?
    /// The intervention's cost: recorded in the interventions file, and its own services' events.
    public let recordedCost: Pence, serviceCost: Pence
    /// The present value of the savings over the years, and less the cost.
    public let presentValue: Pence?, netPresentValue: Pence?
    /// The first year's saving less the intervention's cost.
    public let netSavingFirstYear: Pence?
    /// Events in the windows with no price (their cost is not in the saving), before and after.
    public let unpriced: (before: Int64, after: Int64)
    /// The first year's saving over the cost; `nil` with no cost.
    public let returnOnInvestment: Double?
    /// Months for the saving to repay the cost; `nil` when there is no saving.
    public let paybackMonths: Double?
    /// What prices the money is in.
    public let prices: String

    /// Appraises `study`'s cohort (or one treated person, `person`) under `assumptions`.
    ///
    /// - Throws: ``CostResolver/Overflow`` when a sum of the comparison, or a figure of the
    ///   appraisal, does not fit in 64-bit pence.
    public init(study: Study, assumptions: Assumptions = Assumptions(), person only: String? = nil) throws(CostResolver.Overflow) {
        try self.init(study: study, comparison: try Comparison(study: study), assumptions: assumptions, person: only)
    }

    /// Appraises `study`'s cohort (or one treated person, `person`) from `comparison`, which must
    /// be `Comparison(study: study)`: a command that shows the comparison too (`cof report`, the
    /// finance pack) computes it, a pass over every event, once.
    ///
    /// Under a `rounding` of published counts, the saving is the fall in cost per person-year
    /// over the published person-years times the published people count (see ``CountRounding``),
    /// so that it agrees with the cohort's published figures and does not give back the exact count.
    ///
    /// - Throws: ``CostResolver/Overflow`` naming the figure that does not fit in 64-bit pence
    ///   (the saving times the people, say, or its present value over many years).
    public init(study: Study, comparison: Comparison, assumptions: Assumptions = Assumptions(), person only: String? = nil,
                rounding: CountRounding = .exact) throws(CostResolver.Overflow) {
        self.assumptions = assumptions
        prices = study.pricesDescription
        let members = study.cohortMembers.filter { only == nil || $0.personID == only }
        let onlyCode = only.flatMap { study.events.persons.code(of: $0) }
        let summary = try CohortSummary(comparison: only.map { id in comparison.filtered { $0.personID == id } } ?? comparison,
                                    members: members, services: study.services, prices: prices)
        people = rounding.denominator(members.count) ?? 0
        exactPeople = members.count
        let beforeDays = rounding.exposure(summary.beforeDays, people: members.count)
        let afterDays = rounding.exposure(summary.afterDays, people: members.count)
        let people = self.people

        // Before and after cost by cashability: 0 cashable, 1 not, 2 unstated.
        var before = [Pence](repeating: 0, count: 3), after = before
        var serviceCost: Pence = 0
        let events = study.events
        var cashableOfPair: [Int: Int] = [:]
        let names = events.services.values, types = events.events.values
        var exact: [String: Bool?] = [:], wildcard: [String: Bool?] = [:]
        for entry in study.unitCostTable.entries {
            if entry.event == UnitCostTable.anyEvent { wildcard[entry.service] = entry.cashable } else { exact[entry.service + "\u{0}" + entry.event] = entry.cashable }
        }
        let isIntervention = names.map(study.services.isIntervention)
        let leftOut = LeftOutCells(comparison: comparison, events: events)
        // Unchecked sums: each is a sum of some of the study's costs, which fit together
        // (``Study`` checks them against ``CostResolver/maximumTotal``).
        for i in 0..<events.count where study.costs.priced[i] && (only == nil || events.person[i] == onlyCode) {
            let period = study.personWindows.period(person: events.person[i], day: events.day[i])
            guard period != .outside else { continue }
            let service = Int(events.service[i])
            if isIntervention[service] {
                if period == .after { serviceCost += study.costs.pence[i] }
                continue
            }
            if leftOut.contains(person: events.person[i], service: events.service[i]) { continue }  // PricedCells' rule
            let key = service << 32 | Int(events.event[i])
            let kind = cashableOfPair[key] ?? {
                let flag = exact[names[service] + "\u{0}" + types[Int(events.event[i])]] ?? wildcard[names[service]] ?? nil
                let kind = flag == true ? 0 : flag == false ? 1 : 2
                cashableOfPair[key] = kind
                return kind
            }()
            if period == .before { before[kind] += study.costs.pence[i] } else { after[kind] += study.costs.pence[i] }
        }
        // Savings are worked in 128 bits and checked when they come back to pence.
        let bias = Int128(100) - Int128(assumptions.optimismBiasPercent)
        func saving(_ before: Pence, _ after: Pence, _ figure: String) throws(CostResolver.Overflow) -> Pence? {
            guard let b = Annualised.pence(before, days: beforeDays), let a = Annualised.pence(after, days: afterDays) else { return nil }
            let gross = (Int128(b) - Int128(a)) * Int128(people)
            let (biased, overflow) = gross.multipliedReportingOverflow(by: bias)
            guard !overflow, let saving = CohortSummary.roundedQuotient(biased, 100) else { throw CostResolver.Overflow(figure: figure) }
            return saving
        }
        if let b = Annualised.pence(summary.total.before.cost, days: beforeDays), let a = Annualised.pence(summary.total.after.cost, days: afterDays) {
            grossAnnualSaving = try CostResolver.Overflow.pence((Int128(b) - Int128(a)) * Int128(people), "the appraisal's gross annual saving")
        } else {
            grossAnnualSaving = nil
        }
        annualSaving = try saving(summary.total.before.cost, summary.total.after.cost, "the appraisal's annual saving")
        cashableAnnualSaving = try saving(before[0], after[0], "the appraisal's cashable annual saving")
        nonCashableAnnualSaving = try saving(before[1], after[1], "the appraisal's non-cashable annual saving")
        // The third part is the rest, so that the three add up to the saving to the penny.
        if let annualSaving, let cashable = cashableAnnualSaving, let nonCashable = nonCashableAnnualSaving {
            unstatedAnnualSaving = try CostResolver.Overflow.pence(Int128(annualSaving) - Int128(cashable) - Int128(nonCashable),
                                              "the appraisal's annual saving of unstated cashability")
        } else {
            unstatedAnnualSaving = nil
        }
        unpriced = (summary.total.before.unpriced, summary.total.after.unpriced)
        let present = Set(members.map { PersonID($0.personID) })
        // Unchecked: some of the recorded costs, and their sum with some event costs, fit
        // together (``Study`` checks them against ``CostResolver/maximumTotal``).
        recordedCost = study.interventions.entries.filter { present.contains(PersonID($0.personID)) }.reduce(0) { $0 + ($1.costPence ?? 0) }
        self.serviceCost = serviceCost
        let cost = recordedCost + serviceCost
        if let annualSaving {
            var value = Int128(0)
            for year in 0..<max(1, assumptions.years) {
                value += Int128(try Self.discounted(annualSaving, year: year, basisPoints: assumptions.discountRateBasisPoints))
            }
            let presentValue = try CostResolver.Overflow.pence(value, "the appraisal's present value of the savings")
            self.presentValue = presentValue
            netPresentValue = try CostResolver.Overflow.pence(Int128(presentValue) - Int128(cost), "the appraisal's net present value")
            netSavingFirstYear = try CostResolver.Overflow.pence(Int128(annualSaving) - Int128(cost), "the appraisal's net saving in the first year")
            returnOnInvestment = cost > 0 ? Double(annualSaving) / Double(cost) : nil
            paybackMonths = annualSaving > 0 ? Double(cost) * 12 / Double(annualSaving) : nil
        } else {
            (presentValue, netPresentValue, netSavingFirstYear, returnOnInvestment, paybackMonths) = (nil, nil, nil, nil, nil)
        }
    }

    /// `pence` in year `year` discounted at `basisPoints` a year: `pence / (1 + rate)^year`,
    /// with the factor rounded to nine decimal places and the value to the penny.
    ///
    /// - Throws: ``CostResolver/Overflow`` when the factor or the value does not fit (a rate
    ///   below -100%, or a negative one compounded over very many years).
    static func discounted(_ pence: Pence, year: Int, basisPoints: Int) throws(CostResolver.Overflow) -> Pence {
        var factor = 1.0
        for _ in 0..<year { factor /= 1 + Double(basisPoints) / 10_000 }
        // `Int64(exactly:)` rather than `Int64(_:)`: a factor that is not finite, or too large,
        // is an error, not a trap.
        guard let nanos = Int64(exactly: (factor * 1e9).rounded()),
              let value = PriceIndex.scale(pence, by: nanos, over: 1_000_000_000) else {
            throw CostResolver.Overflow(figure: "the appraisal's discounted saving in year \(year)")
        }
        return value
    }

    /// The table's name.
    public static let tableName = "appraisal"

    /// The sum that ties the appraisal's recorded intervention cost to the intervention's cost
    /// by financial year (`rows` rows of ``FinancialYearConsumption/interventionTable()``).
    public static func recordedCostTotal(interventionRows rows: Int) -> LinkedTotal {
        LinkedTotal(total: CellReference(table: tableName, column: "intervention_recorded_cost", row: 0),
                    parts: (0..<rows).map { CellReference(table: FinancialYearConsumption.tableNames.intervention, column: "recorded_cost", row: $0) })
    }

    /// The appraisal's table with what ties it to the cohort's (`cohort`, whose headline its
    /// saving and unpriced events repeat: withheld there, withheld here) and to the
    /// intervention's cost by financial year (`interventionRows` rows: its recorded cost is
    /// their sum).
    public func linkedTables(cohort: CohortSummary, interventionRows: Int) -> LinkedTables {
        func cell(_ table: String, _ column: String) -> CellReference { CellReference(table: table, column: column, row: 0) }
        let headline = CohortSummary.tableNames.cohort
        var mirrors: [(source: CellReference, mirror: CellReference)] = []
        if let change = cohort.changeCell(service: nil) { mirrors.append((change, cell(Self.tableName, "gross_annual_saving"))) }
        mirrors.append((cell(headline, "before_unpriced"), cell(Self.tableName, "before_unpriced")))
        mirrors.append((cell(headline, "after_unpriced"), cell(Self.tableName, "after_unpriced")))
        return LinkedTables(tables: [resultTable()], linkedTotals: [Self.recordedCostTotal(interventionRows: interventionRows)], mirrors: mirrors)
    }

    /// The appraisal as a one-row table.
    public func resultTable() -> ResultTable {
        let cohort: [Int64] = [Int64(exactPeople)]
        let saving = DisclosureBasis(role: .magnitude, people: cohort, family: "saving")
        let cost = DisclosureBasis(role: .magnitude, people: cohort, family: "cost")
        var recorded = cost
        recorded.measure = "intervention_recorded_cost"
        let net = DisclosureBasis(role: .magnitude, people: cohort, dependsOn: ["saving", "cost"])
        return ResultTable(name: Self.tableName, title: "Appraisal over \(assumptions.years) year(s), discounted at \(Double(assumptions.discountRateBasisPoints) / 100)% a year, optimism bias \(assumptions.optimismBiasPercent)% (\(prices))", columns: [
            ResultColumn("people", .integer([Int64(people)])).resting(on: DisclosureBasis(role: .count, people: cohort)),
            ResultColumn("gross_annual_saving", money: [grossAnnualSaving]).resting(on: saving),
            ResultColumn("annual_saving_after_optimism_bias", money: [annualSaving]).resting(on: saving),
            ResultColumn("cashable_annual_saving", money: [cashableAnnualSaving]).resting(on: saving),
            ResultColumn("non_cashable_annual_saving", money: [nonCashableAnnualSaving]).resting(on: saving),
            ResultColumn("unstated_cashability_annual_saving", money: [unstatedAnnualSaving]).resting(on: saving),
            ResultColumn("intervention_recorded_cost", money: [recordedCost]).resting(on: recorded),
            ResultColumn("intervention_service_cost", money: [serviceCost]).resting(on: cost),
            // Unchecked: the two costs fit together (see the initialiser).
            ResultColumn("intervention_cost", money: [recordedCost + serviceCost]).resting(on: cost),
            ResultColumn("net_saving_first_year", money: [netSavingFirstYear]).resting(on: net),
            ResultColumn("return_on_investment", rates: [returnOnInvestment], decimals: 2).resting(on: net),
            ResultColumn("payback_months", rates: [paybackMonths], decimals: 1).resting(on: net),
            ResultColumn("years", .integer([Int64(assumptions.years)])).asLabel(),
            ResultColumn("present_value_of_savings", money: [presentValue]).resting(on: saving),
            ResultColumn("net_present_value", money: [netPresentValue]).resting(on: net),
            ResultColumn("before_unpriced", .integer([unpriced.before])).resting(on: DisclosureBasis(role: .count, people: cohort)),
            ResultColumn("after_unpriced", .integer([unpriced.after])).resting(on: DisclosureBasis(role: .count, people: cohort)),
        ], peopleColumn: "people")
    }
}
