/// What one column's figures rest on, for disclosure control: the analysis that makes a figure
/// knows which people it rests on, which figures would give it back, and which totals it adds
/// up to; the reports layer reads this to decide what may be published.
public struct DisclosureBasis: Sendable {
    /// What kind of figure the column holds.
    public enum Role: Sendable {
        /// A count of people or events: published rounded (under a rounding rule); a count of 1
        /// up to the threshold is withheld.
        case count
        /// A money total, mean, rate, median, percentile or share: withheld when it rests on
        /// the threshold's number of people or fewer (or, under a dominance rule, when one
        /// person contributes too much of it).
        case magnitude
        /// Person-years of exposure: withheld as a magnitude is; computed over the rounded
        /// people count (see ``CountRounding/exposure(_:people:)``).
        case exposure
    }

    /// The column's role.
    public var role: Role
    /// For each cell, the people its figure rests on (per window: the people with use in that
    /// window); `nil`: the table's ``ResultTable/peopleColumn``. For a percentile or a top
    /// share, the people at and above it.
    public var people: [Int64]?
    /// For each money cell, the largest part one person contributes (pence), for a dominance
    /// rule; `nil`: not known (no dominance check).
    public var largestContribution: [Int64]?
    /// Columns of one family (a window's events, cost, rate and unpriced events) are withheld
    /// together in a row: each gives the others back (a cost over a single price is its count).
    public var family: String?
    /// Families whose withholding withholds this column too (a change is after less before).
    public var dependsOn: [String] = []
    /// For each cell of a count, whether exact money beside it gives it back (a service's events
    /// are its cost over its unit price): under a rule that rounds counts, such a count is not
    /// published, since its rounding would be undone; `nil`: none is.
    public var givenByCost: [Bool]?
    /// The additive measure the column holds (`before_cost`): cells of the same measure are
    /// tied by ``LinkedTotal``s across tables; `nil`: not additive.
    public var measure: String?

    /// A basis of `role`.
    public init(role: Role, people: [Int64]? = nil, largestContribution: [Int64]? = nil,
                family: String? = nil, dependsOn: [String] = [], measure: String? = nil) {
        self.role = role
        self.people = people
        self.largestContribution = largestContribution
        self.family = family
        self.dependsOn = dependsOn
        self.measure = measure
    }
}
