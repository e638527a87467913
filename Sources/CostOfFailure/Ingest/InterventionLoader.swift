import Dispatch

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
        if let builder = cohortInTwoParts(source) { return builder.finish() }
        var builder = CohortBuilder(rows: Self.expectedRows(bytes: source.fileSize ?? 0))
        try forEachRow(source) { (_, person, start, _, _) in
            builder.append(id: person, start: start)
        }
        return builder.finish()
    }

    /// The smallest file ``loadCohort(_:)`` reads in two halves at once (1 MiB, about 20,000
    /// rows, a few milliseconds' reading; 75,000 rows were read 8 ms sooner in two halves).
    var twoPartThreshold = 1 << 20

    /// A row of the shortest useful kind ("P1,2020-01-01") is 14 bytes; most are longer.
    private static func expectedRows(bytes: Int) -> Int { bytes / 32 }

    /// The rows of a large file read in two halves on two cores (a national cohort's file is
    /// hundreds of thousands of rows, and every `cof partial` reads it before its first event).
    /// `nil` when that cannot be done or trusted: one core, a small file, no line feed after the
    /// middle, a header not found whole, the first half ending inside a quoted field, or any
    /// error at all; the caller then reads the file whole, which reports every error where a
    /// single read would.
    private func cohortInTwoParts(_ source: InputSource) -> CohortBuilder? {
        guard Processors.online > 1, let size = source.fileSize, size >= twoPartThreshold,
              let header = SmallTableReader(reader: reader).header(of: source, wanted: Self.wanted, required: Self.required),
              let cut = Self.lineStart(after: size / 2, in: source, size: size) else { return nil }
        let parts = [0..<cut, cut..<size]
        let results = UnsafeMutableBufferPointer<(builder: CohortBuilder, endedBetweenRecords: Bool)?>.allocate(capacity: 2)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        // Sound: each iteration writes its own element only; the buffer outlives the call.
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            var builder = CohortBuilder(rows: Self.expectedRows(bytes: parts[index].count))
            do throws(IngestError) {
                let summary = try forEachRow(source, part: parts[index], endsFile: index == 1, header: index == 0 ? nil : header) {
                    (_, person, start, _, _) in builder.append(id: person, start: start)
                }
                slots[index] = (builder, summary.endedBetweenRecords)
            } catch {
                slots[index] = nil
            }
        }
        guard let first = results[0], first.endedBetweenRecords, let second = results[1] else { return nil }
        var builder = first.builder
        builder.append(contentsOf: second.builder)
        return builder
    }

    /// Where the line after byte `offset` starts (just after its line feed), if before `size`.
    private static func lineStart(after offset: Int, in source: InputSource, size: Int) -> Int? {
        guard let reader = try? source.open(range: offset..<size) else { return nil }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 12, alignment: 16)
        defer { buffer.deallocate() }
        var at = offset
        while let read = try? reader.read(into: buffer), read > 0 {
            if let index = buffer[..<read].firstIndex(of: 0x0A) { return at + index + 1 < size ? at + index + 1 : nil }
            at += read
        }
        return nil
    }

    private static let wanted = ["person_id", "start_date", "end_date", "programme", "cost"]
    private static let required: Set<String> = ["person_id", "start_date"]

    /// Calls `body` with each checked row: the row, its person's ID (trimmed, not empty), start,
    /// end (on or after the start) and cost. A `part` after the first is given the `header`.
    @discardableResult
    private func forEachRow(
        _ source: InputSource, part: Range<Int>? = nil, endsFile: Bool = true, header: HeaderMap? = nil,
        _ body: (SmallTableReader.Row, UnsafeRawBufferPointer, CivilDate, CivilDate?, Pence?) throws(IngestError) -> Void
    ) throws(IngestError) -> CSVReader.Summary {
        try SmallTableReader(reader: reader).read(
            source, wanted: Self.wanted, required: Self.required, part: part, endsFile: endsFile, header: header
        ) { (row) throws(IngestError) in
            let person = try row.requiredBytes(0)
            guard let start = try row.date(1) else {
                throw row.error(1, .missingValue, "missing value: expected a start date in every row")
            }
            let end = try row.date(2)
            if let end, end < start {
                throw row.error(2, .badDate, "bad date: expected an end date on or after the start date")
            }
            try body(row, person, start, end, try row.money(4))
        }
    }
}
