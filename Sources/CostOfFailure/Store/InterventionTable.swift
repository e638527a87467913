/// Who received an intervention and when: one row per (person, programme start).
public struct InterventionTable: Sendable {
    /// One intervention row.
    public struct Entry: Sendable, Equatable {
        /// The person, as in the events files.
        public var personID: String
        /// First day of the intervention.
        public var start: CivilDate
        /// Last day, when it has ended.
        public var end: CivilDate?
        /// Programme name (e.g. Liberated Method).
        public var programme: String?
        /// What the intervention cost for this person, in pence, when recorded here.
        public var costPence: Pence?

        /// Creates an entry.
        public init(personID: String, start: CivilDate, end: CivilDate? = nil, programme: String? = nil, costPence: Pence? = nil) {
            self.personID = personID
            self.start = start
            self.end = end
            self.programme = programme
            self.costPence = costPence
        }
    }

    /// Rows in file order.
    public let entries: [Entry]

    /// Creates a table.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Each person's index date: the earliest start among their rows.
    public var indexDates: [PersonID: CivilDate] {
        var dates: [PersonID: CivilDate] = [:]
        for entry in entries {
            let id = PersonID(entry.personID)
            if let known = dates[id], known <= entry.start { continue }
            dates[id] = entry.start
        }
        return dates
    }

    /// The treated people as a dictionary whose codes follow the byte order of their IDs (the
    /// output order), with each one's index date by code: what a one-pass scan follows (see
    /// ``CohortBuilder``; ``InterventionLoader/loadCohort(_:)`` makes the same from a file
    /// without making the table).
    public func cohort() -> (people: StringDictionary, indexDates: [CivilDate]) {
        builder().finish()
    }

    /// ``cohort()``, with the rows' recorded costs by the cohort's codes: all that the per-person
    /// analyses need of the rows, so that the table itself can be let go (see ``InterventionCosts``).
    public func cohortWithCosts() -> (people: StringDictionary, indexDates: [CivilDate], costs: InterventionCosts) {
        let (people, indexDates, codes) = builder().finishCodingRows()
        return (people, indexDates, InterventionCosts(self, codes: codes))
    }

    /// A cohort builder holding every row.
    private func builder() -> CohortBuilder {
        var builder = CohortBuilder(rows: entries.count)
        for entry in entries {
            var id = entry.personID
            id.withUTF8 { builder.append(id: UnsafeRawBufferPointer($0), start: entry.start) }
        }
        return builder
    }
}
