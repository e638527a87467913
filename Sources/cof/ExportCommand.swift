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
            minus the comparison group's, with a 95% bootstrap interval: needs --comparison); appraisal (the \
            intervention's cost against the saving: net saving, return on investment, payback, present values); \
            top-users (each service's heaviest users over --from/--to, with cohort ranks before and after: lists IDs); \
            finance (the finance pack: cohort, by-service, by-category, by-agency, financial-years, \
            intervention-by-year, appraisal, and did when there is a comparison group). \
            --format xlsx writes an Excel workbook (the finance pack unless --table says otherwise) with a cover \
            sheet stating the parameters, prices, sources and the disclosure rule, then a sheet per table; it goes \
            to --output FILE or a redirected standard output, never to a terminal.
            """
    )

    /// The tables there are, and the finance pack of several.
    enum Table: String, ExpressibleByArgument, CaseIterable {
        case cohort, byService = "by-service", byCategory = "by-category", byAgency = "by-agency"
        case financialYears = "financial-years", interventionByYear = "intervention-by-year", trajectory, did, appraisal, topUsers = "top-users"
        case finance
    }

    @OptionGroup var study: StudyOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Which table, or finance for the finance pack (default: finance with --format xlsx, cohort otherwise).", valueName: "table"))
    var table: Table?

    @OptionGroup var disclosure: DisclosureOptions

    @Flag(name: .customLong("csv-plain"), help: "CSV for pipelines: no byte-order mark, LF line ends, text as it is (the default is CSV for Excel: BOM, CRLF, formula-like text neutralised).")
    var csvPlain = false

    @Option(help: "Bootstrap resamples for the difference in differences' interval.")
    var resamples = 1_000

    @Option(help: "Seed of the bootstrap (the same seed and inputs give the same interval).")
    var seed: UInt64 = 1

    @Option(help: "Years the appraisal projects the saving over.")
    var years = 1

    @Option(name: .customLong("discount-rate"), help: ArgumentHelp("Discount rate in per cent a year (Green Book: 3.5).", valueName: "percent"))
    var discountRate = 3.5

    @Option(name: .customLong("optimism-bias"), help: ArgumentHelp("Optimism bias: per cent taken off the saving.", valueName: "percent"))
    var optimismBias = 0

    @Option(help: ArgumentHelp("Top users: the first day of the period ranked (YYYY-MM-DD).", valueName: "date"))
    var from: CivilDate?

    @Option(help: ArgumentHelp("Top users: the last day of the period ranked (YYYY-MM-DD).", valueName: "date"))
    var to: CivilDate?

    @Option(help: "Top users: how many per service.")
    var top = 10

    func validate() throws {
        if let from, let to, to < from { throw ValidationError("--to is before --from") }
        if top < 1 { throw ValidationError("give --top of 1 or more") }
        if resamples < 100 { throw ValidationError("give at least 100 resamples") }
        if !(1...60).contains(years) { throw ValidationError("give --years from 1 to 60") }
        if !(0...100).contains(optimismBias) { throw ValidationError("give --optimism-bias from 0 to 100") }
        if !(0...50).contains(discountRate) { throw ValidationError("give --discount-rate from 0 to 50") }
        if output.format == .csv && requestedTable == .finance {
            throw ValidationError("a CSV holds one table: give --table NAME or --format xlsx")
        }
        // A workbook is binary: on a terminal it is noise. A pipe or a redirect to a file is
        // someone asking for the bytes (`> pack.xlsx`, an upload), so it is written there.
        if output.format == .xlsx && (output.output == nil || output.output == "-") && isatty(1) != 0 {
            throw ValidationError("an XLSX workbook is not for the terminal: give --output FILE.xlsx")
        }
    }

    /// The table asked for: `--table`, else the finance pack for a workbook and the cohort otherwise.
    var requestedTable: Table { table ?? (output.format == .xlsx ? .finance : .cohort) }

    func run() throws {
        try reportingFailures {
            let (study, comparisonStudy) = try self.study.loadStudyAndComparison()
            let which = requestedTable == .finance ? Self.financePack(comparisonGroup: comparisonStudy != nil) : [requestedTable]
            if comparisonStudy == nil, !self.study.quiet, which.contains(where: { [Table.cohort, .byService, .byCategory, .byAgency, .appraisal].contains($0) }) {
                Diagnostics.note(Self.beforeAfterCaveat)
                Diagnostics.note(RegressionToTheMean(study: study).summary)
            }
            var computed = Computed()
            var results = try which.map { try table($0, study: study, comparisonStudy: comparisonStudy, computed: &computed) }
            // Tables that list people carry keyed pseudonyms unless raw IDs are asked for.
            // Small numbers are suppressed in anything written to a file or a pipe; the
            // analyst's own screen shows exact figures.
            let toScreen = output.format == .table && (output.output == nil || output.output == "-")
            results = try results.map { try disclosure.protect($0, suppressing: !toScreen) }
            if !toScreen { disclosure.warnIfUnsuppressed() }
            try write(results, study: study, comparisonStudy: comparisonStudy)
        }
    }

    /// The caveat every before/after figure carries when there is no comparison group.
    static let beforeAfterCaveat = "a before/after change is not an effect: people are often recruited at a crisis peak and use falls back anyway; give --comparison FILE for the difference in differences"

    /// The finance pack's tables, in order: the difference in differences only with a comparison group.
    static func financePack(comparisonGroup: Bool) -> [Table] {
        [.cohort, .byService, .byCategory, .byAgency, .financialYears, .interventionByYear, .appraisal] + (comparisonGroup ? [.did] : [])
    }

    /// Analyses kept between the tables of a pack, so that each is computed once.
    struct Computed {
        /// The study's person × service comparison (a pass over every event), which the cohort
        /// tables, the appraisal and the difference in differences all start from.
        var comparison: Comparison?
        /// The cohort summary.
        var summary: CohortSummary?
        /// Consumption by financial year (a pass over every event).
        var financialYears: FinancialYearConsumption?
    }

    /// Table `which` (one table, not the pack) of `study`; `computed` keeps analyses between
    /// calls, so that a pack computes each (the person × service comparison above all) once.
    func table(_ which: Table, study: Study, comparisonStudy: Study?, computed: inout Computed) throws -> ResultTable {
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
        switch which {
        case .finance:
            preconditionFailure("the finance pack is several tables: see financePack(comparisonGroup:)")
        case .did:
            guard let comparisonStudy else {
                throw CommandFailure(usage: "the difference in differences needs a comparison group: give --comparison FILE (person_id, start_date)")
            }
            return DifferenceInDifferences(treated: (try studyComparison(), study.cohortMembers),
                                           comparison: (try comparison(comparisonStudy), comparisonStudy.cohortMembers),
                                           services: study.services, prices: study.pricesDescription,
                                           resamples: resamples, seed: seed).resultTable()
        case .cohort, .byService, .byCategory, .byAgency:
            let cohort = try computed.summary ?? CohortSummary(comparison: try studyComparison(), members: study.cohortMembers,
                                                      services: study.services, prices: study.pricesDescription)
            computed.summary = cohort
            switch which {
            case .byService: return cohort.resultTable(cohort.byService, name: "cohort_by_service", groupColumn: "service")
            case .byCategory: return cohort.resultTable(cohort.byCategory, name: "cohort_by_category", groupColumn: "category")
            case .byAgency: return cohort.resultTable(cohort.byAgency, name: "cohort_by_agency", groupColumn: "agency")
            default: return cohort.resultTable()
            }
        case .appraisal:
            let assumptions = Appraisal.Assumptions(years: years, discountRateBasisPoints: Int((discountRate * 100).rounded()),
                                                    optimismBiasPercent: optimismBias)
            return Appraisal(study: study, comparison: try studyComparison(), assumptions: assumptions).resultTable()
        case .topUsers:
            let period = (from != nil || to != nil)
                ? (from ?? CivilDate(daysSinceEpoch: Int32.min / 2))...(to ?? CivilDate(daysSinceEpoch: Int32.max / 2)) : nil
            return TopUsers(study: study, period: period, top: top).resultTable()
        case .financialYears, .interventionByYear:
            let years = computed.financialYears ?? FinancialYearConsumption(study: study)
            computed.financialYears = years
            return which == .financialYears ? years.resultTable() : years.interventionTable()
        case .trajectory: return Trajectory(study: study).resultTable()
        }
    }

    /// Writes `tables` in the format asked for: a workbook with its cover, one CSV table, a
    /// JSON array (of rows for one table, of table objects for the pack), or one Markdown or
    /// terminal section per table.
    private func write(_ tables: [ResultTable], study: Study, comparisonStudy: Study?) throws {
        let marker = disclosure.suppressionMarker
        switch output.format {
        case .xlsx:
            let cover = try workbookCover(tables: tables, study: study, comparisonStudy: comparisonStudy)
            try output.write(try TableFormat.workbook(cover: cover, tables: tables, marker: marker))
        case .csv:
            // validate() lets only one table through to CSV.
            if csvPlain {
                try output.write(try output.format.render(tables[0], marker: marker))
            } else {
                var csv = CSVRenderer.spreadsheet
                csv.suppressedMarker = marker
                try output.write(csv.renderBytes(tables[0]))
            }
        case .json where requestedTable == .finance:
            try output.write(Array(JSONRenderer(suppressedMarker: marker).render(pack: tables).utf8))
        case .table:
            // On a terminal each table says what it is and what prices its money is in.
            let sections = try tables.map { Array(($0.title + "\n\n").utf8) + (try output.format.render($0, marker: marker, colour: output.colour)) }
            try output.write(Array(sections.joined(separator: Array("\n".utf8))))
        case .json, .md:
            let sections = try tables.map { try output.format.render($0, marker: marker) }
            try output.write(Array(sections.joined(separator: Array("\n".utf8))))
        }
    }
}
