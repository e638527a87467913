/// The intervention's cost against the fall in the cohort's consumption, appraised as HM
/// Treasury's Green Book sets it out: present values of costs and benefits over the years,
/// deadweight, drop-off, optimism bias on both sides, the net present value, the benefit–cost
/// ratio and the return on investment named apart, and the switching value.
///
/// The arithmetic, in integer pence, each step rounded to the penny (half away from zero):
/// 1. **Observed saving** (year 0): the cohort's fall in cost per person-year (all services but
///    the intervention's own; priced events only) times its people: `(before − after) × people`.
///    Its cashable, non-cashable and unstated parts split this observed figure exactly.
/// 2. **Deadweight**: with a comparison group, the saving is the difference in differences
///    (`−(treated change − comparison change) × people`) and the deadweight is what the
///    comparison group's change accounts for (observed − that); else an assumed share
///    (``Assumptions/deadweightBasisPoints``) is taken off the observed saving — assumed, not
///    measured; else deadweight is not accounted for and the saving is the observed one.
/// 3. **Benefits by year**: year `t` (0 ..< `years`) is year 0's saving × persistence^t
///    (``Assumptions/persistenceBasisPoints``: 80% means year t keeps 0.8^t of year 0's saving,
///    a 20% drop-off a year), discounted by `1 / Π (1 + rate_s)` over years s = 1 … t (year 0
///    undiscounted; the rate to year 30, the long-term rate from year 31 — the Green Book's
///    3.5% then 3.0%). The persistence and discount are one factor, rounded to nine decimal
///    places, times the saving. The optimism bias on benefits takes its share of the sum's
///    size off the sum: it always lowers the benefits (a disbenefit grows by the share). An
///    assumed deadweight share applies to a rise in cost as to a fall (a share of the change).
/// 4. **Costs by year**: year 0 is the one-off cost — what the interventions file records plus
///    the intervention's own services' events in the after window (the observed year); each
///    later year (1 ..< `years`) costs the recurring cost per person per year times the people
///    (``Assumptions/recurringCostPerPersonPence``), discounted as above. The optimism bias on
///    costs adds its share to the sum (every year's cost, year 0's included).
/// 5. **Results**: NPV = PV benefits − PV costs; the benefit–cost ratio (BCR) = PV benefits ÷
///    PV costs; the return on investment (ROI) = (PV benefits − PV costs) ÷ PV costs (= BCR − 1);
///    the switching value = PV costs ÷ PV benefits as a percentage: the share of the saving that
///    must materialise for NPV = 0; with a comparison group, the probability that NPV > 0 is the
///    share of the bootstrap's resampled estimates (``DifferenceInDifferences/replicates``) that
///    give a positive NPV under the same assumptions and costs.
///
/// Payback (months) is year 0's cost (with its optimism-bias uplift) over a twelfth of year 0's
/// saving (after deadweight and optimism bias): a simple payback, blind to drop-off and
/// recurring costs. Every product and sum is checked: a figure beyond 64-bit pence throws
/// ``CostResolver/Overflow`` naming it. Ratios and the probability are `Double`.
public struct Appraisal: Sendable {
    /// The appraisal's assumptions.
    public struct Assumptions: Sendable, Equatable {
        /// Years appraised, year 0 (the observed year) included: 1 is the observed year only.
        public var years: Int
        /// Discount rate in basis points a year for years 1 to 30 (350: the Green Book's 3.5%).
        public var discountRateBasisPoints: Int
        /// Discount rate in basis points a year from year 31 (300: the Green Book's 3.0%).
        public var longTermDiscountRateBasisPoints: Int
        /// The share of the previous year's saving each year keeps, in basis points (10,000: no
        /// drop-off; 8,000: year t's saving is 0.8^t of year 0's).
        public var persistenceBasisPoints: Int
        /// The programme's recurring cost per person per year, for years 1 onward (year 0's
        /// cost is the observed one-off cost).
        public var recurringCostPerPersonPence: Pence
        /// Optimism bias added to the costs, in basis points (2,400: costs × 1.24).
        public var optimismBiasCostsBasisPoints: Int
        /// Optimism bias taken off the benefits, in basis points (2,000: benefits × 0.8).
        public var optimismBiasBenefitsBasisPoints: Int
        /// The share of the observed saving assumed to have happened anyway, in basis points;
        /// `nil`: none assumed. Not used when a comparison group measures it.
        public var deadweightBasisPoints: Int?

