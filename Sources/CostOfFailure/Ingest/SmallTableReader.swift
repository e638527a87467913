/// Reads a small reference table (unit costs, interventions, services) row by row, written as
/// its ``InputMapping`` says (header names, date format, delimiter, encoding).
///
/// These tables have tens to hundreds of thousands of rows (an ICB's interventions), so each
/// row's wanted cells are handed over as bytes, checked as UTF-8 and trimmed, with typed
/// accessors that decode them in place or make a `String` only when asked, and throw positioned
/// ``IngestError``s.
struct SmallTableReader {
    /// One data row, with its position for messages. Its cells point into the reader's buffer:
    /// a row is valid only during the call it is passed to.
    struct Row {
        let file: String
        let line: Int
        let record: Int
        /// Wanted columns' header names (for messages).
        let columns: [String]
        /// How the file writes its dates.
        let dateFormat: DateFormat
        /// Wanted columns' bytes, trimmed of spaces and tabs; `nil` when the column is absent
        /// from the file or the cell is empty.
        let values: [UnsafeRawBufferPointer?]

        /// The text of wanted column `index`, or `nil` when absent or empty.
        func text(_ index: Int) -> String? {
            values[index].map { String(decoding: $0, as: UTF8.self) }
        }

        /// Whether wanted column `index` holds exactly the UTF-8 of `text` (no `String` made).
        func holds(_ index: Int, _ text: String) -> Bool {
            guard let value = values[index], text.utf8.count == value.count else { return false }
            var text = text
            // Sound: withUTF8 lends the string's contiguous bytes for the call; both are value.count long.
            return text.withUTF8 { utf8 in
                var i = 0
                while i < value.count, utf8[i] == value[i] { i += 1 }
                return i == value.count
            }
        }

        /// The text of wanted column `index`; throws when empty.
        func required(_ index: Int) throws(IngestError) -> String {
            String(decoding: try requiredBytes(index), as: UTF8.self)
        }

        /// The bytes of wanted column `index` (valid during the call the row is passed to);
        /// throws when empty.
        func requiredBytes(_ index: Int) throws(IngestError) -> UnsafeRawBufferPointer {
            guard let value = values[index] else {
                throw error(index, .missingValue, "missing value: expected a value in every row")
            }
            return value
        }

        /// A date in wanted column `index`, or `nil` when empty.
        func date(_ index: Int) throws(IngestError) -> CivilDate? {
            guard let value = values[index] else { return nil }
            guard let days = FieldDecoder.date(value, format: dateFormat) else {
                throw error(index, .badDate, "bad date: expected \(dateFormat.expectation)")
            }
            return CivilDate(daysSinceEpoch: days)
        }

        /// An amount in pence in wanted column `index`, or `nil` when empty.
        func money(_ index: Int) throws(IngestError) -> Pence? {
            guard let value = values[index] else { return nil }
            guard let pence = FieldDecoder.money(value) else {
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

    /// Reads `source`, written as `mapping` says, calling `body` for each data row; `wanted`
    /// and `required` are the engine's names of the columns.
    func read(_ source: InputSource, wanted: [String], required: Set<String>, mapping: InputMapping = .standard,
              body: (Row) throws(IngestError) -> Void) throws(IngestError) -> CSVReader.Summary {
        let file = source.displayName
        var reader = self.reader
        reader.dialect = mapping.dialect
        let windows1252 = mapping.encoding == .windows1252
        // A Windows-1252 row's non-ASCII cells, transcoded to UTF-8 (reused from row to row),
        // and where each wanted cell's text is in it.
        var transcoded: [UInt8] = []
        var transcodedRanges: [Range<Int>?] = []
        var map: HeaderMap?
        // Per file, not per row: the wanted columns' names as the header spells them.
        var columns: [String] = []
        // Reused from row to row (unique again once `body` returns: a row does not outlive it).
        var values: [UnsafeRawBufferPointer?] = []
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
                            let header = (first..<first + count).map { EventRowSink.headerText(view.field($0), encoding: mapping.encoding) }
                            let found = try HeaderMap(header: header, columns: wanted, required: required, mapping: mapping,
                                                      file: file, line: line, showValues: reader.showValues)
                            columns = zip(wanted, found.positions).map { name, position in
                                position.map { found.names[$0] } ?? mapping.headerName(of: name)
                            }
                            map = found
                            continue
                        }
                        guard count == map.names.count else {
                            throw IngestError(file: file, line: line, record: record, kind: .wrongFieldCount,
                                              detail: "wrong number of fields: expected \(map.names.count) as in the header, found \(count)")
                        }
                        values.removeAll(keepingCapacity: true)
                        transcoded.removeAll(keepingCapacity: true)
                        transcodedRanges.removeAll(keepingCapacity: true)
                        for (index, position) in map.positions.enumerated() {
                            transcodedRanges.append(nil)
                            guard let position else { values.append(nil); continue }
                            let bytes = view.field(first + position)
                            if windows1252, !FieldDecoder.isASCII(bytes) {
                                // Read once the row's cells are all transcoded (the buffer may move till then).
                                let start = transcoded.count
                                TextEncoding.transcodeWindows1252(bytes, into: &transcoded)
                                transcodedRanges[index] = start..<transcoded.count
                                values.append(nil)
                                continue
                            }
                            if !windows1252, let offset = TextEncoding.firstInvalidUTF8(bytes) {
                                throw IngestError(file: file, line: line, record: record, column: columns[index], kind: .badEncoding,
                                                  detail: "invalid UTF-8 at byte \(offset + 1) of the field: expected UTF-8 text (save the file as UTF-8)")
                            }
                            // A NUL or an inner BOM would make another person or service of an ID or a name.
                            if let (kind, offset) = StrayMark.first(in: bytes) {
                                throw IngestError(file: file, line: line, record: record, column: columns[index], kind: kind,
                                                  detail: StrayMark.detail(kind, offset: offset))
                            }
                            // Spaces and tabs around the value are not part of it (as String.trimmingSpaces).
                            let (start, end) = FieldDecoder.trimmed(bytes)
                            values.append(start == end ? nil : UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                        }
                        guard !transcoded.isEmpty else {
                            try body(Row(file: file, line: line, record: record, columns: columns, dateFormat: mapping.dateFormat, values: values))
                            continue
                        }
                        var rowFailure: IngestError?
                        transcoded.withUnsafeBytes { text in
                            do throws(IngestError) {
                                for (index, range) in transcodedRanges.enumerated() {
                                    guard let range else { continue }
                                    // Sound: `range` was recorded within `transcoded`, which does not change during this call.
                                    let bytes = UnsafeRawBufferPointer(rebasing: text[range])
                                    if let (kind, offset) = StrayMark.first(in: bytes) {
                                        throw IngestError(file: file, line: line, record: record, column: columns[index], kind: kind,
                                                          detail: StrayMark.detail(kind, offset: offset))
                                    }
                                    let (start, end) = FieldDecoder.trimmed(bytes)
                                    values[index] = start == end ? nil : UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                                }
                                try body(Row(file: file, line: line, record: record, columns: columns, dateFormat: mapping.dateFormat, values: values))
                            } catch {
                                rowFailure = error
                            }
                        }
                        if let rowFailure { throw rowFailure }
                    } catch {
                        failure = error
                    }
                }
            }
            if let failure { throw failure }
        }
        if map == nil {
            throw IngestError(file: file, kind: .emptyFile, detail: "empty file: expected a header row naming the columns \(wanted.filter(required.contains).map(mapping.headerName(of:)).joined(separator: ", "))")
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
