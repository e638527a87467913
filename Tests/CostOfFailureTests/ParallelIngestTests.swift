import Foundation
import Testing
import CostOfFailure

/// Everything a load produced, as comparable text: rows, dictionary order, reconciliation, rejects.
private func snapshot(_ table: EventTable) -> [String] {
    var lines = (0..<table.count).map { i in
        "\(table.person[i])|\(table.service[i])|\(table.event[i])|\(table.day[i])|\(table.quantity[i])|\(table.explicitCostValidity[i] ? String(table.explicitCost[i]) : "-")"
    }
    lines.append("persons: " + table.persons.values.joined(separator: ","))
    lines.append("services: " + table.services.values.joined(separator: ","))
    lines.append("events: " + table.events.values.joined(separator: ","))
    lines += table.sources.map { $0.description }
    lines += table.rejects.map { $0.description }
    return lines
}

/// A temporary file holding `text`.
func temporaryFile(_ text: String, name: String = "events.csv") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cof-parallel-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

/// Loads `sources` whole and in two parts (every file split, however small) and checks that both
/// give the same table, or the same error.
func expectSameInParts(_ sources: [EventSource], policy: ErrorPolicy = .failFast,
                               sourceLocation: SourceLocation = #_sourceLocation) {
    let whole = Result { () throws(IngestError) in try EventLoader(policy: policy, workers: 1).load(sources) }
    let parts = Result { () throws(IngestError) in try EventLoader(policy: policy, workers: 2, parallelThreshold: 0).load(sources) }
    switch (whole, parts) {
    case let (.success(a), .success(b)):
        let (x, y) = (snapshot(a), snapshot(b))
        #expect(x.count == y.count, sourceLocation: sourceLocation)
        #expect(zip(x, y).first { $0 != $1 } == nil, sourceLocation: sourceLocation)
    case let (.failure(a), .failure(b)):
        #expect(a == b, sourceLocation: sourceLocation)
    default:
        Issue.record("one load failed and the other did not: \(whole) vs \(parts)", sourceLocation: sourceLocation)
    }
}

/// Generated events with CRLF, blank lines, quoted commas and doubled quotes, quoted line breaks
/// (unless not `quotedBreaks`) and, when `faults`, bad rows.
func generatedCSV(seed: UInt64, rows: Int, faults: Bool, quotedBreaks: Bool = true) -> String {
    var random = SplitMix64(seed: seed)
    var text = "person_id,service,event,date,quantity,cost\r\n"
    let quoted = quotedBreaks ? "\"night\nshift, \"\"late\"\"\"" : "\"night shift, \"\"late\"\"\""
    for i in 0..<rows {
        let person = "P\(Int.random(in: 0..<200, using: &random))"
        let event = Int.random(in: 0..<20, using: &random) == 0 ? quoted : "attendance"
        var date = "2023-0\(Int.random(in: 1...9, using: &random))-1\(Int.random(in: 0...9, using: &random))"
        if faults && Int.random(in: 0..<150, using: &random) == 0 { date = "2023-02-30" }
        var quantity = String(Int.random(in: 1...5, using: &random))
        if faults && Int.random(in: 0..<200, using: &random) == 0 { quantity = "0" }
        let cost = Int.random(in: 0..<10, using: &random) == 0 ? "\"£1,\(100 + i % 900).50\"" : ""
        text += "\(person),Service \(i % 7),\(event),\(date),\(quantity),\(cost)\(Bool.random(using: &random) ? "\r\n" : "\n")"
        if Int.random(in: 0..<100, using: &random) == 0 { text += "\n" }
        if faults && Int.random(in: 0..<300, using: &random) == 0 { text += "Pz,S,ab\"c,2023-01-01,,\n" }
    }
    return text
}

@Suite("Reading a file in parts gives the table of reading it whole")
struct ParallelIngestTests {
    @Test("John's events and every agency export")
    func john() throws {
        expectSameInParts([EventSource(.file(fixture("john/events.csv")))])
        expectSameInParts(try ProjectFile.load(path: fixture("john/cof.json")).sources)
    }