        /// The year from which ``longTermDiscountRateBasisPoints`` applies.
        public static let longTermFromYear = 31

        /// Assumptions; by default one year, the Green Book's 3.5% (3.0% from year 31), no
        /// drop-off, no recurring cost, no optimism bias and no assumed deadweight.
        public init(years: Int = 1, discountRateBasisPoints: Int = 350, longTermDiscountRateBasisPoints: Int = 300,
                    persistenceBasisPoints: Int = 10_000, recurringCostPerPersonPence: Pence = 0,
                    optimismBiasCostsBasisPoints: Int = 0, optimismBiasBenefitsBasisPoints: Int = 0,
                    deadweightBasisPoints: Int? = nil) {
            self.years = years
            self.discountRateBasisPoints = discountRateBasisPoints
            self.longTermDiscountRateBasisPoints = longTermDiscountRateBasisPoints
            self.persistenceBasisPoints = persistenceBasisPoints
            self.recurringCostPerPersonPence = recurringCostPerPersonPence
            self.optimismBiasCostsBasisPoints = optimismBiasCostsBasisPoints
            self.optimismBiasBenefitsBasisPoints = optimismBiasBenefitsBasisPoints
            self.deadweightBasisPoints = deadweightBasisPoints
        }

        /// The assumptions in words, for a table's title or a provenance line.
        public var description: String {
            let rate = Self.percent(discountRateBasisPoints), longTerm = Self.percent(longTermDiscountRateBasisPoints)
            let discount = years > Self.longTermFromYear && longTerm != rate
                ? "\(rate)% a year to year 30, \(longTerm)% after" : "\(rate)% a year"
            return "\(years) year(s) from year 0 (undiscounted), discounted at \(discount); persistence \(Self.percent(persistenceBasisPoints))% a year; optimism bias +\(Self.percent(optimismBiasCostsBasisPoints))% on costs, −\(Self.percent(optimismBiasBenefitsBasisPoints))% on benefits"
        }

        /// Basis points as a per cent figure with no trailing zeros (`350` → `3.5`).
        static func percent(_ basisPoints: Int) -> String {
            let whole = basisPoints / 100, part = abs(basisPoints % 100)
            guard part != 0 else { return String(whole) }
            let sign = basisPoints < 0 && whole == 0 ? "-" : ""
            return sign + String(whole) + "." + (part % 10 == 0 ? String(part / 10) : (part < 10 ? "0" : "") + String(part))
        }
    }

    /// Where the deadweight (what would have happened anyway) comes from.
    public enum Deadweight: Sendable, Equatable {
        /// Not accounted for: the saving is the before/after fall.
        case notAccountedFor
        /// An assumed share of the observed saving (basis points): assumed, not measured.
        case assumed(basisPoints: Int)
        /// Measured by a comparison group: the saving is the difference in differences.
        case comparisonGroup

        /// The deadweight in words, with its caveat.
        public var description: String {
            switch self {
            case .notAccountedFor: return "not accounted for (no comparison group, no --deadweight): the saving is the before/after fall"
            case .assumed(let basisPoints): return "\(Assumptions.percent(basisPoints))% assumed, not measured"
            case .comparisonGroup: return "measured by the comparison group (difference in differences)"
            }
        }
    }

