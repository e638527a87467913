/// Loads event files into an ``EventTable``: one ``EventSource`` per agency export, each with
/// its own column names, constants, date format, delimiter and encoding.
///
/// Fields are decoded from the bytes libcsv hands over: strings are interned (transcoded from
/// Windows-1252 or checked as UTF-8 only when they hold a byte above 0x7F), dates, quantities and
/// money parsed in place, so no `String` is made per field. A bad row stops the load or is set
/// aside, as the ``ErrorPolicy`` says; either way it is named by file, line, record and column.
public struct EventLoader: Sendable {
    /// The engine's event columns.
    public enum Column: Int, CaseIterable, Sendable, Hashable {
        case personID, service, event, date, quantity, cost

        /// The engine's name for the column (and the header name looked for by default).
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

        /// The column called `name` (`person_id`, `service`, ...).
        public init?(name: String) {
            guard let column = Column.allCases.first(where: { $0.name == name }) else { return nil }
            self = column
        }
    }

    /// What to do with bad rows.
    public var policy: ErrorPolicy
    /// Bytes read per chunk.
    public var chunkSize: Int
    /// The longest field accepted.
    public var maxFieldBytes: Int

    /// Creates a loader.
    public init(policy: ErrorPolicy = .failFast, chunkSize: Int = 1 << 20, maxFieldBytes: Int = 1 << 20) {
        self.policy = policy
        self.chunkSize = chunkSize
        self.maxFieldBytes = maxFieldBytes
    }

    /// Loads every source, in order, into one table.
    public func load(_ sources: [EventSource]) throws(IngestError) -> EventTable {
        var builder = EventTableBuilder()
        for source in sources {
            try append(source, to: &builder)
        }
        return builder.finish()
    }

    /// Loads files written in the engine's own format.
    public func load(_ inputs: [InputSource]) throws(IngestError) -> EventTable {
        try load(inputs.map { EventSource($0) })
    }

    /// Appends the events of one source to `builder`, with its reconciliation and rejects.
    public func append(_ source: EventSource, to builder: inout EventTableBuilder) throws(IngestError) {
        let file = source.input.displayName
        var layout: SourceLayout?
        var loaded = 0, rejected = 0
        var scratch: [UInt8] = []
        let reader = CSVReader(dialect: source.dialect, chunkSize: chunkSize, maxFieldBytes: maxFieldBytes)
        let policy = self.policy

        func reject(_ error: IngestError) throws(IngestError) {
            // Nothing can be set aside before the header is known: a bad header stops the load.
            guard policy.mode == .reject, layout != nil else { throw error }
            rejected += 1
            builder.noteReject(error)
            if let limit = policy.maxRejectsPerSource, rejected > limit {
                throw IngestError(file: file, line: error.line, record: error.record, kind: .tooManyRejects,
                                  detail: "too many rejected rows: more than \(limit) in this file (the last: \(error.kind.rawValue)); expected at most \(limit)")
            }
        }

        let columnName = { (field: Int) -> String? in
            guard let header = layout?.header, field < header.count else { return nil }
            return header[field]
        }
        let summary = try reader.read(source.input, columnName: columnName, onBadRecord: reject) { (batch: RecordBatch) throws(IngestError) in
            try batch.withRecords { (view) throws(IngestError) in
                var r = 0
                if layout == nil {
                    let first = view.firstField(of: 0)
                    var names: [String] = []
                    for index in first..<first + view.fieldCount(of: 0) {
                        names.append(SourceLayout.headerText(view.field(index), encoding: source.encoding))
                    }
                    var newLayout = try SourceLayout(header: names, source: source, line: batch.recordLines[0])
                    if let service = source.constantService { newLayout.constantService = builder.services.intern(service) }
                    if let event = source.constantEvent { newLayout.constantEvent = builder.events.intern(event) }
                    layout = newLayout
                    r = 1
                }
                let layout = layout.unsafelyUnwrapped
                var row = RowDecoder(view: view, layout: layout, encoding: source.encoding)
                // One pass over the batch's bytes (8 at a time) usually proves them all ASCII, and
                // then no field needs an encoding check or transcoding.
                row.allASCII = FieldDecoder.isASCII(view.bytes)
                while r < batch.count {
                    row.first = view.firstField(of: r)
                    row.count = view.fieldCount(of: r)
                    if let problem = row.decode(into: &builder, scratch: &scratch) {
                        var detail = problem.detail
                        if policy.showValues, let column = problem.column {
                            detail += "; found '\(String(decoding: row.field(column), as: UTF8.self))'"
                        }
                        try reject(IngestError(file: file, line: batch.recordLines[r], record: batch.firstRecordNumber + r,
                                               column: problem.column.map { layout.headerName(of: $0) }, kind: problem.kind,
                                               detail: detail))
                    } else {
                        loaded += 1
                    }
                    r += 1
                }
            }
        }
        if layout == nil {
            throw IngestError(file: file, kind: .emptyFile,
                              detail: "empty file: expected a header row naming person_id, service, event, date")
        }
        let reconciliation = SourceReconciliation(file: file, read: summary.records - 1 + summary.blankLines,
                                                  loaded: loaded, rejected: rejected, blank: summary.blankLines)
        precondition(reconciliation.balances, "rows unaccounted for in \(file): \(reconciliation)")
        builder.noteSource(reconciliation)
    }
}

