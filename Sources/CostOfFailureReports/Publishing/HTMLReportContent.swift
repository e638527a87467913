import CostOfFailure

/// The HTML report's content: which analysis feeds which part of the report, in what words.
/// A cohort's tables arrive protected (small numbers withheld unless the rule is none, people
/// pseudonymised), and its charts are drawn from them; a person's report is the analyst's own
/// case file: exact figures and the ID as given, with a banner saying it is not for release.
///
/// Built from tables already computed and protected (see ``init(person:tables:notes:comparisonGroup:report:study:assumptions:disclosure:provenance:)``),
/// so a loaded study, a streaming pass or a merge of partials can all feed it; ``document()``
/// composes the ``HTMLReport`` that renders it.
public struct HTMLReportContent: Sendable {
    /// What the report states of its study besides its tables.
    public struct Setting: Sendable {
        /// The services' categories and agencies (which services are the intervention's own).
        public var services: ServiceCatalog
        /// The before and after windows.
        public var windows: StudyWindows
        /// The observation end and how it was decided, when there is one.
        public var observationEnd: ObservationEnd?
        /// The prices every figure is in, in words.
        public var pricesDescription: String
        /// Each event source's coverage of the cohort.
        public var sourceCoverage: [SourceCoverage]

        /// A setting stated directly.
        public init(services: ServiceCatalog, windows: StudyWindows, observationEnd: ObservationEnd?, pricesDescription: String,
                    sourceCoverage: [SourceCoverage]) {
            self.services = services
            self.windows = windows
            self.observationEnd = observationEnd
            self.pricesDescription = pricesDescription
            self.sourceCoverage = sourceCoverage
        }

        /// The setting of a loaded study.
        public init(_ study: Study) {
            self.init(services: study.services, windows: study.windows, observationEnd: study.observationEnd,
                      pricesDescription: study.pricesDescription, sourceCoverage: study.sourceCoverage)
        }
    }

    /// The disclosure rule a cohort's tables were protected with, as the report states it.
    public struct Disclosure: Sendable {
        /// The rule.
        public var rule: DisclosureRule
        /// What a withheld cell shows.
        public var suppressedMarker: String

        /// A rule and its marker.
        public init(rule: DisclosureRule, suppressedMarker: String) {
            self.rule = rule
            self.suppressedMarker = suppressedMarker
        }

        /// The rule in words.
        public var ruleDescription: String { rule.description(marker: suppressedMarker) }
    }

    /// The person reported on, or `nil` for the cohort.
    public var person: String?
    /// The report's tables (for a cohort, protected): the headline and breakdowns, the financial
    /// years, the appraisal, the timeline, the trajectory, the unpriced events, and for a cohort
    /// the baseline check, the source coverage and the inference tables.
    public var tables: LinkedTables
    /// The notes that go with the inference tables (the comparison group's warnings, or the
    /// before/after caveat).
    public var notes: [String]
    /// Whether there is a comparison group (only a cohort's report has one).
    public var comparisonGroup: Bool
    /// The subject's consumption report: its period, lifetime use and, for a person, its own tables.
    public var report: ConsumptionReport
    /// What the report states of the study.
    public var study: Setting
    /// The appraisal's assumptions, stated beside its figures.
    public var assumptions: Appraisal.Assumptions
    /// The disclosure rule applied.
    public var disclosure: Disclosure
    /// The study's provenance (see ``Provenance/of(_:inputs:)``); the report adds its own entries.
    public var studyProvenance: Provenance

    /// The content of the report on `person` (or the cohort) from its `tables` and `notes`.
    public init(person: String?, tables: LinkedTables, notes: [String], comparisonGroup: Bool, report: ConsumptionReport,
                study: Setting, assumptions: Appraisal.Assumptions, disclosure: Disclosure, provenance: Provenance) {
        self.person = person
        self.tables = tables
        self.notes = notes
        self.comparisonGroup = comparisonGroup
        self.report = report
        self.study = study
        self.assumptions = assumptions
        self.disclosure = disclosure
        self.studyProvenance = provenance
    }

