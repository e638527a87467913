/// Rows of the person × service comparison as codes and figures, before any `String` is made:
/// a block of a one-pass scan's result for a renderer that writes bytes (`cof compare`'s CSV),
/// and what that block's ``BeforeAfterTable`` is made from.
///
/// Making a `BeforeAfterTable.Row` gives every row a person ID and a service name as `String`s, whose
/// references are counted as rows are made, copied and freed: at 10M events (363,000 rows) that
/// and the rows themselves were a fifth of the time spent on the result after the parse.
public struct CodedBeforeAfterTable: Sendable {
    /// One (person, service) pair's figures, by code.
    public struct Row: Sendable, Equatable, BeforeAfterFigures {
        /// The person's code in ``CodedBeforeAfterTable/persons``.
        public var person: Int32
        /// The service's code in ``CodedBeforeAfterTable/services``.
        public var service: Int32
        public var before: PeriodFigures
        public var after: PeriodFigures
        public var beforeDays: Int
        public var afterDays: Int

        /// Creates a row.
        public init(person: Int32, service: Int32, before: PeriodFigures, after: PeriodFigures, beforeDays: Int, afterDays: Int) {
            self.person = person
            self.service = service
            self.before = before
            self.after = after
            self.beforeDays = beforeDays
            self.afterDays = afterDays
        }
    }

    /// Rows in output order: by person ID, then service name, byte-wise.
    public let rows: [Row]
    /// The people's IDs by code.
    public let persons: StringDictionary
    /// The services' names by code.
    public let services: StringDictionary

    /// Rows coded into `persons` and `services`, already in output order (checked in debug builds).
    public init(rows: [Row], persons: StringDictionary, services: StringDictionary) {
        self.rows = rows
        self.persons = persons
        self.services = services
        // BeforeAfterTable(rows:) checks the order in debug builds.
        assert({ _ = BeforeAfterTable(self); return true }())
    }
}

extension BeforeAfterTable {
    /// The same rows with their person IDs and service names as text.
    public init(_ coded: CodedBeforeAfterTable) {
        var rows: [Row] = []
        rows.reserveCapacity(coded.rows.count)
        let serviceNames = coded.services.values
        var person: (code: Int32, id: String) = (-1, "")
        for row in coded.rows {
            if row.person != person.code { person = (row.person, coded.persons[row.person]) }
            rows.append(Row(personID: person.id, service: serviceNames[Int(row.service)], before: row.before, after: row.after,
                            beforeDays: row.beforeDays, afterDays: row.afterDays))
        }
        self.init(rows: rows)
    }
}
