/// Reads a small reference table (unit costs, interventions, services) row by row as text.
///
/// These tables have tens to thousands of rows, so clarity beats speed: each row's wanted cells
/// become `String`s, with typed accessors that throw positioned ``IngestError``s.
struct SmallTableReader {
    /// One data row, with its position for messages.
    struct Row {
        let file: String
        let line: Int
        let record: Int
        /// Wanted columns' header names (for messages).
        let columns: [String]
        /// Wanted columns' values; `nil` when the column is absent from the file or the cell is empty.
        let values: [String?]

        /// The text of wanted column `index`, or `nil` when absent or empty.
        func text(_ index: Int) -> String? { values[index] }

        /// The text of wanted column `index`; throws when empty.
        func required(_ index: Int) throws(IngestError) -> String {
            guard let value = values[index] else {
                throw error(index, .missingValue, "missing value: expected a value in every row")
            }
            return value
        }

        /// A date in wanted column `index`, or `nil` when empty.
        func date(_ index: Int) throws(IngestError) -> CivilDate? {
            guard var value = values[index] else { return nil }
            guard let days = value.withUTF8({ FieldDecoder.date(UnsafeRawBufferPointer($0)) }) else {
                throw error(index, .badDate, "bad date: expected \(FieldDecoder.Expectation.date)")
            }
            return CivilDate(daysSinceEpoch: days)
        }

        /// An amount in pence in wanted column `index`, or `nil` when empty.
        func money(_ index: Int) throws(IngestError) -> Pence? {
            guard var value = values[index] else { return nil }
            guard let pence = value.withUTF8({ FieldDecoder.money(UnsafeRawBufferPointer($0)) }) else {
                throw error(index, .badNumber, "bad amount: expected \(FieldDecoder.Expectation.money)")
            }
            return pence
        }

        /// An error about wanted column `index` of this row.
        func error(_ index: Int, _ kind: IngestError.Kind, _ detail: String) -> IngestError {
            IngestError(file: file, line: line, record: record, column: columns[index], kind: kind, detail: detail)
        }
    }

    let reader: CSVReader

    /// Reads `source`, calling `body` for each data row.
    func read(_ source: InputSource, wanted: [String], required: Set<String>,
              body: (Row) throws(IngestError) -> Void) throws(IngestError) -> CSVReader.Summary {
        let file = source.displayName
        var map: HeaderMap?
        // Per file, not per row: the wanted columns' names as the header spells them.
        var columns: [String] = []
        // Reused from row to row (unique again once `body` returns, unless it kept the row).
        var values: [String?] = []
        let summary = try reader.read(source) { (batch: RecordBatch) throws(IngestError) in
            var failure: IngestError?
            batch.withRecords { view in
                for r in 0..<batch.count where failure == nil {
                    let first = view.firstField(of: r)
                    let count = view.fieldCount(of: r)
                    let line = batch.recordLines[r]
                    let record = batch.firstRecordNumber + r
                    do throws(IngestError) {
                        guard let map else {
                            let header = (first..<first + count).map { view.string($0) }
                            let found = try HeaderMap(header: header, wanted: wanted, required: required, file: file, line: line)
                            columns = zip(wanted, found.positions).map { name, position in position.map { found.names[$0] } ?? name }
                            map = found
                            continue
                        }
                        guard count == map.names.count else {
                            throw IngestError(file: file, line: line, record: record, kind: .wrongFieldCount,
                                              detail: "wrong number of fields: expected \(map.names.count) as in the header, found \(count)")
                        }
                        values.removeAll(keepingCapacity: true)
                        for (index, position) in map.positions.enumerated() {
                            guard let position else { values.append(nil); continue }
                            let bytes = view.field(first + position)
                            if let offset = TextEncoding.firstInvalidUTF8(bytes) {
                                throw IngestError(file: file, line: line, record: record, column: columns[index], kind: .badEncoding,
                                                  detail: "invalid UTF-8 at byte \(offset + 1) of the field: expected UTF-8 text (save the file as UTF-8)")
                            }
                            // Spaces and tabs around the value are not part of it (as String.trimmingSpaces).
                            let (start, end) = FieldDecoder.trimmed(bytes)
                            values.append(start == end ? nil : String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                        }
                        try body(Row(file: file, line: line, record: record, columns: columns, values: values))
                    } catch {
                        failure = error
                    }
                }
            }
            if let failure { throw failure }
        }
        if map == nil {
            throw IngestError(file: file, kind: .emptyFile, detail: "empty file: expected a header row naming the columns \(wanted.filter(required.contains).joined(separator: ", "))")
        }
        return summary
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var text = Substring(self)
        while let c = text.first, c == " " || c == "\t" { text.removeFirst() }
        while let c = text.last, c == " " || c == "\t" { text.removeLast() }
        return String(text)
    }
}
