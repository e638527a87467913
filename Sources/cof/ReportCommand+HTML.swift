import CostOfFailure
import CostOfFailureReports

/// `cof report --html`: which analysis feeds which part of the HTML report.
extension ReportCommand {
    /// The HTML report of `report`'s subject. A cohort's tables go through disclosure control
    /// (small numbers suppressed unless `--no-suppression`, people pseudonymised), and its charts
    /// are drawn from the suppressed tables; a person's report is the analyst's own case file:
    /// exact figures and the ID as given, with a banner saying it is not for release.
    func htmlReport(study: Study, comparisonGroup: ComparisonGroup?, report: ConsumptionReport, inputs: StudyInputs) throws -> HTMLReport {
        let cohort = person == nil
        let marker = disclosure.suppressionMarker
        let tables = try reportTables(study: study, comparisonGroup: comparisonGroup, report: report, protected: cohort).tables
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
        items.append(("net present value over \(self.appraisal.years) year(s) (Green Book appraisal)", figure(appraisal, "net_present_value", signed: true)))
        items.append(("benefit–cost ratio / return on investment", "\(figure(appraisal, "benefit_cost_ratio")) / \(figure(appraisal, "return_on_investment", signed: true))"))

        // The body.
        var sections: [HTMLReport.Section] = []
        let chart = BarChart(id: "before-after", title: "Cost \(per) before and after the index date, by service",
                             seriesNames: ["before", "after"], colours: [ChartPalette.before, ChartPalette.after], unit: .pence,
                             rows: chartRows,
                             suppressedMarker: marker).sortedByChange()
        sections.append(.init(id: "before-after", title: "Before and after, by service", blocks: [
            .paragraph(windowsSentence(report, study: study) + " The intervention's own services are left out: they are the response, not the failure."),
            .figure(svg: chart.render(), caption: "Cost \(per) before (vermillion) and after (blue) the index date, by service, sorted by the change: the largest fall first."),
            .table(byService),
        ]))

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
        sections.append(.init(id: "figures", title: "The headline's figures and the appraisal", blocks: [
            .record(headline),
            .record(appraisal),
        ]))

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
        sections.append(.init(id: "checks", title: "Checks", blocks: checks))

        let caveats = [
            "A before/after change is not an effect. Without a comparison group nothing shows what would have happened without the intervention (cof export --table did gives the difference in differences when there is one).",
            "Regression to the mean: people are often recruited at a crisis peak, and their use tends to fall back whatever is done. Baseline check: \(baselineSentence).",
            "Events with no explicit cost and no unit cost are counted but are in no cost above (see Checks).",
            "Unit costs are national averages of operating cost: avoided activity saves cash only where capacity is actually removed (the appraisal separates cashable savings where the unit costs say which).",
        ]

        return HTMLReport(
            title: person.map { "Cost of failure: \($0)" } ?? "Cost of failure: the cohort",
            subtitle: ["Money in \(study.pricesDescription).", "Before window \(study.windows.before), after window \(study.windows.after)" + (study.windows.observationEnd.map { ", data to \($0)." } ?? ".")],
            banners: banners, headline: items, sections: sections, caveats: caveats,
            provenance: provenance(study: study, inputs: inputs), suppressedMarker: marker)
    }

    /// Where the figures come from.
    private func provenance(study: Study, inputs: StudyInputs) -> Provenance {
        var provenance = Provenance.of(study, inputs: inputs)
        provenance.add("report", person.map { "one person: \($0)" } ?? "the cohort: every person with an intervention")
        provenance.add("appraisal", "Green Book: " + self.appraisal.assumptions.description + "; the same options give the same figures in cof export --table appraisal")
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
    private func windowsSentence(_ report: ConsumptionReport, study: Study) -> String {
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
        guard column.state(0) == .value else { return TerminalTableRenderer(suppressedMarker: disclosure.suppressionMarker).cell(column, 0) }
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
