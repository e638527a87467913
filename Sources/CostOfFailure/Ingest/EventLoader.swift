/// Loads event files into an ``EventTable``: one ``EventSource`` per agency export, each with
/// its own column names, constants, date format, delimiter and encoding.
///
/// Fields are decoded inside libcsv's callbacks by an ``EventRowSink``: strings are interned
/// (transcoded from Windows-1252 or checked as UTF-8 only when they hold a byte above 0x7F),
/// dates, quantities and money parsed in place, so no `String` is made per field. A bad row stops the load or is set
/// aside, as the ``ErrorPolicy`` says; either way it is named by file, line, record and column.
public struct EventLoader: Sendable {
    /// The engine's event columns.
    public enum Column: Int, CaseIterable, Sendable, Hashable {
        case personID, service, event, date, quantity, cost
        /// The day a spell ends (optional; the day of leaving, not a night of the stay; see
        /// ``Spell``): a row with one is counted night by night from its `date`.
        case endDate

        /// The engine's name for the column (and the header name looked for by default).
        public var name: String {
            switch self {
            case .personID: return "person_id"
            case .service: return "service"
            case .event: return "event"
            case .date: return "date"
            case .quantity: return "quantity"
            case .cost: return "cost"
            case .endDate: return "end_date"
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
    /// How many parts a large file is read in at once (one per core).
    public var workers: Int
    /// The smallest file read in parts, in bytes (smaller ones are not worth the threads).
    public var parallelThreshold: Int
    /// Rows per morsel handed to an ``EventScan`` (64K rows: about 2 MB of columns, which stay
    /// in cache between the decode and the scan).
    public var morselRows = 1 << 16
    /// Bytes per part when a streaming scan reads a large file on several cores: the workers
    /// take parts of about this size in turn until none are left (see ``ParallelIngest``).
    /// 8 MiB is a few hundredths of a second of one core's parsing, so the workers finish within
    /// about that of each other, while the cost of a part (a `pread` to find its start, a
    /// parser, a partial morsel) stays below a thousandth of its time.
    public var partBytes = 8 << 20
    /// Where the reads count the bytes and rows they have read, for a progress line (`nil`:
    /// nothing is counted). Counted once per chunk read, from every thread reading.
    public var progress: ReadProgress?
    /// The digests that take the raw bytes of event files as they are read, by path (see
    /// ``ReadDigest``): a file's hash for the provenance without a second read.
    public var digests: [String: ReadDigest] = [:]

    /// Creates a loader.
    public init(policy: ErrorPolicy = .failFast, chunkSize: Int = 1 << 20, maxFieldBytes: Int = 1 << 20,
                workers: Int = 1, parallelThreshold: Int = 16 << 20, progress: ReadProgress? = nil) {
        self.progress = progress
        self.policy = policy
        self.chunkSize = chunkSize
        self.maxFieldBytes = maxFieldBytes
        self.workers = max(1, workers)
        self.parallelThreshold = max(0, parallelThreshold)
    }

    /// The digest of `source`'s file, when it has one.
    func digest(of source: EventSource) -> ReadDigest? {
        guard case .file(let path) = source.input else { return nil }
        return digests[path]
    }

    /// Loads every source, in order, into one table.
    public func load(_ sources: [EventSource]) throws(IngestError) -> EventTable {
        var builder = EventTableBuilder()
        for source in sources {
            try append(source, to: &builder)
        }
        return builder.finish()
    }

    /// Reads every source once, in order, handing the events to `scan` a morsel at a time; the
    /// whole table is never held. Only the people in `persons` are coded (by their codes there);
    /// every other person's rows reach the scan with person code -1, still fully checked.
    ///
    /// Returns a builder with no rows but the dictionaries, the sources' reconciliations and the
    /// rejected rows — everything a table load would report. Errors are the same as a table
    /// load's, raised at the same rows.
    public func scan<Scan: EventScan>(_ sources: [EventSource], following persons: FollowedPeople,
                                      into scan: inout Scan) throws(IngestError) -> EventTableBuilder {
        try self.scan(sources, builder: EventTableBuilder(following: persons), into: &scan)
    }

    /// The same read, every person coded (as a table load codes them) while the cohort `cohort`
    /// is still known: each morsel gives its rows' cohort codes
    /// (``EventTableBuilder/withCohortPersons(_:)``) and the sources' coverage of the cohort is
    /// tallied as when following it. For a scan that needs everyone's ID (the top users); the
    /// dictionary of every person's ID is held.
    func scan<Scan: EventScan>(_ sources: [EventSource], codingEveryoneKnowing cohort: FollowedPeople,
                               into scan: inout Scan) throws(IngestError) -> EventTableBuilder {
        try self.scan(sources, builder: EventTableBuilder(codingEveryoneKnowing: cohort), into: &scan)
    }

    /// Reads every source into `builder`, which holds no rows after, handing them to `scan`.
    private func scan<Scan: EventScan>(_ sources: [EventSource], builder: EventTableBuilder,
                                       into scan: inout Scan) throws(IngestError) -> EventTableBuilder {
        var builder = builder
        let pointer = UnsafeMutablePointer<Scan>.allocate(capacity: 1)
        pointer.initialize(to: scan)
        defer {
            scan = pointer.move()
            pointer.deallocate()
        }
        for source in sources {
            try append(source, to: &builder, scan: pointer)
        }
        return builder
    }

    /// Loads files written in the engine's own format.
    public func load(_ inputs: [InputSource]) throws(IngestError) -> EventTable {
        try load(inputs.map { EventSource($0) })
    }

    /// Appends the events of one source to `builder`, with its reconciliation and rejects.
    ///
    /// A large regular file is read in parts on ``workers`` cores at once (see
    /// ``ParallelIngest``); the result is the same, row for row, as reading it whole.
    public func append(_ source: EventSource, to builder: inout EventTableBuilder) throws(IngestError) {
        try append(source, to: &builder, scan: nil as UnsafeMutablePointer<NoEventScan>?)
    }

    /// Appends one source; with a `scan`, its rows go to the scan a morsel at a time and leave
    /// the builder empty of rows.
    func append<Scan: EventScan>(_ source: EventSource, to builder: inout EventTableBuilder,
                                 scan: UnsafeMutablePointer<Scan>?) throws(IngestError) {
        defer { digest(of: source)?.readEnded() }
        // A file that may lack a header is read whole: its parts would not know their layout.
        if workers > 1, source.header == .required, let size = source.input.fileSize, size >= parallelThreshold, size > 0,
           try ParallelIngest(loader: self, source: source, size: size).append(to: &builder, scan: scan) {
            return
        }
        try appendWhole(source, to: &builder, scan: scan)
    }

    /// Reads one source from start to end on the calling thread.
    func appendWhole<Scan: EventScan>(_ source: EventSource, to builder: inout EventTableBuilder,
                                      scan: UnsafeMutablePointer<Scan>? = nil as UnsafeMutablePointer<NoEventScan>?) throws(IngestError) {
        let file = source.input.displayName
        var reader = CSVReader(dialect: source.dialect, chunkSize: chunkSize, maxFieldBytes: maxFieldBytes)
        reader.digest = digest(of: source)
        // The sink lives at a stable address for libcsv's callbacks; it takes the builder over
        // for the read and hands it back at the end, whatever happens.
        let sink = UnsafeMutablePointer<EventRowSink>.allocate(capacity: 1)
        sink.initialize(to: EventRowSink(source: source, policy: policy, builder: builder))
        sink.pointee.expectedBytes = source.input.fileSize ?? 0
        sink.pointee.progress = progress
        if let scan {
            sink.pointee.morselRows = morselRows
            sink.pointee.onMorsel = { scan.pointee.take($0) }
        }
        builder = EventTableBuilder()
        defer {
            builder = sink.move().builder
            sink.deallocate()
        }
        let summary = try reader.read(source.input, into: sink)
        // With an optional header, no records at all is zero rows; otherwise a header is needed.
        guard sink.pointee.hasLayout || (source.header == .optional && summary.records == 0) else {
            throw IngestError(file: file, kind: .emptyFile,
                              detail: "empty file: expected a header row naming person_id, service, event, date")
        }
        let headerRecords = sink.pointee.hasLayout && !sink.pointee.headerless ? 1 : 0
        let reconciliation = SourceReconciliation(file: file, read: summary.records - headerRecords + summary.blankLines,
                                                  loaded: sink.pointee.loaded, rejected: sink.pointee.rejected, blank: summary.blankLines)
        precondition(reconciliation.balances, "rows unaccounted for in an events file")  // a trap message shows no name or figure from the data
        sink.pointee.builder.noteSource(reconciliation)
    }
}