    /// The report as a document to render.
    public func document() -> HTMLReport {
        let cohort = person == nil
        let marker = disclosure.suppressedMarker
        let hasComparisonGroup = cohort && comparisonGroup
        func table(_ name: String) -> ResultTable {
            guard let table = tables.table(name) else { preconditionFailure("no table \(name)") }
            return table
        }
        let names = CohortSummary.tableNames
        let headline = table(names.cohort), appraisal = table(Appraisal.tableName)
        // By service: for a cohort the summary's breakdown of the services its total counts; for
        // a person the report's own table, with event rates and a total row (left out of the chart).
        let byService: ResultTable, chartRows: [BarChart.Row]
        if cohort {
            let services = table(names.byService)
            var failureDemand = [Int]()
            if case .text(let serviceNames)? = services.column("service")?.values {
                failureDemand = serviceNames.indices.filter { !study.services.isIntervention(serviceNames[$0]) }
            }
            byService = services.selectingRows(failureDemand)
            chartRows = Self.rows(byService, label: "service", values: ["before_cost_per_person_year", "after_cost_per_person_year"])
        } else {
            byService = report.beforeAfterTable()
            chartRows = Self.rows(byService, label: "service", values: ["before_cost_per_year", "after_cost_per_year"]).dropLast()
        }
        let timeline = table("quarterly_timeline")
        let trajectory = table("trajectory")
        let unpriced = table("unpriced")
        let per = cohort ? "per person-year" : "a year"

        // What the reader must know first.
        var banners: [HTMLReport.Banner] = []
        if let person {
            banners.append(.init(.note, "This report is about one person, \(person): it is the analyst's own case file and not for release. Small-number suppression is not applied, because it would withhold every figure of a single person."))
        } else if !disclosure.rule.isSuppressing {
            banners.append(.init(.warning, "UNSUPPRESSED: small numbers are shown exactly (--disclosure none). Not for release as it is."))
        } else {
            banners.append(.init(.note, "Disclosure control (\(disclosure.rule.name.rawValue)): \(disclosure.ruleDescription). Charts are drawn from the protected tables."))
        }
        if hasComparisonGroup && !notes.isEmpty {
            banners.append(.init(.warning, "The comparison with the comparison group carries \(notes.count == 1 ? "a warning" : "\(notes.count) warnings"): see “\(Self.inferenceTitle)”."))
        }

        // The headline.
        var items: [(label: String, value: String)] = []
        if let person {
            items.append(("person", person))
        } else {
            items.append(("people with an intervention", figure(headline, "people")))
        }
        if let first = report.firstEventDay, let last = report.lastEventDay {
            let end = study.windows.observationEnd ?? last
            let years = Double(Int(end.daysSinceEpoch) - Int(first.daysSinceEpoch) + 1) / 365.25
            items.append(("period observed", "\(first) to \(end) (\(MoneyFormat.decimal(years, decimals: 1)) years)"))
            if !cohort {
                let lifetime = report.consumption.lifetime
                let services = report.services.filter { $0.lifetime.events > 0 }.count
                items.append(("lifetime use", "\(MoneyFormat.count(lifetime.events)) interactions with \(services) services, \(MoneyFormat.wholePounds(lifetime.cost))"))
            }
        }
        if cohort {
            items.append(("person-years before / after", "\(figure(headline, "person_years_before")) / \(figure(headline, "person_years_after"))"))
        } else if let index = report.indexDate {
            items.append(("index date", "\(index) (\(study.windows.before) before, \(study.windows.after) after)"))
        }
        items.append(("consumption before, \(per)", figure(headline, "before_cost_per_person_year")))
        items.append(("consumption after, \(per)", figure(headline, "after_cost_per_person_year")))
        var change = figure(headline, "change_per_person_year", signed: true)
        if headline.column("change_pct")?.state(0) == .value { change += " (\(figure(headline, "change_pct", signed: true))%)" }
        items.append(("change, \(per)", change))
        items.append(("intervention cost", figure(appraisal, "intervention_cost")))
        items.append(("net saving in the first year (saving less the intervention's cost)", figure(appraisal, "net_saving_first_year", signed: true)))
        items.append(("net present value over \(assumptions.years) year(s) (Green Book appraisal)", figure(appraisal, "net_present_value", signed: true)))
        if cohort {
            items.append(("events left out of the money (unpriced)", "\(figure(headline, "left_out_events")) events of \(figure(headline, "left_out_people")) people"))
        }
        if hasComparisonGroup, let did = tables.table(DifferenceInDifferences.tableName) {
            items.append(("difference in differences, per person-year (95% interval)",
                          "\(figure(did, "difference_in_differences", signed: true)) (\(figure(did, "ci95_lower", signed: true)) to \(figure(did, "ci95_upper", signed: true)))"))
        }
        items.append(("benefit–cost ratio (BCR: benefits ÷ costs)", figure(appraisal, "benefit_cost_ratio")))
        items.append(("return on investment (ROI: (benefits − costs) ÷ costs)", figure(appraisal, "return_on_investment", signed: true)))
        items.append(("switching value (share of the saving needed for NPV = 0)", percentFigure(appraisal, "switching_value_percent")))
        if hasComparisonGroup {
            items.append(("probability that NPV > 0 (bootstrap)", figure(appraisal, "probability_npv_positive")))
        }

        // The body.
        var sections: [HTMLReport.Section] = []
        let chart = BarChart(id: "before-after", title: "Cost \(per) before and after the index date, by service",
                             seriesNames: ["before", "after"], colours: [ChartPalette.before, ChartPalette.after], unit: .pence,
                             rows: chartRows,
                             suppressedMarker: marker).sortedByChange()
        sections.append(.init(id: "before-after", title: "Before and after, by service", blocks: [
            .paragraph(windowsSentence(report, study: study) + " The intervention's own services are left out: they are the response, not the failure."),
            .paragraph(Self.leftOutRule),
            .figure(svg: chart.render(), caption: "Cost \(per) before (vermillion) and after (blue) the index date, by service, sorted by the change: the largest fall first."),
            .table(byService),
        ]))

        if cohort {
            sections.append(.init(id: "effect", title: Self.inferenceTitle,
                                  blocks: inferenceBlocks(tables, notes: notes, comparisonGroup: hasComparisonGroup, study: study)))
        }

        var timelineBlocks: [HTMLReport.Block] = [
            .paragraph("Events per calendar quarter by category, over the whole record\(cohort ? " of every person with an intervention" : "")\(cohort ? "" : "; the dashed line marks the quarter of the index date"). The intervention's own activity is shown in black."),
        ]
        if let chart = timelineChart(timeline, indexDate: cohort ? nil : report.indexDate, marker: marker) {
            timelineBlocks.append(.figure(svg: chart.render(), caption: "Events per quarter, stacked by category."))
        }
        timelineBlocks.append(.table(timeline))
        sections.append(.init(id: "timeline", title: cohort ? "Timeline of the cohort" : "Lifetime timeline", blocks: timelineBlocks))

        let monthly = cohort ? "Mean cost per person-month" : "Cost per month"
        var trajectoryBlocks: [HTMLReport.Block] = [
            .paragraph("\(monthly) in months from the index date (month 0 starts on it), counting only months the data covers wholly; the intervention's own services are left out. A fall that starts before month 0 is not the intervention's doing."),
        ]
        if let chart = trajectoryChart(trajectory, title: "\(monthly), months from the index date", marker: marker) {
            trajectoryBlocks.append(.figure(svg: chart.render(), caption: "\(monthly), months −24 to +12 around the index date (dashed line)."))
        } else {
            trajectoryBlocks.append(.paragraph("No chart: no month has a figure to show\(cohort ? " (each rests on too few people, or none is wholly observed)" : " (no month is wholly observed)")."))
        }
        trajectoryBlocks.append(.table(trajectory))
        sections.append(.init(id: "trajectory", title: "Around the index date", blocks: trajectoryBlocks))

        if cohort {
            sections.append(.init(id: "breakdowns", title: "By category and by agency", blocks: [
                .table(table(names.byCategory)),
                .table(table(names.byAgency)),
            ]))
        } else {
            var blocks: [HTMLReport.Block] = [.table(report.lifetimeTable())]
            if !report.response.isEmpty { blocks.append(.table(report.responseTable())) }
            sections.append(.init(id: "lifetime", title: "Lifetime use, and the intervention's own activity", blocks: blocks))
        }
        sections.append(.init(id: "figures", title: "The headline's figures", blocks: [
            .record(headline),
            .paragraph(cohort ? "Left out events and left out people count what the money above leaves out. " + Self.leftOutRule
                              : "Before unpriced and after unpriced count the events with no price, which no cost above includes."),
        ]))
        sections.append(.init(id: "appraisal", title: "Green Book appraisal", blocks: appraisalBlocks(appraisal, comparisonGroup: hasComparisonGroup)))

        var checks: [HTMLReport.Block] = []
        if unpriced.rowCount > 0 { checks.append(.table(unpriced)) } else { checks.append(.paragraph("Every event has a price.")) }
        let baselineSentence: String
        if cohort {
            let baseline = table("baseline_check")
            checks.append(.table(baseline))
            baselineSentence = "\(figure(baseline, "people_flagged")) of \(figure(baseline, "people_with_baseline")) people with an earlier baseline cost at least \(RegressionToTheMean.ratio)× as much per year in the before window as in the same length of time before it"
        } else {
            baselineSentence = report.regressionToTheMean
        }
        if cohort {
            // Each source's coverage of the cohort, protected as stderr's is when it leaves the screen.
            let coverages = study.sourceCoverage
            checks.append(.paragraph("How much of the cohort each event source covers: a source that covers none or almost none of the cohort's people (under \(Int(SourceCoverage.minimumCohortShare * 100))%) while it has rows usually writes IDs another way, and adds nothing to anyone."))
            checks.append(.table(table("source_coverage")))
            for warning in coverages.compactMap(\.warning) { checks.append(.callout(.init(.warning, warning))) }
        }
        sections.append(.init(id: "checks", title: "Checks", blocks: checks))

        let caveats = [
            hasComparisonGroup
                ? "The difference in differences is an effect only as far as the comparison group shows what would have happened to the cohort without the intervention: see the placebo test and the balance table."
                : "A before/after change is not an effect. Without a comparison group nothing shows what would have happened without the intervention (give --comparison FILE or --match-comparison for the difference in differences).",
            "Regression to the mean: people are often recruited at a crisis peak, and their use tends to fall back whatever is done. Baseline check: \(baselineSentence).",
            "Events with no explicit cost and no unit cost are counted but are in no cost above (see Checks).",
            "Unit costs are national averages of operating cost: avoided activity saves cash only where capacity is actually removed (the appraisal separates cashable savings where the unit costs say which).",
        ]

        return HTMLReport(
            title: person.map { "Cost of failure: \($0)" } ?? "Cost of failure: the cohort",
            subtitle: ["Money in \(study.pricesDescription).", "Before window \(study.windows.before), after window \(study.windows.after)" + (study.observationEnd.map { ", observation end \($0)." } ?? ".")],
            banners: banners, headline: items, sections: sections, caveats: caveats,
            provenance: provenance(), suppressedMarker: marker)
    }

