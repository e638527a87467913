/// Takes the figures of a row of the person × service before/after table, column by column, in
/// the table's order: what ``BeforeAfterColumns/visit(_:_:)`` hands a renderer or a table builder.
///
/// Each figure comes with its column's name and type, so that whatever is built from the visits
/// (a ``ResultTable``, CSV rows written straight into a buffer) has the one layout.
public protocol BeforeAfterColumnVisitor {
    /// A count or a number of days.
    mutating func integer(_ name: StaticString, _ value: Int64)
    /// Money in pence, always known.
    mutating func money(_ name: StaticString, _ value: Pence)
    /// Money in pence, missing when `nil` (a rate over no exposure, a window with unpriced events).
    mutating func moneyOrMissing(_ name: StaticString, _ value: Pence?)
    /// A ratio shown with `decimals` places, missing when `nil`.
    mutating func rate(_ name: StaticString, _ value: Double?, decimals: Int)
}

/// The columns of the person × service before/after table (`cof compare`): the one place its
/// layout — which figures, in what order, named what, of what type — is written. Every way the
/// table is made (``BeforeAfterTable/resultTable()``, the CSV `cof compare` streams) is built from it.
public enum BeforeAfterColumns {
    /// The two identifying columns, first in every row.
    public static let keys = (person: "person_id", service: "service")

    /// Hands `visitor` the figures of `row` after its two keys, in column order.
    ///
    /// Inlined into a generic caller, the visits compile to straight-line code per row, as a
    /// hand-written row writer would.
    @inlinable
    public static func visit(_ row: some BeforeAfterFigures, _ visitor: inout some BeforeAfterColumnVisitor) {
        visitor.integer("before_events", row.before.events)
        visitor.integer("before_quantity", row.before.quantity)
        visitor.money("before_cost", row.before.cost)
        visitor.integer("after_events", row.after.events)
        visitor.integer("after_quantity", row.after.quantity)
        visitor.money("after_cost", row.after.cost)
        visitor.integer("before_days", Int64(row.beforeDays))
        visitor.integer("after_days", Int64(row.afterDays))
        visitor.rate("before_events_per_year", row.beforeEventsPerYear, decimals: 2)
        visitor.rate("after_events_per_year", row.afterEventsPerYear, decimals: 2)
        visitor.moneyOrMissing("before_cost_per_year", row.beforeCostPerYear)
        visitor.moneyOrMissing("after_cost_per_year", row.afterCostPerYear)
        visitor.moneyOrMissing("change_cost_per_year", row.changeCostPerYear)
        visitor.integer("before_unpriced", row.before.unpriced)
        visitor.integer("after_unpriced", row.after.unpriced)
    }

    /// The figure columns' names and types, in order (after the two keys).
    public static let figures: [(name: String, kind: Kind)] = {
        var layout = Layout()
        visit(EmptyRow(), &layout)
        return layout.columns
    }()

    /// The figure columns of `rows` (after the two keys, which the caller has), typed as
    /// ``figures`` says: money that may be missing and rates carry a state per cell.
    public static func resultColumns<Row: BeforeAfterFigures>(_ rows: [Row]) -> [ResultColumn] {
        var builder = ColumnBuilder(rows: rows.count)
        for row in rows {
            builder.column = 0
            visit(row, &builder)
        }
        return builder.resultColumns()
    }

    /// A figure column's type.
    public enum Kind: Sendable, Equatable {
        /// Whole numbers, always known.
        case integer
        /// Money in pence, always known.
        case money
        /// Money in pence, possibly missing.
        case moneyOrMissing
        /// A ratio with `decimals` places, possibly missing.
        case rate(decimals: Int)
    }

    /// Records the columns' names and types.
    private struct Layout: BeforeAfterColumnVisitor {
        var columns: [(name: String, kind: Kind)] = []
        mutating func integer(_ name: StaticString, _ value: Int64) { columns.append(("\(name)", .integer)) }
        mutating func money(_ name: StaticString, _ value: Pence) { columns.append(("\(name)", .money)) }
        mutating func moneyOrMissing(_ name: StaticString, _ value: Pence?) { columns.append(("\(name)", .moneyOrMissing)) }
        mutating func rate(_ name: StaticString, _ value: Double?, decimals: Int) { columns.append(("\(name)", .rate(decimals: decimals))) }
    }

    /// Gathers each figure column's cells, row by row.
    private struct ColumnBuilder: BeforeAfterColumnVisitor {
        var integers: [[Int64]] = [], money: [[Pence]] = [], optionalMoney: [[Pence?]] = [], rates: [[Double?]] = []
        /// Each column's place among the arrays of its kind.
        var slots: [Int] = []
        /// The column the next visit fills.
        var column = 0

        init(rows: Int) {
            for (_, kind) in figures {
                switch kind {
                case .integer: slots.append(integers.count); integers.append([]); integers[integers.count - 1].reserveCapacity(rows)
                case .money: slots.append(money.count); money.append([]); money[money.count - 1].reserveCapacity(rows)
                case .moneyOrMissing: slots.append(optionalMoney.count); optionalMoney.append([]); optionalMoney[optionalMoney.count - 1].reserveCapacity(rows)
                case .rate: slots.append(rates.count); rates.append([]); rates[rates.count - 1].reserveCapacity(rows)
                }
            }
        }

        mutating func integer(_ name: StaticString, _ value: Int64) { integers[slots[column]].append(value); column += 1 }
        mutating func money(_ name: StaticString, _ value: Pence) { money[slots[column]].append(value); column += 1 }
        mutating func moneyOrMissing(_ name: StaticString, _ value: Pence?) { optionalMoney[slots[column]].append(value); column += 1 }
        mutating func rate(_ name: StaticString, _ value: Double?, decimals: Int) { rates[slots[column]].append(value); column += 1 }

        func resultColumns() -> [ResultColumn] {
            figures.indices.map { index in
                let (name, kind) = figures[index], slot = slots[index]
                switch kind {
                case .integer: return ResultColumn(name, .integer(integers[slot]))
                case .money: return ResultColumn(name, .money(money[slot]))
                case .moneyOrMissing: return ResultColumn(name, money: optionalMoney[slot])
                case .rate(let decimals): return ResultColumn(name, rates: rates[slot], decimals: decimals)
                }
            }
        }
    }

    /// A row of no figures, for the layout.
    private struct EmptyRow: BeforeAfterFigures {
        var before = PeriodFigures(), after = PeriodFigures()
        var beforeDays = 0, afterDays = 0
    }
}
