import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// `cof export`: one of the cohort's summary tables, for finance and for charts.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "A summary table of the cohort: before/after overall or by service, category or agency; consumption by financial year; the trajectory around the index date.",
        discussion: """
            Every figure is in the prices the run states on standard error (give --price-base to state them in one \
            financial year's prices). Tables: cohort, by-service, by-category, by-agency (before and after the index \
            date); financial-years (consumption by financial year, agency and value type, every date); \
            intervention-by-year (the intervention's own cost by financial year); trajectory (mean cost and events per \
            person-month, months -24 to +12 around the index date); did (the treated change in cost per person-year \
            minus the comparison group's, with a 95% bootstrap interval: needs --comparison); appraisal (the \
            intervention's cost against the saving: net saving, return on investment, payback, present values); \
            top-users (each service's heaviest users over --from/--to, with cohort ranks before and after: lists IDs).
            """
    )

    /// The tables there are.
    enum Table: String, ExpressibleByArgument, CaseIterable {
        case cohort, byService = "by-service", byCategory = "by-category", byAgency = "by-agency"
        case financialYears = "financial-years", interventionByYear = "intervention-by-year", trajectory, did, appraisal, topUsers = "top-users"
    }

    @OptionGroup var study: StudyOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Which table.", valueName: "table"))
    var table: Table = .cohort

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
    }

    func run() throws {
        try reportingFailures {
            let (study, comparisonStudy) = try self.study.loadStudyAndComparison()
            var result: ResultTable
            func comparison(_ study: Study) throws -> Comparison {
                do throws(CostResolver.Overflow) {
                    return try Comparison(study: study)
                } catch {
                    throw CommandFailure(badData: error.description)
                }
            }
            if comparisonStudy == nil, !self.study.quiet, [.cohort, .byService, .byCategory, .byAgency, .appraisal].contains(table) {
                Diagnostics.note("a before/after change is not an effect: people are often recruited at a crisis peak and use falls back anyway; give --comparison FILE for the difference in differences")
                Diagnostics.note(RegressionToTheMean(study: study).summary)
            }
            switch table {
            case .did:
                guard let comparisonStudy else {
                    throw CommandFailure(usage: "the difference in differences needs a comparison group: give --comparison FILE (person_id, start_date)")
                }
                result = DifferenceInDifferences(treated: (try comparison(study), study.cohortMembers),
                                                 comparison: (try comparison(comparisonStudy), comparisonStudy.cohortMembers),
                                                 services: study.services, prices: study.pricesDescription,
                                                 resamples: resamples, seed: seed).resultTable()
            case .cohort, .byService, .byCategory, .byAgency:
                let summary = CohortSummary(comparison: try comparison(study), members: study.cohortMembers, services: study.services,
                                            prices: study.pricesDescription)
                switch table {
                case .byService: result = summary.resultTable(summary.byService, name: "cohort_by_service", groupColumn: "service")
                case .byCategory: result = summary.resultTable(summary.byCategory, name: "cohort_by_category", groupColumn: "category")
                case .byAgency: result = summary.resultTable(summary.byAgency, name: "cohort_by_agency", groupColumn: "agency")
                default: result = summary.resultTable()
                }
            case .appraisal:
                let assumptions = Appraisal.Assumptions(years: years, discountRateBasisPoints: Int((discountRate * 100).rounded()),
                                                        optimismBiasPercent: optimismBias)
                do throws(CostResolver.Overflow) {
                    result = try Appraisal(study: study, assumptions: assumptions).resultTable()
                } catch {
                    throw CommandFailure(badData: error.description)
                }
            case .topUsers:
                let period = (from != nil || to != nil)
                    ? (from ?? CivilDate(daysSinceEpoch: Int32.min / 2))...(to ?? CivilDate(daysSinceEpoch: Int32.max / 2)) : nil
                result = TopUsers(study: study, period: period, top: top).resultTable()
            case .financialYears: result = FinancialYearConsumption(study: study).resultTable()
            case .interventionByYear: result = FinancialYearConsumption(study: study).interventionTable()
            case .trajectory: result = Trajectory(study: study).resultTable()
            }
            // A table that lists people carries keyed pseudonyms unless raw IDs are asked for.
            // Small numbers are suppressed in anything written to a file or a pipe; the
            // analyst's own screen shows exact figures.
            let toScreen = output.format == .table && (output.output == nil || output.output == "-")
            result = try disclosure.protect(result, suppressing: !toScreen)
            if !toScreen { disclosure.warnIfUnsuppressed() }
            // On a terminal the table says what it is and what prices its money is in.
            let title = output.format == .table ? Array((result.title + "\n\n").utf8) : []
            if output.format == .csv && !csvPlain {
                var csv = CSVRenderer.spreadsheet
                csv.suppressedMarker = disclosure.suppressionMarker
                try output.write(csv.renderBytes(result))
            } else {
                try output.write(title + output.format.render(result, marker: disclosure.suppressionMarker))
            }
        }
    }
}
