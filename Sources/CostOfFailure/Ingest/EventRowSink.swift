/// Decodes an events file inside libcsv's callbacks, straight into columns.
///
/// The C callbacks hand each field's bytes to ``field(_:readable:)``, which keeps them in a
/// slot of ``RecordFields``, and each record end to ``endRecord(line:record:)``, which decodes
/// the record's fields in a fixed order of roles (dates, quantities and money parsed in place
/// in their slots); text not found in a dictionary at once is copied into a small scratch
/// buffer and interned only once the whole row is known to be good, so a rejected row leaves no
/// trace in the dictionaries. Nothing is allocated per field, and no reference-counted object is
/// touched per field. A bad row is set aside or stops the load as the ``ErrorPolicy`` says; the
/// sink records the first fatal error and ignores everything after it.
struct EventRowSink {
    /// What a field of the file holds.
    enum Role: UInt8 {
        case ignored, person, service, event, date, quantity, cost, endDate
    }

    // Configuration.
    let source: EventSource
    let policy: ErrorPolicy
    private let file: String
    // Copies of the settings read per field, so the hot path touches plain values only.
    private let dateFormat: DateFormat
    /// Whether `YYYY-MM-DD` is a date under ``dateFormat`` (what ``dateCache`` holds).
    private let readsYearFirst: Bool
    private var dateCache = DateCache()
    private let windows1252: Bool
    /// The source's person ID normalisation, unless it has none (see ``normalisedPersonField(_:)``).
    private let personIDNormaliser: PersonIDNormaliser?
    /// The normalised ID of the row being read (reused: no allocation per row once grown).
    private var normalisedID: [UInt8] = []
    /// Whether a field's bytes can be looked up as they are (the file is UTF-8; in
    /// Windows-1252 only ASCII bytes mean the same in both).
    @inline(__always)
    private func canLookUp(_ bytes: UnsafeRawBufferPointer) -> Bool {
        !windows1252 || FieldDecoder.isASCII(bytes)
    }

    // The layout, known once the header has been read.
    private(set) var header: [String] = []
    private(set) var hasLayout = false
    /// Whether the source turned out to have no header row (``EventSource/HeaderRow/optional``):
    /// its first record was data.
    private(set) var headerless = false
    /// Whether the header row had more fields than a header may (``HeaderMap/mostColumns``):
    /// the rest were not kept, and the row is refused at its end.
    private var headerTooWide = false
    /// The first record's fields as bytes, while it may still be data rather than a header.
    private var firstRecord: [[UInt8]] = []
    private var roles: [Role] = []
    /// Where each role's field is in a record (-1: not in this file), for ``decodeFields()``.
    private struct Columns {
        var person = -1, service = -1, event = -1, date = -1, quantity = -1, cost = -1, endDate = -1
    }
    private var columns = Columns()
    /// The record's fields, kept until its end (room for none before the header is read).
    private var fields = RecordFields(capacity: 0)
    private var constantService: Int32 = -1
    private var constantEvent: Int32 = -1

    // The row being read.
    private var fieldIndex = 0
    private var day: Int32 = 0
    private var quantity: Int32 = 1
    private var cost: Pence = 0
    private var costPresent = false
    /// The row's end date (a spell, see ``Spell``), when ``hasEndDate``.
    private var endDay: Int32 = 0
    private var hasEndDate = false
    /// Codes of the row's text fields found at once in their dictionaries (``pending`` when
    /// not: their bytes wait in ``text`` for the end of the row).
    private var personCode = pending, serviceCode = pending, eventCode = pending
    private static let pending = Int32.min
    /// The row's person was staged for a lookup at the end of the morsel.
    private static let staged = Int32.min + 1
    /// The row's person ID is held in ``heldID`` until the rest of the row is decoded, when the
    /// followed people's filter word asked for with it has arrived.
    private static let held = Int32.min + 2
    /// A followed-people scan's person ID of up to 32 bytes, and its hash.
    private var heldID = InlineID()
    private var heldHash: UInt64 = 0
    /// Bytes of the text fields not found at once, end to end (in the order they came).
    private var text: [UInt8] = []
    private var personRange = 0..<0, serviceRange = 0..<0, eventRange = 0..<0
    private var problem: Problem? {
        didSet { hasProblem = problem != nil }
    }
    /// Whether ``problem`` is set (a plain flag for the per-row checks, as ``stopped``).
    private var hasProblem = false
    private var moneyScratch: [UInt8] = []
    /// The service and event names seen lately, in front of their dictionaries.
    private var serviceCache = NameCache(), eventCache = NameCache()

