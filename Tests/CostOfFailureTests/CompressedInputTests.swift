import Foundation
import Testing
@testable import CostOfFailure
import TestSupport

/// A temporary file holding `bytes` under `name`.
private func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cof-compressed-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// Every record of `source` as strings.
private func records(_ source: InputSource) throws(IngestError) -> [[String]] {
    var rows: [[String]] = []
    _ = try CSVReader(chunkSize: 1 << 16).read(source) { batch in
        batch.withRecords { view in
            for r in 0..<batch.count {
                let first = view.firstField(of: r)
                rows.append((first..<first + view.fieldCount(of: r)).map { view.string($0) })
            }
        }
    }
    return rows
}

/// The events table as comparable text: rows, dictionaries, reconciliation, rejects.
private func snapshot(_ table: EventTable) -> [String] {
    var lines = (0..<table.count).map { i in
        "\(table.person[i])|\(table.service[i])|\(table.event[i])|\(table.day[i])|\(table.quantity[i])|\(table.explicitCostValidity[i] ? String(table.explicitCost[i]) : "-")"
    }
    lines.append("persons: " + table.persons.values.joined(separator: ","))
    lines.append("services: " + table.services.values.joined(separator: ","))
    lines += table.rejects.map { $0.description }
    return lines
}

/// A compressor by name, for parameterised tests.
private enum Codec: String, CaseIterable, CustomTestStringConvertible {
    case gzip, zstd
    func compress(_ bytes: [UInt8]) -> [UInt8] { self == .gzip ? CompressedText.gzip(bytes) : CompressedText.zstd(bytes) }
    var testDescription: String { rawValue }
}

@Suite("Compressed inputs (gzip, zstd), told by content")
struct CompressedInputTests {
    static let events = """
        person_id,service,event,date,quantity,cost
        P1,A&E,attendance,2020-01-05,,
        P1,"Police, local",arrest,2020-02-01,2,
        P2,A&E,attendance,2021-03-04,,12.50

        P3,GP,"line one
        line two",2020-06-30,,
        """
    static var eventBytes: [UInt8] { Array(events.utf8) }

    @Test("gzip and zstd content reads as its text, whatever the chunk size", arguments: Codec.allCases, [1, 3, 7, 65_536])
    fileprivate func byContent(codec: Codec, chunkSize: Int) throws {
        let plain = try records(.bytes(name: "e.csv", Self.eventBytes, chunkSize: chunkSize))
        let compressed = try records(.bytes(name: "e.csv", codec.compress(Self.eventBytes), chunkSize: chunkSize))
        #expect(plain.count == 5)
        #expect(compressed == plain)
    }

    @Test("The name is only a hint: gzip in events.csv, plain text in events.csv.gz, zstd in events.gz", arguments: [
        (Codec.gzip, "events.csv"), (nil, "events.csv.gz"), (Codec.zstd, "events.gz"), (Codec.zstd, "events.csv.zst"),
    ])
    fileprivate func nameIsOnlyAHint(codec: Codec?, name: String) throws {
        let path = try temporaryFile(codec?.compress(Self.eventBytes) ?? Self.eventBytes, name: name)
        let table = try EventLoader().load([InputSource.file(path)])
        let reference = try EventLoader().load([InputSource.bytes(name: path, Self.eventBytes, chunkSize: 1 << 16)])
        #expect(snapshot(table) == snapshot(reference))
        #expect(InputSource.file(path).compression == codec.map { $0 == .gzip ? .gzip : .zstd })
    }

    @Test("A large compressed file is read whole, not cut in byte ranges: the parallel loader gives the plain file's table", arguments: Codec.allCases)
    fileprivate func notSplit(codec: Codec) throws {
        var text = "person_id,service,event,date,quantity,cost\n"
        for i in 0..<20_000 { text += "P\(i % 997),S\(i % 13),e\(i % 5),2020-\(String(format: "%02d", i % 12 + 1))-1\(i % 10),\(i % 4 + 1),\n" }
        let plainPath = try temporaryFile(Array(text.utf8), name: "big.csv")
        let compressedPath = try temporaryFile(codec.compress(Array(text.utf8)), name: "big.csv")
        let plain = try EventLoader(workers: 2, parallelThreshold: 0).load([InputSource.file(plainPath)])
        let compressed = try EventLoader(workers: 2, parallelThreshold: 0).load([InputSource.file(compressedPath)])
        #expect(compressed.count == 20_000)
        #expect(compressed.sources.map(\.loaded) == [20_000])
        #expect(snapshot(compressed) == snapshot(plain))
    }

    @Test("An empty compressed file is an empty file, as a plain one is", arguments: Codec.allCases)
    fileprivate func emptyStream(codec: Codec) {
        let error = ingestError { _ = try EventLoader().load([InputSource.bytes(name: "empty.csv.gz", codec.compress([]), chunkSize: 7)]) }
        #expect(error?.kind == .emptyFile)
        #expect(error?.file == "empty.csv.gz")
    }

