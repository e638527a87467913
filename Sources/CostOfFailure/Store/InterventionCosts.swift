/// What the per-person analyses take from an interventions file once its cohort is made: the
/// number of rows, and each recorded cost with its member's cohort code and start, in file order.
///
/// A streaming pass holds this instead of the file's rows (``InterventionTable``): at 750,000
/// rows those were a `String` and an entry a row, over 100 MB alive through the pass, where these
/// are 16 bytes a row that has a cost and nothing for one without.
public struct InterventionCosts: Sendable, Equatable {
    /// One recorded cost.
    public struct Cost: Sendable, Equatable {
        /// The member's code in the cohort (``InterventionTable/cohort()``'s dictionary).
        public var member: Int32
        /// The intervention's start.
        public var start: CivilDate
        /// The recorded cost, in pence.
        public var pence: Pence

        /// Creates a cost.
        public init(member: Int32, start: CivilDate, pence: Pence) {
            self.member = member
            self.start = start
            self.pence = pence
        }
    }

    /// The interventions file's rows, with a cost or not.
    public let rows: Int
    /// The rows' recorded costs in file order (rows without one left out).
    public let costs: [Cost]

    /// The costs `costs` of a file of `rows` rows.
    public init(rows: Int, costs: [Cost]) {
        self.rows = rows
        self.costs = costs
    }

    /// The costs of `table`'s rows whose person is coded `codes[row]` (one code a row).
    init(_ table: InterventionTable, codes: [Int32]) {
        precondition(codes.count == table.entries.count, "a cohort code for every row")
        rows = table.entries.count
        costs = zip(table.entries, codes).compactMap { entry, member in
            entry.costPence.map { Cost(member: member, start: entry.start, pence: $0) }
        }
    }

    /// The costs of `table`'s rows, each person coded by `cohort` (rows of anyone outside it left
    /// out: none, when `cohort` is the table's own ``InterventionTable/cohort()``).
    public init(_ table: InterventionTable, cohort: StringDictionary) {
        rows = table.entries.count
        costs = table.entries.compactMap { entry in
            guard let pence = entry.costPence, let member = cohort.code(of: entry.personID) else { return nil }
            return Cost(member: member, start: entry.start, pence: pence)
        }
    }

    /// The recorded costs of every member (`member` nil) or of the member coded `member`.
    /// Unchecked: the recorded costs fit together (checked with the events' where the analyses
    /// are made: ``EventTotals/check(recordedCosts:)``).
    public func total(member: Int32? = nil) -> Pence {
        costs.reduce(0) { member == nil || $1.member == member ? $0 + $1.pence : $0 }
    }
}
