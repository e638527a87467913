import CostOfFailure

/// Tells a ``ConsumptionReport`` as text for a terminal: a headline, lifetime use, each service
/// before and after with rates per year, the intervention's spend beside the change, and the
/// caveat that a before/after change is not an effect. Names from the data (the person's ID,
/// services, events, categories) go through ``VisibleText/terminal(_:)``, as the tables do.
public struct ConsumptionReportRenderer: Sendable {
    /// The screen's width in columns, which the report's tables (see
    /// ``TerminalTableRenderer/width``) and sentences (wrapped at spaces) fit; `nil`: no limit.
    /// The tables are indented, so the report is laid out for at least 22 columns.
    public var width: Int?

    /// Creates a renderer.
    public init(width: Int? = nil) {
        self.width = width
    }

    /// The report as text.
    public func render(_ report: ConsumptionReport) -> String {
        // The tables are indented by two spaces.
        let tables = TerminalTableRenderer(width: width.map { $0 - 2 })
        let windows = report.windows
        let total = report.consumption
        var out = ""
        switch report.subject {
        case .person(let id): out += "Cost of failure: \(shown(id))\n"
        case .cohort:
            let people = report.people == 1 ? "1 person" : "\(MoneyFormat.count(Int64(report.people))) people"
            out += "Cost of failure: cohort of \(people) with an intervention\n"
        }
        out += String(repeating: "=", count: min(60, width ?? 60)) + "\n"
        out += "Money in \(shown(report.prices)).\n\n"
        out += headline(report)

        // Lifetime.
        if let first = report.firstEventDay, let last = report.lastEventDay {
            let end = windows.observationEnd ?? last
            let years = Double(Int(end.daysSinceEpoch) - Int(first.daysSinceEpoch) + 1) / 365.25
            let serviceCount = report.services.filter { $0.lifetime.events > 0 }.count
            out += "Lifetime (\(first) to \(end), \(MoneyFormat.decimal(years, decimals: 1)) years observed)\n"
            out += "  \(MoneyFormat.count(total.lifetime.events)) interactions with \(serviceCount) services, costing \(MoneyFormat.wholePounds(total.lifetime.cost))"
            out += total.lifetime.unpriced > 0 ? " (\(MoneyFormat.count(total.lifetime.unpriced)) unpriced)\n" : "\n"
            for entry in report.lifetimeByCategory {
                out += "  - \(shown(entry.category)): \(MoneyFormat.count(entry.figures.events)) interactions with \(plural(entry.services, "service")), \(MoneyFormat.wholePounds(entry.figures.cost))\n"
            }
            out += "\n" + indent(tables.render(report.lifetimeTable())) + "\n"
        }

        // Before and after.
        if let index = report.indexDate {
            let bounds = windows.bounds(index: index)
            let beforeStart = CivilDate(daysSinceEpoch: bounds.beforeStart)
            let afterLast = CivilDate(daysSinceEpoch: bounds.afterEnd - 1)
            let cut = windows.observationEnd.map { windows.after.added(to: index) > $0.addingDays(1) } ?? false
            out += "Before and after the index date\n"
            if case .person = report.subject {
                out += "  index date \(index); before \(windows.before): \(beforeStart) to \(index.addingDays(-1)) (\(report.beforeDays) days); "
                out += "after \(windows.after): \(index) to \(afterLast) (\(report.afterDays) days\(cut ? ", cut at the observation end" : ""))\n"
            } else {
                out += "  before \(windows.before), after \(windows.after) of each person's index date; exposure \(MoneyFormat.decimal(Double(report.beforeDays) / 365, decimals: 1)) person-years before, \(MoneyFormat.decimal(Double(report.afterDays) / 365, decimals: 1)) after\n"
            }
            out += "\n" + indent(tables.render(report.beforeAfterTable())) + "\n"

            let beforeRate = report.beforeCostPerYear, afterRate = report.afterCostPerYear
            let priced = report.pricedConsumption
            out += "Consumption (failure demand)\(priced.leftOutCells > 0 ? ", of the services priced in both windows" : "")\n"
            if priced.hasNoPricedCell {
                out += "  before: not available\n  after:  not available\n"
            } else {
                out += "  before: \(MoneyFormat.wholePounds(priced.before.cost)) in \(report.beforeDays) days\(perYear(beforeRate))\n"
                out += "  after:  \(MoneyFormat.wholePounds(priced.after.cost)) in \(report.afterDays) days\(perYear(afterRate))\n"
            }
            if let beforeRate, let change = report.changeCostPerYear {
                let percent = beforeRate != 0 ? " (\(MoneyFormat.decimal(Double(change) * 100 / Double(beforeRate), decimals: 0))%)" : ""
                out += "  change: \(signed(change)) a year\(percent)\n"
            }
            if priced.leftOutCells > 0 {
                out += "  left out: \(MoneyFormat.count(priced.leftOutEvents)) \(priced.leftOutEvents == 1 ? "event" : "events") of \(plural(report.leftOutPeople, "person", "people")) in services with unpriced events in a window (no cost there, so no saving counted)\n"
            }

            out += "\nThe response (the intervention's own spend)\n"
            if report.response.isEmpty && report.recordedInterventionCost == 0 {
                out += "  no intervention spend recorded (no services of category Intervention, no cost in the interventions file)\n"
            } else {
                for line in report.response {
                    out += "  \(shown(line.service)): \(MoneyFormat.count(line.after.events)) events costing \(MoneyFormat.wholePounds(line.after.cost)) since the index date\n"
                }
                if report.recordedInterventionCost != 0 {
                    out += "  recorded in the interventions file: \(MoneyFormat.wholePounds(report.recordedInterventionCost))\n"
                }
                let spend = report.interventionSpend
                let spendRate = report.interventionSpendPerYear
                out += "  total: \(MoneyFormat.wholePounds(spend))\(perYear(spendRate))\n"
                if let net = report.netCostPerYear {
                    out += "  net of the intervention: \(signed(net)) a year (consumption change plus intervention spend)\n"
                }
                if report.response.contains(where: { $0.before.events > 0 }) {
                    out += "\n" + indent(tables.render(report.responseTable()))
                }
            }
        }

        if !report.unpriced.isEmpty {
            out += "\nUnpriced events (no explicit cost and no unit cost; not in any cost above)\n"
            for pair in report.unpriced {
                out += "  \(shown(pair.service)) / \(shown(pair.event)): \(MoneyFormat.count(Int64(pair.events)))\n"
            }
        }
        out += "\nCaveat: a before/after change is not an effect. People are often recruited at a crisis peak, and use tends to fall back anyway (regression to the mean); only a comparison group shows what would have happened without the intervention.\n"
        out += "Baseline check: \(shown(report.regressionToTheMean)).\n"
        return width.map { DisplayWidth.wrapped(out, fitting: max($0, TerminalTableRenderer.narrowestWidth + 2)) } ?? out
    }