    // Sizing the columns once: bytes of the input this sink will see (when known), and bytes
    // seen so far in the fields of data rows.
    var expectedBytes = 0
    private var fieldBytes = 0

    // Output.
    /// The rows decoded so far (and the dictionaries).
    var builder: EventTableBuilder
    /// For a streaming scan: how many rows to collect before handing them to ``onMorsel`` and
    /// emptying the columns (0: the builder keeps every row).
    var morselRows = 0 {
        didSet { morsel = morselRows > 0 ? MorselBuffer(capacity: morselRows) : nil }
    }
    /// Where a streaming scan's rows go until the morsel is handed on (see ``MorselBuffer``).
    private var morsel: MorselBuffer?
    /// Takes each morsel of rows, in file order.
    var onMorsel: ((borrowing EventTableBuilder) -> Void)?
    /// Where the reader counts the bytes and rows it read, when anything does.
    var progress: ReadProgress?
    /// Data rows loaded.
    private(set) var loaded = 0
    /// Data rows set aside.
    private(set) var rejected = 0
    /// Data rows read: loaded or set aside.
    var rowsRead: Int { loaded + rejected }
    /// The error that stopped the load, once there is one.
    private(set) var fatal: IngestError? {
        didSet { stopped = fatal != nil }
    }
    /// Whether ``fatal`` is set: a plain flag for the per-row check (testing the optional error
    /// itself calls into its value witnesses on every row).
    private var stopped = false

    /// A problem with the row being read, ranked so that a row with several reports the same one
    /// whatever its column order.
    struct Problem {
        var rank: Int
        var kind: IngestError.Kind
        var column: EventLoader.Column?
        var detail: String
    }

    init(source: EventSource, policy: ErrorPolicy, builder: EventTableBuilder) {
        self.source = source
        self.policy = policy
        self.file = source.input.displayName
        self.dateFormat = source.dateFormat
        readsYearFirst = source.dateFormat.order != .dayMonthYear
        self.windows1252 = source.encoding == .windows1252
        personIDNormaliser = source.personID.isIdentity ? nil : PersonIDNormaliser(source.personID, encoding: source.encoding)
        self.builder = builder
    }

    /// The header name of the field at `position`, for messages about it.
    func headerName(at position: Int) -> String? {
        hasLayout && position < header.count ? header[position] : nil
    }

    // MARK: Callbacks

    /// One field of the current record, whose bytes may be read `readable` bytes from their
    /// start (at least their count): kept in ``fields`` and decoded at the record's end (see
    /// ``RecordFields`` for why).
    @inline(__always)
    mutating func field(_ bytes: UnsafeRawBufferPointer, readable: Int) {
        let index = fieldIndex
        fieldIndex = index &+ 1
        fieldBytes &+= bytes.count &+ 1
        // Before the layout is known there are no roles: one test on the hot path for both.
        guard index < fields.capacity else { return fieldOutsideLayout(bytes, index: index) }
        fields.store(bytes, readable: readable, at: index)
    }

    /// One field of the current record, read from a buffer that ends with it.
    mutating func field(_ bytes: UnsafeRawBufferPointer) {
        field(bytes, readable: bytes.count)
    }

