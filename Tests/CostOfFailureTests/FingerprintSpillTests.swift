import Foundation
import Testing
@testable import CostOfFailure

/// `count` fingerprints drawn from `distinct` values (so many repeat), as the scan makes them
/// (bit 0 of `low` set).
private func generatedPrints(seed: UInt64, count: Int, distinct: Int) -> [RowFingerprints.Fingerprint] {
    var random = SplitMix64(seed: seed)
    let pool = (0..<distinct).map { _ in
        RowFingerprints.Fingerprint(high: UInt64.random(in: 0...UInt64.max, using: &random), low: UInt64.random(in: 0...UInt64.max, using: &random) | 1)
    }
    return (0..<count).map { _ in pool[Int.random(in: 0..<distinct, using: &random)] }
}

/// Adds `prints` to `fingerprints` as the scan does with a morsel: grouped by bucket.
private func appendMorsel(_ prints: ArraySlice<RowFingerprints.Fingerprint>, to fingerprints: inout RowFingerprints) {
    var starts = [Int](repeating: 0, count: RowFingerprints.bucketCount + 1)
    for print in prints { starts[RowFingerprints.bucket(of: print) + 1] += 1 }
    for b in 0..<RowFingerprints.bucketCount { starts[b + 1] += starts[b] }
    var grouped = [RowFingerprints.Fingerprint](repeating: .init(high: 0, low: 0), count: prints.count)
    var next = starts
    for print in prints {
        let b = RowFingerprints.bucket(of: print)
        grouped[next[b]] = print
        next[b] += 1
    }
    grouped.withUnsafeBufferPointer { grouped in starts.withUnsafeBufferPointer { fingerprints.append(grouped: grouped, starts: $0) } }
}

/// `prints` taken by `parts` parts sharing `spill`, in morsels of random sizes, each part taking
/// the morsels of its turn (as the threads of a parallel read do), then joined in shuffled order.
private func taken(_ prints: [RowFingerprints.Fingerprint], parts: Int, spill: FingerprintSpill, seed: UInt64) -> RowFingerprints {
    var random = SplitMix64(seed: seed)
    var states = (0..<parts).map { _ in RowFingerprints(spill: spill) }
    var start = 0, turn = 0
    while start < prints.count {
        let end = min(prints.count, start + Int.random(in: 1...9_000, using: &random))
        appendMorsel(prints[start..<end], to: &states[turn % parts])
        start = end
        turn += 1
    }
    states.shuffle(using: &random)
    var joined = states.removeFirst()
    for state in states { joined.append(state) }
    return joined
}

/// A new empty directory for a spill.
private func emptyDirectory() throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cof-spill-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return directory
}

@Suite("Row fingerprints past the memory budget: an encrypted, unlinked temporary file")
struct FingerprintSpillTests {
    @Test("Duplicates counted with spills equal the in-memory count and a Set's, across take-overs and many spills",
          arguments: [(0, 1), (1_600, 2), (16 * 20_000, 2), (Int.max, 2)] as [(Int, Int)])
    func sameCount(budgetBytes: Int, workers: Int) throws {
        let prints = generatedPrints(seed: 7 &+ UInt64(budgetBytes % 1_000), count: 120_000, distinct: 40_000)
        var seen = Set<[UInt64]>()
        let reference = prints.reduce(0) { $0 + (seen.insert([$1.high, $1.low]).inserted ? 0 : 1) }
        let spill = FingerprintSpill(budgetBytes: budgetBytes, directory: try emptyDirectory())
        let fingerprints = taken(prints, parts: 3, spill: spill, seed: 11)
        let inMemory = taken(prints, parts: 1, spill: FingerprintSpill(budgetBytes: Int.max), seed: 12)
        #expect(reference > 50_000)
        #expect(fingerprints.count == prints.count)
        #expect(try fingerprints.duplicates(workers: workers) == reference)
        #expect(try inMemory.duplicates(workers: workers) == reference)
        // Many spills below the largest budget; none at all (no file made) above it.
        #expect(fingerprints.spilledSegments > (budgetBytes < 1 << 20 ? 2 * RowFingerprints.bucketCount : -1))
        #expect(spill.isOpen == (budgetBytes < Int.max) && fingerprints.hasSpilled == spill.isOpen)
        #expect(!inMemory.hasSpilled)
    }

    @Test("Below the budget nothing is written: no file is made")
    func belowBudget() throws {
        let spill = FingerprintSpill(directory: "/nonexistent/cof-spill-test")
        let fingerprints = taken(generatedPrints(seed: 3, count: 50_000, distinct: 20_000), parts: 2, spill: spill, seed: 4)
        #expect(try fingerprints.duplicates(workers: 2) > 0)
        #expect(!spill.isOpen && !fingerprints.hasSpilled)
    }

