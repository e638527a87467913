import Dispatch
import Synchronization

/// Reads one large file in parts on several cores at once, and joins them so that the result
/// is exactly what reading the file whole gives.
///
/// The parts are cut speculatively: each one after the first starts just after a line feed, and
/// is checked afterwards — the part before it must have ended between records (not inside a
/// quoted field spanning the break). When one did not, everything read is thrown away and the
/// file is read whole. A part's lines and record numbers count from its own start and are moved
/// on by the totals of the parts before it when the parts are joined.
///
/// How the parts are shared out depends on what the rows go to:
/// - a table load (no scan) keeps rows in file order, so it cuts one part per worker, each
///   worker's rows going to its own builder, joined in order;
/// - a streaming scan's sums do not depend on the order of rows, so it cuts many parts of
///   about ``EventLoader/partBytes`` and each worker takes the next one not yet taken until
///   none are left (morsel-driven scheduling). A worker that is slowed — by a denser stretch of
///   the file, or by another process on its core — takes fewer parts instead of holding the
///   others up: with one part per core the slower half finished 0.1–0.9 s after the other on
///   10M rows on this project's (shared) 2-core machine.
struct ParallelIngest {
    let loader: EventLoader
    let source: EventSource
    let size: Int

    /// What one worker produced: its builder (the dictionaries, its rejects and, for a table
    /// load, its rows), its scan and its counts.
    private struct Worker<Scan: EventScan> {
        var builder = EventTableBuilder()
        var scan: Scan?
        var loaded = 0
    }

    /// What one part produced.
    private struct Part {
        /// Which worker read it (-1: nobody, the read stopped first).
        var worker = -1
        var summary: CSVReader.Summary?
        var error: IngestError?
        /// Its rejects: these positions of its worker's builder's rejects.
        var rejects = 0..<0
        /// Whether its worker knew the layout after it (for the first part: it held the header).
        var sawHeader = false
        /// Whether its worker's scan had stopped after it (see ``EventScan/hasStopped``).
        var scanStopped = false
    }

    /// Appends the file to `builder`; `false` when the file is not worth splitting or a cut fell
    /// inside a quoted field or before the header (then nothing was appended and the caller
    /// reads it whole).
    ///
    /// With a `scan`, each worker streams its rows into a scan of its own (following the same
    /// people as `builder`), and the workers' scans are appended to `scan`.
    ///
    /// The loader's ``EventLoader/progress`` counts the parts as they are read, and takes them
    /// back when they are thrown away (the whole read counts the file again).
    func append<Scan: EventScan>(to builder: inout EventTableBuilder, scan: UnsafeMutablePointer<Scan>?) throws(IngestError) -> Bool {
        let before = loader.progress?.reading
        let used = try appendParts(to: &builder, scan: scan)
        if !used, let progress = loader.progress, let before {
            let now = progress.reading
            progress.add(bytes: before.bytes - now.bytes, rows: before.rows - now.rows)
        }
        return used
    }

