import Dispatch

/// Reads one large file in two parts at once, one per core, and joins them so that the table
/// is exactly what reading the file whole gives.
///
/// The split is speculative: the second part starts after the first line break past the middle
/// of the file, and is checked afterwards — the first part must end between records (not inside
/// a quoted field that spans the break). When it does not, the parts are thrown away and the file
/// is read whole. The second part's lines and record numbers count from its own start and are
/// moved on by the first part's totals when the parts are joined.
struct ParallelIngest {
    let loader: EventLoader
    let source: EventSource
    let size: Int

    /// What one part produced.
    private struct Part<Scan: EventScan>: @unchecked Sendable {
        var builder = EventTableBuilder()
        var scan: Scan?
        var summary: CSVReader.Summary?
        var error: IngestError?
        var loaded = 0
        var rejected = 0
        var sawHeader = false
    }

    /// Appends the file to `builder`; `false` when the file is not worth splitting or the split
    /// fell inside a quoted field (then nothing was appended and the caller reads it whole).
    ///
    /// With a `scan`, each part streams its rows into a scan of its own (following the same
    /// people as `builder`), and the parts' scans are appended to `scan` in file order.
    func append<Scan: EventScan>(to builder: inout EventTableBuilder, scan: UnsafeMutablePointer<Scan>?) throws(IngestError) -> Bool {
        guard let split = try splitPoint(), let header = try headerNames() else { return false }
        let reader = CSVReader(dialect: source.dialect, chunkSize: loader.chunkSize, maxFieldBytes: loader.maxFieldBytes)
        let ranges = [0..<split, split..<size]
        let parts = UnsafeMutableBufferPointer<Part<Scan>>.allocate(capacity: 2)
        parts.initialize(repeating: Part())
        defer {
            _ = parts.deinitialize()
            parts.deallocate()
        }
        // Sound: each worker writes only its own element of `parts`, which outlives the call.
        nonisolated(unsafe) let slots = parts
        let source = self.source, policy = loader.policy, morselRows = loader.morselRows
        let following = builder.followsKnownPersonsOnly ? builder.emptyFollowingSamePeople() : nil
        // Sound: the workers only read the template scan, which the caller keeps alive.
        nonisolated(unsafe) let template = scan
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let sink = UnsafeMutablePointer<EventRowSink>.allocate(capacity: 1)
            sink.initialize(to: EventRowSink(source: source, policy: policy,
                                             builder: following ?? EventTableBuilder()))
            if index == 1 { sink.pointee.adopt(header: header) }
            // The first part's columns are sized for the whole file: the second part is appended
            // to them without regrowing (which would hold old, new and second part at once).
            sink.pointee.expectedBytes = index == 0 ? size : ranges[index].count
            // A streaming part's scan lives at a stable address for the sink's morsel callback.
            let partScan = template.map { template in
                let partScan = UnsafeMutablePointer<Scan>.allocate(capacity: 1)
                partScan.initialize(to: template.pointee.empty())
                return partScan
            }
            if let partScan {
                sink.pointee.morselRows = morselRows
                sink.pointee.onMorsel = { partScan.pointee.take($0) }
            }
            defer {
                if let partScan {
                    slots[index].scan = partScan.move()
                    partScan.deallocate()
                }
                slots[index].builder = sink.pointee.builder
                slots[index].loaded = sink.pointee.loaded
                slots[index].rejected = sink.pointee.rejected
                slots[index].sawHeader = sink.pointee.hasLayout
                sink.deinitialize(count: 1)
                sink.deallocate()
            }
            do throws(IngestError) {
                slots[index].summary = try reader.read(source.input, into: sink, part: ranges[index], endsFile: index == 1)
            } catch {
                slots[index].error = error
            }
        }
        // Take the parts out of the buffer so that each builder has one owner: appending to a
        // builder whose columns are still shared would copy them all first (measured: the load's
        // peak memory went from 430 MB to 618 MB on 10M rows).
        var first = parts[0], second = parts[1]
        parts[0] = Part()
        parts[1] = Part()
        // The first error in file order wins; the first part's come first.
        if let error = first.error { throw error }
        // The first part must hold the header and end between records; otherwise (the split fell
        // before the header, or inside a quoted field) the parts are thrown away.
        guard let firstSummary = first.summary, first.sawHeader, firstSummary.endedBetweenRecords else { return false }
        let lineShift = firstSummary.nextLine - 1, recordShift = firstSummary.records
        func shifted(_ error: IngestError) -> IngestError {
            var error = error
            error.line = error.line.map { $0 + lineShift }
            error.record = error.record.map { $0 + recordShift }
            return error
        }
        var secondBuilder = second.builder
        second.builder = EventTableBuilder()
        secondBuilder.rejects = secondBuilder.rejects.map(shifted)
        let firstBuilder = first.builder
        first.builder = EventTableBuilder()
        let rejected = first.rejected + second.rejected
        if let limit = policy.maxRejectsPerSource, rejected > limit, policy.mode == .reject {
            // The limit is per source: the (limit + 1)th reject of the whole file stops it.
            let all = firstBuilder.rejects + secondBuilder.rejects
            let last = all[limit]
            throw IngestError(file: source.input.displayName, line: last.line, record: last.record, kind: .tooManyRejects,
                              detail: "too many rejected rows: more than \(limit) in this file (the last: \(last.kind.rawValue)); expected at most \(limit)")
        }
        if let error = second.error { throw shifted(error) }
        guard let secondSummary = second.summary else { return false }
        if let scan, let firstScan = first.scan, let secondScan = second.scan {
            // The parts' builders hold no rows, only their dictionaries: join those, and the
            // scans with them.
            var firstBuilder = firstBuilder
            scan.pointee.append(firstScan, recoding: builder.append(draining: &firstBuilder))
            scan.pointee.append(secondScan, recoding: builder.append(draining: &secondBuilder))
        } else {
            if builder.isEmpty {
                builder.adopt(consume firstBuilder)  // the usual case, one file: no copy of the first part
            } else {
                builder.append(contentsOf: firstBuilder)
            }
            builder.append(draining: &secondBuilder)
        }
        let blank = firstSummary.blankLines + secondSummary.blankLines
        let reconciliation = SourceReconciliation(
            file: source.input.displayName, read: firstSummary.records - 1 + secondSummary.records + blank,
            loaded: first.loaded + second.loaded, rejected: rejected, blank: blank)
        precondition(reconciliation.balances, "rows unaccounted for in \(source.input.displayName): \(reconciliation)")
        builder.noteSource(reconciliation)
        return true
    }

    /// Where the second part starts: just after the first line feed past the middle of the file
    /// (`nil` when there is none, as in a file with CR-only line ends).
    private func splitPoint() throws(IngestError) -> Int? {
        let middle = size / 2
        let reader = try source.input.open(range: middle..<size)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        var offset = middle
        while true {
            let count = try reader.read(into: buffer)
            if count == 0 { return nil }
            if let index = buffer[..<count].firstIndex(of: 0x0A) { return offset + index + 1 < size ? offset + index + 1 : nil }
            offset += count
        }
    }

    /// The header's cells, read from the file's first record (`nil` if it is not in the first
    /// 64 KiB: then the file is read whole, which reports whatever is wrong with it).
    private func headerNames() throws(IngestError) -> [String]? {
        var names: [String]?
        let reader = CSVReader(dialect: source.dialect, chunkSize: 1 << 16, maxFieldBytes: loader.maxFieldBytes)
        do throws(IngestError) {
            _ = try reader.read(source.input, sink: nil, part: 0..<min(size, 1 << 16), endsFile: false,
                                onBadRecord: { (error: IngestError) throws(IngestError) in
                                    // Only the header matters here; a bad row after it is the parts' business.
                                    if error.record == 1 { throw error }
                                },
                                onBatch: { (batch: RecordBatch) throws(IngestError) in
                guard names == nil, batch.count > 0 else { return }
                names = batch.withRecords { view in
                    (0..<view.fieldCount(of: 0)).map { EventRowSink.headerText(view.field($0), encoding: source.encoding) }
                }
            })
        } catch {
            return nil
        }
        return names
    }
}
