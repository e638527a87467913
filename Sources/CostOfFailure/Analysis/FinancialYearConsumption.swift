/// The cohort's consumption by UK financial year (April–March) × agency × value type, for the
/// finance export, with the intervention's own cost per financial year beside it.
///
/// Every event of every treated person counts, whatever its date (not only the windows), in the
/// study's prices. An event's agency and value type are those of the unit cost that prices its
/// (service, event) — exact, else the service's `*` — when that unit cost says; otherwise the
/// agency is the service's (from the services file) and the value type `unstated`. The
/// intervention's own services (category `Intervention`) are not consumption: they are counted
/// per financial year apart, beside the costs recorded in the interventions file (by the
/// financial year of the intervention's start).
public struct FinancialYearConsumption: Sendable {
    /// One (financial year, agency, value type) cell.
    public struct Line: Sendable, Equatable {
        /// The financial year.
        public var year: FinancialYear
        /// Who bears the cost.
        public var agency: String
        /// `fiscal`, `economic`, `social` or `unstated`.
        public var valueType: String
        /// Events.
        public var events: Int64
        /// Their cost (priced events only).
        public var cost: Pence
        /// Events with no price.
        public var unpriced: Int64
        /// People with an event in the cell.
        public var people: Int = 0
        /// People with a priced event in the cell (what its cost rests on).
        public var pricedPeople: Int = 0
        /// The largest cost one person has in the cell.
        public var largestCost: Pence = 0
    }

    /// The intervention's cost in one financial year.
    public struct InterventionLine: Sendable, Equatable {
        /// The financial year.
        public var year: FinancialYear
        /// Events of the intervention's own services.
        public var events: Int64
        /// Their cost.
        public var cost: Pence
        /// Costs recorded in the interventions file for interventions starting in the year.
        public var recorded: Pence
        /// Events of the intervention's services with no price (not in ``cost``).
        public var unpriced: Int64 = 0
        /// People with an intervention event, or an intervention starting, in the year.
        public var people: Int = 0
        /// The largest cost (events and recorded) one person has in the year.
        public var largestCost: Pence = 0
    }

    /// Consumption cells, by year, then agency, then value type (byte order).
    public let lines: [Line]
    /// The intervention's cost by year.
    public let intervention: [InterventionLine]
    /// What prices the money is in.
    public let prices: String
    /// The members' windows, when all are the same (see ``linkedTables(cohort:)``).
    public let windows: CommonWindows
    /// The members' window days by financial year (see ``linkedTables(cohort:)``).
    public let overlap: FinancialYearOverlap
    /// How close a run of financial years must stand to a window (the days one counts and the
    /// other does not, as a share of the window's days; ``FinancialYearOverlap/closeYears(tolerance:)``)
    /// for their cells and the window's figures to be published under each other's protection:
    /// within a third, the cells are within about a third of the window's figure when costs fall
    /// evenly, near the 25% a withheld sum must stay wide.
    public static let closeness = 1.0 / 3.0

    /// The figures of `study`'s cohort (its events read by the same fold as the stream's).
    public init(study: Study) {
        self = study.cohortAnalyses.financialYearConsumption
    }

    /// The tables from a finished ``Fold``, lines in year, agency, value type order.
    public init(fold: Fold) {
        lines = fold.cells.map { key, cell in
            let label = fold.labels[Int(key & 0xFFFF_FFFF)]
            return Line(year: FinancialYear(startYear: Int(key >> 32)), agency: label.agency, valueType: label.valueType,
                        events: cell.events, cost: cell.cost, unpriced: cell.unpriced, people: cell.people,
                        pricedPeople: cell.pricedPeople, largestCost: cell.largest ?? 0)
        }.sorted { a, b in
            if a.year != b.year { return a.year < b.year }
            if a.agency != b.agency { return a.agency.utf8.lexicographicallyPrecedes(b.agency.utf8) }
            return a.valueType.utf8.lexicographicallyPrecedes(b.valueType.utf8)
        }
        intervention = fold.spend.map { year, cell in
            InterventionLine(year: FinancialYear(startYear: year), events: cell.events, cost: cell.cost, recorded: cell.recorded,
                             unpriced: cell.unpriced, people: cell.people, largestCost: cell.largest ?? 0)
        }.sorted { $0.year < $1.year }
        prices = fold.prices
        windows = fold.windows
        overlap = fold.overlap
    }

    /// The names of the two tables.
    public static let tableNames = (consumption: "consumption_by_financial_year", intervention: "intervention_by_financial_year")