    /// The heading of the section on whether the change is the intervention's effect.
    public static let inferenceTitle = "Is the change the intervention's effect?"

    /// The rule for unpriced events, in words for a finance reader.
    public static let leftOutRule = "No unpriced event is counted as free: where a person has an event with no price (no explicit cost and no unit cost) at a service in either window, that person's use of that service is left out of the money in both windows, so it can neither add to a cost nor make a saving. The left out events and left out people columns say how much each total leaves out."

    /// The section on whether the cohort's change is the intervention's effect: the up/same/down
    /// shares, then with a comparison group the difference in differences, its placebo and the
    /// balance table, each with what it means, and the `notes` that go with them beside them.
    private func inferenceBlocks(_ tables: LinkedTables, notes: [String], comparisonGroup: Bool, study: Setting) -> [HTMLReport.Block] {
        var blocks: [HTMLReport.Block] = notes.map { .callout(.init(.warning, "Warning: " + $0)) }
        if !comparisonGroup {
            blocks.append(.paragraph("There is no comparison group here, so nothing shows what would have happened without the intervention: the before/after change is not an effect. People are often recruited at a crisis peak, and their use falls back whatever is done (see the baseline check under Checks). Give --comparison FILE or --match-comparison for the difference in differences, a placebo test and a balance table."))
        }
        if let useChange = tables.table(UseChange.tableName) {
            blocks.append(.paragraph("A mean can hide how people differ. Each treated person's cost per person-year after the index date is set against their own before it: \"stayed the same\" means within \(UseChange.sameWithinPercent)% either way. A fall shared by most people is a stronger case than one carried by a few large falls."))
            blocks.append(.table(useChange))
        }
        guard comparisonGroup else { return blocks }
        if let did = tables.table(DifferenceInDifferences.tableName) {
            blocks.append(.paragraph("The comparison group is people without the intervention, each given a pseudo index date. Their use changes too (crises pass), and that change would have happened to the cohort anyway. The difference in differences is the cohort's change less the comparison group's: the part of the change the intervention can claim. A negative figure is a fall in cost. The 95% interval is the range the figure could plausibly take given who happened to be in the data; if it includes zero, the data do not show an effect."))
            blocks.append(.table(did))
        }
        if let placebo = tables.table(PlaceboTest.tableName) {
            blocks.append(.paragraph("The placebo test repeats the analysis with every index date moved back by the after window (\(study.windows.after)), to a period when nothing was done. Its \"effect\" should be near zero, with an interval that includes zero. If it is not, the cohort's use was already moving apart from the comparison group's before the intervention (recruitment at a crisis peak, say), and the difference in differences carries the same bias."))
            blocks.append(.table(placebo))
        }
        if let balance = tables.table(CovariateBalance.tableName) {
            blocks.append(.paragraph("The balance table shows how alike the cohort and the comparison group are on what they were matched on. The standardised mean difference (SMD) is the gap between the two groups' means in standard deviations; within ±\(CovariateBalance.threshold) is usually taken as alike. A variable flagged 1 after matching is one the groups differ on, and the comparison is weaker for it."))
            blocks.append(.table(balance))
        }
        return blocks
    }

