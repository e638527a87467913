import CostOfFailure

/// `cof report`'s text: its sections' headings and order, on an interactive terminal (exact
/// figures, the consumption report first) and anywhere else (a cohort's protected tables alone,
/// in the order the screen shows them).
public enum ReportText {
    /// The appraisal's heading.
    public static let appraisalHeading = "Green Book appraisal (the same options and figures as cof export --table appraisal)"

    /// The trajectory's heading.
    public static let trajectoryHeading = "Trajectory: mean use per person-month, months from the index date"

    /// The headings and table names of the inference sections: the up/same/down shares, and
    /// with a comparison group the difference in differences, its placebo and the balance table.
    public static let inferenceSections: [(heading: String, table: String)] = [
        ("Whose use went up, stayed the same or went down (cost per person-year, after against before)", UseChange.tableName),
        ("Difference in differences against the comparison group", DifferenceInDifferences.tableName),
        ("Placebo test: every index date moved back by the after window (should be near zero)", PlaceboTest.tableName),
        ("Balance of the comparison group on the variables matched on", CovariateBalance.tableName),
    ]

    /// A cohort's report as it leaves the screen: a title, the prices and the disclosure rule,
    /// then each protected table of `tables` that is there under its heading (the headline and
    /// the appraisal as records), then the `notes`; the tables fit `width` columns when it is
    /// given (see ``TerminalTableRenderer/width``), and so do the prose lines, wrapped at spaces.
    public static func protected(_ tables: LinkedTables, notes: [String], pricesDescription: String, disclosure: DisclosureRule,
                                 suppressedMarker: String, width: Int? = nil) -> String {
        let renderer = TerminalTableRenderer(suppressedMarker: suppressedMarker, width: width)
        let names = CohortSummary.tableNames
        var text = "Cost of failure: the cohort\n" + String(repeating: "=", count: min(60, width ?? 60)) + "\n"
        text += "Money in \(pricesDescription).\nDisclosure control: \(disclosure.description(marker: suppressedMarker)).\n"
        let sections: [(String, String, Bool)] = [
            ("The cohort before and after (all services but the intervention's own)", names.cohort, true),
            ("By service", names.byService, false), ("By category", names.byCategory, false),
            ("By agency", names.byAgency, false),
            (appraisalHeading, Appraisal.tableName, true),
            (trajectoryHeading, "trajectory", false),
        ] + inferenceSections.map { ($0.heading, $0.table, false) }
        for (heading, name, record) in sections {
            guard let table = tables.table(name) else { continue }
            text += "\n\(heading)\n" + (record ? renderer.renderRecord(table) : renderer.render(table))
        }
        text += notes.map { "\nNote: \($0)\n" }.joined()
        return width.map { DisplayWidth.wrapped(text, fitting: max($0, TerminalTableRenderer.narrowestWidth + 2)) } ?? text
    }

    /// The report for an interactive terminal, exact: `report` as ``ConsumptionReportRenderer``
    /// renders it, then for a cohort its `summary` overall, by category and by agency, the
    /// `appraisal`, the `trajectory`, and for a cohort the `inference` sections with their notes.
    /// `colour` lets the tables use bold and dim; they and the prose fit `width` columns when it
    /// is given.
    public static func exact(report: ConsumptionReport, summary: CohortSummary?, appraisal: Appraisal, trajectory: Trajectory,
                             inference: ReportTables.Inference?, colour: Bool, width: Int? = nil) -> String {
        var text = ConsumptionReportRenderer(width: width).render(report)
        let tables = TerminalTableRenderer(colour: colour, width: width)
        if let summary {
            text += "\nThe cohort before and after (all services but the intervention's own)\n" + tables.renderRecord(summary.resultTable())
            text += "\nBy category\n" + tables.render(summary.resultTable(summary.byCategory, name: "cohort_by_category", groupColumn: "category"))
            text += "\nBy agency\n" + tables.render(summary.resultTable(summary.byAgency, name: "cohort_by_agency", groupColumn: "agency"))
        }
        text += "\n\(appraisalHeading)\n" + tables.renderRecord(appraisal.resultTable())
        text += "\n\(trajectoryHeading)\n"
        text += tables.render(trajectory.resultTable())
        if let summary, let inference {
            let set = inference.linkedTables(cohort: summary)
            for (heading, name) in inferenceSections {
                guard let table = set.table(name) else { continue }
                text += "\n\(heading)\n" + tables.render(table)
            }
            text += inference.notes.map { "\nNote: \($0)\n" }.joined()
        }
        // The prose too: the headings, notes and the consumption report's sentences.
        return width.map { DisplayWidth.wrapped(text, fitting: max($0, TerminalTableRenderer.narrowestWidth + 2)) } ?? text
    }
}
