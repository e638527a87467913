private import CLibCSV
#if canImport(Glibc)
import Glibc
#endif

/// libcsv wrapped for the engine: the only code that touches the C API.
///
/// The C parser and the Swift state its callbacks fill live at stable heap addresses owned by
/// this class. The callbacks capture nothing; they find the state through libcsv's `void *data`
/// argument. Completed records collect in a ``RecordBatch`` that the caller drains after every
/// chunk, so memory stays bounded by the chunk size plus the longest record, and a field over
/// ``maxFieldBytes`` stops the parse (a runaway quote must not eat memory).
///
/// Options used (libcsv names in brackets): strict quoting [`CSV_STRICT`], an unterminated quote
/// at the end is an error [`CSV_STRICT_FINI`], and every line end is reported [`CSV_REPALL_NL`] so
/// that blank lines and CRLF pairs can be counted and every record's physical line is known.
final class CSVParser {
    /// The libcsv parser struct (`struct csv_parser`).
    private let parser: UnsafeMutablePointer<csv_parser>
    /// State the callbacks write to.
    private let state: UnsafeMutablePointer<State>
    private let dialect: CSVDialect
    /// The longest field accepted, in bytes.
    let maxFieldBytes: Int

    /// What the C callbacks keep between calls.
    struct State {
        var batch = RecordBatch()
        /// Physical line the next byte is on.
        var line = 1
        /// Line the record being read started on.
        var recordStartLine = 1
        /// Fields seen so far in the record being read.
        var fieldsInRecord = 0
        /// The last thing reported was a CR line end (so a following LF belongs to it).
        var afterCR = false
        /// Whether fields of the current chunk may contain quoted line breaks.
        var scanLineBreaks = true
        /// Records completed so far, the header included.
        var records = 0
        /// Lines holding nothing but spaces.
        var blankLines = 0
        /// The longest field accepted.
        var maxFieldBytes = 0
        /// Set when a field longer than `maxFieldBytes` was submitted; the callbacks then ignore
        /// the rest of the chunk, so no later record is decoded before the error is reported.
        var oversizedField = false
        /// Where that field is: its record's line and number, and its position in the record.
        var oversizedAt = (line: 0, record: 0, field: 0)
        /// Decodes fields as they come instead of collecting them in the batch, when set.
        var sink: UnsafeMutablePointer<EventRowSink>?
        /// Whether fields go straight to the sink: there is one, the chunk needs no scan for line
        /// breaks inside fields and no field was too large. One test on the hot path for three.
        var direct = false
        /// libcsv's parser, whose field buffer the callbacks are handed (see ``readable(_:_:)``).
        fileprivate var parser: UnsafeMutablePointer<csv_parser>?

        /// How many bytes from `field` may be read: to the end of libcsv's field buffer when it
        /// is that buffer (libcsv 3 hands every field over at its start), else `count`.
        @inline(__always)
        fileprivate func readable(_ field: UnsafeMutableRawPointer?, _ count: Int) -> Int {
            // Sound: the parser outlives every callback made with this state.
            guard let parser, let buffer = parser.pointee.entry_buf,
                  UnsafeMutableRawPointer(buffer) == field else { return count }
            return max(count, parser.pointee.entry_size)
        }

        /// Sets ``direct`` from what it sums up.
        mutating func refreshDirect() {
            direct = sink != nil && !scanLineBreaks && !oversizedField
        }
    }

