import Crypto
import Dispatch
import Foundation
import Testing
import TestSupport
@testable import CostOfFailure

/// Random bytes, the same for a seed.
private func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
}

/// The SHA-256 of `bytes`, as the reference.
private func reference(_ bytes: [UInt8]) -> [UInt8] {
    Array(SHA256.hash(data: bytes))
}

@Suite("A file's SHA-256 made from the bytes its reads take")
struct ReadDigestTests {
    @Test("Pieces handed over in any order, overlapping and repeated, from several threads at once, give the SHA-256 of the whole",
          arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func anyOrder(seed: UInt64) {
        let bytes = randomBytes(300_000, seed: seed)
        var random = SplitMix64(seed: seed + 100)
        // Pieces that cover every byte, some overlapping the next, some given twice.
        var pieces: [Range<Int>] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 1...20_000, using: &random))
            let overlap = Int.random(in: 0..<4, using: &random) == 0 ? Int.random(in: 1...500, using: &random) : 0
            pieces.append(max(0, start - overlap)..<end)
            if Int.random(in: 0..<5, using: &random) == 0 { pieces.append(start..<end) }
            start = end
        }
        pieces.shuffle(using: &random)
        let shuffled = pieces
        let digest = ReadDigest()
        // Sound: the pieces are only read, by every thread.
        bytes.withUnsafeBytes { all in
            nonisolated(unsafe) let all = all
            DispatchQueue.concurrentPerform(iterations: 3) { thread in
                for (index, piece) in shuffled.enumerated() where index % 3 == thread {
                    digest.take(UnsafeRawBufferPointer(rebasing: all[piece]), at: piece.lowerBound)
                }
            }
        }
        #expect(digest.sha256(ofFirst: bytes.count) == reference(bytes))
        // Asked again, the same.
        #expect(digest.sha256(ofFirst: bytes.count) == reference(bytes))
    }

    @Test("A reader that sets bytes aside while another hashes, and finishes after it, hashes them itself")
    func setAsideAfterTheHasherCameBack() {
        let bytes = randomBytes(2_000, seed: 11)
        let digest = ReadDigest()
        bytes.withUnsafeBytes { all in
            let (first, second) = (UnsafeRawBufferPointer(rebasing: all[..<1_000]), UnsafeRawBufferPointer(rebasing: all[1_000...]))
            let hashing = digest.claim(first.count, at: 0)
            let copying = digest.claim(second.count, at: 1_000)
            #expect(hashing.hasher != nil && copying.copy != nil)
            // The first reader hashes and hands the hasher back before the second has set its bytes aside.
            digest.finish(hashing, first, at: 0)
            digest.finish(copying, second, at: 1_000)
        }
        #expect(digest.sha256(ofFirst: bytes.count) == reference(bytes))
    }

    @Test("No value for bytes it has not all seen, for another size, or once the bytes set aside passed the limit")
    func noValue() {
        let bytes = randomBytes(10_000, seed: 9)
        func fed(_ pieces: [Range<Int>], parkedLimit: Int = ReadDigest.parkedLimit) -> ReadDigest {
            let digest = ReadDigest(parkedLimit: parkedLimit)
            bytes.withUnsafeBytes { all in
                for piece in pieces { digest.take(UnsafeRawBufferPointer(rebasing: all[piece]), at: piece.lowerBound) }
            }
            return digest
        }
        // A gap: the bytes after it are set aside for ever.
        #expect(fed([0..<4_000, 5_000..<10_000]).sha256(ofFirst: 10_000) == nil)
        // Not the first bytes.
        #expect(fed([1..<10_000]).sha256(ofFirst: 10_000) == nil)
        // Every byte, asked for a file of another size (the file grew or shrank).
        #expect(fed([0..<10_000]).sha256(ofFirst: 10_001) == nil)
        #expect(fed([0..<10_000]).sha256(ofFirst: 9_999) == nil)
        // The first bytes only, asked for as such: their hash.
        #expect(fed([0..<4_000]).sha256(ofFirst: 4_000) == reference(Array(bytes[..<4_000])))
        // Set aside past the limit, then the gap filled: given up.
        #expect(fed([5_000..<10_000, 0..<5_000], parkedLimit: 4_999).sha256(ofFirst: 10_000) == nil)
        #expect(fed([5_000..<10_000, 0..<5_000], parkedLimit: 5_000) .sha256(ofFirst: 10_000) == reference(bytes))
        // Nothing seen: the hash of nothing only for an empty file.
        #expect(ReadDigest().sha256(ofFirst: 0) == reference([]))
        #expect(ReadDigest().sha256(ofFirst: 1) == nil)
    }

    @Test("Hashing ahead of the readers: a file no reader feeds whole; nothing once a reader has begun; with readers at once, the file's SHA-256")
    func ahead() throws {
        let text = generatedCSV(seed: 8, rows: 60_000, faults: false)
        let path = try temporaryFile(text)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count > 2 << 20, "more than one of its reads")
        let alone = ReadDigest()
        alone.hashAhead(file: path)
        #expect(alone.sha256(ofFirst: bytes.count) == reference(bytes))
        // A reader's first bytes stop it before it reads any.
        let started = ReadDigest()
        bytes.withUnsafeBytes { started.take(UnsafeRawBufferPointer(rebasing: $0[..<1_000]), at: 0) }
        started.hashAhead(file: path)
        #expect(started.sha256(ofFirst: 1_000) == reference(Array(bytes[..<1_000])))
        // A named pipe is neither waited on nor read (a path replaced since it was checked).
        let pipe = path + ".fifo"
        #expect(mkfifo(pipe, 0o600) == 0)
        let piped = ReadDigest()
        piped.hashAhead(file: pipe)
        #expect(piped.sha256(ofFirst: 0) == reference([]))
        // Beside a read in parts of a few hundred bytes on two workers.
        for _ in 0..<5 {
            let digest = ReadDigest()
            var loader = EventLoader(policy: ErrorPolicy(mode: .reject), workers: 2, parallelThreshold: 0)
            loader.partBytes = 4_096
            loader.digests = [path: digest]
            let finished = DispatchSemaphore(value: 0)
            Thread {
                digest.hashAhead(file: path)
                finished.signal()
            }.start()
            _ = try loader.load([EventSource(.file(path))])
            finished.wait()
            #expect(digest.sha256(ofFirst: bytes.count) == reference(bytes))
        }
    }

    @Test("A file replaced between the hash ahead and the read, or since: no value (its bytes would be of neither version)")
    func anotherVersion() throws {
        let path = try temporaryFile(generatedCSV(seed: 9, rows: 3_000, faults: false))
        let replacement = try temporaryFile(generatedCSV(seed: 10, rows: 3_500, faults: false))
        let digest = ReadDigest()
        digest.hashAhead(file: path)
        #expect(rename(replacement, path) == 0)
        var loader = EventLoader(policy: ErrorPolicy(mode: .reject), workers: 2, parallelThreshold: 0)
        loader.digests = [path: digest]
        _ = try loader.load([EventSource(.file(path))])
        #expect(digest.sha256(ofFileAt: path) == nil)
        // Read by one version only, the file's own; rewritten since, none.
        let read = ReadDigest()
        loader.digests = [path: read]
        _ = try loader.load([EventSource(.file(path))])
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(read.sha256(ofFileAt: path) == reference(bytes))
        let rewritten = try temporaryFile(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "attendance", with: "Attendance"))
        #expect(rename(rewritten, path) == 0)
        #expect(read.sha256(ofFileAt: path) == nil)
        // A whole read that found the input's end in two places (a pipe listed twice): none.
        let twice = ReadDigest()
        bytes.withUnsafeBytes { twice.take(UnsafeRawBufferPointer(rebasing: $0[..<100]), at: 0) }
        twice.ended(at: 100)
        #expect(twice.sha256OfWholeRead() == reference(Array(bytes[..<100])))
        bytes.withUnsafeBytes { twice.take(UnsafeRawBufferPointer(rebasing: $0[..<150]), at: 0) }
        twice.ended(at: 150)
        #expect(twice.sha256OfWholeRead() == nil)
    }

    @Test("Loading a file whole, in parts, or streamed in parts of a few hundred bytes, plain or compressed, its digest is its SHA-256")
    func throughTheReads() throws {
        let text = generatedCSV(seed: 7, rows: 2_000, faults: true)
        let plain = try temporaryFile(text)
        let gzip = try temporaryFile("", name: "events.csv.gz")
        try Data(CompressedText.gzip(Array(text.utf8))).write(to: URL(fileURLWithPath: gzip))
        for path in [plain, gzip] {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            for var loader in loaders(ErrorPolicy(mode: .reject)) {
                let digest = ReadDigest()
                loader.digests = [path: digest]
                _ = try loader.load([EventSource(.file(path))])
                #expect(digest.sha256(ofFirst: bytes.count) == reference(bytes), "\(path), \(loader.workers) workers, parts of \(loader.partBytes)")
            }
        }
        // A streaming pass reading the file in parts of 211 bytes on two workers.
        let interventions = try temporaryFile("person_id,start_date\nP1,2023-05-01\nP4,2023-06-01\n", name: "interventions.csv")
        let digest = ReadDigest()
        var inputs = StudyInputs(events: [EventSource(.file(plain))], interventions: .file(interventions), unitCosts: nil,
                                 windows: StudyWindows(before: WindowSpan(3, .months), after: WindowSpan(3, .months)),
                                 policy: ErrorPolicy(mode: .reject), workers: 2)
        inputs.digests = [plain: digest]
        var loader = inputs.eventLoader
        loader.parallelThreshold = 0
        loader.partBytes = 211
        _ = try StreamingPass(inputs, loader: loader, keepingCohortEvents: true)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: plain)))
        #expect(digest.sha256(ofFirst: bytes.count) == reference(bytes))
    }
}
