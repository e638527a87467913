import CostOfFailure

/// Disclosure control of tables written together: every figure is checked against the people
/// behind it, and enough complementary cells are withheld that no withheld figure can be worked
/// out from the published ones and the sums that tie them.
///
/// The steps, for a ``DisclosureRule`` with threshold `T`:
/// 1. **Primary.** A count of 1 to `T`, or any figure resting on 1 to `T` people (its column's
///    ``DisclosureBasis/people``, per window), is withheld; under a dominance rule so is a money
///    figure one person contributes more than the rule's share of. These cells are *sensitive*.
///    Under a rule that rounds counts, a count that exact money gives back (a service's events
///    are its cost over its unit price) is withheld too.
/// 2. **What gives a figure back.** A withheld cell withholds the rest of its family in its row
///    (a window's events, cost, rate and unpriced events: a cost over one price is its count),
///    but for its zeros, and every column that depends on that family (a change is after less
///    before).
/// 3. **Complementary.** For each sum (``LinkedTotal``: cohort = Σ services, category = Σ its
///    services, …; the narrowest first) with a withheld cell, other cells of the sum are withheld until each withheld
///    cell has company: a sensitive count `v` needs the others withheld beside it to add up to at
///    least `max(2T − v, T)` (so that it could be anything from 0 to `2T` or `v ± T`), a sensitive
///    money figure to at least a quarter of it, and a complementary count to at least `2T − v`.
///    A part of the sum is preferred to its total (the smallest that is enough, else the
///    largest), and every newly withheld cell takes its family along; this repeats until
///    nothing changes.
/// 4. **Mirrors.** A cell that repeats another table's figure (a difference in differences'
///    treated change, the appraisal's saving) is withheld wherever that figure is; then steps 3
///    and 5 run again.
/// 5. **Checked.** The engine audits its own choice: GLPK gives each withheld cell's feasible
///    interval under every published figure and every sum (implied sums included, which step 3
///    cannot see), and where one is too narrow one more cell near it is withheld, until none is
///    (see `DisclosureControl+Audit.swift`).
/// 6. **Rounding.** Published counts are rounded (NHS England: to 5). Figures per person or per
///    person-year are computed over the rounded counts by the analyses themselves (see
///    ``CountRounding``), so that no exact companion undoes the rounding.
///
/// Withheld cells hold no value afterwards (state ``ResultColumn/CellState/suppressed``, value
/// zero), so that no renderer or chart can show one. The guarantee is checked, not assumed: the
/// tests run an interval audit (a linear programme per withheld cell, with the HiGHS solver) over
/// many small generated cohorts, from ``DisclosureAudit``'s description of what was published.
public struct DisclosureControl: Sendable {
    /// The rule applied.
    public let rule: DisclosureRule

    /// Control under `rule`.
    public init(rule: DisclosureRule) {
        self.rule = rule
    }

    /// The share of a sensitive money figure the cells withheld beside it must add up to, in per cent.
    public static let moneyProtectionPercent: Int64 = 25

    /// `set`'s tables as they may be published: under a rule that withholds nothing, exact and
    /// titled UNSUPPRESSED.
    public func protect(_ set: LinkedTables) -> LinkedTables {
        decide(set).published
    }

    /// `table` alone as it may be published (a table tied by no sum to another).
    public func protect(_ table: ResultTable) -> ResultTable {
        decide(LinkedTables(tables: [table])).published.tables[0]
    }

    /// What was decided: the tables as published, and the cells withheld for their own sake.
    public struct Decision: Sendable {
        /// The tables as they may be published.
        public var published: LinkedTables
        /// The sensitive cells: withheld for their own sake (steps 1 and 2).
        public var sensitive: Set<CellReference>
    }

    /// Decides every cell of `set` (see the steps above).
    public func decide(_ set: LinkedTables) -> Decision {
        var state = State(set, rule: rule)
        if rule.isSuppressing {
            state.withholdPrimary()
            let relations = state.resolve(set.linkedTotals)
            let mirrors = set.mirrors.compactMap { pair in state.resolve([LinkedTotal(total: pair.source, parts: [pair.mirror])]).first }
                .filter { $0.count == 2 }
            // Mirrors only ever withhold more, so this ends.
            repeat {
                state.withholdComplements(relations: relations)
                state.withholdUntilProtected(relations: relations)
            } while state.withholdMirrors(mirrors)
        }
        return Decision(published: LinkedTables(tables: state.published(), linkedTotals: set.linkedTotals), sensitive: state.sensitiveCells)
    }
}

extension DisclosureControl {
    /// A cell: table, column and row, by index.
    struct Cell: Hashable {
        var t: Int, c: Int, r: Int
    }

