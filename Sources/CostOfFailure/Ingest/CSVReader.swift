/// Streams a CSV source through libcsv in fixed-size chunks and hands over complete records in
/// batches, so memory does not grow with the file.
public struct CSVReader: Sendable {
    /// Bytes read from the source per call (1 MiB by default).
    public var chunkSize: Int
    /// Delimiter and quote.
    public var dialect: CSVDialect
    /// The longest field accepted (1 MiB by default): a quote that never closes stops the read
    /// with ``IngestError/Kind/fieldTooLarge`` instead of swallowing the rest of the file.
    public var maxFieldBytes: Int
    /// Whether messages about the files read may quote their cells (`--show-values`): a first
    /// row that does not look like a header is described by its number of fields otherwise.
    public var showValues: Bool
    /// What takes the raw bytes of a file read (see ``ReadDigest``).
    var digest: ReadDigest?

    /// Creates a reader.
    public init(dialect: CSVDialect = .standard, chunkSize: Int = 1 << 20, maxFieldBytes: Int = 1 << 20, showValues: Bool = false) {
        self.dialect = dialect
        self.chunkSize = max(1, chunkSize)
        self.maxFieldBytes = max(1, maxFieldBytes)
        self.showValues = showValues
    }

    /// Counts of what a read saw, for reconciliation lines.
    public struct Summary: Sendable, Equatable {
        /// Records, the header included (a record skipped for bad quoting counts).
        public var records: Int
        /// Lines that held nothing (or only spaces).
        public var blankLines: Int
        /// The physical line after the last byte read (for a part: where the next part starts).
        var nextLine = 1
        /// Whether the input ended between records (for a part: whether its end was a real
        /// record boundary rather than a line break inside a quoted field).
        var endedBetweenRecords = true
    }

    /// Reads `source` to the end, calling `onBatch` with each batch of complete records in order.
    ///
    /// A UTF-8 byte-order mark at the start is skipped. Errors thrown by `onBatch` stop the read
    /// and are rethrown as they are. A quoting error (or an unterminated quote at the end) is
    /// passed to `onBadRecord` after every record before it has been handed over: if that throws
    /// (the default), the read stops; if it returns, the bad record is skipped to the end of its
    /// line and reading goes on. An oversized field always stops the read. `columnName` names
    /// the field at a position in the record, so that these errors can say which column.
    public func read(_ source: InputSource,
                     columnName: (Int) -> String? = { _ in nil },
                     onBadRecord: (IngestError) throws(IngestError) -> Void = { (error: IngestError) throws(IngestError) in throw error },
                     onBatch: (RecordBatch) throws(IngestError) -> Void) throws(IngestError) -> Summary {
        try read(source, sink: nil, columnName: columnName, onBadRecord: onBadRecord, onBatch: onBatch)
    }

    /// Reads `source` (or its `part`) into an event sink: header names and rejects go through
    /// the sink (a fatal error stops the read), and the last morsel is handed on at the end.
    func read(_ source: InputSource, into sink: UnsafeMutablePointer<EventRowSink>, part: Range<Int>? = nil,
              endsFile: Bool = true) throws(IngestError) -> Summary {
        let summary = try read(
            source, sink: sink, part: part, endsFile: endsFile,
            columnName: { sink.pointee.headerName(at: $0) },
            onBadRecord: { (error: IngestError) throws(IngestError) in
                sink.pointee.reject(error)
                if let fatal = sink.pointee.fatal { throw fatal }
            },
            onBatch: { _ in })
        sink.pointee.flushMorsel()
        return summary
    }

