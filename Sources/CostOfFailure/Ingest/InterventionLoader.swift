/// Loads an interventions file: `person_id, start_date` plus optional `end_date, programme, cost`.
public struct InterventionLoader: Sendable {
    /// The CSV reader to use.
    public var reader: CSVReader
    /// How the file's person IDs are brought to the events' form (see ``PersonIDNormalisation``).
    public var personID: PersonIDNormalisation
    /// How the file is written: header names, date format, delimiter, encoding.
    public var mapping: InputMapping

    /// The engine's names of the file's columns (a project file's `columns` may rename them).
    public static let columns = ["person_id", "start_date", "end_date", "programme", "cost"]

    /// Creates a loader.
    public init(reader: CSVReader = CSVReader(), personID: PersonIDNormalisation = .none, mapping: InputMapping = .standard) {
        self.reader = reader
        self.personID = personID
        self.mapping = mapping
    }

    /// Reads `source`; an end before the start is an error.
    public func load(_ source: InputSource) throws(IngestError) -> InterventionTable {
        var entries: [InterventionTable.Entry] = []
        // A file names a handful of programmes over many rows: the last one's text is reused.
        var programme: String?
        try forEachRow(source) { (row, person, start, end, cost) in
            if !(programme.map { row.holds(3, $0) } ?? false) { programme = row.text(3) }
            entries.append(.init(personID: String(decoding: person, as: UTF8.self), start: start, end: end,
                                 programme: programme, costPence: cost))
        }
        return InterventionTable(entries: entries)
    }

    /// Reads `source` as ``load(_:)`` does, with the same checks and errors, but keeps only what
    /// a one-pass comparison follows: the treated people and their index dates, as
    /// ``InterventionTable/cohort()`` gives them. No row is made into a `String` or an entry,
    /// which at an ICB's hundreds of thousands of rows was most of the time `cof compare` (and
    /// each `cof partial`) spent before it could read an event.
    public func loadCohort(_ source: InputSource) throws(IngestError) -> (people: StringDictionary, indexDates: [CivilDate]) {
        // A row of the shortest useful kind ("P1,2020-01-01") is 14 bytes; most are longer.
        var builder = CohortBuilder(rows: source.fileSize.map { $0 / 32 } ?? 0)
        try forEachRow(source) { (_, person, start, _, _) in
            builder.append(id: person, start: start)
        }
        return builder.finish()
    }

    /// Calls `body` with each checked row: the row, its person's ID (trimmed, not empty), start,
    /// end (on or after the start) and cost.
    private func forEachRow(
        _ source: InputSource,
        _ body: (SmallTableReader.Row, UnsafeRawBufferPointer, CivilDate, CivilDate?, Pence?) throws(IngestError) -> Void
    ) throws(IngestError) {
        let normaliser = personID.isIdentity ? nil : PersonIDNormaliser(personID)
        var normalised: [UInt8] = []
        _ = try SmallTableReader(reader: reader).read(
            source, wanted: Self.columns, required: ["person_id", "start_date"], mapping: mapping
        ) { (row) throws(IngestError) in
            let person = try row.requiredBytes(0)
            guard let start = try row.date(1) else {
                throw row.error(1, .missingValue, "missing value: expected a start date in every row")
            }
            let end = try row.date(2)
            if let end, end < start {
                throw row.error(2, .badDate, "bad date: expected an end date on or after the start date")
            }
            guard let normaliser else { return try body(row, person, start, end, try row.money(4)) }
            do throws(PersonIDNormaliser.Failure) {
                try normaliser.normalise(person, into: &normalised)
            } catch {
                throw row.error(0, error.kind, error.detail)
            }
            let cost = try row.money(4)
            var failure: IngestError?
            normalised.withUnsafeBytes { id in
                do throws(IngestError) { try body(row, id, start, end, cost) } catch { failure = error }
            }
            if let failure { throw failure }
        }
    }
}