    /// Reads the parts and joins them (see ``append(to:scan:)``).
    private func appendParts<Scan: EventScan>(to builder: inout EventTableBuilder, scan: UnsafeMutablePointer<Scan>?) throws(IngestError) -> Bool {
        // A compressed file's text has no byte offsets to cut at: it is read whole, decompressed
        // as it goes (see ``ChunkReader``).
        guard source.input.compression == nil else { return false }
        let workers = loader.workers
        let dynamic = scan != nil
        let cuts = try cuts(at: dynamic ? Self.streamingOffsets(size: self.size, partBytes: loader.partBytes, workers: workers)
                                        : (1..<max(1, workers)).map { i in self.size / workers * i + self.size % workers * i / workers })
        guard cuts.count > 1, let header = try headerNames() else { return false }
        let size = self.size
        let ranges = (0..<cuts.count).map { cuts[$0]..<($0 + 1 < cuts.count ? cuts[$0 + 1] : size) }
        // A table load has exactly one part per worker (fewer when the cuts merged).
        let workerCount = dynamic ? min(workers, ranges.count) : ranges.count
        var configured = CSVReader(dialect: source.dialect, chunkSize: loader.chunkSize, maxFieldBytes: loader.maxFieldBytes)
        configured.digest = loader.digest(of: source)
        let reader = configured
        let workerSlots = UnsafeMutableBufferPointer<Worker<Scan>>.allocate(capacity: workerCount)
        workerSlots.initialize(repeating: Worker())
        let partSlots = UnsafeMutableBufferPointer<Part>.allocate(capacity: ranges.count)
        partSlots.initialize(repeating: Part())
        defer {
            _ = workerSlots.deinitialize()
            workerSlots.deallocate()
            _ = partSlots.deinitialize()
            partSlots.deallocate()
        }
        // Sound: each part is taken by one worker only (from `next`, or by its index), which
        // alone writes its element; each worker writes only its own; both buffers outlive the call.
        nonisolated(unsafe) let workerResults = workerSlots
        nonisolated(unsafe) let partResults = partSlots
        // The next part to take, and the first not worth reading (one after a part that failed
        // or ended inside a record: nothing after it can be used).
        let next = Atomic<Int>(0)
        let stopAt = Atomic<Int>(ranges.count)
        let source = self.source, policy = loader.policy, morselRows = loader.morselRows, progress = loader.progress
        let following = builder.knowsCohort ? builder.emptyFollowingSamePeople() : nil
        // Sound: the workers only read the template scan, which the caller keeps alive.
        nonisolated(unsafe) let template = scan
        DispatchQueue.concurrentPerform(iterations: workerCount) { index in
            let sink = UnsafeMutablePointer<EventRowSink>.allocate(capacity: 1)
            sink.initialize(to: EventRowSink(source: source, policy: policy,
                                             builder: following ?? EventTableBuilder()))
            // The first part's columns are sized for the whole file: the others are appended to
            // them without regrowing (which would hold old, new and later parts at once).
            sink.pointee.expectedBytes = index == 0 ? size : ranges[index].count
            sink.pointee.progress = progress
            // A streaming worker's scan lives at a stable address for the sink's morsel callback.
            let workerScan = template.map { template in
                let workerScan = UnsafeMutablePointer<Scan>.allocate(capacity: 1)
                workerScan.initialize(to: template.pointee.empty())
                return workerScan
            }
            if let workerScan {
                sink.pointee.morselRows = morselRows
                sink.pointee.onMorsel = { workerScan.pointee.take($0) }
            }
            defer {
                if let workerScan {
                    workerResults[index].scan = workerScan.move()
                    workerScan.deallocate()
                }
                workerResults[index].builder = sink.pointee.builder
                workerResults[index].loaded = sink.pointee.loaded
                sink.deinitialize(count: 1)
                sink.deallocate()
            }
            var taken = false
            while true {
                // Parts are taken in file order, so the first part is always the first its
                // worker reads: a worker that starts later in the file takes the header as read.
                let part = dynamic ? next.wrappingAdd(1, ordering: .relaxed).oldValue : (taken ? ranges.count : index)
                taken = true
                guard part < stopAt.load(ordering: .relaxed) else { break }
                if part > 0, !sink.pointee.hasLayout { sink.pointee.adopt(header: header) }
                sink.pointee.abandonRecord()
                partResults[part].worker = index
                let rejectsBefore = sink.pointee.builder.rejects.count
                do throws(IngestError) {
                    let summary = try reader.read(source.input, into: sink, part: ranges[part], endsFile: part == ranges.count - 1)
                    partResults[part].summary = summary
                    if !summary.endedBetweenRecords { stopAt.min(part + 1, ordering: .relaxed) }
                } catch {
                    partResults[part].error = error
                    stopAt.min(part + 1, ordering: .relaxed)
                }
                partResults[part].rejects = rejectsBefore..<sink.pointee.builder.rejects.count
                partResults[part].sawHeader = sink.pointee.hasLayout
                partResults[part].scanStopped = workerScan?.pointee.hasStopped ?? false
                // A sink that stopped ignores everything after: it can read no more.
                if partResults[part].error != nil { break }
            }
        }

        // Check the parts in file order, gathering their rejects with line and record numbers
        // counted from the start of the file. The first error in file order wins.
        var lineShift = 0, recordShift = 0, blank = 0
        var rejects: [IngestError] = []
        for (index, part) in partSlots.enumerated() {
            // A part counts only when the one before it ended between records (and the first
            // held the header); otherwise everything is read again, whole.
            if index > 0 {
                guard let previous = partSlots[index - 1].summary, previous.endedBetweenRecords,
                      partSlots[0].sawHeader else { return false }
            }
            func shifted(_ error: IngestError) -> IngestError {
                var error = error
                error.line = error.line.map { $0 + lineShift }
                error.record = error.record.map { $0 + recordShift }
                return error
            }
            if part.worker >= 0 {
                rejects += workerSlots[part.worker].builder.rejects[part.rejects].map(shifted)
            }
            if let limit = policy.maxRejectsPerSource, rejects.count > limit, policy.mode == .reject {
                // The limit is per source: the (limit + 1)th reject of the whole file stops it.
                let last = rejects[limit]
                throw IngestError(file: source.input.displayName, line: last.line, record: last.record, kind: .tooManyRejects,
                                  detail: "too many rejected rows: more than \(limit) in this file (the last: \(last.kind.rawValue)); expected at most \(limit)")
            }
            if let error = part.error { throw shifted(error) }
            guard let summary = part.summary else { return false }
            lineShift += summary.nextLine - 1
            recordShift += summary.records
            blank += summary.blankLines
        }
        guard partSlots[0].sawHeader else { return false }

        func stoppedIn(_ worker: Int) -> Int {
            partSlots.firstIndex { $0.worker == worker && $0.scanStopped } ?? partSlots.count
        }
        // Take each worker's builder out of the buffer so that it has one owner: appending from a
        // builder whose columns are still shared would copy them all first (measured: the load's
        // peak memory went from 430 MB to 618 MB on 10M rows). Their rejects are replaced by
        // `rejects`, which are in file order.
        func takeBuilder(_ index: Int) -> EventTableBuilder {
            var taken = EventTableBuilder()
            swap(&taken, &workerSlots[index].builder)
            taken.rejects = []
            return taken
        }
        // A scan that stopped (at an implausible cost) keeps the first such row in file order
        // when joined first; each worker's scan stopped in its earliest part, if at all.
        let joinOrder = (0..<workerCount).sorted { a, b in
            (stoppedIn(a), a) < (stoppedIn(b), b)
        }
        for index in joinOrder {
            if let scan, let workerScan = workerSlots[index].scan.take() {
                // The workers' builders hold no rows, only their dictionaries: join those, and
                // the scans with them.
                var workerBuilder = takeBuilder(index)
                let recoding = builder.append(draining: &workerBuilder)
                // Moved, not copied: a copy alive during the call would share the scan's lists of
                // events, and recoding their services in place would copy each of them first.
                scan.pointee.append(consume workerScan, recoding: recoding)
            } else if index == joinOrder[0] && builder.isEmpty {
                builder.adopt(takeBuilder(index))  // the usual case, one file: no copy of the first part
            } else {
                var workerBuilder = takeBuilder(index)
                builder.append(draining: &workerBuilder)
            }
        }
        let loaded = workerSlots.reduce(0) { $0 + $1.loaded }
        for reject in rejects { builder.noteReject(reject) }
        let reconciliation = SourceReconciliation(
            file: source.input.displayName, read: recordShift - 1 + blank,
            loaded: loaded, rejected: rejects.count, blank: blank)
        precondition(reconciliation.balances, "rows unaccounted for in an events file")  // a trap message shows no name or figure from the data
        builder.noteSource(reconciliation)
        return true
    }

