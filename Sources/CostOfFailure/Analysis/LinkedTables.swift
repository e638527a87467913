/// Tables published together and the sums that tie their cells (``LinkedTotal``): what
/// disclosure control protects as one system, so that no withheld cell can be worked out from
/// any combination of the published ones.
public struct LinkedTables: Sendable {
    /// The tables.
    public var tables: [ResultTable]
    /// The sums between their cells.
    public var linkedTotals: [LinkedTotal]
    /// Cells that give another cell back (`mirror` from `source`): a difference in differences'
    /// treated change is the cohort's change, the appraisal's saving is the cohort's change times
    /// its people. Each `mirror` is withheld whenever its `source` is.
    public var mirrors: [(source: CellReference, mirror: CellReference)]

    /// Creates a set of tables.
    public init(tables: [ResultTable], linkedTotals: [LinkedTotal] = [], mirrors: [(source: CellReference, mirror: CellReference)] = []) {
        self.tables = tables
        self.linkedTotals = linkedTotals
        self.mirrors = mirrors
    }

    /// The table called `name`.
    public func table(_ name: String) -> ResultTable? { tables.first { $0.name == name } }

    /// These tables and `other`'s, with both sets of sums.
    public func merging(_ other: LinkedTables) -> LinkedTables {
        LinkedTables(tables: tables + other.tables, linkedTotals: linkedTotals + other.linkedTotals, mirrors: mirrors + other.mirrors)
    }
}