    /// Decodes the record's fields (kept by ``field(_:readable:)``), the person first so that
    /// the followed people's filter word it asks for arrives while the others are decoded.
    @inline(__always)
    private mutating func decodeFields() {
        let columns = self.columns
        if columns.person >= 0 { personField(fields[columns.person]) }
        if columns.service >= 0 { serviceField(fields[columns.service]) }
        if columns.event >= 0 { eventField(fields[columns.event]) }
        if columns.date >= 0 { dateField(fields[columns.date]) }
        // Usually empty (a count of one, a unit cost): no call for that.
        if columns.quantity >= 0, fields.count(columns.quantity) > 0 { quantityField(fields[columns.quantity]) }
        if columns.cost >= 0, fields.count(columns.cost) > 0 { costField(fields[columns.cost]) }
        if columns.endDate >= 0, fields.count(columns.endDate) > 0 { endDateField(fields[columns.endDate]) }
    }

    /// A field read before the layout is known (a header cell), or past the header's width.
    @inline(never)
    private mutating func fieldOutsideLayout(_ bytes: UnsafeRawBufferPointer, index: Int) {
        if !hasLayout {
            // A line of millions of delimiters is no header: its cells are not kept (memory
            // stays bounded) and the row is refused at its end.
            guard header.count < HeaderMap.mostColumns else {
                headerTooWide = true
                return
            }
            header.append(Self.headerText(bytes, encoding: source.encoding))
            // The first record may turn out to be data: keep its bytes to decode it as such.
            if source.header == .optional { firstRecord.append(Array(bytes)) }
        } else if index == roles.count {
            trailingFieldBlank = FieldDecoder.isBlank(bytes)
        }
    }

    @inline(never)
    private mutating func personField(_ bytes: UnsafeRawBufferPointer) {
        let value = StringDictionary.trim(bytes)
        if value.isEmpty {
            note(1, .missingValue, .personID, "missing value: expected a person_id in every row")
        } else if FieldDecoder.isExcelScientific(bytes) {
            note(1, .excelMangledID, .personID, "ID mangled by Excel: expected the ID's own digits, found a number in scientific notation (its digits are lost; export the column as text)", bytes)
        }
        // One test per row when the source has no normalisation (the usual case).
        if personIDNormaliser != nil, !value.isEmpty { return normalisedPersonField(bytes) }
        personID(bytes, trimmed: value)
    }

    /// The person ID field of a source with a normalisation: normalised into ``normalisedID``,
    /// then coded as any ID; an ID the normalisation refuses is the row's problem (its reason
    /// quotes the field only under `--show-values`).
    @inline(never)
    private mutating func normalisedPersonField(_ bytes: UnsafeRawBufferPointer) {
        // Taken out of `self` for the call, so that its bytes can be read while `self` changes.
        var id = normalisedID
        normalisedID = []
        defer { normalisedID = id }
        do throws(PersonIDNormaliser.Failure) {
            try personIDNormaliser!.normalise(bytes, into: &id)
        } catch {
            note(1, error.kind, .personID, error.detail, bytes)
            return
        }
        id.withUnsafeBytes { personID($0, trimmed: $0) }
    }

    /// Codes (or looks up, or keeps for the end of the row) the person ID `bytes`, `value`
    /// being it without the spaces around it.
    @inline(__always)
    private mutating func personID(_ bytes: UnsafeRawBufferPointer, trimmed value: UnsafeRawBufferPointer) {
        if builder.followsKnownPersonsOnly {
            // ASCII is valid text in every encoding: someone not followed needs nothing
            // more; someone who may be is looked up with the morsel's others at its end. An
            // ID with a NUL goes the slow way, to the end-of-row check (``StrayMark``), in
            // the same pass over its bytes.
            if FieldDecoder.isASCIIWithoutNUL(value) {
                let hash = StringDictionary.hash(value)
                if value.count <= InlineID.capacity {
                    // Asked for now, read once the row is decoded: the filter word's load
                    // overlaps the decoding of the row's other fields (``decodeFields()``).
                    builder.prefetchFollowedFilter(hash: hash)
                    heldID.assign(value)
                    heldHash = hash
                    personCode = Self.held
                } else {
                    heldHash = hash  // for the coverage tally, should the row be someone else's
                    personCode = builder.stageFollowedPerson(trimmed: value, hash: hash) ? Self.staged : -1
                }
                return
            }
        } else if canLookUp(bytes) {
            let code = builder.persons.lookup(bytes)
            if code >= 0 {
                personCode = code
                return
            }
        }
        personRange = appendText(bytes)
    }