    @Test("A truncated stream is an error naming the file, never the rows so far as if they were all", arguments: Codec.allCases, [1, 65_536])
    fileprivate func truncated(codec: Codec, chunkSize: Int) {
        let whole = codec.compress(Self.eventBytes)
        for cut in [whole.count - 1, whole.count - 4, whole.count / 2, 5] {
            let error = ingestError { _ = try records(.bytes(name: "cut.csv.gz", Array(whole[..<cut]), chunkSize: chunkSize)) }
            #expect(error?.kind == .badCompression, "cut at \(cut)")
            #expect(error?.file == "cut.csv.gz")
            #expect(error?.description.contains("P1") == false)
        }
    }

    @Test("A corrupt byte is an error (a bad block, or the checksum at the member's end)", arguments: Codec.allCases)
    fileprivate func corruptByte(codec: Codec) {
        let whole = codec.compress(Array(String(repeating: Self.events + "\n", count: 50).utf8))
        var failures = 0
        // Every position after the magic number: each corruption must be caught.
        for position in CompressionFormat.magicLength..<whole.count {
            var bytes = whole
            bytes[position] ^= 0x55
            let error = ingestError { _ = try records(.bytes(name: "bad.csv.zst", bytes, chunkSize: 4_096)) }
            // A flipped flag bit may make a valid but different header (gzip's FTEXT, OS byte, mtime).
            if let error {
                #expect([.badCompression, .badQuoting, .unterminatedQuote].contains(error.kind), "byte \(position): \(error)")
                failures += 1
            }
        }
        // Most positions are data or checksum: all of those fail.
        #expect(failures >= whole.count - 20)
    }

    @Test("Concatenated gzip members read as one stream (cat a.gz b.gz), zero padding after the last is ignored, anything else is not")
    func multiMember() throws {
        let lines = Self.events.split(separator: "\n", omittingEmptySubsequences: false)
        let first = Array((lines[..<3].joined(separator: "\n") + "\n").utf8)
        let second = Array(lines[3...].joined(separator: "\n").utf8)
        let joined = CompressedText.gzip(first) + CompressedText.gzip(second, level: 1)
        let plain = try records(csv(Self.events))
        for chunkSize in [1, 7, 65_536] {
            #expect(try records(.bytes(name: "m.gz", joined, chunkSize: chunkSize)) == plain)
            #expect(try records(.bytes(name: "m.gz", joined + [UInt8](repeating: 0, count: 600), chunkSize: chunkSize)) == plain)
        }
        let garbage = ingestError { _ = try records(.bytes(name: "m.gz", joined + Array("trailing".utf8), chunkSize: 7)) }
        #expect(garbage?.kind == .badCompression)
        // zstd frames concatenated read as one stream too.
        #expect(try records(.bytes(name: "m.zst", CompressedText.zstd(first) + CompressedText.zstd(second), chunkSize: 5)) == plain)
        // A skippable frame first (what pzstd writes: magic 0x184D2A50, little-endian, then
        // its length and content) is recognised as zstd and skipped.
        let skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF]
        #expect(try records(.bytes(name: "p.csv", skippable + CompressedText.zstd(first) + CompressedText.zstd(second), chunkSize: 5)) == plain)
    }

    @Test("A rejected row inside a compressed file is placed by the decompressed text's line and column", arguments: Codec.allCases)
    fileprivate func rejectPosition(codec: Codec) {
        let text = Self.events.replacingOccurrences(of: "2021-03-04", with: "2021-02-30")
        let error = ingestError { _ = try EventLoader().load([InputSource.bytes(name: "e.csv.gz", codec.compress(Array(text.utf8)), chunkSize: 3)]) }
        #expect(error?.kind == .badDate)
        #expect(error?.line == 4)
        #expect(error?.record == 4)
        #expect(error?.column == "date")
    }

    @Test("A BOM inside the compressed text is skipped as in a plain file")
    func byteOrderMark() throws {
        let bytes = CompressedText.gzip([0xEF, 0xBB, 0xBF] + Self.eventBytes)
        #expect(try records(.bytes(name: "b.gz", bytes, chunkSize: 1)) == records(csv(Self.events)))
    }

    @Test("Progress counts the compressed bytes, against the compressed file's size")
    func progressCountsFileBytes() throws {
        let rows = String(repeating: "P1,A&E,attendance,2020-01-05,,\n", count: 2_000)
        let bytes = CompressedText.gzip(Array(("person_id,service,event,date,quantity,cost\n" + rows).utf8))
        let path = try temporaryFile(bytes, name: "p.csv.gz")
        let source = EventSource(.file(path))
        let progress = ReadProgress(reading: [source])
        var loader = EventLoader()
        loader.progress = progress
        _ = try loader.load([source])
        #expect(progress.totalBytes == bytes.count)
        #expect(progress.reading.bytes == bytes.count)
        #expect(progress.reading.rows == 2_000)
    }
}
