import CostOfFailure

/// The tables of `cof report` (its protected text and its HTML) made from analyses already
/// computed: the cohort's (or one person's) headline and breakdowns, the financial years, the
/// intervention's cost and the appraisal, the trajectory, the baseline check, the unpriced
/// events, the quarterly timeline, and for a cohort the inference tables and each source's
/// coverage — tied by their sums into one system, so that disclosure control withholds in the
/// report exactly what it withholds in the finance pack.
public struct ReportTables: Sendable {
    /// The cohort's inference: whose use went up, stayed the same or went down, and with a
    /// comparison group the difference in differences, its placebo and the balance table.
    public struct Inference: Sendable {
        /// The up/same/down shares.
        public var useChange: UseChange
        /// The comparison group's analysis, when there is a comparison group.
        public var comparisonGroup: ComparisonGroupAnalysis?

        /// The inference of `useChange`, and `comparisonGroup`'s when there is one.
        public init(useChange: UseChange, comparisonGroup: ComparisonGroupAnalysis?) {
            self.useChange = useChange
            self.comparisonGroup = comparisonGroup
        }

        /// The inference tables (see ``ReportSections/inference``), tied to the `cohort`'s own.
        public func linkedTables(cohort: CohortSummary) -> LinkedTables {
            let set = useChange.linkedTables(cohort: cohort)
            guard let comparisonGroup else { return set }
            return set.merging(comparisonGroup.did.linkedTables(cohort: cohort))
                .merging(LinkedTables(tables: [comparisonGroup.placebo.resultTable(), comparisonGroup.balance.resultTable()]))
        }

        /// The notes that go with the tables: the comparison group's warnings, or without one
        /// the caveat that a before/after change is not an effect.
        public var notes: [String] {
            comparisonGroup?.warnings ?? [Caveats.beforeAfter]
        }
    }

    /// The person reported on, or `nil` for the cohort.
    public var person: String?
    /// The subject's summary: the cohort's, or the person's alone.
    public var summary: CohortSummary
    /// Consumption and the intervention's cost by financial year (a cohort's report only).
    public var financialYears: FinancialYearConsumption?
    /// The appraisal of the subject.
    public var appraisal: Appraisal
    /// The subject's trajectory around the index date.
    public var trajectory: Trajectory
    /// The cohort's baseline check (regression to the mean).
    public var baselineCheck: RegressionToTheMean
    /// The (service, event) pairs with events and no price.
    public var unpriced: [EventCosts.UnpricedPair]
    /// The subject's events per calendar quarter by category.
    public var timeline: QuarterlyTimeline
    /// The cohort's inference (a cohort's report only).
    public var inference: Inference?
    /// Each event source's coverage of the cohort (the HTML report's checks), when shown.
    public var sourceCoverage: [SourceCoverage]?

    /// The tables of a report on `person` (or the cohort).
    public init(person: String?, summary: CohortSummary, financialYears: FinancialYearConsumption?, appraisal: Appraisal,
                trajectory: Trajectory, baselineCheck: RegressionToTheMean, unpriced: [EventCosts.UnpricedPair],
                timeline: QuarterlyTimeline, inference: Inference?, sourceCoverage: [SourceCoverage]?) {
        self.person = person
        self.summary = summary
        self.financialYears = financialYears
        self.appraisal = appraisal
        self.trajectory = trajectory
        self.baselineCheck = baselineCheck
        self.unpriced = unpriced
        self.timeline = timeline
        self.inference = inference
        self.sourceCoverage = sourceCoverage
    }

    /// The name of the table of unpriced events.
    public static let unpricedName = "unpriced"

    /// Every table with the sums between them, figures per person or per person-year over counts
    /// published with `rounding` (the use change and the comparison group's analysis were
    /// counted with it when made).
    public func linkedTables(rounding: CountRounding) -> LinkedTables {
        var set = summary.linkedTables(rounding: rounding)
        if let financialYears {
            let years = financialYears.linkedTables(cohort: summary)
            let interventionRows = years.table(FinancialYearConsumption.tableNames.intervention)?.rowCount ?? 0
            set = set.merging(years).merging(appraisal.linkedTables(cohort: summary, interventionRows: interventionRows))
        } else {
            set = set.merging(LinkedTables(tables: [appraisal.resultTable()]))
        }
        set = set.merging(LinkedTables(tables: [
            trajectory.resultTable(rounding: rounding),
            baselineCheck.resultTable(),
            ResultTable(name: Self.unpricedName, title: "Events with no explicit cost and no unit cost, every date to the observation end (in no cost above)", columns: [
                ResultColumn("service", .text(unpriced.map(\.service))),
                ResultColumn("event", .text(unpriced.map(\.event))),
                ResultColumn("events", .integer(unpriced.map { Int64($0.events) })),
            ]),
        ])).merging(timeline.linkedTables(cohort: summary))
            .merging(LinkedTables(tables: [], mirrors: TrajectoryTimelineMirrors.of(trajectory, timeline)))
        if let inference { set = set.merging(inference.linkedTables(cohort: summary)) }
        if let sourceCoverage { set = set.merging(LinkedTables(tables: [SourceCoverage.resultTable(sourceCoverage)])) }
        return set
    }

    /// The notes that go with the tables (see ``Inference/notes``); none for a person.
    public var notes: [String] { inference?.notes ?? [] }
}