    @inline(never)
    private mutating func dateField(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count == 10, readsYearFirst, let value = dateCache.days(ofTenBytes: bytes) {
            day = value
        } else if let value = FieldDecoder.date(bytes, format: dateFormat) {
            day = value
        } else if FieldDecoder.isBlank(bytes) {
            note(2, .missingValue, .date, "missing value: expected a date in every row")
        } else {
            note(2, .badDate, .date, "bad date: expected \(source.dateFormat.expectation); \(FieldDiagnosis.date(bytes, format: source.dateFormat))", bytes)
        }
    }

    @inline(never)
    private mutating func endDateField(_ bytes: UnsafeRawBufferPointer) {
        if FieldDecoder.isBlank(bytes) { return }
        if let value = FieldDecoder.date(bytes, format: dateFormat) {
            endDay = value
            hasEndDate = true
        } else {
            note(2, .badDate, .endDate, "bad end date: expected \(source.dateFormat.expectation) or blank; \(FieldDiagnosis.date(bytes, format: source.dateFormat))", bytes)
        }
    }

    /// The row's spell, when it has an end date: noted as a problem when it ends before it
    /// starts or is too long, else its nights (``Spell/Nights/single`` for a day case).
    @inline(never)
    private mutating func spellNights() -> Spell.Nights {
        let nights = Spell.nights(start: day, end: endDay)
        switch nights {
        case .endsBeforeStart:
            note(2, .badSpell, .endDate, "bad spell: the end date is before the start date; expected an end date on or after the date")
        case .tooLong:
            note(2, .badSpell, .endDate, "bad spell: more than \(Spell.maximumNights) nights between the date and the end date; expected a stay of at most \(Spell.maximumNights) nights")
        case .single, .nights: break
        }
        return nights
    }

    /// Appends the nights of a spell as one event each (see ``Spell``), the person looked up
    /// now, since every night carries their code.
    @inline(never)
    private mutating func appendSpell(person: Int32, service: Int32, event: Int32, nights: Int32) {
        var person = person
        if person == Self.staged { person = builder.takeStagedPersonCode() }
        for night in 0..<nights {
            let explicitCost = costPresent ? Spell.nightCost(cost, night: night, of: nights) : nil
            if morsel != nil {
                morsel!.append(person: person, service: service, event: event, day: day + night, quantity: quantity,
                               explicitCost: explicitCost, personHash: heldHash)
                if morsel!.isFull { flushMorsel() }
            } else {
                builder.append(person: person, service: service, event: event, day: day + night, quantity: quantity,
                               explicitCost: explicitCost)
                if morselRows > 0, builder.count >= morselRows { flushMorsel() }
            }
        }
        loaded += 1
    }

    @inline(never)
    private mutating func quantityField(_ bytes: UnsafeRawBufferPointer) {
        if FieldDecoder.isBlank(bytes) { return }
        if let value = FieldDecoder.quantity(bytes) {
            quantity = value
        } else {
            note(3, .badQuantity, .quantity, "bad quantity: expected \(FieldDecoder.Expectation.quantity); \(FieldDiagnosis.quantity(bytes))", bytes)
        }
    }

