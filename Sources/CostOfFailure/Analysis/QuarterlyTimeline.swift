/// Events per calendar quarter by service category, over one person's whole record or the
/// cohort's: the chart that shows ten years of use at a glance, and when it stopped.
///
/// Every quarter from the first event's to the last event's is listed, empty ones included, so
/// the quarters are evenly spaced. Events after the observation end are left out (as in the
/// lifetime figures). An event is one row, whatever its quantity. Categories are the services
/// file's (`Uncategorised` for a service it does not list); the intervention's own category is
/// kept, last, so the response shows beside the use it answered.
public struct QuarterlyTimeline: Sendable {
    /// One calendar quarter.
    public struct Quarter: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// The calendar year.
        public var year: Int
        /// 1 (January–March) to 4 (October–December).
        public var quarter: Int

        /// Creates a quarter.
        public init(year: Int, quarter: Int) {
            self.year = year
            self.quarter = quarter
        }

        /// The quarter holding `date`.
        public init(containing date: CivilDate) {
            let (year, month, _) = date.components
            self.init(year: year, quarter: (month - 1) / 3 + 1)
        }

        /// Its first day.
        public var start: CivilDate { CivilDate(year: year, month: quarter * 3 - 2, day: 1)! }

        /// Its first day as a day number (any year from 0 on, unchecked: the day after the last
        /// quarter of 9999 is one).
        var firstDay: Int32 { Int32(CivilDate.days(year: year, month: quarter * 3 - 2, day: 1)) }

        /// Quarters since year 0, for arithmetic.
        var ordinal: Int { year * 4 + quarter - 1 }

        init(ordinal: Int) {
            self.init(year: ordinal / 4, quarter: ordinal % 4 + 1)
        }

