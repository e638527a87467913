/// The complete records libcsv produced from one or more input chunks, stored end to end.
///
/// A batch holds raw field bytes (already unquoted by libcsv) in one buffer and offsets into it,
/// so the whole batch costs a handful of allocations that are reused from batch to batch. The
/// loaders decode fields from these bytes directly.
public struct RecordBatch: Sendable {
    /// Field bytes, concatenated.
    var bytes: [UInt8] = []
    /// For each field, the offset in `bytes` one past its last byte.
    var fieldEnds: [Int] = []
    /// For each record, the index in `fieldEnds` one past its last field.
    var recordFieldEnds: [Int] = []
    /// For each record, the physical line (1-based) it starts on.
    var recordLines: [Int] = []
    /// The record number (1-based, counting the header as record 1) of the first record.
    var firstRecordNumber: Int = 1

    /// Creates an empty batch.
    public init() {}

    /// Number of complete records in the batch.
    public var count: Int { recordLines.count }

    /// Removes the complete records but keeps the fields of a record still being read (it
    /// continues in the next chunk), and keeps the storage for the next batch.
    mutating func removeCompleteRecords(nextRecordNumber: Int) {
        let doneFields = recordFieldEnds.last ?? 0
        let doneBytes = doneFields == 0 ? 0 : fieldEnds[doneFields - 1]
        if doneFields > 0 {
            // Keep the open record's few fields aside and empty the arrays with their capacity:
            // shifting in place would first copy the whole megabyte if the storage is shared
            // (measured: +8% on a 1M-row compare).
            let openEnds = fieldEnds[doneFields...].map { $0 - doneBytes }
            let openBytes = Array(bytes[doneBytes...])
            fieldEnds.removeAll(keepingCapacity: true)
            fieldEnds.append(contentsOf: openEnds)
            bytes.removeAll(keepingCapacity: true)
            bytes.append(contentsOf: openBytes)
        }
        recordFieldEnds.removeAll(keepingCapacity: true)
        recordLines.removeAll(keepingCapacity: true)
        firstRecordNumber = nextRecordNumber
    }

    /// Drops the fields of the record still being read (after a quoting error).
    mutating func dropOpenRecord() {
        let keptFields = recordFieldEnds.last ?? 0
        let keptBytes = keptFields == 0 ? 0 : fieldEnds[keptFields - 1]
        fieldEnds.removeLast(fieldEnds.count - keptFields)
        bytes.removeLast(bytes.count - keptBytes)
    }

    /// Calls `body` with a view of the batch's records that reads fields without copying.
    func withRecords<R, E: Error>(_ body: (RecordView) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = bytes.withUnsafeBytes { bytes in
            fieldEnds.withUnsafeBufferPointer { fieldEnds in
                recordFieldEnds.withUnsafeBufferPointer { recordFieldEnds in
                    Result { () throws(E) -> R in
                        try body(RecordView(bytes: bytes, fieldEnds: fieldEnds, recordFieldEnds: recordFieldEnds))
                    }
                }
            }
        }
        return try result.get()
    }

    /// A read-only view of a batch, valid only inside ``RecordBatch/withRecords(_:)``.
    struct RecordView {
        let bytes: UnsafeRawBufferPointer
        let fieldEnds: UnsafeBufferPointer<Int>
        let recordFieldEnds: UnsafeBufferPointer<Int>

        /// Index in `fieldEnds` of the first field of `record`.
        @inline(__always)
        func firstField(of record: Int) -> Int {
            record == 0 ? 0 : recordFieldEnds[record - 1]
        }

        /// Number of fields in `record`.
        @inline(__always)
        func fieldCount(of record: Int) -> Int {
            recordFieldEnds[record] - firstField(of: record)
        }

        /// The bytes of field `index` (an index into `fieldEnds`, not a column number).
        @inline(__always)
        func field(_ index: Int) -> UnsafeRawBufferPointer {
            let start = index == 0 ? 0 : fieldEnds[index - 1]
            // Sound: offsets were written in increasing order by the parser and lie within `bytes`.
            return UnsafeRawBufferPointer(rebasing: bytes[start..<fieldEnds[index]])
        }

        /// The text of a field, for headers and small tables (allocates a `String`).
        func string(_ index: Int) -> String {
            String(decoding: field(index), as: UTF8.self)
        }
    }
}