    /// Reads `source` with its fields going to `sink` (when given) instead of batches; the
    /// sink's first fatal error ends the read. With a `part` range, only those bytes of the file
    /// are read; a part that does not end the file is not finished (its last record must end at
    /// the part's end, which the summary tells).
    func read(_ source: InputSource, sink: UnsafeMutablePointer<EventRowSink>?, part: Range<Int>? = nil, endsFile: Bool = true,
                     columnName: (Int) -> String? = { _ in nil },
                     onBadRecord: (IngestError) throws(IngestError) -> Void = { (error: IngestError) throws(IngestError) in throw error },
                     onBatch: (RecordBatch) throws(IngestError) -> Void) throws(IngestError) -> Summary {
        let reader = try source.open(range: part, digest: digest)
        // A part that starts after the header has no header record: its record 1 is data.
        let startsInData = (part?.lowerBound ?? 0) > 0
        let parser = CSVParser(dialect: dialect, maxFieldBytes: maxFieldBytes, sink: sink)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunkSize, 3), alignment: 16)
        defer { buffer.deallocate() }
        let name = source.displayName

        func drain() throws(IngestError) {
            if let sink, let fatal = sink.pointee.fatal { throw fatal }
            var failure: IngestError?
            parser.drain { batch in
                do { try onBatch(batch) } catch { failure = error as? IngestError }
            }
            if let failure { throw failure }
        }
        func error(_ failure: CSVParser.ParseFailure) -> IngestError {
            IngestError(file: name, line: failure.line, record: failure.record,
                        column: failure.record > 1 || startsInData ? columnName(failure.field) : nil, kind: failure.kind,
                        detail: CSVReader.explanation(of: failure.kind, maxFieldBytes: maxFieldBytes))
        }

        // After a bad record: skipping to the end of its line (possibly across chunks), and the
        // physical line that end closes.
        var skipping = false
        var skippedLine = 0

        // Progress is counted once per chunk (never per row): its bytes as it is read, with the
        // rows the sink has finished by then (loaded or set aside); the last rows at the end.
        let progress = sink?.pointee.progress
        var rowsCounted = sink.map { $0.pointee.rowsRead } ?? 0
        func countProgress(bytes: Int) {
            guard let progress, let sink else { return }
            let rows = sink.pointee.rowsRead
            progress.add(bytes: bytes, rows: rows - rowsCounted)
            rowsCounted = rows
        }
        defer { countProgress(bytes: 0) }

        var first = true
        var sourceBytesCounted = 0
        while true {
            var count = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<chunkSize]))
            var start = 0
            if first && (part?.lowerBound ?? 0) == 0 {
                // Fill at least three bytes so a byte-order mark split across tiny chunks is seen whole.
                while count < 3 {
                    let more = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count..<3]))
                    if more == 0 { break }
                    count += more
                }
                if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
            }
            first = false
            // The source's own bytes (compressed ones for a compressed file), as the total counts them.
            countProgress(bytes: reader.sourceBytesRead - sourceBytesCounted)
            sourceBytesCounted = reader.sourceBytesRead
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[start..<count])
            var offset = 0
            while offset < chunk.count {
                if skipping {
                    guard let end = LineEnds.firstEnd(in: chunk, from: offset) else { break }
                    // The bad record's line ends here; the next record starts on the line after.
                    parser.skipOpenRecord(resumingAtLine: skippedLine + 1, afterCR: chunk[end] == 0x0D)
                    skipping = false
                    offset = end + 1
                    continue
                }
                guard let failure = parser.parse(UnsafeRawBufferPointer(rebasing: chunk[offset...])) else { break }
                try drain()
                guard failure.kind == .badQuoting else { throw error(failure) }
                try onBadRecord(error(failure))
                skipping = true
                skippedLine = parser.lineAtOpenFieldEnd
                offset += failure.offset
            }
            try drain()
        }
        if !endsFile {
            try drain()
            return Summary(records: parser.recordsCompleted, blankLines: parser.blankLines,
                           nextLine: parser.openRecordLine, endedBetweenRecords: !skipping && parser.isBetweenRecords)
        }
        if skipping {
            parser.skipOpenRecord(resumingAtLine: skippedLine + 1, afterCR: false)
        } else if let failure = parser.finish() {
            try drain()
            guard failure.kind == .unterminatedQuote else { throw error(failure) }
            try onBadRecord(error(failure))
            parser.skipOpenRecord(resumingAtLine: parser.openRecordLine, afterCR: false)
        }
        try drain()
        return Summary(records: parser.recordsCompleted, blankLines: parser.blankLines, nextLine: parser.openRecordLine)
    }

    static func explanation(of kind: IngestError.Kind, maxFieldBytes: Int) -> String {
        switch kind {
        case .unterminatedQuote:
            return "unterminated quote: a quoted field runs to the end of the file; expected a closing quote"
        case .badQuoting:
            return "bad quoting: expected a quote only around a whole field, doubled (\"\") inside it"
        default:
            return "field too large: expected fields of at most \(maxFieldBytes) bytes; a quote that never closes is the usual cause"
        }
    }
}

/// Counting physical line ends (CR, LF and CRLF each end one line) in raw bytes.
enum LineEnds {
    /// Line ends in `bytes`; `afterCR` says the byte before them was a CR (so a leading LF
    /// completes that CRLF rather than ending a line of its own).
    static func count(in bytes: UnsafeRawBufferPointer, afterCR: Bool) -> Int {
        var lines = 0
        var previousCR = afterCR
        for byte in bytes {
            if byte == 0x0D { lines += 1 } else if byte == 0x0A && !previousCR { lines += 1 }
            previousCR = byte == 0x0D
        }
        return lines
    }

    /// The offset of the first line end (CR or LF) at or after `start`; a CR directly followed by
    /// LF gives the LF's offset, so the whole CRLF is consumed.
    static func firstEnd(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            if bytes[i] == 0x0A { return i }
            if bytes[i] == 0x0D { return i + 1 < bytes.count && bytes[i + 1] == 0x0A ? i + 1 : i }
            i += 1
        }
        return nil
    }
}