    /// Where a streaming scan's parts nominally start (after 0), in order. Parts are
    /// `partBytes` long (less when the file is smaller than a part per worker), except the last
    /// few: each is at most half of what is left per worker, down to an eighth of a full part,
    /// so that the workers run out of parts at nearly the same time. (With full parts to the
    /// end, one core idled for half a part, about 20 ms on 10M rows, while the other finished.)
    /// At most 2^16 parts, whatever `partBytes` is (their bookkeeping grows with them): full
    /// parts are at least 2^-15 of the file, which leaves room for the shrinking ones.
    static func streamingOffsets(size: Int, partBytes: Int, workers: Int) -> [Int] {
        let workers = max(1, workers)
        let largest = max(min(partBytes, size / workers), size >> 15, 1)
        let smallest = max(1, largest / 8)
        var offsets: [Int] = []
        var at = 0
        while offsets.count < (1 << 16) - 1 {
            let left = size - at
            let step = min(largest, max(smallest, left / (2 * workers)))
            guard left > step else { break }
            at += step
            offsets.append(at)
        }
        return offsets
    }

    /// Where the parts start: 0, then just after the first line feed at or past each of
    /// `offsets` (ascending; cuts that would be at the same place or at the end are dropped; a
    /// file with CR-only line ends has none after 0).
    private func cuts(at offsets: [Int]) throws(IngestError) -> [Int] {
        var cuts = [0]
        guard !offsets.isEmpty else { return cuts }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 12, alignment: 16)
        defer { buffer.deallocate() }
        // One open file, read from each nominal cut on (with pread).
        let reader = try source.input.open(range: 0..<size)
        for nominal in offsets {
            var offset = max(nominal, cuts[cuts.count - 1])
            reader.limit(to: offset..<size)
            var cut: Int?
            while cut == nil {
                let read = try reader.read(into: buffer)
                if read == 0 { break }
                if let index = buffer[..<read].firstIndex(of: 0x0A) { cut = offset + index + 1 }
                offset += read
            }
            guard let cut, cut < size else { break }
            if cut > cuts[cuts.count - 1] { cuts.append(cut) }
        }
        return cuts
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