    @inline(never)
    private mutating func costField(_ bytes: UnsafeRawBufferPointer) {
        if FieldDecoder.isBlank(bytes) { return }
        var value: Pence?
        if windows1252, !FieldDecoder.isASCII(bytes) {
            moneyScratch.removeAll(keepingCapacity: true)
            TextEncoding.transcodeWindows1252(bytes, into: &moneyScratch)
            value = moneyScratch.withUnsafeBytes { FieldDecoder.money($0) }
        } else {
            value = FieldDecoder.money(bytes)
        }
        if let value {
            cost = value
            costPresent = true
        } else if !windows1252, !FieldDecoder.isASCII(bytes), let offset = TextEncoding.firstInvalidUTF8(bytes) {
            note(4, .badEncoding, .cost, Self.encodingDetail(offset))
        } else {
            note(4, .badNumber, .cost, "bad amount: expected \(FieldDecoder.Expectation.money); \(FieldDiagnosis.money(bytes))", bytes)
        }
    }

    @inline(never)
    private mutating func serviceField(_ bytes: UnsafeRawBufferPointer) {
        let value = StringDictionary.trim(bytes)
        if value.isEmpty { note(5, .missingValue, .service, "missing value: expected a service in every row") }
        (serviceCode, serviceRange) = knownOrPending(bytes, trimmed: value, service: true)
    }

    @inline(never)
    private mutating func eventField(_ bytes: UnsafeRawBufferPointer) {
        let value = StringDictionary.trim(bytes)
        if value.isEmpty { note(6, .missingValue, .event, "missing value: expected an event in every row") }
        (eventCode, eventRange) = knownOrPending(bytes, trimmed: value, service: false)
    }

    /// A service or event name's code when its dictionary already holds it (nothing copied);
    /// otherwise ``pending``, with the field's bytes kept in ``text`` for the end of the row.
    /// `value` is the field without the spaces around it.
    @inline(__always)
    private mutating func knownOrPending(_ bytes: UnsafeRawBufferPointer, trimmed value: UnsafeRawBufferPointer,
                                         service: Bool) -> (code: Int32, range: Range<Int>) {
        if canLookUp(value) {
            let key = NameCache.Key(value)
            let code = service ? serviceCache.code(of: value, key: key, in: builder.services)
                               : eventCache.code(of: value, key: key, in: builder.events)
            if code >= 0 { return (code, 0..<0) }
            let found = lookUpAndRemember(value, key: key, service: service)
            if found >= 0 { return (found, 0..<0) }
        }
        return (Self.pending, appendText(bytes))
    }

    /// A name not in the cache, looked up in its dictionary (and remembered when found), or -1.
    /// Kept out of line: the lookup builds its key on the stack by address, which made the
    /// compiler guard the frame of every call of the cached path around it.
    @inline(never)
    private mutating func lookUpAndRemember(_ value: UnsafeRawBufferPointer, key: NameCache.Key, service: Bool) -> Int32 {
        let hash = StringDictionary.hash(value)
        let code = service ? builder.services.lookup(trimmed: value, hash: hash) : builder.events.lookup(trimmed: value, hash: hash)
        if code >= 0 {
            if service { serviceCache.remember(key, code: code) } else { eventCache.remember(key, code: code) }
        }
        return code
    }

