/// Loads an interventions file: `person_id, start_date` plus optional `end_date, programme, cost`.
public struct InterventionLoader: Sendable {
    /// The CSV reader to use.
    public var reader: CSVReader

    /// Creates a loader.
    public init(reader: CSVReader = CSVReader()) { self.reader = reader }

    /// Reads `source`; an end before the start is an error.
    public func load(_ source: InputSource) throws(IngestError) -> InterventionTable {
        var entries: [InterventionTable.Entry] = []
        // A file names a handful of programmes over many rows: the last one's text is reused.
        var programme: String?
        _ = try SmallTableReader(reader: reader).read(
            source, wanted: ["person_id", "start_date", "end_date", "programme", "cost"],
            required: ["person_id", "start_date"]
        ) { (row) throws(IngestError) in
            let person = try row.required(0)
            guard let start = try row.date(1) else {
                throw row.error(1, .missingValue, "missing value: expected a start date in every row")
            }
            let end = try row.date(2)
            if let end, end < start {
                throw row.error(2, .badDate, "bad date: expected an end date on or after the start date")
            }
            if !(programme.map { row.holds(3, $0) } ?? false) { programme = row.text(3) }
            entries.append(.init(personID: person, start: start, end: end, programme: programme, costPence: try row.money(4)))
        }
        return InterventionTable(entries: entries)
    }
}