    /// The assumptions used.
    public let assumptions: Assumptions
    /// Where the deadweight comes from.
    public let deadweight: Deadweight
    /// People in the cohort (published: rounded under a rounding rule).
    public let people: Int
    /// People in the cohort, exactly (what the figures rest on, for disclosure control).
    let exactPeople: Int
    /// People the saving rests on: the cohort's, or with a comparison group the fewer of either
    /// group's people with a cost (as the difference in differences' own figures).
    let savingPeople: Int
    /// Year 0's saving as observed: the cohort's before/after fall times its people.
    public let observedAnnualSaving: Pence?
    /// The observed saving by cashability of the unit costs; the three add up to it exactly.
    public let cashableObservedSaving: Pence?, nonCashableObservedSaving: Pence?, unstatedObservedSaving: Pence?
    /// The part of the observed saving that would have happened anyway (`nil` when not
    /// accounted for), and year 0's saving without it.
    public let deadweightAnnual: Pence?, annualSavingNetOfDeadweight: Pence?
    /// Year 0's saving after deadweight and the optimism bias on benefits.
    public let annualSaving: Pence?
    /// The intervention's year-0 cost: recorded in the interventions file, and its own services' events.
    public let recordedCost: Pence, serviceCost: Pence
    /// The one-off (year 0) cost: `recordedCost + serviceCost`.
    public let oneOffCost: Pence
    /// The recurring cost of each year from year 1: the cost per person per year times the people.
    public let recurringAnnualCost: Pence
    /// The present value of the costs before the optimism bias, the uplift, and with it.
    public let presentValueOfCostsBeforeOptimismBias: Pence, optimismBiasCostUplift: Pence, presentValueOfCosts: Pence
    /// The present value of the benefits before the optimism bias, the reduction, and with it.
    public let presentValueOfBenefitsBeforeOptimismBias: Pence?, optimismBiasBenefitReduction: Pence?, presentValueOfBenefits: Pence?
    /// PV benefits less PV costs.
    public let netPresentValue: Pence?
    /// PV benefits ÷ PV costs; `nil` with no cost.
    public let benefitCostRatio: Double?
    /// (PV benefits − PV costs) ÷ PV costs; `nil` with no cost.
    public let returnOnInvestment: Double?
    /// The share of the saving, in per cent, that must materialise for NPV = 0 (PV costs ÷ PV
    /// benefits × 100); `nil` when there is no positive benefit to share.
    public let switchingValuePercent: Double?
    /// The share of the bootstrap's resampled estimates giving NPV > 0; `nil` without a
    /// comparison group (or resamples).
    public let probabilityNetPresentValuePositive: Double?
    /// Resampled estimates the probability is taken over.
    public let resamplesUsed: Int
    /// Year 0's saving (after deadweight and optimism bias) less year 0's cost (with its uplift).
    public let netSavingFirstYear: Pence?
    /// Months for year 0's saving to repay year 0's cost; `nil` when there is no saving.
    public let paybackMonths: Double?
    /// Events in the windows with no price (their cost is not in the saving), before and after.
    public let unpriced: (before: Int64, after: Int64)
    /// What prices the money is in.
    public let prices: String

    /// Appraises `study`'s cohort (or one treated person, `person`) under `assumptions`.
    ///
    /// - Throws: ``CostResolver/Overflow`` when a sum of the comparison, or a figure of the
    ///   appraisal, does not fit in 64-bit pence.
    public init(study: Study, assumptions: Assumptions = Assumptions(), person only: String? = nil) throws(CostResolver.Overflow) {
        try self.init(study: study, beforeAfter: try BeforeAfterTable(study: study), assumptions: assumptions, person: only)
    }

    /// Appraises `study`'s cohort (or one treated person, `person`) from `comparison`, which must
    /// be `BeforeAfterTable(study: study)`: a command that shows the comparison too (`cof report`, the
    /// finance pack) computes it, a pass over every event, once.
    ///
    /// With `differenceInDifferences` (the cohort against a comparison group, made with the same
    /// `rounding`), the saving is its overall estimate and the deadweight is measured; the
    /// assumptions' deadweight share is then not used. For one person it is not used either.
    ///
    /// Under a `rounding` of published counts, the saving is the fall in cost per person-year
    /// over the published person-years times the published people count (see ``CountRounding``),
    /// so that it agrees with the cohort's published figures and does not give back the exact count.
    ///
    /// - Throws: ``CostResolver/Overflow`` naming the figure that does not fit in 64-bit pence
    ///   (the saving times the people, say, or its present value over many years).
    public init(study: Study, beforeAfter comparison: BeforeAfterTable, assumptions: Assumptions = Assumptions(), person only: String? = nil,
                differenceInDifferences did: DifferenceInDifferences? = nil,
                rounding: CountRounding = .exact) throws(CostResolver.Overflow) {
        self = try study.cohortAnalyses.appraisal(beforeAfter: comparison, assumptions: assumptions, person: only,
                                                  differenceInDifferences: did, rounding: rounding)
    }