        /// `2012 Q1`.
        public var description: String { "\(year) Q\(quarter)" }
    }

    /// The quarters, in order, from the first event's to the last event's (none without events).
    public let quarters: [Quarter]
    /// The categories with at least one event: byte-wise by name, the intervention's last.
    public let categories: [String]
    /// Events in each quarter (outer) and category (inner, in ``categories`` order).
    public let counts: [[Int64]]
    /// By quarter, the people behind each category's count, then behind the quarter's total.
    public let people: [[Int]]
    /// Whose timeline it is: a person's ID, or `nil` for the cohort.
    public let person: String?
    /// The members' windows, when all are the same (see ``linkedTables(cohort:)``).
    public let windows: CommonWindows

    /// The timeline of `study`'s cohort (every person with an intervention), or of the person
    /// with ID `person` (whether or not they have one); the events read by the same fold as the
    /// stream's.
    public init(study: Study, person only: String? = nil) {
        if let only {
            let fold = Fold(catalog: study.services, services: study.events.services,
                            observationEnd: study.windows.observationEnd?.daysSinceEpoch ?? Int32.max)
            // One person, with an intervention or not: a cohort of one.
            var one = StringDictionary()
            _ = one.intern(only)
            let code = study.indexDate(of: only) == nil ? -1 : study.events.persons.code(of: only) ?? -1
            let windows = CohortWindows(windows: study.personWindows, code: [code],
                                        indexDates: [study.indexDate(of: only) ?? CivilDate(daysSinceEpoch: 0)])
            let events = CohortEvents(table: study.events, costs: study.costs, cohort: one).grouped()
            self.init(fold: events.fold(fold, windows: windows, workers: 1), person: only)
        } else {
            self = study.cohortAnalyses.quarterlyTimeline()
        }
    }

    /// The timeline from a finished ``Fold`` (of the cohort, or of the one person `person`).
    public init(fold: Fold, person: String?) {
        let names = fold.names
        // Categories that occur, byte-wise, the intervention's own last.
        let span = fold.quarterSpan
        let used = names.indices.filter { index in span.map { $0.contains { fold.count(quarter: $0, category: index) > 0 } } ?? false }
        let order = used.sorted { a, b in
            let (x, y) = (names[a], names[b])
            let (xLast, yLast) = (x == ServiceCatalog.interventionCategory, y == ServiceCatalog.interventionCategory)
            return xLast != yLast ? yLast : x.utf8.lexicographicallyPrecedes(y.utf8)
        }
        if let span {
            quarters = span.map(Quarter.init(ordinal:))
            counts = span.map { ordinal in order.map { fold.count(quarter: ordinal, category: $0) } }
            people = span.map { ordinal in
                order.map { fold.people(quarter: ordinal, category: $0) } + [fold.people(quarter: ordinal, category: names.count)]
            }
        } else {
            quarters = []
            counts = []
            people = []
        }
        categories = order.map { names[$0] }
        self.person = person
        windows = fold.windows
    }

    /// The table's name.
    public static let tableName = "quarterly_timeline"

    /// The timeline's table with the sums in it (each quarter's total is the sum of its
    /// categories), for disclosure control; with `cohort` (the cohort's tables published
    /// beside it), when every member's window is the same run of whole quarters
    /// (``CommonWindows``), also each category's events in that window as the sum of its
    /// quarters there, wherever the figures bear it out exactly, so that a count withheld in
    /// the cohort's by-category table is not published here.
    public func linkedTables(cohort: CohortSummary? = nil) -> LinkedTables {
        var totals = quarters.indices.map { row in
            LinkedTotal(total: CellReference(table: Self.tableName, column: "total", row: row),
                        parts: categories.map { CellReference(table: Self.tableName, column: $0, row: row) })
        }
        if let cohort, person == nil {
            for (name, span, figures) in [("before", windows.before, \CohortSummary.Group.before), ("after", windows.after, \CohortSummary.Group.after)] {
                guard let span, let ordinals = Self.quarters(span) else { continue }
                let rows = quarters.indices.filter { ordinals.contains(quarters[$0].ordinal) }
                for (row, group) in cohort.byCategory.enumerated() {
                    guard let column = categories.firstIndex(of: group.name), !rows.isEmpty,
                          rows.reduce(Int128(0), { $0 + Int128(counts[$1][column]) }) == Int128(group[keyPath: figures].events) else { continue }
                    totals.append(LinkedTotal(total: CellReference(table: CohortSummary.tableNames.byCategory, column: "\(name)_events", row: row),
                                              parts: rows.map { CellReference(table: Self.tableName, column: group.name, row: $0) }))
                }
            }
        }
        return LinkedTables(tables: [resultTable()], linkedTotals: totals)
    }

    /// The quarters (their ordinals) `span` is exactly, when it starts on a quarter's first
    /// day and ends the day before a later one's; `nil` otherwise.
    static func quarters(_ span: CommonWindows.Span) -> Range<Int>? {
        let first = Quarter(containing: CivilDate(daysSinceEpoch: span.start))
        let end = Quarter(containing: CivilDate(daysSinceEpoch: span.end))
        guard end.ordinal > first.ordinal, first.firstDay == span.start, end.firstDay == span.end else { return nil }
        return first.ordinal..<end.ordinal
    }

    /// The timeline as a table: a row per quarter, a column per category, then the total.
    public func resultTable() -> ResultTable {
        var columns = [ResultColumn("quarter", .text(quarters.map(\.description)))]
        for (index, category) in categories.enumerated() {
            columns.append(ResultColumn(category, .integer(counts.map { $0[index] }))
                .resting(on: DisclosureBasis(role: .count, people: people.map { Int64($0[index]) }, measure: "events")))
        }
        columns.append(ResultColumn("total", .integer(counts.map { $0.reduce(0, +) }))
            .resting(on: DisclosureBasis(role: .count, people: people.map { Int64($0[categories.count]) }, measure: "events")))
        let whose = person.map { "of \($0)" } ?? "of the cohort"
        return ResultTable(name: Self.tableName, title: "Events per calendar quarter by category, \(whose)", columns: columns)
    }
}
