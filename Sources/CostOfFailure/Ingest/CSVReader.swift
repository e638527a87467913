/// Streams a CSV source through libcsv in fixed-size chunks and hands over complete records in
/// batches, so memory does not grow with the file.
public struct CSVReader: Sendable {
    /// Bytes read from the source per call (1 MiB by default).
    public var chunkSize: Int
    /// Delimiter and quote.
    public var dialect: CSVDialect

    /// Creates a reader.
    public init(dialect: CSVDialect = .standard, chunkSize: Int = 1 << 20) {
        self.dialect = dialect
        self.chunkSize = max(1, chunkSize)
    }

    /// Counts of what a read saw, for reconciliation lines.
    public struct Summary: Sendable, Equatable {
        /// Records, the header included.
        public var records: Int
        /// Lines that held nothing (or only spaces).
        public var blankLines: Int
    }

    /// Reads `source` to the end, calling `onBatch` with each batch of complete records in order.
    ///
    /// A UTF-8 byte-order mark at the start is skipped. Errors thrown by `onBatch` stop the read
    /// and are rethrown as they are; quoting errors become ``IngestError``s with the line and
    /// record that hold them, after every record before them has been handed over.
    public func read(_ source: InputSource, onBatch: (RecordBatch) throws(IngestError) -> Void) throws(IngestError) -> Summary {
        let reader = try source.open()
        let parser = CSVParser(dialect: dialect)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunkSize, 3), alignment: 16)
        defer { buffer.deallocate() }
        let name = source.displayName

        func drain() throws(IngestError) {
            var failure: IngestError?
            parser.drain { batch in
                do { try onBatch(batch) } catch { failure = error as? IngestError }
            }
            if let failure { throw failure }
        }
        func fail(_ failure: CSVParser.ParseFailure) throws(IngestError) -> Never {
            try drain()
            throw IngestError(file: name, line: failure.line, record: failure.record, kind: failure.kind,
                              detail: CSVReader.explanation(of: failure.kind))
        }

        var first = true
        while true {
            var count = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<chunkSize]))
            var start = 0
            if first {
                // Fill at least three bytes so a byte-order mark split across tiny chunks is seen whole.
                while count < 3 {
                    let more = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count..<3]))
                    if more == 0 { break }
                    count += more
                }
                if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
                first = false
            }
            if count == 0 { break }
            if let failure = parser.parse(UnsafeRawBufferPointer(rebasing: buffer[start..<count])) {
                try fail(failure)
            }
            try drain()
        }
        if let failure = parser.finish() { try fail(failure) }
        try drain()
        return Summary(records: parser.recordsCompleted, blankLines: parser.blankLines)
    }

    static func explanation(of kind: IngestError.Kind) -> String {
        switch kind {
        case .unterminatedQuote:
            return "unterminated quote: a quoted field runs to the end of the file; expected a closing \""
        case .badQuoting:
            return "bad quoting: expected a quote only around a whole field, doubled (\"\") inside it"
        default:
            return "the CSV parser ran out of memory"
        }
    }
}