    /// Appraises the people of `members` from their before/after table `comparison`, the
    /// windows' costs split by cashability (`split`, a fold over the same people's events) and
    /// the costs recorded for their interventions: what ``init(study:beforeAfter:assumptions:person:differenceInDifferences:rounding:)``
    /// and the streaming pass both hand on (see that initialiser for the rest).
    public init(beforeAfter comparison: BeforeAfterTable, members: [CohortSummary.Member], services: ServiceCatalog, split: Split, recordedCost: Pence,
                prices: String, assumptions: Assumptions = Assumptions(), differenceInDifferences did: DifferenceInDifferences? = nil,
                rounding: CountRounding = .exact) throws(CostResolver.Overflow) {
        try self.init(summary: CohortSummary(beforeAfter: comparison, members: members, services: services, prices: prices), split: split,
                      recordedCost: recordedCost, assumptions: assumptions, differenceInDifferences: did, rounding: rounding)
    }

    /// Appraises the people of the cohort `summary` (made from their before/after table and
    /// members, in its prices), as ``init(beforeAfter:members:services:split:recordedCost:prices:assumptions:differenceInDifferences:rounding:)``
    /// does from the table: for a caller that has the summary already (the finance pack
    /// publishes it too).
    public init(summary: CohortSummary, split: Split, recordedCost: Pence, assumptions: Assumptions = Assumptions(),
                differenceInDifferences did: DifferenceInDifferences? = nil, rounding: CountRounding = .exact) throws(CostResolver.Overflow) {
        self.assumptions = assumptions
        self.prices = summary.prices
        people = rounding.denominator(summary.people) ?? 0
        exactPeople = summary.people
        let beforeDays = rounding.exposure(summary.beforeDays, people: summary.people)
        let afterDays = rounding.exposure(summary.afterDays, people: summary.people)
        let people = self.people
        let (before, after, serviceCost) = (split.before, split.after, split.serviceCost)

        // The fall in cost per person-year times the people, worked in 128 bits and checked.
        func saving(_ before: Pence, _ after: Pence, _ figure: String) throws(CostResolver.Overflow) -> Pence? {
            guard let b = Annualised.pence(before, days: beforeDays), let a = Annualised.pence(after, days: afterDays) else { return nil }
            return try CostResolver.Overflow.pence((Int128(b) - Int128(a)) * Int128(people), figure)
        }
        observedAnnualSaving = try saving(summary.total.before.cost, summary.total.after.cost, "the appraisal's observed annual saving")
        cashableObservedSaving = try saving(before[0], after[0], "the appraisal's cashable observed saving")
        nonCashableObservedSaving = try saving(before[1], after[1], "the appraisal's non-cashable observed saving")
        // The third part is the rest, so that the three add up to the saving to the penny.
        if let observed = observedAnnualSaving, let cashable = cashableObservedSaving, let nonCashable = nonCashableObservedSaving {
            unstatedObservedSaving = try CostResolver.Overflow.pence(Int128(observed) - Int128(cashable) - Int128(nonCashable),
                                              "the appraisal's observed saving of unstated cashability")
        } else {
            unstatedObservedSaving = nil
        }
        unpriced = (summary.total.before.unpriced, summary.total.after.unpriced)

        // Deadweight: measured by the comparison group, assumed, or not accounted for.
        var netOfDeadweight: Pence?
        if let did {
            deadweight = .comparisonGroup
            let line = did.linePeople.first ?? (0, 0)
            savingPeople = min(summary.people, line.treated, line.comparison)
            netOfDeadweight = try did.lines.first?.estimate.map { estimate throws(CostResolver.Overflow) in
                try Self.saving(perPersonYearChange: estimate, people: people, "the appraisal's saving net of deadweight")
            }
            deadweightAnnual = try observedAnnualSaving.flatMap { observed throws(CostResolver.Overflow) in
                try netOfDeadweight.map { net throws(CostResolver.Overflow) in
                    try CostResolver.Overflow.pence(Int128(observed) - Int128(net), "the appraisal's deadweight")
                }
            }
        } else if let share = assumptions.deadweightBasisPoints {
            deadweight = .assumed(basisPoints: share)
            savingPeople = summary.people
            deadweightAnnual = try observedAnnualSaving.map { observed throws(CostResolver.Overflow) in
                try Self.share(observed, basisPoints: share, "the appraisal's deadweight")
            }
            if let observed = observedAnnualSaving, let off = deadweightAnnual {
                netOfDeadweight = try CostResolver.Overflow.pence(Int128(observed) - Int128(off), "the appraisal's saving net of deadweight")
            }
        } else {
            deadweight = .notAccountedFor
            savingPeople = summary.people
            deadweightAnnual = nil
            netOfDeadweight = observedAnnualSaving
        }
        annualSavingNetOfDeadweight = netOfDeadweight
        annualSaving = try netOfDeadweight.map { net throws(CostResolver.Overflow) in
            try Self.presentValueOfBenefits(yearZero: net, Assumptions(years: 1, optimismBiasBenefitsBasisPoints: assumptions.optimismBiasBenefitsBasisPoints)).value
        }

        // Costs: the observed one-off in year 0, the recurring cost from year 1.
        self.recordedCost = recordedCost
        self.serviceCost = serviceCost
        oneOffCost = try CostResolver.Overflow.sum(recordedCost, serviceCost, "the appraisal's one-off cost")
        recurringAnnualCost = try CostResolver.Overflow.pence(Int128(assumptions.recurringCostPerPersonPence) * Int128(people),
                                                              "the appraisal's recurring cost a year (cost per person × people)")
        let costs = try Self.presentValueOfCosts(oneOff: oneOffCost, recurring: recurringAnnualCost, assumptions)
        presentValueOfCostsBeforeOptimismBias = costs.beforeOptimismBias
        optimismBiasCostUplift = costs.uplift
        presentValueOfCosts = costs.value
        let pvCosts = costs.value

        // Benefits, and what follows from both.
        if let net = netOfDeadweight {
            let benefits = try Self.presentValueOfBenefits(yearZero: net, assumptions)
            presentValueOfBenefitsBeforeOptimismBias = benefits.beforeOptimismBias
            optimismBiasBenefitReduction = benefits.reduction
            presentValueOfBenefits = benefits.value
            let npv = try CostResolver.Overflow.pence(Int128(benefits.value) - Int128(pvCosts), "the appraisal's net present value")
            netPresentValue = npv
            benefitCostRatio = pvCosts > 0 ? Double(benefits.value) / Double(pvCosts) : nil
            returnOnInvestment = pvCosts > 0 ? Double(npv) / Double(pvCosts) : nil
            switchingValuePercent = benefits.value > 0 ? Double(pvCosts) * 100 / Double(benefits.value) : nil
        } else {
            (presentValueOfBenefitsBeforeOptimismBias, optimismBiasBenefitReduction, presentValueOfBenefits) = (nil, nil, nil)
            (netPresentValue, benefitCostRatio, returnOnInvestment, switchingValuePercent) = (nil, nil, nil, nil)
        }
        if let annualSaving {
            let uplift = try Self.share(oneOffCost, basisPoints: assumptions.optimismBiasCostsBasisPoints, "the appraisal's optimism bias on year 0's cost")
            let yearZeroCost = try CostResolver.Overflow.sum(oneOffCost, uplift, "the appraisal's year-0 cost")
            netSavingFirstYear = try CostResolver.Overflow.pence(Int128(annualSaving) - Int128(yearZeroCost), "the appraisal's net saving in year 0")
            paybackMonths = annualSaving > 0 ? Double(yearZeroCost) * 12 / Double(annualSaving) : nil
        } else {
            (netSavingFirstYear, paybackMonths) = (nil, nil)
        }

        // The probability that NPV > 0, over the bootstrap's resampled estimates.
        if let did, !did.replicates.isEmpty, netOfDeadweight != nil {
            probabilityNetPresentValuePositive = try Self.probabilityNetPresentValuePositive(
                replicates: did.replicates, people: people, presentValueOfCosts: pvCosts, assumptions)
            resamplesUsed = did.replicates.count
        } else {
            probabilityNetPresentValuePositive = nil
            resamplesUsed = 0
        }
    }

