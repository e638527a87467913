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
