import CostOfFailure

/// Renders a ``DataQualityReport`` as text for a person or as JSON for a pipeline. Counts and
/// positions only: no person ID or cell value. In the text, names from the data (files,
/// services, events, header cells in messages) go through ``VisibleText/terminal(_:)``; the JSON
/// escapes them as JSON does.
public struct DataQualityRenderer: Sendable {
    /// What a withheld count shows.
    public var suppressedMarker: String

    /// Creates a renderer.
    public init(suppressedMarker: String = "[c]") {
        self.suppressedMarker = suppressedMarker
    }

    /// The report's counts of people as published: from `people` (``peopleTables(_:)`` after
    /// disclosure control) or exact.
    private func peopleCells(_ report: DataQualityReport, _ people: LinkedTables?) -> PeopleCells {
        PeopleCells(tables: people ?? Self.peopleTables(report), marker: suppressedMarker, sources: report.sources.count)
    }

    /// The report as text; `people` are its counts of people as they may be published
    /// (``peopleTables(_:)`` after disclosure control), exact when `nil`; a line wider than
    /// `width` columns (when given: a terminal's) wraps at its spaces under its indent.
    public func text(_ report: DataQualityReport, people: LinkedTables? = nil, width: Int? = nil) -> String {
        let out = unwrappedText(report, people: people)
        return width.map { DisplayWidth.wrapped(out, fitting: max($0, TerminalTableRenderer.narrowestWidth)) } ?? out
    }

    private func unwrappedText(_ report: DataQualityReport, people: LinkedTables?) -> String {
        var out = ""
        let cells = peopleCells(report, people)
        for (index, source) in report.sources.enumerated() {
            let r = source.reconciliation
            out += "\(VisibleText.terminal(source.file))\n"
            out += "  \(r.equation)\n"
            out += "  people: \(cells.people(index).map { Int64($0).map(MoneyFormat.count) ?? $0 } ?? "-")"
            if let first = source.firstDay, let last = source.lastDay { out += "; dates \(first) to \(last)" }
            out += "\n"
            if index < report.coverage.count {
                let c = cells.coverage(index)
                out += "  cohort coverage: \(c.covered ?? "-") of the cohort's \(c.cohort ?? "-") people; \(c.outside ?? "-") people outside the cohort\n"
            }
            if !source.rowsByServiceEvent.isEmpty {
                out += "  rows by service and event:\n"
                for pair in source.rowsByServiceEvent {
                    out += "    \(VisibleText.terminal(pair.service)) / \(VisibleText.terminal(pair.event)): \(MoneyFormat.count(Int64(pair.rows)))\n"
                }
            }
            if report.hasUnitCosts {
                out += source.unpriced.isEmpty ? "  unpriced: none\n" : "  unpriced (no explicit cost, no unit cost):\n"
                for pair in source.unpriced {
                    out += "    \(VisibleText.terminal(pair.service)) / \(VisibleText.terminal(pair.event)): \(MoneyFormat.count(Int64(pair.rows)))\n"
                }
            }
            out += "  duplicate rows (same person, service, event, date, quantity, cost): \(source.duplicateRows)\n"
            if let end = report.observationEnd {
                out += "  rows after the observation end (\(end)): \(source.rowsAfterObservationEnd)\n"
            }
            if source.errors.isEmpty {
                out += "  errors: none\n"
            } else {
                out += "  errors:\n"
                for error in source.errors {
                    out += "    \(error.kind.rawValue): \(error.count)\n"
                    for example in error.first {
                        out += "      \(VisibleText.terminal(example.description))\n"
                    }
                }
            }
            out += "\n"
        }
        if report.hasInterventions {
            out += "people with events but no intervention (left out of comparisons): \(cells.withoutIntervention ?? "-")\n"
            out += "people with an intervention but no events: \(cells.withoutEvents ?? "-")\n"
            for warning in report.coverage.compactMap(\.warning) { out += "warning: \(VisibleText.terminal(warning))\n" }
        }
        out += report.isClean ? "clean: every row loaded\n" : "not clean: \(report.sources.reduce(0) { $0 + $1.reconciliation.rejected }) rows rejected\n"
        return out
    }

    /// The report as JSON; `people` as for ``text(_:people:width:)`` (a withheld count is the
    /// marker, as a string).
    public func json(_ report: DataQualityReport, people: LinkedTables? = nil) -> String {
        let cells = peopleCells(report, people)
        func number(_ cell: String?) -> String {
            guard let cell else { return "null" }
            return Int64(cell) != nil ? cell : JSONRenderer.string(cell)
        }
        func string(_ text: String) -> String { JSONRenderer.string(text) }
        func pairs(_ list: [(service: String, event: String, rows: Int)]) -> String {
            "[" + list.map { "{\"service\": \(string($0.service)), \"event\": \(string($0.event)), \"rows\": \($0.rows)}" }.joined(separator: ", ") + "]"
        }
        var sources: [String] = []
        for (index, source) in report.sources.enumerated() {
            let r = source.reconciliation
            var fields = [
                "\"file\": \(string(source.file))",
                "\"read\": \(r.read)", "\"loaded\": \(r.loaded)", "\"rejected\": \(r.rejected)", "\"blank\": \(r.blank)",
                "\"people\": \(number(cells.people(index)))",
                "\"first_date\": \(source.firstDay.map { string($0.description) } ?? "null")",
                "\"last_date\": \(source.lastDay.map { string($0.description) } ?? "null")",
                "\"rows_by_service_event\": \(pairs(source.rowsByServiceEvent))",
                "\"unpriced\": \(report.hasUnitCosts ? pairs(source.unpriced) : "null")",
                "\"duplicate_rows\": \(source.duplicateRows)",
                "\"rows_after_observation_end\": \(report.observationEnd == nil ? "null" : String(source.rowsAfterObservationEnd))",
            ]
            let errors = source.errors.map { error in
                let first = error.first.map { e in
                    "{\"line\": \(e.line.map(String.init) ?? "null"), \"record\": \(e.record.map(String.init) ?? "null"), "
                        + "\"column\": \(e.column.map(string) ?? "null"), \"message\": \(string(e.detail))}"
                }
                return "{\"kind\": \(string(error.kind.rawValue)), \"count\": \(error.count), \"first\": [\(first.joined(separator: ", "))]}"
            }
            fields.append("\"errors\": [\(errors.joined(separator: ", "))]")
            if index < report.coverage.count {
                let c = cells.coverage(index), coverage = report.coverage[index]
                fields.append("\"coverage\": {\"cohort_people_covered\": \(number(c.covered)), \"cohort_people\": \(number(c.cohort)), "
                    + "\"people_outside_cohort\": \(number(c.outside)), \"covers_too_little\": \(coverage.coversTooLittle)}")
            }
            sources.append("    {" + fields.joined(separator: ", ") + "}")
        }
        var out = "{\n  \"clean\": \(report.isClean),\n"
        if report.hasInterventions {
            out += "  \"people_without_intervention\": \(number(cells.withoutIntervention)),\n"
            out += "  \"interventions_without_events\": \(number(cells.withoutEvents)),\n"
            let warnings = report.coverage.compactMap(\.warning).map(string)
            out += "  \"coverage_minimum_share\": \(SourceCoverage.minimumCohortShare),\n"
            out += "  \"warnings\": [\(warnings.joined(separator: ", "))],\n"
        }
        out += "  \"sources\": [\n" + sources.joined(separator: ",\n") + "\n  ]\n}\n"
        return out
    }
}