    /// The end of the current record, which started on physical line `line` and is record
    /// number `record` of the file.
    mutating func endRecord(line: Int, record: Int) {
        defer { resetRow() }
        guard !stopped else { return }
        if !hasLayout {
            if headerTooWide {
                fatal = IngestError(file: file, line: line, record: record, kind: .wrongFieldCount,
                                    detail: "a header row of more than \(HeaderMap.mostColumns) fields; expected a row of column names")
                return
            }
            guard source.header == .optional, let names = headerlessNames() else {
                readHeader(line: line)
                return
            }
            // No header: the engine's columns in order, and this record is the first row.
            header = names
            readHeader(line: line)
            guard hasLayout else { return }
            headerless = true
            let fields = firstRecord
            firstRecord = []
            fieldIndex = 0
            for bytes in fields {
                bytes.withUnsafeBytes { field($0) }
            }
        }
        let width = roles.count
        // A trailing delimiter on a data row (one extra, empty field) is an export quirk, not data.
        if fieldIndex != width && !(fieldIndex == width + 1 && trailingFieldBlank) {
            report(Problem(rank: 0, kind: .wrongFieldCount, column: nil,
                           detail: "wrong number of fields: expected \(width) as in the header, found \(fieldIndex)"), line: line, record: record)
            return
        }
        decodeFields()
        // A spell: checked here, where both its dates are known (a rare column: one test).
        var nights = Spell.Nights.single
        if hasEndDate { nights = spellNights() }
        // Text found in a dictionary is known good; the rest is checked (or transcoded) here.
        if !hasProblem, !text.isEmpty { checkText() }
        if hasProblem, let problem {
            report(problem, line: line, record: record)
            return
        }
        if !text.isEmpty {
            text.withUnsafeBytes { bytes in
                if serviceCode == Self.pending, constantService < 0 {
                    serviceCode = builder.services.intern(UnsafeRawBufferPointer(rebasing: bytes[serviceRange]))
                }
                if eventCode == Self.pending, constantEvent < 0 {
                    eventCode = builder.events.intern(UnsafeRawBufferPointer(rebasing: bytes[eventRange]))
                }
                if personCode == Self.pending {
                    let id = UnsafeRawBufferPointer(rebasing: bytes[personRange])
                    personCode = builder.personCode(id)
                    if personCode < 0 { heldHash = StringDictionary.hash(StringDictionary.trim(id)) }
                }
            }
        }
        if personCode == Self.held {
            personCode = builder.stageFollowedPerson(heldID, hash: heldHash) ? Self.staged : -1
        }
        // Someone a streaming scan does not follow, counted for the source's coverage.
        if personCode == -1 { builder.noteOutsidePerson(hash: heldHash) }
        let service = constantService >= 0 ? constantService : serviceCode
        let event = constantEvent >= 0 ? constantEvent : eventCode
        if case .nights(let count) = nights {
            return appendSpell(person: personCode, service: service, event: event, nights: count)
        }
        if morsel != nil {
            // Through the optional in place: binding it would copy the buffer (and count a reference).
            if personCode == Self.staged { personCode = builder.commitStagedPerson(row: morsel!.count) }
            morsel!.append(person: personCode, service: service, event: event, day: day, quantity: quantity,
                           explicitCost: costPresent ? cost : nil, personHash: heldHash)
            loaded += 1
            if morsel!.isFull { flushMorsel() }
            return
        }
        if personCode == Self.staged { personCode = builder.commitStagedPerson() }
        builder.append(person: personCode, service: service, event: event, day: day, quantity: quantity,
                       explicitCost: costPresent ? cost : nil)
        loaded += 1
        if morselRows > 0 {
            if builder.count >= morselRows { flushMorsel() }
        } else if loaded == 4_096, expectedBytes > 0 {
            // Estimate the rows still to come from the bytes per row so far (fields and
            // delimiters; quotes and line ends make it an overestimate of 5–10%, which is the
            // slack wanted), and size the columns once instead of doubling them.
            let perRow = max(1, fieldBytes / loaded)
            builder.reserveCapacity(forMore: max(0, expectedBytes / perRow - loaded))
        }
    }

    /// Hands the rows not yet handed on to ``onMorsel`` (at the end of the read).
    mutating func flushMorsel() {
        guard let onMorsel else { return }
        if morsel?.count ?? 0 > 0 { morsel!.drain(into: &builder) }
        guard builder.count > 0 else { return }
        builder.resolveDeferredPersons()
        builder.tallyCoverage()
        onMorsel(builder)
        builder.removeAllRows()
    }

    /// Whether the field just past the header's width was blank (a trailing delimiter).
    private var trailingFieldBlank = false

    /// Gives up on the record being read (after a quoting error the parser skips it).
    mutating func abandonRecord() {
        resetRow()
    }

