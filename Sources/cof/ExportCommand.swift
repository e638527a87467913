import ArgumentParser
import Foundation
import CostOfFailure
import CostOfFailureReports

/// `cof export`: the cohort's summary tables, for finance and for charts: one table, or the
/// finance pack (a workbook of the tables a business case needs).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "The cohort's summary tables: before/after overall or by service, category or agency; consumption and the intervention's cost by financial year; the trajectory; the appraisal; the difference in differences; or all of them for finance, as an Excel workbook.",
        discussion: """
            Every figure is in the prices the run states on standard error (give --price-base to state them in one \
            financial year's prices). Tables: cohort, by-service, by-category, by-agency (before and after the index \
            date); financial-years (consumption by financial year, agency and value type, every date); \
            intervention-by-year (the intervention's own cost by financial year); trajectory (mean cost and events per \
            person-month, months -24 to +12 around the index date); did (the treated change in cost per person-year \
            minus the comparison group's, with a 95% bootstrap interval: needs --comparison or --match-comparison; a \
            matched group is matched again in every bootstrap replicate); placebo (the same with every index date \
            moved back by the after window: near zero unless the groups were on different paths); balance \
            (standardised mean differences of the variables matched on, before and after matching); use-change \
            (treated people whose cost per person-year went up, stayed within 10% or went down); appraisal (the \
            Green Book appraisal: present values of costs and benefits, NPV, benefit–cost ratio, return on investment, \
            switching value and, with a comparison group, the probability that NPV > 0; see the appraisal options); \
            top-users (each service's heaviest users over --from/--to, with cohort ranks before and after: lists IDs); \
            finance (the finance pack: cohort, by-service, by-category, by-agency, financial-years, \
            intervention-by-year, appraisal, use-change, and did, placebo and balance when there is a comparison group). \
            --format xlsx writes an Excel workbook (the finance pack unless --table says otherwise) with a cover \
            sheet stating the parameters, prices, sources and the disclosure rule, then a sheet per table; it goes \
            to --output FILE or a redirected standard output, never to a terminal.
            """
    )

    /// The tables there are, and the finance pack of several.
    enum Table: String, ExpressibleByArgument, CaseIterable {
        case cohort, byService = "by-service", byCategory = "by-category", byAgency = "by-agency"
        case financialYears = "financial-years", interventionByYear = "intervention-by-year", trajectory, did, appraisal, topUsers = "top-users"
        case placebo, balance, useChange = "use-change"
        case finance
    }

    @OptionGroup var study: StudyOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Which table, or finance for the finance pack (default: finance with --format xlsx, cohort otherwise).", valueName: "table"))
    var table: Table?

    @OptionGroup var disclosure: DisclosureOptions

    @Flag(name: .customLong("csv-plain"), help: "CSV for pipelines: no byte-order mark, LF line ends, text as it is (the default is CSV for Excel: BOM, CRLF, formula-like text neutralised).")
    var csvPlain = false

    @OptionGroup var appraisal: AppraisalOptions

    @Option(help: ArgumentHelp("Top users: the first day of the period ranked (YYYY-MM-DD).", valueName: "date"))
    var from: CivilDate?

    @Option(help: ArgumentHelp("Top users: the last day of the period ranked (YYYY-MM-DD).", valueName: "date"))
    var to: CivilDate?

    @Option(help: "Top users: how many per service.")
    var top = 10

    func validate() throws {
        if let from, let to, to < from { throw ValidationError("--to is before --from") }
        if top < 1 { throw ValidationError("give --top of 1 or more") }
        if output.format == .csv && requestedTable == .finance {
            throw ValidationError("a CSV holds one table: give --table NAME or --format xlsx")
        }
        // A workbook is binary: on a terminal it is noise. A pipe or a redirect to a file is
        // someone asking for the bytes (`> pack.xlsx`, an upload), so it is written there.
        if output.format == .xlsx && output.toTerminal {
            throw ValidationError("an XLSX workbook is not for the terminal: give --output FILE.xlsx")
        }
    }

    /// The table asked for: `--table`, else the finance pack for a workbook and the cohort otherwise.
    var requestedTable: Table { table ?? (output.format == .xlsx ? .finance : .cohort) }

    func run() throws {
        try reportingFailures {
            let (study, comparisonGroup) = try self.study.loadStudyAndComparison(
                outputs: [output.output, disclosure.auditFile], alsoReading: disclosure.pseudonymKeyFile.map { [$0] } ?? [])
            let which = requestedTable == .finance ? Self.financePack(comparisonGroup: comparisonGroup != nil) : [requestedTable]
            if comparisonGroup == nil, !self.study.quiet, which.contains(where: { [Table.cohort, .byService, .byCategory, .byAgency, .appraisal].contains($0) }) {
                Diagnostics.note(Self.beforeAfterCaveat)
                Diagnostics.note(RegressionToTheMean(study: study).summary(count: Diagnostics.people))
            }
            // Each table is protected together with every table its figures are tied to (the
            // cohort's four; the financial years, the intervention's cost and the appraisal), so
            // that a table written alone is withheld exactly as it is in the pack. Small numbers
            // are withheld in anything not shown on an interactive terminal, whatever the format.
            let toTerminal = output.toTerminal
            let rounding = disclosure.rounding(toTerminal: toTerminal)
            var computed = Computed()
            var cohortLevel = LinkedTables(tables: []), personList = LinkedTables(tables: [])
            for system in Self.systems(of: which) {
                let set = try linkedTables(system, study: study, comparisonGroup: comparisonGroup, rounding: rounding, computed: &computed)
                if system == [.topUsers] { personList = set } else { cohortLevel = cohortLevel.merging(set) }
            }
            var published: [String: ResultTable] = [:]
            for table in try disclosure.protect(cohortLevel, toTerminal: toTerminal).tables { published[table.name] = table }
            // A person list (the top users) is working data: pseudonymised, exact, not for release.
            for table in try disclosure.pseudonymised(personList).tables { published[table.name] = table }
            let results = which.map { table -> ResultTable in
                guard let result = published[Self.tableName(table)] else { preconditionFailure("table \(table) was not made") }
                return result
            }
            try write(results, study: study, comparisonGroup: comparisonGroup)
        }
    }

    /// The caveat every before/after figure carries when there is no comparison group.
    static let beforeAfterCaveat = "a before/after change is not an effect: people are often recruited at a crisis peak and use falls back anyway; give --comparison FILE for the difference in differences"

    /// The finance pack's tables, in order: the difference in differences, its placebo and the
    /// balance table only with a comparison group.
    static func financePack(comparisonGroup: Bool) -> [Table] {
        [.cohort, .byService, .byCategory, .byAgency, .financialYears, .interventionByYear, .appraisal, .useChange]
            + (comparisonGroup ? [.did, .placebo, .balance] : [])
    }

    /// Analyses kept between the tables of a pack, so that each is computed once.
    struct Computed {
        /// The study's person × service comparison (a pass over every event), which the cohort
        /// tables, the appraisal and the difference in differences all start from.
        var comparison: Comparison?
        /// The cohort summary, which the appraisal and the difference in differences repeat figures of.
        var summary: CohortSummary?
        /// The comparison group's analysis: the difference in differences (which the appraisal
        /// takes its saving and resamples from), its placebo and the balance table (one bootstrap).
        var groupAnalysis: ComparisonGroupAnalysis?
    }

    /// The sets of tables protected together: a table's figures are tied by sums (or repeat
    /// figures) to the other tables of its set, and the appraisal and the difference in
    /// differences repeat the cohort's, so the cohort's set comes with them. Each set once,
    /// the cohort's first.
    static func systems(of tables: [Table]) -> [[Table]] {
        let cohort: [Table] = [.cohort, .byService, .byCategory, .byAgency]
        let sets: [[Table]] = [cohort, [.financialYears, .interventionByYear, .appraisal], [.did], [.placebo], [.balance], [.useChange],
                               [.trajectory], [.topUsers]]
        let needsCohort = tables.contains { [.financialYears, .interventionByYear, .appraisal, .did, .useChange].contains($0) }
        return sets.filter { set in set.contains(where: tables.contains) || (set == cohort && needsCohort) }
    }

    /// The name of the result table `table` gives.
    static func tableName(_ table: Table) -> String {
        switch table {
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
        case .finance: preconditionFailure("the finance pack is several tables")
        }
    }

    /// The tables of `system` (one of ``systems(of:)``) with the sums between them; figures per
    /// person or per person-year over counts published with `rounding`.
    func linkedTables(_ system: [Table], study: Study, comparisonGroup: ComparisonGroup?, rounding: CountRounding, computed: inout Computed) throws -> LinkedTables {
        func comparison(_ other: Study) throws -> Comparison {
            do throws(CostResolver.Overflow) {
                return try Comparison(study: other)
            } catch {
                throw CommandFailure(badData: error.description)
            }
        }
        // The study's own, kept for the pack's other tables.
        func studyComparison() throws -> Comparison {
            let made = try computed.comparison ?? comparison(study)
            computed.comparison = made
            return made
        }
        // The study's cohort summary, kept for the appraisal and the difference in differences.
        func summary() throws -> CohortSummary {
            if let made = computed.summary { return made }
            let made = try studyComparison()
            let summary = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
                try CohortSummary(comparison: made, members: study.cohortMembers, services: study.services, prices: study.pricesDescription)
            }
            computed.summary = summary
            return summary
        }
        // The cohort against the comparison group, kept for the appraisal and the did, placebo
        // and balance tables; its warnings said once.
        func groupAnalysis() throws -> ComparisonGroupAnalysis? {
            if let made = computed.groupAnalysis { return made }
            guard let made = try appraisal.comparisonGroupAnalysis(study: study, treated: try studyComparison(), comparisonGroup: comparisonGroup, rounding: rounding) else { return nil }
            for warning in made.warnings { Diagnostics.warn(warning) }
            computed.groupAnalysis = made
            return made
        }
        switch system.first {
        case .cohort?:
            return try summary().linkedTables(rounding: rounding)
        case .financialYears?:
            let made = try studyComparison()
            let appraisal = try self.appraisal.appraisal(study: study, comparison: made, did: try groupAnalysis()?.did, rounding: rounding)
            let years = FinancialYearConsumption(study: study).linkedTables()
            let interventionRows = years.table(FinancialYearConsumption.tableNames.intervention)?.rowCount ?? 0
            return years.merging(appraisal.linkedTables(cohort: try summary(), interventionRows: interventionRows))
        case .did?, .placebo?, .balance?:
            guard let analysis = try groupAnalysis() else {
                throw CommandFailure(usage: "the difference in differences, its placebo and the balance table need a comparison group: give --comparison FILE (person_id, start_date) or --match-comparison")
            }
            switch system.first {
            case .did?: return analysis.did.linkedTables(cohort: try summary())
            case .placebo?: return LinkedTables(tables: [analysis.placebo.resultTable()])
            default: return LinkedTables(tables: [analysis.balance.resultTable()])
            }
        case .useChange?:
            let treated = try studyComparison(), cohort = try summary()
            return try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
                try UseChange(comparison: treated, members: study.cohortMembers, services: study.services, rounding: rounding)
            }.linkedTables(cohort: cohort)
        case .topUsers?:
            let period = (from != nil || to != nil)
                ? (from ?? CivilDate(daysSinceEpoch: Int32.min / 2))...(to ?? CivilDate(daysSinceEpoch: Int32.max / 2)) : nil
            return LinkedTables(tables: [TopUsers(study: study, period: period, top: top).resultTable()])
        case .trajectory?:
            return LinkedTables(tables: [Trajectory(study: study).resultTable(rounding: rounding)])
        default:
            preconditionFailure("not a set of tables: \(system)")
        }
    }

    /// Writes `tables` in the format asked for: a workbook with its cover, one CSV table, a
    /// JSON array (of rows for one table, of table objects for the pack), or one Markdown or
    /// terminal section per table.
    private func write(_ tables: [ResultTable], study: Study, comparisonGroup: ComparisonGroup?) throws {
        let marker = disclosure.suppressionMarker
        // A table that lists people (the top users) is person-level, under raw IDs or keyed
        // pseudonyms alike: pseudonymised rows are still personal data.
        let content: OutputFile.Content = tables.contains { $0.column("person_id") != nil } ? .personLevel : .summary
        let quiet = self.study.quiet
        switch output.format {
        case .xlsx:
            let cover = try workbookCover(tables: tables, study: study, comparisonGroup: comparisonGroup)
            try output.write(try TableFormat.workbook(cover: cover, tables: tables, marker: marker), content: content, quiet: quiet)
        case .csv:
            // validate() lets only one table through to CSV.
            if csvPlain {
                try output.write(try output.format.render(tables[0], marker: marker), content: content, quiet: quiet)
            } else {
                var csv = CSVRenderer.spreadsheet
                csv.suppressedMarker = marker
                try output.write(csv.renderBytes(tables[0]), content: content, quiet: quiet)
            }
        case .json where requestedTable == .finance:
            try output.write(Array(JSONRenderer(suppressedMarker: marker).render(pack: tables).utf8), content: content, quiet: quiet)
        case .table:
            // On a terminal each table says what it is and what prices its money is in.
            let sections = try tables.map { Array(($0.title + "\n\n").utf8) + (try output.format.render($0, marker: marker, colour: output.colour)) }
            try output.write(Array(sections.joined(separator: Array("\n".utf8))), content: content, quiet: quiet)
        case .json, .md:
            let sections = try tables.map { try output.format.render($0, marker: marker) }
            try output.write(Array(sections.joined(separator: Array("\n".utf8))), content: content, quiet: quiet)
        }
    }
}