/// Where a source's columns are, found from its header once.
struct SourceLayout {
    /// Position of each engine column in the file (by `Column.rawValue`), or -1 when absent or
    /// set by a constant. A tuple, not an array: the row decoder copies the layout per batch
    /// and reads it per field, with no reference counting.
    var position: (Int, Int, Int, Int, Int, Int)
    /// The header as the file spells it.
    let header: [String]
    /// Dictionary codes of the source's constant service and event, when it sets them.
    var constantService: Int32?
    var constantEvent: Int32?
    let dateFormat: DateFormat

    init(header: [String], source: EventSource, line: Int) throws(IngestError) {
        let file = source.input.displayName
        let columns = EventLoader.Column.allCases
        let required: Set<String> = Set(
            [EventLoader.Column.personID, .date, .service, .event]
                .filter { source.constant(for: $0) == nil }
                .map { source.headerName(of: $0) })
        let map = try HeaderMap(header: header, wanted: columns.map { source.headerName(of: $0) }, required: [], file: file, line: line)
        for column in columns where map.positions[column.rawValue] == nil && source.constant(for: column) == nil {
            let name = source.headerName(of: column)
            if source.columns[column] != nil {
                throw IngestError(file: file, line: line, record: 1, column: name, kind: .unknownColumn,
                                  detail: "unknown column: the project maps \(column.name) to '\(name)', which is not in the header; found \(HeaderMap.describe(header))")
            }
            if required.contains(name) {
                throw IngestError(file: file, line: line, record: 1, column: name, kind: .missingColumn,
                                  detail: "missing column: expected a column named '\(name)' in the header; found \(HeaderMap.describe(header))")
            }
        }
        let found = columns.map { column in source.constant(for: column) == nil ? (map.positions[column.rawValue] ?? -1) : -1 }
        position = (found[0], found[1], found[2], found[3], found[4], found[5])
        self.header = header
        self.dateFormat = source.dateFormat
    }

    /// Position of `column` in the file, or -1.
    @inline(__always)
    func position(of column: EventLoader.Column) -> Int {
        switch column {
        case .personID: return position.0
        case .service: return position.1
        case .event: return position.2
        case .date: return position.3
        case .quantity: return position.4
        case .cost: return position.5
        }
    }

    /// The file's header name of `column`.
    func headerName(of column: EventLoader.Column) -> String {
        let p = position(of: column)
        return p >= 0 ? header[p] : column.name
    }

    /// A header cell as text, transcoded from Windows-1252 when the file is in it.
    static func headerText(_ bytes: UnsafeRawBufferPointer, encoding: TextEncoding) -> String {
        guard encoding == .windows1252 else { return String(decoding: bytes, as: UTF8.self) }
        var utf8: [UInt8] = []
        TextEncoding.transcodeWindows1252(bytes, into: &utf8)
        return String(decoding: utf8, as: UTF8.self)
    }
}

/// Decodes one record of an events file into the builder, or says what is wrong with it.
struct RowDecoder {
    let view: RecordBatch.RecordView
    let layout: SourceLayout
    let encoding: TextEncoding
    /// Index of the row's first field in the batch.
    var first = 0
    /// The row's field count.
    var count = 0
    /// Whether every byte of the batch is ASCII (so no field needs checking or transcoding).
    var allASCII = false

    init(view: RecordBatch.RecordView, layout: SourceLayout, encoding: TextEncoding) {
        self.view = view
        self.layout = layout
        self.encoding = encoding
    }

    /// A problem with a row: its kind, the column (when one), and what was expected.
    struct Problem {
        var kind: IngestError.Kind
        var column: EventLoader.Column?
        var detail: String
    }

