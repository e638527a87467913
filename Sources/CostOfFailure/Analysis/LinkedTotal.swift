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
