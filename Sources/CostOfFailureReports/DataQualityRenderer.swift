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

    /// Each source's coverage counts as published: from `coverage` (``SourceCoverage/resultTable(_:)``
    /// after disclosure control, for a file or a pipe) or exact; by source position.
    private func coverageCells(_ report: DataQualityReport, _ coverage: ResultTable?) -> [(covered: String?, cohort: String?, outside: String?)] {
        let table = coverage ?? SourceCoverage.resultTable(report.coverage)
        func cell(_ name: String, _ row: Int) -> String? {
            guard let column = table.columns.first(where: { $0.name == name }), case .integer(let values) = column.values else { return nil }
            switch column.state(row) {
            case .value: return String(values[row])
            case .missing: return nil
            case .suppressed: return suppressedMarker
            }
        }
        return (0..<table.rowCount).map { (cell("cohort_people_covered", $0), cell("cohort_people", $0), cell("people_outside_cohort", $0)) }
    }

    /// The report as text; `coverage` is the coverage table as it may be published (see
    /// ``SourceCoverage/resultTable(_:)``), exact when `nil`; a line wider than `width` columns
    /// (when given: a terminal's) wraps at its spaces under its indent.
    public func text(_ report: DataQualityReport, coverage: ResultTable? = nil, width: Int? = nil) -> String {
        let out = unwrappedText(report, coverage: coverage)
        return width.map { DisplayWidth.wrapped(out, fitting: max($0, TerminalTableRenderer.narrowestWidth)) } ?? out
    }

    private func unwrappedText(_ report: DataQualityReport, coverage: ResultTable?) -> String {
        var out = ""
        let cells = report.coverage.isEmpty ? [] : coverageCells(report, coverage)
        for (index, source) in report.sources.enumerated() {
            let r = source.reconciliation
            out += "\(VisibleText.terminal(source.file))\n"
            out += "  \(r.equation)\n"
            out += "  people: \(MoneyFormat.count(Int64(source.people)))"
            if let first = source.firstDay, let last = source.lastDay { out += "; dates \(first) to \(last)" }
            out += "\n"
            if index < cells.count {
                let c = cells[index]
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
            out += "people with events but no intervention (left out of comparisons): \(report.peopleWithoutIntervention)\n"
            out += "people with an intervention but no events: \(report.interventionsWithoutEvents)\n"
            for warning in report.coverage.compactMap(\.warning) { out += "warning: \(VisibleText.terminal(warning))\n" }
        }
        out += report.isClean ? "clean: every row loaded\n" : "not clean: \(report.sources.reduce(0) { $0 + $1.reconciliation.rejected }) rows rejected\n"
        return out
    }

    /// The report as JSON; `coverage` as for ``text(_:coverage:width:)`` (a withheld count is the
    /// marker, as a string).
    public func json(_ report: DataQualityReport, coverage: ResultTable? = nil) -> String {
        let cells = report.coverage.isEmpty ? [] : coverageCells(report, coverage)
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
                "\"people\": \(source.people)",
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
            if index < cells.count {
                let c = cells[index], coverage = report.coverage[index]
                fields.append("\"coverage\": {\"cohort_people_covered\": \(number(c.covered)), \"cohort_people\": \(number(c.cohort)), "
                    + "\"people_outside_cohort\": \(number(c.outside)), \"covers_too_little\": \(coverage.coversTooLittle)}")
            }
            sources.append("    {" + fields.joined(separator: ", ") + "}")
        }
        var out = "{\n  \"clean\": \(report.isClean),\n"
        if report.hasInterventions {
            out += "  \"people_without_intervention\": \(report.peopleWithoutIntervention),\n"
            out += "  \"interventions_without_events\": \(report.interventionsWithoutEvents),\n"
            let warnings = report.coverage.compactMap(\.warning).map(string)
            out += "  \"coverage_minimum_share\": \(SourceCoverage.minimumCohortShare),\n"
            out += "  \"warnings\": [\(warnings.joined(separator: ", "))],\n"
        }
        out += "  \"sources\": [\n" + sources.joined(separator: ",\n") + "\n  ]\n}\n"
        return out
    }
}