    @Test("The file has no name: its directory stays empty while the scan runs and after, and it is readable by its owner only")
    func unlinked() throws {
        let directory = try emptyDirectory()
        var spill: FingerprintSpill? = FingerprintSpill(budgetBytes: 1_000, directory: directory)
        var fingerprints: RowFingerprints? = taken(generatedPrints(seed: 5, count: 30_000, distinct: 10_000), parts: 2, spill: spill!, seed: 6)
        #expect(spill!.isOpen && fingerprints!.hasSpilled)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        let fd = spill!.fileDescriptor
        var status = stat()
        #expect(fstat(fd, &status) == 0)
        #expect(status.st_nlink == 0 && status.st_mode & 0o777 == 0o600 && status.st_size > 30_000 * 16)
        #if os(Linux)
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
        #expect(link.hasPrefix(directory) && link.hasSuffix("(deleted)"))
        #endif
        _ = try fingerprints!.duplicates(workers: 1)
        fingerprints = nil
        spill = nil
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        #if os(Linux)
        // The descriptor was closed with the last part that used it (its number may since have
        // been reused by another test, but not for a file in this directory).
        let now = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
        #expect(now.map { !$0.hasPrefix(directory) } ?? true)
        #endif
    }

    @Test("No fingerprint is in the file in clear: neither lane of any, at any offset")
    func encrypted() throws {
        let prints = generatedPrints(seed: 9, count: 40_000, distinct: 15_000)
        let spill = FingerprintSpill(budgetBytes: 2_000, directory: try emptyDirectory())
        let fingerprints = taken(prints, parts: 2, spill: spill, seed: 10)
        let bytes = spill.fileBytes()
        // Every fingerprint went to the file (a 16-byte tag a segment beside them).
        #expect(bytes.count == prints.count * 16 + fingerprints.spilledSegments * 16)
        let lanes = Set(prints.flatMap { [$0.high, $0.low] })
        var found = 0
        bytes.withUnsafeBytes { raw in
            for offset in 0...(raw.count - 8) where lanes.contains(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) { found += 1 }
        }
        #expect(found == 0)
        #expect(try fingerprints.duplicates(workers: 2) == prints.count - Set(prints.map { [$0.high, $0.low] }).count)
    }

    @Test("A byte changed in the file is an I/O error naming its directory, never a count")
    func tampered() throws {
        let directory = try emptyDirectory()
        let spill = FingerprintSpill(budgetBytes: 1_000, directory: directory)
        let fingerprints = taken(generatedPrints(seed: 13, count: 20_000, distinct: 5_000), parts: 2, spill: spill, seed: 14)
        var byte = spill.fileBytes()[100] ^ 0x01
        #expect(pwrite(spill.fileDescriptor, &byte, 1, 100) == 1)
        let error = ingestError { _ = try fingerprints.duplicates(workers: 2) }
        #expect(error?.kind == .unreadable && error?.file == directory)
        #expect(error?.detail.contains("changed or damaged") == true)
    }

    @Test("A temporary directory that is missing, not a directory, unwritable or full is an I/O error naming it")
    func unwritable() throws {
        let notDirectory = try temporaryFile("x", name: "plain-file")
        var directories = ["/nonexistent/cof-spill-test", notDirectory]
        let readOnly = try emptyDirectory()
        // Root writes anywhere: a read-only directory stops only other users.
        if getuid() != 0 {
            #expect(chmod(readOnly, 0o500) == 0)
            directories.append(readOnly)
        }
        for directory in directories {
            let fingerprints = taken(generatedPrints(seed: 15, count: 5_000, distinct: 2_000), parts: 2,
                                     spill: FingerprintSpill(budgetBytes: 1_000, directory: directory), seed: 16)
            let error = ingestError { _ = try fingerprints.duplicates(workers: 1) }
            #expect(error?.kind == .unreadable && error?.file == directory, "\(directory)")
        }
        // A full disk, simulated: every write fails with ENOSPC after the file is made.
        let full = try emptyDirectory()
        let spill = FingerprintSpill(budgetBytes: 1_000, directory: full) { _, _, _ in ENOSPC }
        let fingerprints = taken(generatedPrints(seed: 17, count: 5_000, distinct: 2_000), parts: 2, spill: spill, seed: 18)
        let error = ingestError { _ = try fingerprints.duplicates(workers: 2) }
        #expect(error?.kind == .unreadable && error?.file == full)
        #expect(error?.description.hasPrefix(full + ": could not write") == true && error?.detail.contains("No space left on device") == true)
    }

    @Test("validate's scan with a tiny budget fails with the I/O error on a full disk, and names no person")
    func examineFullDisk() throws {
        let rows = (0..<3_000).map { "person\($0 % 50),A&E,attendance,2020-01-\(10 + $0 % 14)\n" }.joined()
        let events = try temporaryFile("person_id,service,event,date\n" + rows, name: "events.csv")
        let directory = try emptyDirectory()
        let error = ingestError {
            _ = try DataQualityReport.examine([EventSource(.file(events))], loader: EventLoader(), unitCosts: nil, interventions: nil) {
                FingerprintSpill(budgetBytes: 1_000, directory: directory) { _, _, _ in EIO }
            }
        }
        #expect(error?.kind == .unreadable && error?.file == directory)
        #expect(error.map { !$0.description.contains("person") } == true)
        // The same scan with room: 3,000 rows, 350 of them distinct (person and day repeat every 350).
        let examined = try DataQualityReport.examine([EventSource(.file(events))], loader: EventLoader(), unitCosts: nil, interventions: nil) {
            FingerprintSpill(budgetBytes: 1_000, directory: directory)
        }
        #expect(DataQualityReport(examined, unitCosts: false, interventions: nil, observationEnd: nil).sources.map(\.duplicateRows) == [3_000 - 350])
    }
}