    /// Three lines a reader of the case study would recognise: the lifetime, the biggest falls
    /// in events, and consumption against the intervention's spend.
    private func headline(_ report: ConsumptionReport) -> String {
        let total = report.consumption
        var out = "Headline\n"
        if let first = report.firstEventDay, let last = report.lastEventDay {
            let end = report.windows.observationEnd ?? last
            let years = Double(Int(end.daysSinceEpoch) - Int(first.daysSinceEpoch) + 1) / 365.25
            let used = report.services.filter { $0.lifetime.events > 0 }.count
            out += "  \(MoneyFormat.count(total.lifetime.events)) interactions with \(plural(used, "service")) over \(MoneyFormat.decimal(years, decimals: 1)) years, costing \(MoneyFormat.wholePounds(total.lifetime.cost))\n"
        }
        guard report.indexDate != nil else { return out + "\n" }
        let falls = report.services
            .filter { $0.before.events > 0 }
            .sorted { ($0.before.events - $0.after.events, $1.service) > ($1.before.events - $1.after.events, $0.service) }
            .prefix(3)
            .map { "\(shown($0.service)) \(MoneyFormat.count($0.before.events)) → \(MoneyFormat.count($0.after.events))" }
        if !falls.isEmpty {
            let span: String
            if case .person = report.subject {
                span = "the \(report.beforeDays) days before → the \(report.afterDays) days after"
            } else {
                let years = { (days: Int) in MoneyFormat.decimal(Double(days) / 365, decimals: 1) }
                span = "the before windows (\(years(report.beforeDays)) person-years) → the after windows (\(years(report.afterDays)) person-years)"
            }
            out += "  events in \(span): \(falls.joined(separator: ", "))\n"
        }
        if let before = report.beforeCostPerYear, let after = report.afterCostPerYear {
            let unit: String
            if case .person = report.subject { unit = "a year" } else { unit = "a person-year" }
            out += "  consumption \(MoneyFormat.wholePounds(before)) \(unit) before → \(MoneyFormat.wholePounds(after)) \(unit) after"
            let leftOut = report.pricedConsumption.leftOutEvents
            if leftOut > 0 { out += " (priced in both windows; \(MoneyFormat.count(leftOut)) \(leftOut == 1 ? "event" : "events") with unpriced ones beside them left out)" }
            let spend = report.interventionSpend
            out += spend != 0 ? "; the intervention spent \(MoneyFormat.wholePounds(spend))\n" : "\n"
        }
        return out + "\n"
    }

    /// A name from the data as the terminal may show it.
    private func shown(_ text: String) -> String {
        VisibleText.terminal(text)
    }

    private func plural(_ count: Int, _ noun: String, _ nouns: String? = nil) -> String {
        "\(MoneyFormat.count(Int64(count))) \(count == 1 ? noun : nouns ?? noun + "s")"
    }

    private func perYear(_ pence: Pence?) -> String {
        pence.map { ", \(MoneyFormat.wholePounds($0)) a year" } ?? ""
    }

    private func signed(_ pence: Pence) -> String {
        pence > 0 ? "+" + MoneyFormat.wholePounds(pence) : MoneyFormat.wholePounds(pence)
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }
}