    /// Creates a parser for `dialect` that refuses fields longer than `maxFieldBytes`; with a
    /// `sink`, fields go to it instead of the batch.
    init(dialect: CSVDialect, maxFieldBytes: Int, sink: UnsafeMutablePointer<EventRowSink>? = nil) {
        parser = .allocate(capacity: 1)
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        state.pointee.maxFieldBytes = maxFieldBytes
        state.pointee.sink = sink
        state.pointee.parser = parser
        self.dialect = dialect
        self.maxFieldBytes = maxFieldBytes
        configure()
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    private func configure() {
        // CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI; csv_init only fails for a NULL parser.
        _ = csv_init(parser, UInt8(CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI))
        csv_set_delim(parser, dialect.delimiter)
        csv_set_quote(parser, dialect.quote)
        // Grow the field buffer in 64 KiB steps instead of libcsv's 128 bytes.
        csv_set_blk_size(parser, 1 << 16)
    }

    /// Blank lines seen so far.
    var blankLines: Int { state.pointee.blankLines }

    /// Records completed (or given up on) so far, the header included.
    var recordsCompleted: Int { state.pointee.records }

    /// The physical line of the record being read (or of the next one, between records).
    var openRecordLine: Int { state.pointee.openRecordLine }

    /// Whether the parser is between records: no field begun, not inside quotes (libcsv's
    /// `ROW_NOT_BEGUN`, state 0).
    var isBetweenRecords: Bool {
        parser.pointee.pstate == 0 && state.pointee.fieldsInRecord == 0 && !state.pointee.afterCR
    }

    /// The physical line the parser stopped on: the fields submitted so far are counted, so add
    /// the line breaks inside the field libcsv is still holding.
    var lineAtOpenFieldEnd: Int {
        let held = UnsafeRawBufferPointer(start: parser.pointee.entry_buf, count: parser.pointee.entry_buf == nil ? 0 : parser.pointee.entry_pos)
        return state.pointee.line + LineEnds.count(in: held, afterCR: false)
    }

    /// A quoting or size error and where it is.
    struct ParseFailure: Equatable {
        var kind: IngestError.Kind
        /// Physical line of the record that holds the error.
        var line: Int
        /// Record number of that record.
        var record: Int
        /// Offset in the chunk of the byte libcsv stopped at (for resynchronising).
        var offset: Int
        /// Position in the record of the field that holds the error.
        var field: Int = 0
    }

    /// Feeds one chunk of bytes; completed records are appended to the batch.
    ///
    /// - Returns: `nil`, or the first quoting error (strict mode) or oversized field, with the
    ///   line and number of the record that holds it and where in the chunk parsing stopped.
    func parse(_ chunk: UnsafeRawBufferPointer) -> ParseFailure? {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return nil }
        // Only a chunk that contains a quote, or that starts inside a quoted field, can hold a
        // line break inside a field; elsewhere the field callback need not scan its bytes.
        state.pointee.scanLineBreaks = parser.pointee.quoted != 0 || memchr(base, Int32(dialect.quote), chunk.count) != nil
        state.pointee.refreshDirect()
        let consumed = csv_parse(parser, base, chunk.count, onField, onRecordEnd, UnsafeMutableRawPointer(state))
        if state.pointee.oversizedField {
            let at = state.pointee.oversizedAt
            return ParseFailure(kind: .fieldTooLarge, line: at.line, record: at.record, offset: consumed, field: at.field)
        }
        // The field libcsv is still holding, less what it will drop when the field ends (trailing
        // spaces, and a closing quote it has not yet ruled on: FIELD_MIGHT_HAVE_ENDED is state 3),
        // so the check does not depend on where a chunk happens to end.
        let held = parser.pointee.entry_pos - parser.pointee.spaces - (parser.pointee.pstate == 3 ? 1 : 0)
        if held > maxFieldBytes {
            return ParseFailure(kind: .fieldTooLarge, line: openRecordLine, record: state.pointee.records + 1, offset: consumed,
                                field: state.pointee.fieldsInRecord)
        }
        if consumed != chunk.count {
            let status = csv_error(parser)
            let kind: IngestError.Kind = status == CSV_EPARSE ? .badQuoting : .fieldTooLarge
            return ParseFailure(kind: kind, line: openRecordLine, record: state.pointee.records + 1, offset: consumed,
                                field: state.pointee.fieldsInRecord)
        }
        return nil
    }

    /// Ends the input: submits a last record that has no line end, and checks for an
    /// unterminated quoted field.
    func finish() -> ParseFailure? {
        if csv_fini(parser, onField, onRecordEnd, UnsafeMutableRawPointer(state)) != 0 {
            return ParseFailure(kind: .unterminatedQuote, line: openRecordLine, record: state.pointee.records + 1, offset: 0,
                                field: state.pointee.fieldsInRecord)
        }
        if state.pointee.oversizedField {
            let at = state.pointee.oversizedAt
            return ParseFailure(kind: .fieldTooLarge, line: at.line, record: at.record, offset: 0, field: at.field)
        }
        return nil
    }

    /// Gives up on the record being read (its fields are dropped and it counts as read) and
    /// starts afresh on physical line `line`; `afterCR` says the skipped text ended with a CR,
    /// so that an LF right after it is not taken for a blank line.
    func skipOpenRecord(resumingAtLine line: Int, afterCR: Bool) {
        csv_free(parser)
        configure()
        state.pointee.batch.dropOpenRecord()
        state.pointee.sink?.pointee.abandonRecord()
        state.pointee.records += 1
        // Callers drain before skipping, so the batch holds no complete record: the next one
        // gets the number after the skipped record's.
        state.pointee.batch.firstRecordNumber = state.pointee.records + 1
        state.pointee.fieldsInRecord = 0
        state.pointee.oversizedField = false
        state.pointee.refreshDirect()
        state.pointee.line = line
        state.pointee.afterCR = afterCR
    }

    /// Hands the completed records to `body`, then empties the batch (keeping the fields of a
    /// record that continues in the next chunk).
    func drain(_ body: (RecordBatch) throws -> Void) rethrows {
        if state.pointee.batch.count > 0 {
            try body(state.pointee.batch)
        }
        state.pointee.batch.removeCompleteRecords(nextRecordNumber: state.pointee.records + 1)
    }
}

