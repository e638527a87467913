import CostOfFailure
import CostOfFailureReports
import Foundation
import Testing

@Suite("Input hashes: the events files' from their reads, the others on a thread of their own")
struct InputHashesTests {
    @Test("Every input file's hash as Provenance.sha256(file:) gives it, a missing file's nil, standard input and bytes skipped; the provenance's entries the same with them or without")
    func sameAsProvenance() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("input-hashes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ text: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        // Two event sources, one of them read twice (hashed once), and a large one.
        let events = try write("events.csv", "person_id,service,event,date\n" + String(repeating: "A,A&E,attendance,2020-01-01\n", count: 100_000))
        let more = try write("more.csv", "abc")
        let interventions = try write("interventions.csv", "person_id,start_date\nA,2020-01-01\n")
        let missing = directory.appendingPathComponent("missing.csv").path
        var inputs = StudyInputs(events: [EventSource(.file(events)), EventSource(.file(more)), EventSource(.file(events)), EventSource(.file("-"))],
                                 interventions: .file(interventions), unitCosts: .file(missing),
                                 windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months)))
        inputs.services = .bytes(name: "services.csv", Array("service,category\n".utf8), chunkSize: 4)
        let hashes = InputHashes(inputs)
        for path in [events, more, interventions, missing] {
            #expect(hashes.sha256(file: path) == Provenance.sha256(file: path))
        }
        #expect(hashes.sha256(file: more) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hashes.sha256(file: missing) == nil)
        // A path not among the inputs is hashed when asked for.
        let other = try write("other.csv", "abc")
        #expect(hashes.sha256(file: other) == Provenance.sha256(file: other))

        var with = Provenance(), without = Provenance()
        for source in inputs.events.map(\.input) + [inputs.interventions, inputs.unitCosts!, inputs.services!] {
            with.addInput("input", source, rows: "1 row", hashes: hashes)
            without.addInput("input", source, rows: "1 row")
        }
        #expect(with.entries.map(\.value) == without.entries.map(\.value))
        #expect(with.entries.contains { $0.value.hasSuffix("(could not be read again to hash); 1 row") })
    }

    @Test("An events file's hash is taken from the pass's read of it; a file that changed size since is hashed again")
    func eventsFromTheRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("input-hashes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let events = directory.appendingPathComponent("events.csv").path, interventions = directory.appendingPathComponent("interventions.csv").path
        let rows = (0..<20_000).map { "P\($0 % 300),A&E,attendance,2020-0\($0 % 9 + 1)-1\($0 % 10)\n" }.joined()
        try Data(("person_id,service,event,date\n" + rows).utf8).write(to: URL(fileURLWithPath: events))
        try Data("person_id,start_date\nP1,2020-05-01\n".utf8).write(to: URL(fileURLWithPath: interventions))
        var inputs = StudyInputs(events: [EventSource(.file(events))], interventions: .file(interventions), unitCosts: nil,
                                 windows: StudyWindows(before: WindowSpan(3, .months), after: WindowSpan(3, .months)), workers: 2)
        let hashes = InputHashes(inputs)
        let digest = try #require(hashes.digests[events])
        #expect(hashes.digests.count == 1)
        inputs.digests = hashes.digests
        _ = try StreamingPass(inputs, keepingCohortEvents: true)
        let size = try #require(FileManager.default.attributesOfItem(atPath: events)[.size] as? Int)
        let hash = try #require(digest.sha256(ofFirst: size))
        #expect(hashes.sha256(file: events) == Provenance.sha256(file: events))
        #expect(hash.map { String(format: "%02x", $0) }.joined() == Provenance.sha256(file: events))
        // Grown after the read: the digest no longer covers it, and the file as it is now is hashed.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: events))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("P1,A&E,attendance,2020-05-02\n".utf8))
        try handle.close()
        #expect(hashes.sha256(file: events) == Provenance.sha256(file: events))
        #expect(hashes.sha256(file: events) != hash.map { String(format: "%02x", $0) }.joined())
    }

    @Test("A named pipe among the inputs is not read ahead: its bytes are left for the read", .timeLimit(.minutes(1)))
    func namedPipeLeftAlone() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("input-hashes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pipe = directory.appendingPathComponent("events.csv").path, file = directory.appendingPathComponent("interventions.csv").path
        #expect(mkfifo(pipe, 0o600) == 0)
        try Data("abc".utf8).write(to: URL(fileURLWithPath: file))
        let inputs = StudyInputs(events: [EventSource(.file(pipe))], interventions: .file(file), unitCosts: nil,
                                 windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months)))
        let hashes = InputHashes(inputs)
        // Had the pipe been opened to hash, the file's hash would wait behind it for ever.
        #expect(hashes.sha256(file: file) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // The pipe's bytes all reach its reader.
        let writer = Thread {
            let fd = open(pipe, O_WRONLY)
            _ = "person_id\n".withCString { write(fd, $0, 10) }
            close(fd)
        }
        writer.start()
        let fd = open(pipe, O_RDONLY)
        var buffer = [UInt8](repeating: 0, count: 64), count = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n <= 0 { break }
            count += n
        }
        close(fd)
        #expect(String(decoding: buffer[..<count], as: UTF8.self) == "person_id\n")
    }
}