    /// The share of `replicates` (resampled changes in cost per person-year, after − before)
    /// whose saving over `people`, appraised under `assumptions` against `presentValueOfCosts`,
    /// gives NPV > 0 (an NPV of exactly zero is not positive); `nil` with no replicates.
    static func probabilityNetPresentValuePositive(replicates: [Pence], people: Int, presentValueOfCosts: Pence,
                                                   _ assumptions: Assumptions) throws(CostResolver.Overflow) -> Double? {
        guard !replicates.isEmpty else { return nil }
        var positive = 0
        for change in replicates {
            let yearZero = try saving(perPersonYearChange: change, people: people, "a resample's saving in the appraisal")
            let value = try presentValueOfBenefits(yearZero: yearZero, assumptions).value
            if Int128(value) - Int128(presentValueOfCosts) > 0 { positive += 1 }
        }
        return Double(positive) / Double(replicates.count)
    }

    /// The saving a year from a change in cost per person-year (after − before: negative is a
    /// fall) over `people`: `−change × people`.
    static func saving(perPersonYearChange change: Pence, people: Int, _ figure: @autoclosure () -> String) throws(CostResolver.Overflow) -> Pence {
        try CostResolver.Overflow.pence(-Int128(change) * Int128(people), figure())
    }

    /// `basisPoints` of `pence`, to the penny (half away from zero).
    static func share(_ pence: Pence, basisPoints: Int, _ figure: @autoclosure () -> String) throws(CostResolver.Overflow) -> Pence {
        let (product, overflow) = Int128(pence).multipliedReportingOverflow(by: Int128(basisPoints))
        guard !overflow, let value = CohortSummary.roundedQuotient(product, 10_000) else { throw CostResolver.Overflow(figure: figure()) }
        return value
    }