    /// Counts a record the parser could not read (bad quoting) as rejected, or stops.
    mutating func reject(_ error: IngestError) {
        guard fatal == nil else { return }
        guard policy.mode == .reject, hasLayout else {
            fatal = error
            return
        }
        rejected += 1
        builder.noteReject(error)
        if let limit = policy.maxRejectsPerSource, rejected > limit {
            fatal = IngestError(file: file, line: error.line, record: error.record, kind: .tooManyRejects,
                                detail: "too many rejected rows: more than \(limit) in this file (the last: \(error.kind.rawValue)); expected at most \(limit)")
        }
    }

    /// Stops the load with `error` (a problem found outside a row, such as an oversized field).
    mutating func stop(_ error: IngestError) {
        if fatal == nil { fatal = error }
    }

    // MARK: Rows

    private mutating func resetRow() {
        fieldIndex = 0
        quantity = 1
        costPresent = false
        hasEndDate = false
        if personCode == Self.staged { builder.dropStagedPerson() }
        personCode = Self.pending
        serviceCode = Self.pending
        eventCode = Self.pending
        if !text.isEmpty { text.removeAll(keepingCapacity: true) }
        personRange = 0..<0
        serviceRange = 0..<0
        eventRange = 0..<0
        if hasProblem { problem = nil }
        trailingFieldBlank = false
    }

