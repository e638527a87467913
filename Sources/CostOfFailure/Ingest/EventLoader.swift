/// Loads event files (`person_id, service, event, date, quantity, cost`) into an ``EventTable``.
///
/// Columns are found by header name; `quantity` (default 1) and `cost` (explicit pounds) are
/// optional. Fields are decoded from the bytes libcsv hands over: strings are interned, dates,
/// quantities and money parsed in place, so no `String` is made per field. The first problem
/// stops the load with an ``IngestError`` naming file, line, record and column.
public struct EventLoader: Sendable {
    /// The engine's event columns, in the order ``EventLoader`` asks for them.
    public enum Column: Int, CaseIterable, Sendable {
        case personID, service, event, date, quantity, cost

        /// The header name.
        public var name: String {
            switch self {
            case .personID: return "person_id"
            case .service: return "service"
            case .event: return "event"
            case .date: return "date"
            case .quantity: return "quantity"
            case .cost: return "cost"
            }
        }
    }

    /// The CSV reader (dialect and chunk size).
    public var reader: CSVReader

    /// Creates a loader.
    public init(reader: CSVReader = CSVReader()) {
        self.reader = reader
    }

    /// Loads every source, in order, into one table.
    public func load(_ sources: [InputSource]) throws(IngestError) -> EventTable {
        var builder = EventTableBuilder()
        for source in sources {
            try append(source, to: &builder)
        }
        return builder.finish()
    }

    /// Appends the events of one source to `builder`.
    public func append(_ source: InputSource, to builder: inout EventTableBuilder) throws(IngestError) {
        let file = source.displayName
        let required: Set<String> = ["person_id", "service", "event", "date"]
        var header: HeaderMap?
        var position = [Int](repeating: -1, count: Column.allCases.count)
        var rows = 0
        let summary = try reader.read(source) { (batch: RecordBatch) throws(IngestError) in
            try batch.withRecords { (view) throws(IngestError) in
                var r = 0
                if header == nil {
                    let first = view.firstField(of: 0)
                    let names = (first..<first + view.fieldCount(of: 0)).map { view.string($0) }
                    let map = try HeaderMap(header: names, wanted: Column.allCases.map(\.name), required: required,
                                            file: file, line: batch.recordLines[0])
                    for column in Column.allCases { position[column.rawValue] = map.positions[column.rawValue] ?? -1 }
                    header = map
                    r = 1
                }
                let width = header!.names.count
                while r < batch.count {
                    let first = view.firstField(of: r)
                    let count = view.fieldCount(of: r)
                    func failure(_ column: Column?, _ kind: IngestError.Kind, _ detail: String) -> IngestError {
                        IngestError(file: file, line: batch.recordLines[r], record: batch.firstRecordNumber + r,
                                    column: column.map { header!.names[position[$0.rawValue]] }, kind: kind, detail: detail)
                    }
                    guard count == width else {
                        throw failure(nil, .wrongFieldCount, "wrong number of fields: expected \(width) as in the header, found \(count)")
                    }
                    func field(_ column: Column) -> UnsafeRawBufferPointer {
                        view.field(first + position[column.rawValue])
                    }
                    func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
                        let (start, end) = FieldDecoder.trimmed(bytes)
                        return start == end
                    }
                    let personField = field(.personID), serviceField = field(.service), eventField = field(.event)
                    if isBlank(personField) { throw failure(.personID, .missingValue, "missing value: expected a person_id in every row") }
                    if isBlank(serviceField) { throw failure(.service, .missingValue, "missing value: expected a service in every row") }
                    if isBlank(eventField) { throw failure(.event, .missingValue, "missing value: expected an event in every row") }
                    let dateField = field(.date)
                    guard let day = FieldDecoder.date(dateField) else {
                        if isBlank(dateField) { throw failure(.date, .missingValue, "missing value: expected a date in every row") }
                        throw failure(.date, .badDate, "bad date: expected \(FieldDecoder.Expectation.date)")
                    }
                    var quantity: Int32 = 1
                    if position[Column.quantity.rawValue] >= 0 {
                        let bytes = field(.quantity)
                        if !isBlank(bytes) {
                            guard let value = FieldDecoder.quantity(bytes) else {
                                throw failure(.quantity, .badQuantity, "bad quantity: expected \(FieldDecoder.Expectation.quantity)")
                            }
                            quantity = value
                        }
                    }
                    var cost: Pence?
                    if position[Column.cost.rawValue] >= 0 {
                        let bytes = field(.cost)
                        if !isBlank(bytes) {
                            guard let value = FieldDecoder.money(bytes) else {
                                throw failure(.cost, .badNumber, "bad amount: expected \(FieldDecoder.Expectation.money)")
                            }
                            cost = value
                        }
                    }
                    builder.append(person: builder.persons.intern(personField),
                                   service: builder.services.intern(serviceField),
                                   event: builder.events.intern(eventField),
                                   day: day, quantity: quantity, explicitCost: cost)
                    rows += 1
                    r += 1
                }
            }
        }
        if header == nil {
            throw IngestError(file: file, kind: .emptyFile,
                              detail: "empty file: expected a header row naming person_id, service, event, date")
        }
        builder.noteSource(file: file, rows: rows, blankLines: summary.blankLines)
    }
}
