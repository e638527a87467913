import CostOfFailure

extension DataQualityRenderer {
    /// The name of the report's table of each source's people and its coverage of the cohort.
    public static let sourcePeopleTable = "source_people"
    /// The name of the report's one-row table of people counted across the sources.
    public static let acrossSourcesTable = "people_across_sources"

    /// Every count of people the report states, as tables for disclosure control, with the sums
    /// that tie them, so that no withheld or rounded count comes back exactly from the others:
    /// - each source's people, cohort people covered, the cohort and people outside it (a
    ///   source's people are its covered people and those outside: a linked total);
    /// - across the sources, the cohort's people without events and, with several sources, the
    ///   people without an intervention (people outside the cohort in any source). With one
    ///   source these are tied to its row: the cohort is its covered people and those without
    ///   events (a linked total), and the people without an intervention are its people outside
    ///   the cohort, shown from that one cell rather than published twice. With several, each
    ///   is withheld whenever a source's count it spans is (a union bounds its parts).
    ///
    /// Without interventions the only count is each source's people.
    public static func peopleTables(_ report: DataQualityReport) -> LinkedTables {
        func count(_ name: String, _ values: [Int64]) -> ResultColumn {
            ResultColumn(name, .integer(values)).resting(on: DisclosureBasis(role: .count, people: values))
        }
        func cell(_ table: String, _ column: String, _ row: Int) -> CellReference { CellReference(table: table, column: column, row: row) }
        var columns = [ResultColumn("source", .text(report.sources.map(\.file))).asLabel(),
                       count("people", report.sources.map { Int64($0.people) })]
        var tables: [ResultTable] = [], totals: [LinkedTotal] = [], mirrors: [(source: CellReference, mirror: CellReference)] = []
        if report.hasInterventions && report.coverage.count == report.sources.count {
            columns.append(count("cohort_people_covered", report.coverage.map { Int64($0.cohortPeople) }))
            columns.append(count("cohort_people", report.coverage.map { Int64($0.cohortSize) }))
            columns.append(count("people_outside_cohort", report.coverage.map { Int64($0.peopleOutsideCohort) }))
            totals = report.sources.indices.map { row in
                LinkedTotal(total: cell(sourcePeopleTable, "people", row),
                            parts: [cell(sourcePeopleTable, "cohort_people_covered", row), cell(sourcePeopleTable, "people_outside_cohort", row)])
            }
            var across = [count("interventions_without_events", [Int64(report.interventionsWithoutEvents)])]
            if report.sources.count == 1 {
                totals.append(LinkedTotal(total: cell(sourcePeopleTable, "cohort_people", 0),
                                          parts: [cell(sourcePeopleTable, "cohort_people_covered", 0),
                                                  cell(acrossSourcesTable, "interventions_without_events", 0)]))
            } else {
                across.append(count("people_without_intervention", [Int64(report.peopleWithoutIntervention)]))
                // Across several sources the counts are unions, not sums, but still bounds on
                // each source's: when sources are known to be apart, the people without an
                // intervention less the other sources' people outside give a withheld one back.
                // So each is withheld whenever any source's count it spans is.
                for row in report.sources.indices {
                    mirrors.append((cell(sourcePeopleTable, "people_outside_cohort", row), cell(acrossSourcesTable, "people_without_intervention", 0)))
                    mirrors.append((cell(sourcePeopleTable, "cohort_people_covered", row), cell(acrossSourcesTable, "interventions_without_events", 0)))
                }
            }
            tables.append(ResultTable(name: acrossSourcesTable, title: "People counted across the event sources", columns: across))
        }
        tables.insert(ResultTable(name: sourcePeopleTable, title: "Each event source's people and its coverage of the cohort", columns: columns), at: 0)
        return LinkedTables(tables: tables, linkedTotals: totals, mirrors: mirrors)
    }

    /// The counts of people as published: from `people` (``peopleTables(_:)`` after disclosure
    /// control, for a file or a pipe), or exact when `nil`.
    struct PeopleCells {
        let tables: LinkedTables
        let marker: String
        let sources: Int

        /// The cell of `column` in `table`'s row `row`: its value, the marker, or `nil` when missing.
        func cell(_ table: String, _ column: String, _ row: Int = 0) -> String? {
            guard let column = tables.table(table)?.column(column), case .integer(let values) = column.values, row < values.count else { return nil }
            switch column.state(row) {
            case .value: return String(values[row])
            case .missing: return nil
            case .suppressed: return marker
            }
        }

        /// Source `row`'s people.
        func people(_ row: Int) -> String? { cell(sourcePeopleTable, "people", row) }
        /// Source `row`'s coverage of the cohort.
        func coverage(_ row: Int) -> (covered: String?, cohort: String?, outside: String?) {
            (cell(sourcePeopleTable, "cohort_people_covered", row), cell(sourcePeopleTable, "cohort_people", row),
             cell(sourcePeopleTable, "people_outside_cohort", row))
        }
        /// People with events but no intervention (with one source, its people outside the cohort).
        var withoutIntervention: String? {
            sources == 1 ? cell(sourcePeopleTable, "people_outside_cohort") : cell(acrossSourcesTable, "people_without_intervention")
        }
        /// The cohort's people with no events.
        var withoutEvents: String? { cell(acrossSourcesTable, "interventions_without_events") }
    }
}
