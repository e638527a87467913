import Foundation
import Testing
@testable import CostOfFailure

/// A scan that only counts the rows it is handed.
private struct RowCount: EventScan {
    var rows = 0
    func empty() -> RowCount { RowCount() }
    var hasStopped: Bool { false }
    mutating func take(_ morsel: borrowing EventTableBuilder) { rows += morsel.count }
    mutating func append(_ later: consuming RowCount, recoding: EventTableBuilder.Recoding) { rows += later.rows }
}

/// The size of the file at `path`.
private func size(_ path: String) throws -> Int {
    try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
}

/// Data rows the sources' reconciliations account for: loaded or set aside (blank lines not).
private func dataRows(_ sources: [SourceReconciliation]) -> Int {
    sources.reduce(0) { $0 + $1.loaded + $1.rejected }
}

@Suite("Progress of a read: bytes and rows counted as the files are read")
struct ReadProgressTests {
    @Test("A table load counts every byte of the files and every data row, read whole or in parts",
          arguments: [(1, 1 << 20, 16 << 20), (2, 1 << 20, 0), (2, 97, 0), (3, 4_096, 0)] as [(Int, Int, Int)])
    func tableLoad(workers: Int, chunkSize: Int, parallelThreshold: Int) throws {
        let first = try temporaryFile(generatedCSV(seed: 7, rows: 2_000, faults: true, quotedBreaks: false))
        let second = try temporaryFile(generatedCSV(seed: 8, rows: 1_500, faults: true, quotedBreaks: false))
        let sources = [EventSource(.file(first)), EventSource(.file(second))]
        let progress = ReadProgress(reading: sources)
        let loader = EventLoader(policy: ErrorPolicy(mode: .reject), chunkSize: chunkSize, workers: workers,
                                 parallelThreshold: parallelThreshold, progress: progress)
        let table = try loader.load(sources)
        let reading = progress.reading
        let total = try size(first) + size(second)
        #expect(reading.totalBytes == total)
        #expect(reading.bytes == reading.totalBytes)
        #expect(reading.rows == dataRows(table.sources))
        #expect(reading.rows > table.count)  // the faults were set aside, and counted as read
    }

    @Test("A streaming scan in many small parts on two or three workers counts the file once",
          arguments: [(2, 97), (2, 1_000), (3, 333)])
    func streamingScan(workers: Int, partBytes: Int) throws {
        let path = try temporaryFile(generatedCSV(seed: 9, rows: 3_000, faults: true, quotedBreaks: false))
        let sources = [EventSource(.file(path))]
        let progress = ReadProgress(reading: sources)
        var loader = EventLoader(policy: ErrorPolicy(mode: .reject), workers: workers, parallelThreshold: 0, progress: progress)
        loader.partBytes = partBytes
        loader.morselRows = 5
        var scan = RowCount()
        let builder = try loader.scan(sources, following: FollowedPeople(StringDictionary()), into: &scan)
        let table = builder.finish()
        let fileSize = try size(path)
        #expect(progress.reading.bytes == fileSize)
        #expect(progress.reading.rows == dataRows(table.sources))
        #expect(scan.rows == table.sources.reduce(0) { $0 + $1.loaded })
    }

    @Test("Parts thrown away (a cut inside a quoted line break) are taken back: the whole read counts the file once")
    func partsReadAgainWhole() throws {
        // A quoted field of many lines in the middle of the file: the cut between two workers'
        // parts falls inside it, so the parts are thrown away and the file is read whole.
        let header = "person_id,service,event,date,quantity,cost\n"
        let before = (0..<200).map { "P\($0),A&E,attendance,2023-01-10,1,\n" }.joined()
        let quoted = "P1,A&E,\"" + String(repeating: "a long note\n", count: 2_000) + "\",2023-01-11,1,\n"
        let after = (0..<50).map { "P\($0),Police,arrest,2023-02-10,1,\n" }.joined()
        let path = try temporaryFile(header + before + quoted + after)
        let source = EventSource(.file(path))
        let progress = ReadProgress(reading: [source])
        let loader = EventLoader(workers: 2, parallelThreshold: 0, progress: progress)
        var builder = EventTableBuilder()
        let fileSize = try size(path)
        let readInParts = try ParallelIngest(loader: loader, source: source, size: fileSize).append(to: &builder, scan: nil as UnsafeMutablePointer<RowCount>?)
        #expect(!readInParts)
        #expect(progress.reading.bytes == 0 && progress.reading.rows == 0)  // what the parts counted, taken back
        let table = try loader.load([source])
        #expect(progress.reading.bytes == fileSize)
        #expect(progress.reading.rows == 251 && table.count == 251)
    }

