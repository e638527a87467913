import CostOfFailure

/// The tables of one export — the finance pack, or any single table of ``ExportTable`` —
/// assembled from their analyses into what disclosure control protects: the cohort-level
/// tables as one system of tables tied by sums, and the person list apart.
///
/// Each table is protected together with every table its figures are tied to (the cohort's
/// four; the financial years, the intervention's cost and the appraisal), so that a table
/// written alone is withheld exactly as it is in the pack.
public struct TableAssembly: Sendable {
    /// The tables asked for, in the order they are written.
    public let tables: [ExportTable]

    /// The tables `tables`, in that order.
    public init(tables: [ExportTable]) {
        self.tables = tables
    }

    /// The finance pack (see ``ExportTable/financePack(comparisonGroup:)``).
    public init(financePackWithComparisonGroup comparisonGroup: Bool) {
        self.init(tables: ExportTable.financePack(comparisonGroup: comparisonGroup))
    }

    /// The sets of tables protected together (see ``ExportTable/protectedSets(of:)``).
    public var protectedSets: [[ExportTable]] { ExportTable.protectedSets(of: tables) }

    /// Whether any table asked for states a before/after change of the cohort (its four tables,
    /// the appraisal): without a comparison group such a change carries ``Caveats/beforeAfter``.
    public var showsBeforeAfterChange: Bool {
        tables.contains { [.cohort, .byService, .byCategory, .byAgency, .appraisal].contains($0) }
    }

    /// The tables before protection.
    public struct Unprotected: Sendable {
        /// Every cohort-level table of every set, with the sums and repeated figures between
        /// them: one system for disclosure control.
        public var cohortLevel: LinkedTables
        /// The person list (the top users), when asked for: working data, pseudonymised and
        /// exact, never suppressed.
        public var personList: LinkedTables
    }

    /// Why the tables cannot be made.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The difference in differences, its placebo or the balance table was asked for with no
        /// comparison group.
        case needsComparisonGroup

        public var description: String {
            switch self {
            case .needsComparisonGroup:
                return "the difference in differences, its placebo and the balance table need a comparison group: give --comparison FILE (person_id, start_date) or --match-comparison"
            }
        }
    }

    /// Every set of ``protectedSets`` made from `analyses`, with figures per person or per
    /// person-year over counts published with `rounding`.
    ///
    /// - Throws: ``Failure/needsComparisonGroup`` when a table needs a comparison group and
    ///   `analyses` has none; whatever `analyses` throws.
    public func unprotected(from analyses: inout some ExportAnalyses, rounding: CountRounding) throws -> Unprotected {
        analyses.startMaking(foldsRead)
        var cohortLevel = LinkedTables(tables: []), personList = LinkedTables(tables: [])
        for set in protectedSets {
            let tables = try Self.linkedTables(set, from: &analyses, rounding: rounding)
            if set == [.topUsers] { personList = tables } else { cohortLevel = cohortLevel.merging(tables) }
        }
        return Unprotected(cohortLevel: cohortLevel, personList: personList)
    }

    /// The whole cohort's folds the tables read (made together in one pass).
    var foldsRead: [CohortAnalyses.Analysis] {
        let firsts = protectedSets.compactMap(\.first)
        return (firsts.contains(.trajectory) ? [.trajectory] : []) + (firsts.contains(.financialYears) ? [.financialYears, .appraisal] : [])
    }

    /// The tables asked for, in order, taken by name from the `published` sets (the protected
    /// cohort-level tables and the pseudonymised person list).
    public func inOrder(_ published: [LinkedTables]) -> [ResultTable] {
        var byName: [String: ResultTable] = [:]
        for set in published {
            for table in set.tables { byName[table.name] = table }
        }
        return tables.map { table -> ResultTable in
            guard let result = byName[table.name] else { preconditionFailure("table \(table) was not made") }
            return result
        }
    }

    /// The tables of `set` (one of ``protectedSets``) with the sums between them.
    static func linkedTables(_ set: [ExportTable], from analyses: inout some ExportAnalyses, rounding: CountRounding) throws -> LinkedTables {
        switch set.first {
        case .cohort?:
            return try analyses.cohortSummary().linkedTables(rounding: rounding)
        case .financialYears?:
            let appraisal = try analyses.appraisal()
            let years = try analyses.financialYears().linkedTables(cohort: try analyses.cohortSummary())
            let interventionRows = years.table(FinancialYearConsumption.tableNames.intervention)?.rowCount ?? 0
            return years.merging(appraisal.linkedTables(cohort: try analyses.cohortSummary(), interventionRows: interventionRows))
        case .did?, .placebo?, .balance?:
            guard let analysis = try analyses.comparisonGroupAnalysis() else { throw Failure.needsComparisonGroup }
            switch set.first {
            case .did?: return analysis.did.linkedTables(cohort: try analyses.cohortSummary())
            case .placebo?: return LinkedTables(tables: [analysis.placebo.resultTable()])
            default: return LinkedTables(tables: [analysis.balance.resultTable()])
            }
        case .useChange?:
            let cohort = try analyses.cohortSummary()
            return try analyses.useChange().linkedTables(cohort: cohort)
        case .topUsers?:
            return LinkedTables(tables: [try analyses.topUsers().resultTable()])
        case .trajectory?:
            return LinkedTables(tables: [try analyses.trajectory().resultTable(rounding: rounding)])
        default:
            preconditionFailure("not a set of tables: \(set)")
        }
    }
}
