import Testing
@testable import CostOfFailure

/// Keeps every row a scan is handed, with its strings, so that scans can be compared as sets of
/// rows whatever order the parts were read in.
private struct RowCollector: EventScan {
    var rows: [String] = []
    func empty() -> RowCollector { RowCollector() }
    var hasStopped: Bool { false }
    mutating func take(_ morsel: borrowing EventTableBuilder) {
        let table = morsel.finish()
        for i in 0..<table.count {
            let cost = table.explicitCostValidity[i] ? String(table.explicitCost[i]) : "-"
            rows.append("\(table.person[i])|\(table.services[table.service[i]])|\(table.events[table.event[i]])|\(table.day[i])|\(table.quantity[i])|\(cost)")
        }
    }
    mutating func append(_ later: consuming RowCollector, recoding: EventTableBuilder.Recoding) {
        rows += later.rows
    }
}

/// What a streaming read of `path` produced: the rows (sorted), reconciliation and rejects, or
/// the error; and whether it was read in parts.
private func scan(_ path: String, loader: EventLoader, following: FollowedPeople, inParts: Bool) throws -> (outcome: String, parts: Bool) {
    var builder = EventTableBuilder(following: following)
    var collector = RowCollector()
    let source = EventSource(.file(path))
    let size = try #require(source.input.fileSize)
    var readInParts = false
    do throws(IngestError) {
        if inParts {
            readInParts = try withUnsafeMutablePointer(to: &collector) { pointer throws(IngestError) in
                try ParallelIngest(loader: loader, source: source, size: size).append(to: &builder, scan: pointer)
            }
        } else {
            try withUnsafeMutablePointer(to: &collector) { pointer throws(IngestError) in
                try loader.appendWhole(source, to: &builder, scan: pointer)
            }
        }
    } catch {
        return ("error: \(error)", readInParts)
    }
    let table = builder.finish()
    let lines = collector.rows.sorted() + table.sources.map(\.description) + table.rejects.map(\.description)
    return (lines.joined(separator: "\n"), readInParts)
}

@Suite("A streaming read shared out in many parts")
struct ParallelScanTests {
    @Test("Parts of a few hundred bytes, taken in turn by two or three workers, give the rows, reconciliation and rejects of one read",
          arguments: [(2, 97), (2, 1_000), (3, 333)])
    func manyParts(workers: Int, partBytes: Int) throws {
        for (seed, faults) in [(51, false), (52, true)] as [(UInt64, Bool)] {
            let path = try temporaryFile(generatedCSV(seed: seed, rows: 3_000, faults: faults, quotedBreaks: false))
            var followed = StringDictionary()
            for i in stride(from: 0, to: 200, by: 3) { _ = followed.intern("P\(i)") }
            let following = FollowedPeople(followed)
            for policy in [ErrorPolicy(mode: .reject), ErrorPolicy(mode: .reject, maxRejectsPerSource: 4), .failFast] {
                var loader = EventLoader(policy: policy, workers: workers, parallelThreshold: 0)
                loader.partBytes = partBytes
                loader.morselRows = 5
                let whole = try scan(path, loader: loader, following: following, inParts: false)
                let parts = try scan(path, loader: loader, following: following, inParts: true)
                #expect(parts.outcome == whole.outcome, "seed \(seed), \(policy)")
                // Nothing here makes a cut fall inside a record, so the parts are used, not
                // thrown away for a whole read: unless the read stopped at an error.
                #expect(parts.parts || whole.outcome.hasPrefix("error"))
            }
        }
    }

    @Test("Parts cover the file in order, full-sized until the last few, which shrink so that the workers finish together",
          arguments: [(572_000_000, 8_388_608, 2), (16_777_216, 8_388_608, 2), (1_000_000, 8_388_608, 2), (5_000, 97, 3),
                      (1_099_511_627_776, 1, 2), (10, 8_388_608, 2), (0, 8_388_608, 2)] as [(Int, Int, Int)])
    func partSchedule(size: Int, partBytes: Int, workers: Int) {
        let offsets = ParallelIngest.streamingOffsets(size: size, partBytes: partBytes, workers: workers)
        guard size > 0 else {
            #expect(offsets.isEmpty)
            return
        }
        let bounds = [0] + offsets + [size]
        let lengths = zip(bounds.dropFirst(), bounds).map { $0 - $1 }
        #expect(lengths.allSatisfy { $0 > 0 }, "ascending, inside the file")
        #expect(bounds.count - 1 <= 1 << 16, "at most 2^16 parts")
        let largest = max(min(partBytes, size / workers), size >> 15, 1)
        #expect(lengths.allSatisfy { $0 <= largest })
        if size >= 2 * workers {
            #expect(lengths.count >= workers, "a part for every worker")
        }
        // Each part is at most half of each worker's share of what is left when it is taken
        // (or the smallest size), so the last ones shrink.
        var left = size
        for length in lengths.dropLast() {
            #expect(length <= max(largest / 8, 1, left / (2 * workers)))
            left -= length
        }
        if size > 64 * largest {
            #expect(lengths.dropLast().last! < largest, "the tail is cut finer")
        }
    }

    @Test("The first implausible cost in file order is the one reported, whichever worker read it")
    func firstOverflowInFileOrder() throws {
        var text = "person_id,service,event,date,quantity,cost\n"
        for i in 0..<2_000 {
            text += "P\(i % 20),A&E,attendance,2023-01-\(i % 18 + 10),1,\n"
            // Implausible costs of two different services, the Police one first in the file.
            if i == 600 { text += "Q1,Police,arrest,2023-02-01,1,\"2,000,000,000\"\n" }
            if i == 1_400 { text += "Q2,Courts,hearing,2023-02-01,1,\"3,000,000,000\"\n" }
        }
        let inputs = StudyInputs(events: [EventSource(.file(try temporaryFile(text)))],
                                 interventions: .file(try temporaryFile("person_id,start_date\nP1,2023-02-01\n", name: "i.csv")),
                                 unitCosts: .file(try temporaryFile("service,event,unit_cost\nA&E,*,100\n", name: "u.csv")),
                                 windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
        // The scheduling differs from run to run: run it often enough that each worker reads
        // the later overflow first in some of them.
        for round in 0..<20 {
            var loader = EventLoader(workers: 2 + round % 2, parallelThreshold: 0)
            loader.partBytes = 500 + round * 37
            loader.morselRows = 16
            #expect(throws: StudyInputs.Failure.self) { try StreamingPass(inputs, loader: loader) }
            do {
                _ = try StreamingPass(inputs, loader: loader)
            } catch {
                #expect("\(error)".contains("(Police, arrest)"), "round \(round): \(error)")
            }
        }
    }
}