extension CSVParser.State {
    /// The line of the record being read: its first field may not have been submitted yet, in
    /// which case the record starts on the current line.
    var openRecordLine: Int {
        fieldsInRecord > 0 ? recordStartLine : line
    }
}

/// libcsv's field callback (`cb1`): hands the field to the sink, or copies it into the batch.
private func onField(_ field: UnsafeMutableRawPointer?, _ count: Int, _ data: UnsafeMutableRawPointer?) {
    // Sound: `data` is the `State` pointer passed to csv_parse/csv_fini by CSVParser, alive for the call.
    let state = data.unsafelyUnwrapped.assumingMemoryBound(to: CSVParser.State.self)
    if state.pointee.direct, count <= state.pointee.maxFieldBytes {
        // The usual case, in as few steps as possible: the general path below does the same.
        if state.pointee.fieldsInRecord == 0 { state.pointee.recordStartLine = state.pointee.line }
        state.pointee.afterCR = false
        state.pointee.fieldsInRecord &+= 1
        // Sound: libcsv passes its field buffer (never null once a byte was parsed) and the
        // field's length; the bytes stay valid until the callback returns.
        state.pointee.sink.unsafelyUnwrapped.pointee.field(UnsafeRawBufferPointer(start: field, count: count),
                                                          readable: state.pointee.readable(field, count))
        return
    }
    onFieldInGeneral(field, count, state)
}

/// ``onField`` when not ``CSVParser/State/direct``: oversized fields, line breaks inside quoted
/// fields, and batches. Out of line, so that the usual case saves no registers.
@inline(never)
private func onFieldInGeneral(_ field: UnsafeMutableRawPointer?, _ count: Int, _ state: UnsafeMutablePointer<CSVParser.State>) {
    if state.pointee.oversizedField { return }
    if state.pointee.fieldsInRecord == 0 {
        state.pointee.recordStartLine = state.pointee.line
    }
    state.pointee.afterCR = false
    state.pointee.fieldsInRecord += 1
    if count > state.pointee.maxFieldBytes {
        state.pointee.oversizedField = true
        state.pointee.refreshDirect()
        state.pointee.oversizedAt = (state.pointee.recordStartLine, state.pointee.records + 1, state.pointee.fieldsInRecord - 1)
        return
    }
    // Sound: libcsv's field buffer holds `count` bytes at `field` until the callback returns.
    let bytes = UnsafeRawBufferPointer(start: count > 0 ? field : nil, count: count)
    if state.pointee.scanLineBreaks {
        // A quoted field may span lines: CR, LF and CRLF each end one physical line.
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 0x0D || (byte == 0x0A && previous != 0x0D) { state.pointee.line += 1 }
            previous = byte
        }
    }
    if let sink = state.pointee.sink {
        sink.pointee.field(bytes)
        return
    }
    if let base = bytes.baseAddress {
        state.pointee.batch.bytes.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count))
    }
    state.pointee.batch.fieldEnds.append(state.pointee.batch.bytes.count)
}

/// libcsv's record callback (`cb2`): closes a record, or counts a blank line or the LF of a CRLF.
private func onRecordEnd(_ terminator: Int32, _ data: UnsafeMutableRawPointer?) {
    // Sound: as in onField.
    let state = data.unsafelyUnwrapped.assumingMemoryBound(to: CSVParser.State.self)
    if state.pointee.direct, state.pointee.fieldsInRecord > 0 {
        // The usual case, as onField's: the general path below does the same.
        state.pointee.sink.unsafelyUnwrapped.pointee.endRecord(line: state.pointee.recordStartLine, record: state.pointee.records &+ 1)
        state.pointee.records &+= 1
        state.pointee.fieldsInRecord = 0
        if terminator >= 0 { state.pointee.line &+= 1 }
        state.pointee.afterCR = terminator == 0x0D
        return
    }
    if state.pointee.oversizedField { return }
    let isCR = terminator == 0x0D
    if state.pointee.fieldsInRecord == 0 {
        // CSV_REPALL_NL reports every line end outside a record.
        if terminator == 0x0A && state.pointee.afterCR {
            state.pointee.afterCR = false  // the LF of a CRLF: the line was already counted
        } else {
            state.pointee.blankLines += 1
            state.pointee.line += 1
            state.pointee.afterCR = isCR
        }
        return
    }
    if let sink = state.pointee.sink {
        sink.pointee.endRecord(line: state.pointee.recordStartLine, record: state.pointee.records + 1)
    } else {
        state.pointee.batch.recordFieldEnds.append(state.pointee.batch.fieldEnds.count)
        state.pointee.batch.recordLines.append(state.pointee.recordStartLine)
    }
    state.pointee.records += 1
    state.pointee.fieldsInRecord = 0
    if terminator >= 0 { state.pointee.line += 1 }
    state.pointee.afterCR = isCR
}
