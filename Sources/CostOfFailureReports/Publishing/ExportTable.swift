import CostOfFailure

/// The registry of the tables `cof export` (and `cof merge --table`) can publish: which exist,
/// the name of the result table each gives, which need a comparison group, which list people,
/// which form the finance pack, and which are protected together.
///
/// The cases' raw values are the names a user asks for them by (`--table by-service`); the
/// ``name`` is the result table's own (its sheet, its JSON key, its file stem).
public enum ExportTable: String, CaseIterable, Sendable {
    /// The cohort before and after the index date, overall.
    case cohort
    /// The cohort before and after, by service.
    case byService = "by-service"
    /// The cohort before and after, by category.
    case byCategory = "by-category"
    /// The cohort before and after, by agency.
    case byAgency = "by-agency"
    /// Consumption by financial year, agency and value type, every date.
    case financialYears = "financial-years"
    /// The intervention's own cost by financial year.
    case interventionByYear = "intervention-by-year"
    /// Mean cost and events per person-month, months -24 to +12 around the index date.
    case trajectory
    /// The difference in differences against the comparison group.
    case did
    /// The Green Book appraisal.
    case appraisal
    /// Each service's heaviest users: a person list.
    case topUsers = "top-users"
    /// The difference in differences with every index date moved back by the after window.
    case placebo
    /// The comparison group's balance on the variables matched on.
    case balance
    /// Treated people whose cost per person-year went up, stayed within 10% or went down.
    case useChange = "use-change"

    /// The name of the result table this table is published as.
    public var name: String {
        switch self {
        case .cohort: return CohortSummary.tableNames.cohort
        case .byService: return CohortSummary.tableNames.byService
        case .byCategory: return CohortSummary.tableNames.byCategory
        case .byAgency: return CohortSummary.tableNames.byAgency
        case .financialYears: return FinancialYearConsumption.tableNames.consumption
        case .interventionByYear: return FinancialYearConsumption.tableNames.intervention
        case .appraisal: return Appraisal.tableName
        case .trajectory: return "trajectory"
        case .did: return DifferenceInDifferences.tableName
        case .placebo: return PlaceboTest.tableName
        case .balance: return CovariateBalance.tableName
        case .useChange: return UseChange.tableName
        case .topUsers: return "top_users"
        }
    }

    /// Whether the table is made from a comparison group (the difference in differences, its
    /// placebo and the balance table): without one, asking for it is a usage error.
    public var needsComparisonGroup: Bool {
        [.did, .placebo, .balance].contains(self)
    }

    /// Whether the table lists people (the top users): working data, pseudonymised and exact,
    /// never protected with the cohort-level tables.
    public var listsPeople: Bool { self == .topUsers }

    /// The cohort's four tables, tied to each other by sums.
    public static let cohortTables: [ExportTable] = [.cohort, .byService, .byCategory, .byAgency]

    /// The finance pack's tables, in order: the difference in differences, its placebo and the
    /// balance table only with a comparison group.
    public static func financePack(comparisonGroup: Bool) -> [ExportTable] {
        [.cohort, .byService, .byCategory, .byAgency, .financialYears, .interventionByYear, .appraisal, .useChange]
            + (comparisonGroup ? [.did, .placebo, .balance] : [])
    }

    /// The sets of tables protected together when `tables` are published: a table's figures are
    /// tied by sums (or repeat figures) to the other tables of its set, and the financial years'
    /// set, the difference in differences and the use change repeat the cohort's figures, so the
    /// cohort's set comes with them. Each set once, the cohort's first; the first table of a set
    /// names it.
    public static func protectedSets(of tables: [ExportTable]) -> [[ExportTable]] {
        let cohort = cohortTables
        let sets: [[ExportTable]] = [cohort, [.financialYears, .interventionByYear, .appraisal], [.did], [.placebo], [.balance], [.useChange],
                                     [.trajectory], [.topUsers]]
        let needsCohort = tables.contains { [.financialYears, .interventionByYear, .appraisal, .did, .useChange].contains($0) }
        return sets.filter { set in set.contains(where: tables.contains) || (set == cohort && needsCohort) }
    }
}
