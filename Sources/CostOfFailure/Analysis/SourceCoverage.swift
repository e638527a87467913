/// How much of the cohort one event source covers: its rows, how many of the cohort's people it
/// has a row of, and how many of its people are outside the cohort.
///
/// A source that covers none or almost none of the cohort (under ``minimumCohortShare``) while
/// it has rows is the usual sign of IDs written another way (`083 016 6130` against `0830166130`,
/// another case, a prefix): its rows then add nothing to anyone and the result silently comes
/// from the other sources. ``warning`` says so. Counts of people only: no ID is kept.
public struct SourceCoverage: Sendable, Equatable {
    /// The share of the cohort under which a source with rows is warned about: one rule, stated
    /// once (5%).
    public static let minimumCohortShare = 0.05

    /// The source as named by the user.
    public var file: String
    /// Rows loaded from it.
    public var rows: Int
    /// People of the cohort with at least one row in it.
    public var cohortPeople: Int
    /// People in the cohort (the interventions file's).
    public var cohortSize: Int
    /// People with rows in it who are not in the cohort.
    public var peopleOutsideCohort: Int

    /// Creates a coverage.
    public init(file: String, rows: Int, cohortPeople: Int, cohortSize: Int, peopleOutsideCohort: Int) {
        self.file = file
        self.rows = rows
        self.cohortPeople = cohortPeople
        self.cohortSize = cohortSize
        self.peopleOutsideCohort = peopleOutsideCohort
    }

    /// Whether the source has rows but covers less than ``minimumCohortShare`` of a cohort.
    public var coversTooLittle: Bool {
        rows > 0 && cohortSize > 0 && Double(cohortPeople) < Self.minimumCohortShare * Double(cohortSize)
    }

    /// The warning for a source that covers too little of the cohort (no count in it, so it can
    /// go anywhere), or `nil`.
    public var warning: String? {
        guard coversTooLittle else { return nil }
        let share = Int((Self.minimumCohortShare * 100).rounded())
        return "\(file): \(cohortPeople == 0 ? "covers none" : "covers under \(share)%") of the cohort's people though it has rows: a sign of mismatched ID formats (compare its person IDs with the interventions file's; a source's \"person_id\" settings in the project file can normalise them)"
    }

    /// Each source's coverage of the cohort `cohort` (people by ID, any coding) in `events`, in
    /// source order: tallied from the table by the streaming pass's own tally
    /// (``SourceCoverageTally``), so the two paths count alike (people outside the cohort by the
    /// 64-bit hash of their ID, exact but for a collision, as the tally says).
    public static func measure(events: EventTable, cohort: StringDictionary) -> [SourceCoverage] {
        let tally = SourceCoverageTally(table: events, cohort: cohort)
        return zip(events.sources, tally.finished).map { source, counts in
            SourceCoverage(file: source.file, rows: source.loaded, cohortPeople: counts.cohortPeople, cohortSize: cohort.count,
                           peopleOutsideCohort: counts.outside)
        }
    }

    /// The coverages as a table for publishing: every count of people rests on those people, so
    /// disclosure control withholds and rounds them as any count (the rows rest on the people
    /// with rows in the source).
    public static func resultTable(_ coverages: [SourceCoverage]) -> ResultTable {
        let covered = coverages.map { Int64($0.cohortPeople) }, outside = coverages.map { Int64($0.peopleOutsideCohort) }
        let withRows = coverages.map { Int64($0.cohortPeople + $0.peopleOutsideCohort) }
        return ResultTable(name: "source_coverage", title: "Each event source's coverage of the cohort", columns: [
            ResultColumn("source", .text(coverages.map(\.file))).asLabel(),
            ResultColumn("rows", .integer(coverages.map { Int64($0.rows) })).resting(on: DisclosureBasis(role: .count, people: withRows)),
            ResultColumn("cohort_people_covered", .integer(covered)).resting(on: DisclosureBasis(role: .count, people: covered)),
            ResultColumn("cohort_people", .integer(coverages.map { Int64($0.cohortSize) }))
                .resting(on: DisclosureBasis(role: .count, people: coverages.map { Int64($0.cohortSize) })),
            ResultColumn("people_outside_cohort", .integer(outside)).resting(on: DisclosureBasis(role: .count, people: outside)),
        ])
    }
}