    @Test("Every dialect and malformed fixture, failing fast and rejecting", arguments: [ErrorPolicy.Mode.fail, .reject])
    func fixtures(mode: ErrorPolicy.Mode) throws {
        for folder in ["dialects", "malformed"] {
            let expected = try #require(try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: fixture("\(folder)/expected.json")))) as? [String: Any])
            let files = (expected["files"] as? [String: Any]) ?? expected
            for (file, entry) in files {
                var object = ((entry as? [String: Any])?["settings"] as? [String: Any]) ?? [:]
                object["file"] = file
                let json = try JSONSerialization.data(withJSONObject: ["sources": [object]])
                let source = try ProjectFile.parse(json, path: fixture("\(folder)/p.json")).sources[0]
                expectSameInParts([source], policy: ErrorPolicy(mode: mode))
            }
        }
    }

    @Test("Generated files with quoted line breaks and bad rows, in both policies", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func generated(seed: UInt64) throws {
        let clean = try temporaryFile(generatedCSV(seed: seed, rows: 3_000, faults: false))
        let dirty = try temporaryFile(generatedCSV(seed: seed, rows: 3_000, faults: true))
        expectSameInParts([EventSource(.file(clean))])
        expectSameInParts([EventSource(.file(dirty))])
        expectSameInParts([EventSource(.file(dirty))], policy: ErrorPolicy(mode: .reject))
        expectSameInParts([EventSource(.file(dirty))], policy: ErrorPolicy(mode: .reject, maxRejectsPerSource: 5))
        expectSameInParts([EventSource(.file(clean)), EventSource(.file(dirty))], policy: ErrorPolicy(mode: .reject))
    }

    @Test("A split that falls inside a quoted field spanning the middle is detected and the file read whole")
    func splitInsideQuotes() throws {
        let long = String(repeating: "line\n", count: 400)
        let text = "person_id,service,event,date\np1,S,\"\(long)\",2023-01-01\np2,S,e,2023-01-02\np3,S,e,2023-02-30\n"
        let path = try temporaryFile(text)
        expectSameInParts([EventSource(.file(path))])
        expectSameInParts([EventSource(.file(path))], policy: ErrorPolicy(mode: .reject))
        let table = try EventLoader(policy: ErrorPolicy(mode: .reject), workers: 2, parallelThreshold: 0).load([EventSource(.file(path))])
        #expect(table.count == 2)
        #expect(table.rejects.first?.line == 404)
    }
}

@Suite("Reading in parts: regressions found in review")
struct ParallelIngestRegressionTests {
    @Test("Blank lines filling the first half put the split before the header: the file is read whole")
    func splitBeforeHeader() throws {
        for text in [String(repeating: "\n", count: 60) + "person_id,service,event,date\np1,S,e,2023-01-01\n",
                     String(repeating: "   \r\n", count: 20) + "person_id,service,event,date\np1,S,e,2023-01-01\n",
                     String(repeating: "\n", count: 60) + "person_id,service,event,date\n"] {
            let path = try temporaryFile(text)
            expectSameInParts([EventSource(.file(path))])
            expectSameInParts([EventSource(.file(path))], policy: ErrorPolicy(mode: .reject))
        }
    }

    @Test("A quoting error in the second part's first row still names its column")
    func firstRowOfSecondPart() throws {
        var rows = (0..<40).map { "p\($0),S,e,2023-01-01\n" }
        rows[20] = "pB,S,a\"b,2023-01-01\n"
        for shift in 0..<6 {
            let path = try temporaryFile("person_id,service,event,date\n" + rows.joined() + String(repeating: "p,S,e,2023-01-01\n", count: shift))
            expectSameInParts([EventSource(.file(path))])
            expectSameInParts([EventSource(.file(path))], policy: ErrorPolicy(mode: .reject))
        }
    }

    @Test("A field at the size limit is accepted wherever a chunk ends", arguments: [1, 3, 4, 8, 11, 16, 17, 32])
    func fieldAtLimit(chunkSize: Int) throws {
        for text in ["person_id,service,event,date\np1,S,\"abcdefghij\",2023-01-01\np2,S,e,2023-01-02\n",
                     "person_id,service,event,date\np1,S,abcdefghij     ,2023-01-01\np2,S,e,2023-01-02\n"] {
            let table = try EventLoader(chunkSize: chunkSize, maxFieldBytes: 10).load([EventSource(.bytes(name: "l.csv", Array(text.utf8), chunkSize: chunkSize))])
            #expect(table.count == 2)
        }
    }
}