    /// The appraisal section: its assumptions in words, the two ratios named apart, the
    /// switching value and the probability that NPV > 0, then the figures.
    private func appraisalBlocks(_ appraisal: ResultTable, comparisonGroup: Bool) -> [HTMLReport.Block] {
        [
            .paragraph("Assumptions: \(assumptions.description); deadweight (what would have happened anyway): \(figure(appraisal, "deadweight")). Year 0 is the observed year and is not discounted. The same options give the same figures in cof export --table appraisal and the finance pack."),
            .paragraph("Two ratios, named apart. The benefit–cost ratio (BCR) is the present value of benefits ÷ the present value of costs: above 1, benefits exceed costs. The return on investment (ROI) is (benefits − costs) ÷ costs, the net gain per pound spent: above 0, benefits exceed costs. A BCR of 1.5 is an ROI of 0.5."),
            .paragraph("The switching value is the share of the estimated saving that must materialise for the net present value to be zero: at 40%, the case holds as long as at least 40% of the saving is real; above 100%, not even the whole saving pays for the programme. "
                       + (comparisonGroup ? "The probability that NPV > 0 is the share of the bootstrap's resampled differences in differences under which the programme pays for itself."
                                          : "The probability that NPV > 0 needs a comparison group (its bootstrap), so it is not given here.")),
            .paragraph("The saving counts only what is priced in both windows; before unpriced and after unpriced count the events with no price."),
            .record(appraisal),
        ]
    }