    /// Both tables, for disclosure control of the two published together with `cohort`'s: no
    /// sum ties their own cells (a year's cells are not totalled in either), but when every
    /// member's window is the same run of whole financial years (``CommonWindows``), an agency's
    /// events, cost and unpriced events in that window are the sums of its cells in those years,
    /// and each such sum that the figures bear out exactly is declared, so that a figure withheld
    /// in the cohort's by-agency table is not published here. And when a run of years stands
    /// close to a window (within ``closeness``, ``FinancialYearOverlap``) without being it
    /// exactly — index dates a few days off 1 April, or most members on it — those years' cells
    /// are close to the window's figures: each agency's window figure and its cells of those
    /// years are declared mirrors of each other (each withheld whenever the other is).
    public func linkedTables(cohort: CohortSummary) -> LinkedTables {
        var totals: [LinkedTotal] = []
        var mirrors: [(source: CellReference, mirror: CellReference)] = []
        /// The rows of `agency`'s cells in `years`.
        func rows<Years: Sequence<Int>>(in years: Years, of agency: String) -> [Int] {
            let years = Set(years)
            return lines.indices.filter { years.contains(lines[$0].year.startYear) && lines[$0].agency == agency }
        }
        let close = overlap.closeYears(tolerance: Self.closeness)
        for (window, years) in [("before", close.before), ("after", close.after)] {
            for (row, agency) in cohort.byAgency.enumerated() {
                let cells = rows(in: years, of: agency.name)
                for measure in ["events", "cost", "unpriced"] {
                    let figure = CellReference(table: CohortSummary.tableNames.byAgency, column: "\(window)_\(measure)", row: row)
                    for cell in cells.map({ CellReference(table: Self.tableNames.consumption, column: measure, row: $0) }) {
                        mirrors += [(figure, cell), (cell, figure)]
                    }
                }
            }
        }
        let windows: [(name: String, span: CommonWindows.Span?, figures: (CohortSummary.Group) -> PeriodFigures)] = [
            ("before", self.windows.before, \.before), ("after", self.windows.after, \.after),
        ]
        for window in windows {
            guard let span = window.span, let years = CommonWindows.financialYears(span) else { continue }
            for (row, agency) in cohort.byAgency.enumerated() {
                let cells = rows(in: years, of: agency.name)
                let figures = window.figures(agency)
                let measures: [(column: String, value: Int64, of: (Line) -> Int64)] = [
                    ("events", figures.events, \.events), ("cost", figures.cost, \.cost), ("unpriced", figures.unpriced, \.unpriced),
                ]
                for measure in measures {
                    // Summed wide: a sum that does not fit is not the window's figure.
                    let sum = cells.reduce(Int128(0)) { $0 + Int128(measure.of(lines[$1])) }
                    guard !cells.isEmpty, sum == Int128(measure.value) else { continue }
                    totals.append(LinkedTotal(total: CellReference(table: CohortSummary.tableNames.byAgency, column: "\(window.name)_\(measure.column)", row: row),
                                              parts: cells.map { CellReference(table: Self.tableNames.consumption, column: measure.column, row: $0) }))
                }
            }
        }
        return LinkedTables(tables: [resultTable(), interventionTable()], linkedTotals: totals, mirrors: mirrors)
    }

    /// The consumption cells as a table.
    public func resultTable() -> ResultTable {
        let people = lines.map { Int64($0.people) }
        let count = DisclosureBasis(role: .count, people: people, family: "year")
        let money = DisclosureBasis(role: .magnitude, people: lines.map { Int64($0.pricedPeople) }, largestContribution: lines.map(\.largestCost), family: "year")
        return ResultTable(name: Self.tableNames.consumption, title: "The cohort's consumption by financial year, agency and value type (\(prices))", columns: [
            ResultColumn("financial_year", .text(lines.map(\.year.description))),
            ResultColumn("agency", .text(lines.map(\.agency))),
            ResultColumn("value_type", .text(lines.map(\.valueType))),
            ResultColumn("events", .integer(lines.map(\.events))).resting(on: count),
            ResultColumn("cost", .money(lines.map(\.cost))).resting(on: money),
            ResultColumn("unpriced", .integer(lines.map(\.unpriced))).resting(on: count),
            ResultColumn("people", .integer(people)).resting(on: DisclosureBasis(role: .count, people: people)),
        ], peopleColumn: "people")
    }

    /// The intervention's cost by financial year as a table.
    public func interventionTable() -> ResultTable {
        let people = intervention.map { Int64($0.people) }
        let count = DisclosureBasis(role: .count, people: people, family: "year")
        var money = DisclosureBasis(role: .magnitude, people: people, largestContribution: intervention.map(\.largestCost), family: "year")
        var recorded = money
        recorded.measure = "intervention_recorded_cost"
        money.measure = nil
        return ResultTable(name: Self.tableNames.intervention, title: "The intervention's own cost by financial year (\(prices))", columns: [
            ResultColumn("financial_year", .text(intervention.map(\.year.description))),
            ResultColumn("events", .integer(intervention.map(\.events))).resting(on: count),
            ResultColumn("cost", .money(intervention.map(\.cost))).resting(on: money),
            ResultColumn("recorded_cost", .money(intervention.map(\.recorded))).resting(on: recorded),
            ResultColumn("total_cost", .money(intervention.map { $0.cost + $0.recorded })).resting(on: money),
            ResultColumn("unpriced", .integer(intervention.map(\.unpriced))).resting(on: count),
            ResultColumn("people", .integer(people)).resting(on: DisclosureBasis(role: .count, people: people)),
        ], peopleColumn: "people")
    }
}