    /// The cells of one decision being made.
    struct State {
        let rule: DisclosureRule
        var tables: [ResultTable]
        /// Per table, per column: its basis (resolved from the column's or the table's default), or nil.
        var bases: [[DisclosureBasis?]]
        /// Per table, per column, per row: the cell's state.
        var states: [[[ResultColumn.CellState]]]
        /// Per table, per column, per row: withheld for its own sake (or with a sensitive family).
        var sensitive: [[[Bool]]]
        /// Where each (table, column) is.
        var columnIndex: [String: (table: Int, column: Int)] = [:]

        init(_ set: LinkedTables, rule: DisclosureRule) {
            self.rule = rule
            tables = set.tables
            bases = set.tables.map { table in table.columns.map { Self.basis(of: $0, in: table) } }
            states = set.tables.map { table in table.columns.map { column in (0..<table.rowCount).map { column.state($0) } } }
            sensitive = set.tables.map { table in table.columns.map { _ in [Bool](repeating: false, count: table.rowCount) } }
            for (t, table) in set.tables.enumerated() {
                for (c, column) in table.columns.enumerated() { columnIndex[table.name + "\u{0}" + column.name] = (t, c) }
            }
        }

        /// A column's basis: its own, else a count or a magnitude on the table's people column;
        /// nil for text, dates and labels.
        static func basis(of column: ResultColumn, in table: ResultTable) -> DisclosureBasis? {
            if column.isLabel { return nil }
            if let basis = column.basis { return basis }
            var people: [Int64]?
            if let name = table.peopleColumn, case .integer(let values)? = table.column(name)?.values { people = values }
            switch column.values {
            case .integer: return DisclosureBasis(role: .count, people: people)
            case .money, .rate: return DisclosureBasis(role: .magnitude, people: people)
            case .text, .date: return nil
            }
        }

        /// The value of an integer or money cell (0 otherwise).
        func value(_ t: Int, _ c: Int, _ r: Int) -> Int64 {
            switch tables[t].columns[c].values {
            case .integer(let values): return values[r]
            case .money(let values): return values[r]
            default: return 0
            }
        }

        func isRate(_ t: Int, _ c: Int) -> Bool {
            if case .rate = tables[t].columns[c].values { return true }
            return false
        }

        func isMoney(_ t: Int, _ c: Int) -> Bool {
            if case .money = tables[t].columns[c].values { return true }
            return false
        }

        /// Step 1: every cell withheld for its own sake, with what would give it back.
        mutating func withholdPrimary() {
            let threshold = rule.threshold
            for t in tables.indices {
                for c in tables[t].columns.indices {
                    guard let basis = bases[t][c] else { continue }
                    for r in 0..<tables[t].rowCount where states[t][c][r] == .value {
                        let people = basis.people?[r] ?? 0
                        var primary = people >= 1 && people <= threshold
                        if basis.role == .count, case .integer(let values) = tables[t].columns[c].values {
                            // A zero count rests on no one: it stays 0 (NHS England's rule).
                            if values[r] == 0 { primary = false } else if values[r].magnitude <= UInt64(threshold) { primary = true }
                        }
                        if let percent = rule.dominancePercent, isMoney(t, c), let largest = basis.largestContribution?[r] {
                            // One person's part above `percent` of the figure (in 128 bits: no overflow).
                            let figure = Int128(value(t, c, r).magnitude)
                            if Int128(largest) * 100 > Int128(percent) * figure && largest > 0 { primary = true }
                        }
                        if primary { withhold(t, c, r, sensitive: true) }
                        // A count that exact money gives back: its rounding would be undone.
                        // Alone: the cost that gives it back stays published.
                        if !primary && rule.rounding.base > 1 && basis.givenByCost?[r] == true && value(t, c, r) != 0 && states[t][c][r] == .value {
                            states[t][c][r] = .suppressed
                        }
                    }
                }
            }
        }

        /// Withholds cell (t, c, r), its family in row r and what depends on that family.
        mutating func withhold(_ t: Int, _ c: Int, _ r: Int, sensitive isSensitive: Bool) {
            var work = [c]
            while let column = work.popLast() {
                if isSensitive { sensitive[t][column][r] = true }
                guard states[t][column][r] == .value else { continue }
                states[t][column][r] = .suppressed
                guard let family = bases[t][column]?.family else { continue }
                for other in tables[t].columns.indices where other != column {
                    guard let basis = bases[t][other], states[t][other][r] == .value else { continue }
                    // A zero of the family stays: it gives nothing back (no unpriced events is
                    // not a count of anyone), and withholding it would only pin it to a
                    // published zero total and drag other cells after it.
                    if basis.family == family && basis.role != .exposure && value(t, other, r) == 0 && !isRate(t, other) { continue }
                    if basis.family == family || basis.dependsOn.contains(family) { work.append(other) }
                }
            }
        }

        /// `relations` as cells of these tables: the total first, then the parts (cells of tables
        /// not in the set left out).
        func resolve(_ relations: [LinkedTotal]) -> [[Cell]] {
            relations.map { relation in
                ([relation.total] + relation.parts).compactMap { cell in
                    guard let (t, c) = columnIndex[cell.table + "\u{0}" + cell.column], cell.row >= 0, cell.row < tables[t].rowCount else { return nil }
                    return Cell(t: t, c: c, r: cell.row)
                }
            }
        }