    /// The bytes of `column` in this row (empty when the source has no such column).
    @inline(__always)
    func field(_ column: EventLoader.Column) -> UnsafeRawBufferPointer {
        let p = layout.position(of: column)
        return p >= 0 ? view.field(first + p) : UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// Appends the row to `builder`, or returns its first problem and appends nothing.
    @inline(__always)
    mutating func decode(into builder: inout EventTableBuilder, scratch: inout [UInt8]) -> Problem? {
        let width = layout.header.count
        // A trailing delimiter on a data row (one extra, empty field) is an export quirk, not data.
        guard count == width || (count == width + 1 && FieldDecoder.isBlank(view.field(first + width))) else {
            return Problem(kind: .wrongFieldCount, column: nil,
                           detail: "wrong number of fields: expected \(width) as in the header, found \(count)")
        }
        let personField = field(.personID)
        if FieldDecoder.isBlank(personField) {
            return Problem(kind: .missingValue, column: .personID, detail: "missing value: expected a person_id in every row")
        }
        if FieldDecoder.isExcelScientific(personField) {
            return Problem(kind: .excelMangledID, column: .personID,
                           detail: "ID mangled by Excel: expected the ID's own digits, found a number in scientific notation (its digits are lost; export the column as text)")
        }
        let dateField = field(.date)
        guard let day = FieldDecoder.date(dateField, format: layout.dateFormat) else {
            if FieldDecoder.isBlank(dateField) { return Problem(kind: .missingValue, column: .date, detail: "missing value: expected a date in every row") }
            return Problem(kind: .badDate, column: .date,
                           detail: "bad date: expected \(layout.dateFormat.expectation); \(FieldDiagnosis.date(dateField, format: layout.dateFormat))")
        }
        var quantity: Int32 = 1
        let quantityField = field(.quantity)
        if !FieldDecoder.isBlank(quantityField) {
            guard let value = FieldDecoder.quantity(quantityField) else {
                return Problem(kind: .badQuantity, column: .quantity,
                               detail: "bad quantity: expected \(FieldDecoder.Expectation.quantity); \(FieldDiagnosis.quantity(quantityField))")
            }
            quantity = value
        }
        var cost: Pence?
        let costField = field(.cost)
        if !FieldDecoder.isBlank(costField) {
            let value: Pence?
            if !allASCII, encoding == .windows1252, !FieldDecoder.isASCII(costField) {
                scratch.removeAll(keepingCapacity: true)
                TextEncoding.transcodeWindows1252(costField, into: &scratch)
                value = scratch.withUnsafeBytes { FieldDecoder.money($0) }
            } else {
                value = FieldDecoder.money(costField)
            }
            guard let value else {
                if let problem = checkText(costField, .cost) { return problem }
                return Problem(kind: .badNumber, column: .cost,
                               detail: "bad amount: expected \(FieldDecoder.Expectation.money); \(FieldDiagnosis.money(costField))")
            }
            cost = value
        }
        // Strings last, so that a rejected row adds nothing to the dictionaries.
        var service = layout.constantService ?? -1
        if service < 0 {
            let bytes = field(.service)
            if FieldDecoder.isBlank(bytes) { return Problem(kind: .missingValue, column: .service, detail: "missing value: expected a service in every row") }
            if !allASCII, let problem = checkText(bytes, .service) { return problem }
        }
        var event = layout.constantEvent ?? -1
        if event < 0 {
            let bytes = field(.event)
            if FieldDecoder.isBlank(bytes) { return Problem(kind: .missingValue, column: .event, detail: "missing value: expected an event in every row") }
            if !allASCII, let problem = checkText(bytes, .event) { return problem }
        }
        if !allASCII, let problem = checkText(personField, .personID) { return problem }
        let person: Int32
        if allASCII || encoding == .utf8 {
            // The common case: bytes go into the dictionaries as they are.
            if service < 0 { service = builder.services.intern(field(.service)) }
            if event < 0 { event = builder.events.intern(field(.event)) }
            person = builder.persons.intern(personField)
        } else {
            if service < 0 { service = intern(field(.service), into: &builder.services, scratch: &scratch) }
            if event < 0 { event = intern(field(.event), into: &builder.events, scratch: &scratch) }
            person = intern(personField, into: &builder.persons, scratch: &scratch)
        }
        builder.append(person: person, service: service, event: event, day: day, quantity: quantity, explicitCost: cost)
        return nil
    }

    /// A text field's encoding problem, if any (UTF-8 sources only; every byte sequence is
    /// valid Windows-1252).
    private func checkText(_ bytes: UnsafeRawBufferPointer, _ column: EventLoader.Column) -> Problem? {
        guard !allASCII, encoding == .utf8, !FieldDecoder.isASCII(bytes), let offset = TextEncoding.firstInvalidUTF8(bytes) else { return nil }
        return Problem(kind: .badEncoding, column: column,
                       detail: "invalid UTF-8 at byte \(offset + 1) of the field: expected UTF-8 text (a file saved by Excel may be windows-1252: set the source's encoding)")
    }

    /// The dictionary code of a text field, transcoding it first when the source is Windows-1252.
    private func intern(_ bytes: UnsafeRawBufferPointer, into dictionary: inout StringDictionary, scratch: inout [UInt8]) -> Int32 {
        guard !allASCII, encoding == .windows1252, !FieldDecoder.isASCII(bytes) else { return dictionary.intern(bytes) }
        scratch.removeAll(keepingCapacity: true)
        TextEncoding.transcodeWindows1252(bytes, into: &scratch)
        return scratch.withUnsafeBytes { dictionary.intern($0) }
    }
}
