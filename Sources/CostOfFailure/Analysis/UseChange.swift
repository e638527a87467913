/// How many treated people's use went up, stayed the same and went down, beside the mean
/// change: a mean fall can be most people falling a little or a few falling a lot.
///
/// A person's use is their priced cost per person-year of every service but the
/// intervention's, after against before (`cost × 365 / exposure days` in each window). It
/// *stayed the same* when the after rate is within ``sameWithinPercent`` per cent of the before
/// rate either way, boundary included (no use in either window is the same); above that it
/// went up, below it went down (any use after none is up). Someone with no exposure in a
/// window (an index date past the observation end) is not judged. Each group's change is
/// its change in cost per person-year as a group (`Σ cost × 365 / Σ days`, after less before),
/// as the cohort's is; the last row, everyone, is the cohort's own change.
public struct UseChange: Sendable {
    /// Which way a person's use moved.
    public enum Direction: String, Sendable, CaseIterable {
        case up, same, down
    }

    /// The band, in per cent of the before rate, within which use counts as the same.
    public static let sameWithinPercent: Int128 = 10

    /// Which way use moved from `before` pence over `beforeDays` to `after` pence over
    /// `afterDays` (see the type's summary); `nil` when either window has no exposure.
    public static func direction(before: Pence, beforeDays: Int, after: Pence, afterDays: Int) -> Direction? {
        guard beforeDays > 0, afterDays > 0 else { return nil }
        // Both rates times beforeDays × afterDays / 365: exact, in 128 bits.
        let afterScaled = Int128(after) * Int128(beforeDays), beforeScaled = Int128(before) * Int128(afterDays)
        let band = beforeScaled.magnitude * UInt128(sameWithinPercent)
        let difference = (afterScaled - beforeScaled) * 100
        if difference > 0 && difference.magnitude > band { return .up }
        if difference < 0 && difference.magnitude > band { return .down }
        return .same
    }

    /// People who went up, stayed the same, went down, and were not judged.
    public let up: Int, same: Int, down: Int, notJudged: Int
    /// Each group's change in cost per person-year (up, same, down, everyone); `nil` without
    /// exposure.
    public let changes: [Pence?]
    /// How published counts are rounded (shares and per person-year figures are over rounded counts).
    let rounding: CountRounding

    /// The treated people of `comparison` (the before/after table, with its `members`).
    ///
    /// - Throws: ``CostResolver/Overflow`` when a person's cost or a group's change does not fit
    ///   in 64-bit pence (never for a table of one ``Study``).
    public init(beforeAfter comparison: BeforeAfterTable, members: [CohortSummary.Member], services: ServiceCatalog,
                rounding: CountRounding = .exact) throws(CostResolver.Overflow) {
        try self.init(people: PersonYearSums(DifferenceInDifferences.people((comparison, members), column: [:], columns: 1, services: services),
                                             columns: 1),
                      rounding: rounding)
    }

    /// The members of the cohort `summary` (made from their before/after table and `members`),
    /// as ``init(beforeAfter:members:services:rounding:)`` makes them from the table: each
    /// person's cost is the summary's (the cells the money counts, the intervention's own left out).
    ///
    /// - Throws: ``CostResolver/Overflow`` when a group's change does not fit in 64-bit pence.
    public init(summary: CohortSummary, members: [CohortSummary.Member], rounding: CountRounding = .exact) throws(CostResolver.Overflow) {
        precondition(summary.memberCosts.count == members.count, "a use change from the summary of other members")
        var people = PersonYearSums(columns: 1)
        people.reserve(members.count)
        for (member, cost) in zip(members, summary.memberCosts) {
            people.append(beforeDays: member.beforeDays, afterDays: member.afterDays, before: cost.before, after: cost.after)
        }
        try self.init(people: people, rounding: rounding)
    }

    /// Judges each of `people` (one column: the cost the money counts).
    private init(people sums: PersonYearSums, rounding: CountRounding) throws(CostResolver.Overflow) {
        var groups: [Direction: [Int]] = [:]
        var notJudged = 0
        for i in 0..<sums.count {
            guard let direction = Self.direction(before: sums.before[i], beforeDays: Int(sums.beforeDays[i]),
                                                 after: sums.after[i], afterDays: Int(sums.afterDays[i])) else {
                notJudged += 1
                continue
            }
            groups[direction, default: []].append(i)
        }
        up = groups[.up]?.count ?? 0
        same = groups[.same]?.count ?? 0
        down = groups[.down]?.count ?? 0
        self.notJudged = notJudged
        self.rounding = rounding
        var changes: [Pence?] = []
        for indices in [groups[.up] ?? [], groups[.same] ?? [], groups[.down] ?? [], Array(0..<sums.count)] {
            changes.append(indices.isEmpty ? nil : try sums.changes(indices, rounding: rounding)[0])
        }
        self.changes = changes
    }

    /// The table's name.
    public static let tableName = "use_change"

    /// The table with what ties it to the cohort's tables: the people add up to everyone.
    /// (Everyone's change, the cohort's, is left to the cohort table.)
    public func linkedTables(cohort: CohortSummary) -> LinkedTables {
        let cell = { (column: String, row: Int) in CellReference(table: Self.tableName, column: column, row: row) }
        return LinkedTables(tables: [resultTable()],
                            linkedTotals: [LinkedTotal(total: cell("people", 4), parts: (0..<4).map { cell("people", $0) })])
    }

    /// The result as a table: up, same, down, not judged and everyone, with people, their share
    /// of everyone and each group's change per person-year.
    public func resultTable() -> ResultTable {
        let everyone = up + same + down + notJudged
        let people = [up, same, down, notJudged, everyone].map { Int64($0) }
        // Shares over the published (rounded) counts, so that they give back no exact count.
        let total = rounding.rounded(Int64(everyone))
        let shares: [Double?] = people.map { total > 0 ? Double(rounding.rounded($0)) / Double(total) * 100 : nil }
        return ResultTable(name: Self.tableName, title: "Treated people whose cost per person-year (all services but the intervention's) went up, stayed within \(Self.sameWithinPercent)% either way, or went down, after against before", columns: [
            ResultColumn("use", .text(["went up", "stayed the same", "went down", "not judged (no exposure in a window)", "everyone"])),
            // One family: a share gives its count back (share × everyone), so a withheld count
            // (for its own sake or as a complement) takes its share, and the group's change, along.
            // Everyone's change is the cohort's, published in the cohort table: not repeated here,
            // where the family could withhold a figure published there.
            ResultColumn("people", .integer(people)).resting(on: DisclosureBasis(role: .count, people: people, family: "group")),
            ResultColumn("share_percent", rates: shares, decimals: 1).resting(on: DisclosureBasis(role: .magnitude, people: people, family: "group")),
            ResultColumn("change_per_person_year", money: [changes[0], changes[1], changes[2], nil, nil])
                .resting(on: DisclosureBasis(role: .magnitude, people: people, family: "group")),
        ], peopleColumn: "people")
    }

    /// A sentence for reports (exact counts: for the analyst's terminal).
    public var summary: String {
        "\(down) of \(up + same + down + notJudged) treated people's use went down, \(same) stayed within \(Self.sameWithinPercent)% and \(up) went up"
            + (notJudged > 0 ? " (\(notJudged) not judged)" : "")
    }
}