    /// The present value of benefits whose year-0 value is `yearZero` (after deadweight): before
    /// the optimism bias, the reduction, and after it (see the type's step 3).
    static func presentValueOfBenefits(yearZero: Pence, _ assumptions: Assumptions) throws(CostResolver.Overflow)
        -> (beforeOptimismBias: Pence, reduction: Pence, value: Pence) {
        var sum = Int128(0)
        for year in 0..<max(1, assumptions.years) {
            sum += Int128(try discounted(yearZero, year: year, basisPoints: assumptions.discountRateBasisPoints,
                                         longTermBasisPoints: assumptions.longTermDiscountRateBasisPoints,
                                         persistenceBasisPoints: assumptions.persistenceBasisPoints))
        }
        let raw = try CostResolver.Overflow.pence(sum, "the appraisal's present value of the benefits")
        // Always a reduction: a disbenefit (negative benefits) grows by the share, never shrinks.
        let reduction = try share(try CostResolver.Overflow.pence(Int128(raw.magnitude), "the appraisal's present value of the benefits"),
                                  basisPoints: assumptions.optimismBiasBenefitsBasisPoints, "the appraisal's optimism bias on benefits")
        return (raw, reduction, try CostResolver.Overflow.pence(Int128(raw) - Int128(reduction), "the appraisal's present value of the benefits"))
    }

    /// The present value of `oneOff` in year 0 and `recurring` in each later year: before the
    /// optimism bias, the uplift, and after it (see the type's step 4).
    static func presentValueOfCosts(oneOff: Pence, recurring: Pence, _ assumptions: Assumptions) throws(CostResolver.Overflow)
        -> (beforeOptimismBias: Pence, uplift: Pence, value: Pence) {
        var sum = Int128(oneOff)
        for year in 1..<max(1, assumptions.years) where recurring != 0 {
            sum += Int128(try discounted(recurring, year: year, basisPoints: assumptions.discountRateBasisPoints,
                                         longTermBasisPoints: assumptions.longTermDiscountRateBasisPoints))
        }
        let raw = try CostResolver.Overflow.pence(sum, "the appraisal's present value of the costs")
        let uplift = try share(raw, basisPoints: assumptions.optimismBiasCostsBasisPoints, "the appraisal's optimism bias on costs")
        return (raw, uplift, try CostResolver.Overflow.pence(Int128(raw) + Int128(uplift), "the appraisal's present value of the costs"))
    }