    /// Where the figures come from.
    private func provenance() -> Provenance {
        var provenance = studyProvenance
        provenance.add("report", person.map { "one person: \($0)" } ?? "the cohort: every person with an intervention")
        provenance.add("appraisal", "Green Book: " + assumptions.description + "; the same options give the same figures in cof export --table appraisal")
        let disclosure: String
        if person != nil {
            disclosure = "none: a single person's case file, not for release"
        } else if !self.disclosure.rule.isSuppressing {
            disclosure = "none: UNSUPPRESSED (--disclosure none), not for release"
        } else {
            disclosure = self.disclosure.ruleDescription + "; people pseudonymised"
        }
        provenance.add("disclosure control", disclosure)
        return provenance
    }

    /// Where the windows fall, as a sentence.
    private func windowsSentence(_ report: ConsumptionReport, study: Setting) -> String {
        let windows = study.windows
        guard let index = report.indexDate else { return "" }
        if person == nil {
            return "Each person's before window is the \(windows.before) before their index date, the after window the \(windows.after) from it; costs are per person-year of the whole cohort's exposure."
        }
        let bounds = windows.bounds(index: index)
        let beforeStart = CivilDate(daysSinceEpoch: bounds.beforeStart), afterLast = CivilDate(daysSinceEpoch: bounds.afterEnd - 1)
        return "Index date \(index); before: \(beforeStart) to \(index.addingDays(-1)) (\(report.beforeDays) days); after: \(index) to \(afterLast) (\(report.afterDays) days). Costs are a year of exposure."
    }

