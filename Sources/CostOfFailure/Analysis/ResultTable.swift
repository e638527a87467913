/// A result as a plain table of named, typed columns: what every analysis hands the reports
/// layer, and all a renderer knows about it.
public struct ResultTable: Sendable {
    /// A machine name (`comparison`, `by_service`), used for file and sheet names.
    public var name: String
    /// A human title.
    public var title: String
    /// The columns, all of length ``rowCount``.
    public var columns: [ResultColumn]
    /// The integer column holding how many people each row's figures rest on, for disclosure
    /// control (`nil`: the table does not say).
    public var peopleColumn: String?
    /// Creates a table; every column must have the same number of rows.
    public init(name: String, title: String, columns: [ResultColumn], peopleColumn: String? = nil) {
        precondition(Set(columns.map(\.count)).count <= 1, "columns of different lengths")
        self.name = name
        self.title = title
        self.columns = columns
        self.peopleColumn = peopleColumn
    }

    /// Number of rows.
    public var rowCount: Int { columns.first?.count ?? 0 }

    /// The column called `name`.
    public func column(_ name: String) -> ResultColumn? { columns.first { $0.name == name } }

    /// The table with only `rows`, in that order (cells, states and bases alike).
    public func selectingRows(_ rows: [Int]) -> ResultTable {
        var table = self
        table.columns = columns.map { column in
            var column = column
            switch column.values {
            case .text(let v): column.values = .text(rows.map { v[$0] })
            case .integer(let v): column.values = .integer(rows.map { v[$0] })
            case .money(let v): column.values = .money(rows.map { v[$0] })
            case .date(let v): column.values = .date(rows.map { v[$0] })
            case .rate(let v, let decimals): column.values = .rate(rows.map { v[$0] }, decimals: decimals)
            }
            column.states = column.states.map { states in rows.map { states[$0] } }
            if var basis = column.basis {
                basis.people = basis.people.map { people in rows.map { people[$0] } }
                basis.largestContribution = basis.largestContribution.map { largest in rows.map { largest[$0] } }
                basis.givenByCost = basis.givenByCost.map { given in rows.map { given[$0] } }
                column.basis = basis
            }
            return column
        }
        return table
    }
}

/// One typed column of a ``ResultTable``.
public struct ResultColumn: Sendable {
    /// The values, typed.
    public enum Values: Sendable {
        /// Text (names, IDs).
        case text([String])
        /// Whole numbers (counts, days).
        case integer([Int64])
        /// Money in pence.
        case money([Pence])
        /// Civil days.
        case date([CivilDate])
        /// A derived ratio (events per year, percentages), shown with `decimals` places.
        case rate([Double], decimals: Int)
    }

    /// Whether a cell holds a value.
    public enum CellState: UInt8, Sendable {
        /// The value is shown.
        case value
        /// There is no value (for example a rate over zero days of exposure).
        case missing
        /// The value is withheld (small-number suppression).
        case suppressed
    }

    /// The header name (`before_cost`).
    public var name: String
    /// The values.
    public var values: Values
    /// Per-cell state, or `nil` when every cell holds a value.
    public var states: [CellState]?
    /// Whether an integer column is a label (a month, a rank, a number of years) rather than a
    /// count of people or events: disclosure control leaves it alone.
    public var isLabel = false
    /// What the column's figures rest on, for disclosure control; `nil`: an integer column is a
    /// count and a money or rate column a magnitude, each resting on the table's
    /// ``ResultTable/peopleColumn``.
    public var basis: DisclosureBasis?

    /// Creates a column.
    public init(_ name: String, _ values: Values, states: [CellState]? = nil) {
        self.name = name
        self.values = values
        self.states = states
    }

    /// Number of rows.
    public var count: Int {
        switch values {
        case .text(let v): return v.count
        case .integer(let v): return v.count
        case .money(let v): return v.count
        case .date(let v): return v.count
        case .rate(let v, _): return v.count
        }
    }

    /// A money column whose `nil` cells are missing.
    public init(_ name: String, money values: [Pence?]) {
        self.init(name, .money(values.map { $0 ?? 0 }), states: values.map { $0 == nil ? .missing : .value })
    }

    /// An integer column whose `nil` cells are missing.
    public init(_ name: String, integers values: [Int64?]) {
        self.init(name, .integer(values.map { $0 ?? 0 }), states: values.map { $0 == nil ? .missing : .value })
    }

    /// A rate column whose `nil` cells are missing.
    public init(_ name: String, rates values: [Double?], decimals: Int) {
        self.init(name, .rate(values.map { $0 ?? 0 }, decimals: decimals), states: values.map { $0 == nil ? .missing : .value })
    }

    /// The column as a label (see ``isLabel``).
    public func asLabel() -> ResultColumn {
        var column = self
        column.isLabel = true
        return column
    }

    /// The column with `basis` (see ``basis``).
    public func resting(on basis: DisclosureBasis) -> ResultColumn {
        var column = self
        column.basis = basis
        return column
    }

    /// The state of cell `row`.
    @inline(__always)
    public func state(_ row: Int) -> CellState { states?[row] ?? .value }
}