    @Test("The total is the files' sizes; unknown when one is standard input; bytes in memory count")
    func totals() throws {
        let path = try temporaryFile("person_id,service,event,date\nP1,A&E,attendance,2023-01-10\n")
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("person_id,service,event,date\nP1,A&E,attendance,2023-01-10\nP2,A&E,attendance,2023-01-11\n".utf8)
        let memory = EventSource(.bytes(name: "memory.csv", bytes, chunkSize: 7))
        let fileSize = try size(path)
        #expect(ReadProgress(reading: [EventSource(.file(path)), memory]).totalBytes == fileSize + bytes.count)
        #expect(ReadProgress(reading: [EventSource(.file(path)), EventSource(.file("-"))]).totalBytes == nil)
        #expect(ReadProgress(reading: []).totalBytes == 0)

        // Read in chunks of 7 bytes, a byte-order mark and all: every byte and both rows.
        let progress = ReadProgress(reading: [memory])
        _ = try EventLoader(progress: progress).load([memory])
        #expect(progress.reading == ReadProgress.Reading(bytes: bytes.count, rows: 2, totalBytes: bytes.count))
    }

    @Test("A load that stops at a bad row has counted no more than the file")
    func stoppedLoad() throws {
        let path = try temporaryFile(generatedCSV(seed: 10, rows: 3_000, faults: true, quotedBreaks: false))
        let progress = ReadProgress(reading: [EventSource(.file(path))])
        #expect(throws: IngestError.self) {
            try EventLoader(policy: .failFast, chunkSize: 4_096, workers: 2, parallelThreshold: 0, progress: progress).load([EventSource(.file(path))])
        }
        let fileSize = try size(path)
        #expect(progress.reading.bytes > 0 && progress.reading.bytes <= fileSize)
        #expect(progress.reading.rows < 3_000)
    }

    @Test("Sizes in decimal units, one decimal below ten, whole above",
          arguments: [(0, "0 B"), (999, "999 B"), (1_000, "1.0 KB"), (1_234, "1.2 KB"), (9_949, "9.9 KB"), (9_950, "10 KB"),
                      (210_400_000, "210 MB"), (999_499, "999 KB"), (999_500, "1.0 MB"), (1_200_000_000, "1.2 GB"),
                      (3_400_000_000_000, "3.4 TB")] as [(Int, String)])
    func sizes(bytes: Int, text: String) {
        #expect(ReadProgress.Reading.size(bytes) == text)
    }

    @Test("Rows with thousands separators", arguments: [(0, "0"), (999, "999"), (1_000, "1,000"), (12_345_678, "12,345,678"),
                                                       (100_000, "100,000"), (-1_234, "-1,234")] as [(Int, String)])
    func grouped(count: Int, text: String) {
        #expect(ReadProgress.Reading.grouped(count) == text)
    }

    @Test("Time left in seconds below a minute and a half, minutes above",
          arguments: [(0.2, "1 s"), (10.1, "11 s"), (89, "89 s"), (90, "2 min"), (600, "10 min"), (.infinity, "a long time")] as [(Double, String)])
    func duration(seconds: Double, text: String) {
        #expect(ReadProgress.Reading.duration(seconds) == text)
    }

    @Test("The statement: share and time left with a known total, neither without")
    func statement() {
        let known = ReadProgress.Reading(bytes: 1_200_000_000, rows: 12_345_678, totalBytes: 3_400_000_000)
        #expect(known.statement(elapsedSeconds: 6) == "read 1.2 GB of 3.4 GB (35%), 12,345,678 rows, 200 MB/s, about 11 s left")
        let unknown = ReadProgress.Reading(bytes: 1_200_000_000, rows: 1, totalBytes: nil)
        #expect(unknown.statement(elapsedSeconds: 6) == "read 1.2 GB, 1 row, 200 MB/s")
        let done = ReadProgress.Reading(bytes: 3_500_000_000, rows: 5, totalBytes: 3_400_000_000)
        #expect(done.statement(elapsedSeconds: 10) == "read 3.4 GB of 3.4 GB (100%), 5 rows, 350 MB/s")
        let started = ReadProgress.Reading(bytes: 0, rows: 0, totalBytes: 100)
        #expect(started.statement(elapsedSeconds: 0) == "read 0 B of 100 B (0%), 0 rows")
    }
}