    /// The stacked quarterly chart of a timeline table, with the index date's quarter marked.
    private func timelineChart(_ table: ResultTable, indexDate: CivilDate?, marker: String) -> TimelineChart? {
        guard case .text(let labels)? = table.column("quarter")?.values, !labels.isEmpty else { return nil }
        let series = table.columns.filter { $0.name != "quarter" && $0.name != "total" }
        var next = 0
        let colours = series.map { column -> String in
            if column.name == ServiceCatalog.interventionCategory { return "#000000" }
            defer { next += 1 }
            return ChartPalette.colour(next)
        }
        // A year's tick every so many years, so that labels never overlap.
        let yearStep = max(1, Int((Double(labels.count) / 4 * 36 / 750).rounded(.up)))
        let periods = labels.map { label -> TimelineChart.Period in
            let year = Int(label.prefix(4)) ?? 0
            return .init(label: label, tick: label.hasSuffix("Q1") && year % yearStep == 0 ? String(year) : nil)
        }
        let values = series.map { $0.chartValues ?? [] }
        let indexQuarter = indexDate.flatMap { labels.firstIndex(of: QuarterlyTimeline.Quarter(containing: $0).description) }
        return TimelineChart(id: "timeline", title: table.title, periods: periods, seriesNames: series.map(\.name), colours: colours,
                             values: labels.indices.map { row in values.map { $0[row] } },
                             marker: indexQuarter.map { (period: $0, label: "index date") }, suppressedMarker: marker)
    }

    /// The trajectory's mean cost per month as a line, when any month has a figure.
    private func trajectoryChart(_ table: ResultTable, title: String, marker: String) -> LineChart? {
        guard case .integer(let months)? = table.column("month")?.values, let means = table.column("mean_cost_per_person")?.chartValues,
              means.contains(where: { $0.number != nil }) else { return nil }
        let points = zip(months, means).map { month, value in
            LineChart.Point(x: Int(month), label: "month \(month > 0 ? "+" : "")\(month)", value: value)
        }
        return LineChart(id: "trajectory", title: title, points: points, unit: .pence, marker: (x: 0, label: "index date"), suppressedMarker: marker)
    }

    /// Cell `name` of a one-row table as a per cent figure (`42.5%`); the marker when
    /// suppressed, `–` when missing.
    private func percentFigure(_ table: ResultTable, _ name: String) -> String {
        guard table.column(name)?.state(0) == .value else { return figure(table, name) }
        return figure(table, name) + "%"
    }

    /// Bar-chart rows: the `label` column's names, with the `values` columns' cells.
    private static func rows(_ table: ResultTable, label: String, values: [String]) -> [BarChart.Row] {
        guard case .text(let labels)? = table.column(label)?.values else { return [] }
        let columns = values.map { table.column($0)?.chartValues ?? Array(repeating: .missing, count: labels.count) }
        return labels.indices.map { row in BarChart.Row(label: labels[row], values: columns.map { $0[row] }) }
    }

    /// Cell `name` of a one-row table for the headline: money in whole pounds, `signed` with a
    /// `+` when above zero; the marker when suppressed, `–` when missing.
    private func figure(_ table: ResultTable, _ name: String, signed: Bool = false) -> String {
        guard let column = table.column(name) else { return "–" }
        guard column.state(0) == .value else { return TerminalTableRenderer(suppressedMarker: disclosure.suppressedMarker).cell(column, 0) }
        let plus: Bool
        let text: String
        switch column.values {
        case .money(let values):
            (plus, text) = (values[0] > 0, MoneyFormat.wholePounds(values[0]))
        case .rate(let values, let decimals):
            (plus, text) = (values[0] > 0, MoneyFormat.decimal(values[0], decimals: decimals))
        default:
            (plus, text) = (false, TerminalTableRenderer().cell(column, 0))
        }
        return (signed && plus ? "+" : "") + text
    }
}