    @inline(__always)
    private mutating func appendText(_ bytes: UnsafeRawBufferPointer) -> Range<Int> {
        let start = text.count
        if let base = bytes.baseAddress, bytes.count > 0 {
            text.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count))
        }
        return start..<text.count
    }

    /// Records a problem unless one that ranks first is already known. `bytes` is the field,
    /// quoted in the message only under `--show-values`.
    private mutating func note(_ rank: Int, _ kind: IngestError.Kind, _ column: EventLoader.Column, _ detail: String,
                               _ bytes: UnsafeRawBufferPointer? = nil) {
        if let known = problem, known.rank <= rank { return }
        var detail = detail
        if policy.showValues, let bytes { detail += "; found '\(String(decoding: bytes, as: UTF8.self))'" }
        problem = Problem(rank: rank, kind: kind, column: column, detail: detail)
    }

    /// Text not found in a dictionary (new names and IDs only, so not on the path of a file's
    /// repeated values): refused when it holds a ``StrayMark``, and when not ASCII checked
    /// (UTF-8) or transcoded in place (Windows-1252).
    @inline(never)
    private mutating func checkText() {
        checkStrayMark(personRange, .personID, rank: 9)
        checkStrayMark(serviceRange, .service, rank: 7)
        checkStrayMark(eventRange, .event, rank: 8)
        if hasProblem || text.withUnsafeBytes({ FieldDecoder.isASCII($0) }) { return }
        checkOrTranscodeText([(personRange, .personID, 9), (serviceRange, .service, 7), (eventRange, .event, 8)])
    }

    /// Notes a ``StrayMark`` in `range` of ``text`` (one field of `column`), if it has one.
    private mutating func checkStrayMark(_ range: Range<Int>, _ column: EventLoader.Column, rank: Int) {
        guard !range.isEmpty, let (kind, offset) = text.withUnsafeBytes({ StrayMark.first(in: UnsafeRawBufferPointer(rebasing: $0[range])) }) else { return }
        note(rank, kind, column, StrayMark.detail(kind, offset: offset))
    }

    /// Non-ASCII text: checked (UTF-8) or transcoded in place (Windows-1252).
    private mutating func checkOrTranscodeText(_ ranges: [(Range<Int>, EventLoader.Column, Int)]) {
        if source.encoding == .utf8 {
            text.withUnsafeBytes { bytes in
                for (range, column, rank) in ranges {
                    if let offset = TextEncoding.firstInvalidUTF8(UnsafeRawBufferPointer(rebasing: bytes[range])) {
                        note(rank, .badEncoding, column, Self.encodingDetail(offset))
                    }
                }
            }
            return
        }
        var utf8: [UInt8] = []
        var newRanges: [Range<Int>] = []
        text.withUnsafeBytes { bytes in
            for (range, _, _) in ranges {
                let start = utf8.count
                TextEncoding.transcodeWindows1252(UnsafeRawBufferPointer(rebasing: bytes[range]), into: &utf8)
                newRanges.append(start..<utf8.count)
            }
        }
        text = utf8
        (personRange, serviceRange, eventRange) = (newRanges[0], newRanges[1], newRanges[2])
    }

    private mutating func report(_ problem: Problem, line: Int, record: Int) {
        let column = problem.column.map { column in roles.firstIndex(of: Self.role(of: column)).map { header[$0] } ?? column.name }
        reject(IngestError(file: file, line: line, record: record, column: column, kind: problem.kind, detail: problem.detail))
    }

    static func encodingDetail(_ offset: Int) -> String {
        "invalid UTF-8 at byte \(offset + 1) of the field: expected UTF-8 text (a file saved by Excel may be windows-1252: set the source's encoding)"
    }

    // MARK: Header

    private static func role(of column: EventLoader.Column) -> Role {
        switch column {
        case .personID: return .person
        case .service: return .service
        case .event: return .event
        case .date: return .date
        case .quantity: return .quantity
        case .cost: return .cost
        case .endDate: return .endDate
        }
    }

    /// Takes a header read elsewhere (for a part of a file that does not start with it).
    mutating func adopt(header names: [String]) {
        header = names
        readHeader(line: 1)
    }

    /// For a source whose header is optional: the engine's column names to read the first record
    /// by, when that record is data (no cell of it is a column name looked for, and it has 4 to 6
    /// fields); `nil` when it is a header (or too malformed to be read as data, so that the
    /// header's message explains it).
    private func headerlessNames() -> [String]? {
        let columns = EventLoader.Column.allCases
        let wanted = Set(columns.map { HeaderMap.normalise(source.headerName(of: $0)) })
        guard !header.contains(where: { wanted.contains(HeaderMap.normalise($0)) }),
              (4...columns.count).contains(header.count) else { return nil }
        return columns.prefix(header.count).map { source.headerName(of: $0) }
    }

    /// Turns the header record into roles, or stops with the header's problem.
    private mutating func readHeader(line: Int) {
        do throws(IngestError) {
            // Columns the source gives a constant for are not looked for; the rest are found by
            // the rule every input's header is read by.
            let looked = EventLoader.Column.allCases.filter { source.constant(for: $0) == nil }
            let optional: Set<EventLoader.Column> = [.quantity, .cost, .endDate]
            let map = try HeaderMap(header: header, columns: looked.map(\.name),
                                    required: Set(looked.filter { !optional.contains($0) }.map(\.name)),
                                    mapping: source.mapping, file: file, line: line, showValues: policy.showValues)
            var roles = [Role](repeating: .ignored, count: header.count)
            for (column, position) in zip(looked, map.positions) {
                if let position { roles[position] = Self.role(of: column) }
            }
            self.roles = roles
            var columns = Columns()
            for (position, role) in roles.enumerated() {
                switch role {
                case .ignored: break
                case .person: columns.person = position
                case .service: columns.service = position
                case .event: columns.event = position
                case .date: columns.date = position
                case .quantity: columns.quantity = position
                case .cost: columns.cost = position
                case .endDate: columns.endDate = position
                }
            }
            self.columns = columns
            fields = RecordFields(capacity: roles.count)
            if let service = source.constantService { constantService = builder.services.intern(service) }
            if let event = source.constantEvent { constantEvent = builder.events.intern(event) }
            hasLayout = true
        } catch {
            fatal = error
        }
    }

    /// A header cell as text, transcoded from Windows-1252 when the file is in it.
    static func headerText(_ bytes: UnsafeRawBufferPointer, encoding: TextEncoding) -> String {
        guard encoding == .windows1252 else { return String(decoding: bytes, as: UTF8.self) }
        var utf8: [UInt8] = []
        TextEncoding.transcodeWindows1252(bytes, into: &utf8)
        return String(decoding: utf8, as: UTF8.self)
    }
}
