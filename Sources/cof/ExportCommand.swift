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
            person-month, months -24 to +12 around the index date).
            """
    )

    /// The tables there are.
    enum Table: String, ExpressibleByArgument, CaseIterable {
        case cohort, byService = "by-service", byCategory = "by-category", byAgency = "by-agency"
        case financialYears = "financial-years", interventionByYear = "intervention-by-year", trajectory
    }

    @OptionGroup var study: StudyOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Which table.", valueName: "table"))
    var table: Table = .cohort

    func run() throws {
        try reportingFailures {
            let study = try study.loadStudy()
            let result: ResultTable
            switch table {
            case .cohort, .byService, .byCategory, .byAgency:
                let comparison: Comparison
                do throws(CostResolver.Overflow) {
                    comparison = try Comparison(study: study)
                } catch {
                    throw CommandFailure(badData: error.description)
                }
                let summary = CohortSummary(comparison: comparison, members: study.cohortMembers, services: study.services,
                                            prices: study.pricesDescription)
                switch table {
                case .byService: result = summary.resultTable(summary.byService, name: "cohort_by_service", groupColumn: "service")
                case .byCategory: result = summary.resultTable(summary.byCategory, name: "cohort_by_category", groupColumn: "category")
                case .byAgency: result = summary.resultTable(summary.byAgency, name: "cohort_by_agency", groupColumn: "agency")
                default: result = summary.resultTable()
                }
            case .financialYears: result = FinancialYearConsumption(study: study).resultTable()
            case .interventionByYear: result = FinancialYearConsumption(study: study).interventionTable()
            case .trajectory: result = Trajectory(study: study).resultTable()
            }
            try output.write(output.format.render(result))
        }
    }
}