        /// Withholds every mirror whose source is withheld (see ``LinkedTables/mirrors``); whether
        /// any was.
        mutating func withholdMirrors(_ pairs: [[Cell]]) -> Bool {
            var changed = false
            for pair in pairs where states[pair[0].t][pair[0].c][pair[0].r] == .suppressed && states[pair[1].t][pair[1].c][pair[1].r] == .value {
                withhold(pair[1].t, pair[1].c, pair[1].r, sensitive: false)
                changed = true
            }
            return changed
        }

        /// Step 3: complementary cells, until every sum's withheld cells have enough company.
        mutating func withholdComplements(relations resolved: [[Cell]]) {
            let threshold = rule.threshold
            // The narrowest sums first: a partner found within an agency or a category serves the
            // wider sums too, where one chosen first for the whole cohort would not serve them.
            let ordered = resolved.filter { $0.count > 1 }.sorted { $0.count < $1.count }
            var changed = true
            while changed {
                changed = false
                for cells in ordered {
                    let withheld = cells.filter { states[$0.t][$0.c][$0.r] == .suppressed }
                    guard !withheld.isEmpty else { continue }
                    for x in withheld {
                        let v = value(x.t, x.c, x.r).magnitude
                        let others = withheld.filter { $0 != x }
                        let slack = others.reduce(UInt64(0)) { $0.addingReportingOverflow(value($1.t, $1.c, $1.r).magnitude).partialValue }
                        var need: UInt64
                        if isMoney(x.t, x.c) {
                            need = sensitive[x.t][x.c][x.r] ? v / 100 * UInt64(DisclosureControl.moneyProtectionPercent) : 0
                        } else {
                            let twice = UInt64(2 * threshold)
                            need = sensitive[x.t][x.c][x.r] ? max(twice > v ? twice - v : 0, UInt64(threshold)) : (twice > v ? twice - v : 0)
                        }
                        guard others.isEmpty || slack < need else { continue }
                        if let pick = complement(among: cells, deficit: need > slack ? need - slack : 1) {
                            withhold(pick.t, pick.c, pick.r, sensitive: false)
                            changed = true
                            break
                        }
                    }
                }
            }
        }

        /// The cell to withhold beside a sum's withheld ones: among the published parts with a
        /// value, the smallest that covers `deficit`, else the largest; failing any part, the
        /// total (`cells[0]`).
        func complement(among cells: [Cell], deficit: UInt64) -> Cell? {
            let open = cells.dropFirst().filter { states[$0.t][$0.c][$0.r] == .value && value($0.t, $0.c, $0.r) != 0 }
            let enough = open.filter { value($0.t, $0.c, $0.r).magnitude >= deficit }
            if let smallest = enough.min(by: { value($0.t, $0.c, $0.r).magnitude < value($1.t, $1.c, $1.r).magnitude }) { return smallest }
            if let largest = open.max(by: { value($0.t, $0.c, $0.r).magnitude < value($1.t, $1.c, $1.r).magnitude }) { return largest }
            let total = cells[0]
            return states[total.t][total.c][total.r] == .value ? total : nil
        }

        /// The sensitive cells, by reference.
        var sensitiveCells: Set<CellReference> {
            var cells = Set<CellReference>()
            for (t, table) in tables.enumerated() {
                for (c, column) in table.columns.enumerated() {
                    for r in 0..<table.rowCount where sensitive[t][c][r] && states[t][c][r] == .suppressed {
                        cells.insert(CellReference(table: table.name, column: column.name, row: r))
                    }
                }
            }
            return cells
        }

        /// The tables with their decided states: withheld cells emptied, published counts rounded,
        /// each title saying the rule.
        func published() -> [ResultTable] {
            tables.enumerated().map { t, table in
                var table = table
                table.title += " " + rule.titleTag
                for c in table.columns.indices {
                    let states = self.states[t][c]
                    var column = table.columns[c]
                    let rounds = bases[t][c]?.role == .count && rule.rounding.base > 1
                    switch column.values {
                    case .integer(var values):
                        for r in values.indices {
                            if states[r] == .suppressed { values[r] = 0 } else if rounds && states[r] == .value { values[r] = rule.rounding.rounded(values[r]) }
                        }
                        column.values = .integer(values)
                    case .money(var values):
                        for r in values.indices where states[r] == .suppressed { values[r] = 0 }
                        column.values = .money(values)
                    case .rate(var values, let decimals):
                        for r in values.indices where states[r] == .suppressed { values[r] = 0 }
                        column.values = .rate(values, decimals: decimals)
                    case .text, .date:
                        break
                    }
                    if states.contains(where: { $0 != .value }) { column.states = states }
                    table.columns[c] = column
                }
                return table
            }
        }
    }
}