    /// `pence` in year `year`, kept at `persistenceBasisPoints` a year and discounted at
    /// `basisPoints` a year (`longTermBasisPoints` from year 31; default the same):
    /// `pence × persistence^year / Π (1 + rate_s)`, with the factor rounded to nine decimal
    /// places and the value to the penny. Year 0 is undiscounted.
    ///
    /// - Throws: ``CostResolver/Overflow`` when the factor or the value does not fit (a rate
    ///   below -100%, or a negative one compounded over very many years).
    static func discounted(_ pence: Pence, year: Int, basisPoints: Int, longTermBasisPoints: Int? = nil,
                           persistenceBasisPoints: Int = 10_000) throws(CostResolver.Overflow) -> Pence {
        var factor = 1.0
        for step in 0..<year {
            let rate = step + 1 >= Assumptions.longTermFromYear ? longTermBasisPoints ?? basisPoints : basisPoints
            factor = factor * (Double(persistenceBasisPoints) / 10_000) / (1 + Double(rate) / 10_000)
        }
        // `Int64(exactly:)` rather than `Int64(_:)`: a factor that is not finite, or too large,
        // is an error, not a trap.
        guard let nanos = Int64(exactly: (factor * 1e9).rounded()),
              let value = PriceIndex.scale(pence, by: nanos, over: 1_000_000_000) else {
            throw CostResolver.Overflow(figure: "the appraisal's discounted value in year \(year)")
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
    /// their sum). A saving from a difference in differences gives back the cohort's change
    /// beside the comparison group's published change, so the same mirror covers it.
    public func linkedTables(cohort: CohortSummary, interventionRows: Int) -> LinkedTables {
        func cell(_ table: String, _ column: String) -> CellReference { CellReference(table: table, column: column, row: 0) }
        let headline = CohortSummary.tableNames.cohort
        var mirrors: [(source: CellReference, mirror: CellReference)] = []
        if let change = cohort.changeCell(service: nil) { mirrors.append((change, cell(Self.tableName, "observed_annual_saving"))) }
        mirrors.append((cell(headline, "before_unpriced"), cell(Self.tableName, "before_unpriced")))
        mirrors.append((cell(headline, "after_unpriced"), cell(Self.tableName, "after_unpriced")))
        return LinkedTables(tables: [resultTable()], linkedTotals: [Self.recordedCostTotal(interventionRows: interventionRows)], mirrors: mirrors)
    }

    /// The table's title: what it appraises, under which assumptions, in which prices.
    public var title: String {
        "Green Book appraisal: \(assumptions.description); deadweight \(deadweight.description)"
            + (resamplesUsed > 0 ? "; P(NPV > 0) over \(resamplesUsed) bootstrap resamples" : "") + " (\(prices))"
    }

    /// The appraisal as a one-row table. The assumptions are labels (never withheld); every
    /// figure rests on the cohort's people (with a comparison group, on the fewer of either
    /// group's people with a cost): the saving's figures are one family, the costs' another
    /// (each gives the rest of its family back), and what is worked from both depends on both.
    public func resultTable() -> ResultTable {
        let cohort: [Int64] = [Int64(exactPeople)], onSaving: [Int64] = [Int64(savingPeople)]
        let saving = DisclosureBasis(role: .magnitude, people: onSaving, family: "saving")
        let cost = DisclosureBasis(role: .magnitude, people: cohort, family: "cost")
        var recorded = cost
        recorded.measure = "intervention_recorded_cost"
        let net = DisclosureBasis(role: .magnitude, people: onSaving, dependsOn: ["saving", "cost"])
        let deadweightText: String
        switch deadweight {
        case .notAccountedFor: deadweightText = "not accounted for"
        case .assumed(let basisPoints): deadweightText = "\(Assumptions.percent(basisPoints))% assumed, not measured"
        case .comparisonGroup: deadweightText = "comparison group (difference in differences)"
        }
        func percent(_ basisPoints: Int) -> Double { Double(basisPoints) / 100 }
        return ResultTable(name: Self.tableName, title: title, columns: [
            ResultColumn("people", .integer([Int64(people)])).resting(on: DisclosureBasis(role: .count, people: cohort)),
            ResultColumn("years", .integer([Int64(assumptions.years)])).asLabel(),
            ResultColumn("discount_rate_percent", .rate([percent(assumptions.discountRateBasisPoints)], decimals: 2)).asLabel(),
            ResultColumn("discount_rate_from_year_31_percent", .rate([percent(assumptions.longTermDiscountRateBasisPoints)], decimals: 2)).asLabel(),
            ResultColumn("persistence_percent", .rate([percent(assumptions.persistenceBasisPoints)], decimals: 2)).asLabel(),
            ResultColumn("optimism_bias_costs_percent", .rate([percent(assumptions.optimismBiasCostsBasisPoints)], decimals: 2)).asLabel(),
            ResultColumn("optimism_bias_benefits_percent", .rate([percent(assumptions.optimismBiasBenefitsBasisPoints)], decimals: 2)).asLabel(),
            ResultColumn("recurring_cost_per_person_year", .money([assumptions.recurringCostPerPersonPence])).asLabel(),
            ResultColumn("observed_annual_saving", money: [observedAnnualSaving]).resting(on: saving),
            ResultColumn("observed_cashable_saving", money: [cashableObservedSaving]).resting(on: saving),
            ResultColumn("observed_non_cashable_saving", money: [nonCashableObservedSaving]).resting(on: saving),
            ResultColumn("observed_unstated_cashability_saving", money: [unstatedObservedSaving]).resting(on: saving),
            ResultColumn("deadweight", .text([deadweightText])).asLabel(),
            ResultColumn("deadweight_annual", money: [deadweightAnnual]).resting(on: saving),
            ResultColumn("annual_saving_net_of_deadweight", money: [annualSavingNetOfDeadweight]).resting(on: saving),
            ResultColumn("annual_saving", money: [annualSaving]).resting(on: saving),
            ResultColumn("intervention_recorded_cost", money: [recordedCost]).resting(on: recorded),
            ResultColumn("intervention_service_cost", money: [serviceCost]).resting(on: cost),
            ResultColumn("intervention_cost", money: [oneOffCost]).resting(on: cost),
            ResultColumn("recurring_annual_cost", money: [recurringAnnualCost]).resting(on: cost),
            ResultColumn("present_value_of_costs_before_optimism_bias", money: [presentValueOfCostsBeforeOptimismBias]).resting(on: cost),
            ResultColumn("optimism_bias_cost_uplift", money: [optimismBiasCostUplift]).resting(on: cost),
            ResultColumn("present_value_of_costs", money: [presentValueOfCosts]).resting(on: cost),
            ResultColumn("present_value_of_benefits_before_optimism_bias", money: [presentValueOfBenefitsBeforeOptimismBias]).resting(on: saving),
            ResultColumn("optimism_bias_benefit_reduction", money: [optimismBiasBenefitReduction]).resting(on: saving),
            ResultColumn("present_value_of_benefits", money: [presentValueOfBenefits]).resting(on: saving),
            ResultColumn("net_present_value", money: [netPresentValue]).resting(on: net),
            ResultColumn("benefit_cost_ratio", rates: [benefitCostRatio], decimals: 2).resting(on: net),
            ResultColumn("return_on_investment", rates: [returnOnInvestment], decimals: 2).resting(on: net),
            ResultColumn("switching_value_percent", rates: [switchingValuePercent], decimals: 1).resting(on: net),
            ResultColumn("probability_npv_positive", rates: [probabilityNetPresentValuePositive], decimals: 3).resting(on: net),
            ResultColumn("net_saving_first_year", money: [netSavingFirstYear]).resting(on: net),
            ResultColumn("payback_months", rates: [paybackMonths], decimals: 1).resting(on: net),
            ResultColumn("before_unpriced", .integer([unpriced.before])).resting(on: DisclosureBasis(role: .count, people: cohort)),
            ResultColumn("after_unpriced", .integer([unpriced.after])).resting(on: DisclosureBasis(role: .count, people: cohort)),
        ], peopleColumn: "people")
    }
}
