/// One cell of a result table: the table's ``ResultTable/name``, a column and a row.
public struct CellReference: Sendable, Hashable, CustomStringConvertible {
    /// The table's machine name.
    public var table: String
    /// The column's name.
    public var column: String
    /// The row, from 0.
    public var row: Int

    /// Creates a reference.
    public init(table: String, column: String, row: Int) {
        self.table = table
        self.column = column
        self.row = row
    }

    /// `table/column/row`.
    public var description: String { "\(table)/\(column)/\(row)" }
}

/// A sum that holds between published cells, in the same or different tables: `total = Σ parts`
/// (a category's cost is the sum of its services' costs; the cohort's is the sum of its
/// categories'). Disclosure control reads these to choose complementary cells, so that a
/// withheld cell cannot be had as a total less the published parts.
public struct LinkedTotal: Sendable, Hashable {
    /// The cell holding the sum.
    public var total: CellReference
    /// The cells it adds up.
    public var parts: [CellReference]

    /// Creates a relation.
    public init(total: CellReference, parts: [CellReference]) {
        self.total = total
        self.parts = parts
    }
}
