#if canImport(Glibc)
import Glibc
#endif
import Testing
import CostOfFailure

/// The table's rows as tuples of strings and numbers, for comparing loads.
private func rows(_ table: EventTable) -> [String] {
    (0..<table.count).map { i in
        let cost = table.explicitCostValidity[i] ? String(table.explicitCost[i]) : "-"
        return "\(table.persons[table.person[i]])|\(table.services[table.service[i]])|\(table.events[table.event[i]])|\(table.day[i])|\(table.quantity[i])|\(cost)"
    }
}

@Suite("Loading events")
struct EventLoaderTests {
    @Test("Columns are found by name in any order; extra columns are ignored; quantity defaults to 1")
    func headerByName() throws {
        let table = try EventLoader().load([csv("""
            note,date,event,Service,PERSON_ID,cost,quantity
            x,2023-05-01,attendance,A&E,p1,,
            y,01/05/2023,night,Hostel,p2,£12.50,3
            """)])
        #expect(rows(table) == ["p1|A&E|attendance|19478|1|-", "p2|Hostel|night|19478|3|1250"])
    }

    @Test("Quantity and cost columns are optional")
    func optionalColumns() throws {
        let table = try EventLoader().load([csv("person_id,service,event,date\np,S,e,2023-01-01\n")])
        #expect(rows(table) == ["p|S|e|19358|1|-"])
    }

    @Test("Several files share one set of dictionaries")
    func severalFiles() throws {
        let table = try EventLoader().load([
            csv("person_id,service,event,date\np1,A&E,attendance,2023-01-01\n", name: "a.csv"),
            csv("date,person_id,service,event\n2023-01-02,p1,Police,arrest\n2023-01-03,p2,A&E,attendance\n", name: "b.csv"),
        ])
        #expect(table.persons.count == 2)
        #expect(table.services.count == 2)
        #expect(table.sources.map(\.loaded) == [1, 2])
        #expect(table.sources.map(\.file) == ["a.csv", "b.csv"])
    }

    @Test("The same file fed in chunks of 1, 7 and 65,536 bytes gives identical tables", arguments: [1, 7, 65_536])
    func chunkSizeDoesNotMatter(chunkSize: Int) throws {
        let text = "person_id,service,event,date,quantity,cost\r\n"
            + "\"p,1\",A&E,attendance,2023-05-01,,\r\n"
            + "p2,\"Supported\naccommodation\",hostel night,02/05/2023,7,\"£150.01\"\r\n"
            + "\r\n"
            + "p1,Police,\"arrest \"\"NFA\"\"\",2023-05-03,1,\r\n"
        let reference = try EventLoader().load([.bytes(name: "c.csv", Array(text.utf8), chunkSize: 1 << 20)])
        let chunked = try EventLoader().load([.bytes(name: "c.csv", Array(text.utf8), chunkSize: chunkSize)])
        #expect(rows(chunked) == rows(reference))
        #expect(rows(reference).count == 3)
        #expect(reference.sources.first?.blank == 1)
    }

    @Test("John's events load identically whatever the chunk size", arguments: [1, 7, 65_536])
    func johnChunked(chunkSize: Int) throws {
        let whole = try EventLoader().load([.file(fixture("john/events.csv"))])
        let bytes = try fixtureBytes("john/events.csv")
        let chunked = try EventLoader().load([.bytes(name: "events.csv", bytes, chunkSize: chunkSize)])
        #expect(rows(chunked) == rows(whole))
        #expect(whole.count == 3_667)
    }

    @Test("Bad input names file, line, record and column, and never the value", arguments: [
        ("person_id,service,event\np,S,e\n", IngestError.Kind.missingColumn, 1, "date"),
        ("person_id,service,event,date\np,S,e,31/02/2023\n", .badDate, 2, "date"),
        ("person_id,service,event,date\np,S,e,\n", .missingValue, 2, "date"),
        ("person_id,service,event,date,cost\np,S,e,2023-01-01,12.345\n", .badNumber, 2, "cost"),
        ("person_id,service,event,date,quantity\np,S,e,2023-01-01,0\n", .badQuantity, 2, "quantity"),
        ("person_id,service,event,date\n,S,e,2023-01-01\n", .missingValue, 2, "person_id"),
        ("person_id,service,event,date\np,\"two\nlines\",e,2023-01-01\np,S,e,2023-01-01,extra\n", .wrongFieldCount, 4, nil),
        ("person_id,service,event,date,Date\np,S,e,2023-01-01,2023-01-01\n", .duplicateHeader, 1, "Date"),
        ("", .emptyFile, nil, nil),
    ] as [(String, IngestError.Kind, Int?, String?)])
    func badInput(text: String, kind: IngestError.Kind, line: Int?, column: String?) {
        let error = ingestError { _ = try EventLoader().load([csv(text, name: "bad.csv")]) }
        #expect(error?.kind == kind)
        #expect(error?.line == line)
        #expect(error?.column == column)
        #expect(error?.file == "bad.csv")
        #expect(error?.description.contains("31/02") == false)
        #expect(error?.description.contains("12.345") == false)
    }

    @Test("The message is one line a person can act on")
    func messageShape() {
        let error = ingestError { _ = try EventLoader().load([csv("person_id,service,event,date\np,S,e,2023-01-01\nq,S,e,2023-02-30\n", name: "events.csv")]) }
        #expect(error?.description == "events.csv:3: record 3, column 'date': bad date: expected a date as YYYY-MM-DD or DD/MM/YYYY, optionally followed by a time; found a day or month that does not exist")
    }
}

/// The bytes of a fixture file.
func fixtureBytes(_ relative: String) throws -> [UInt8] {
    var bytes: [UInt8] = []
    // Read with the C library rather than the engine's own chunk reader, which is under test.
    guard let file = fopen(fixture(relative), "rb") else { throw IngestError(file: relative, kind: .missingFile, detail: "test fixture missing") }
    defer { fclose(file) }
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n == 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    return bytes
}

@Suite("Header cells feed one column each")
struct HeaderClaimTests {
    @Test("A column the project maps takes its cell; a default-named optional column on it is absent")
    func mappedColumnWins() throws {
        let source = EventSource(csv("id,service,quantity,date\nP1,A&E,attendance,2023-01-02\n"),
                                 columns: [.personID: "id", .event: "quantity"])
        let table = try EventLoader().load([source])
        #expect(table.count == 1)
        #expect(table.events[table.event[0]] == "attendance")
        #expect(table.quantity[0] == 1)
    }

    @Test("A header row of more than 4,096 fields is refused at its end without being kept; a missing column's message lists 20 names and counts the rest")
    func wideHeader() {
        let wide = String(repeating: ",", count: 200_000) + "\nP1,A&E,attendance,2023-01-02\n"
        let error = ingestError { _ = try EventLoader().load([EventSource(csv(wide))]) }
        #expect(error?.kind == .wrongFieldCount)
        #expect(error?.line == 1)
        #expect(error?.detail.contains("more than 4096 fields") == true, "\(String(describing: error))")
        let names = (1...30).map { "c\($0)" }.joined(separator: ",")
        let missing = ingestError { _ = try EventLoader().load([EventSource(csv("person_id,service,\(names)\nP1,A&E\n"))]) }
        #expect(missing?.kind == .missingColumn)
        #expect(missing?.detail.hasSuffix("'c18' and 12 more") == true, "\(String(describing: missing))")
    }

    @Test("Two engine columns on one cell is an error, not a silent choice")
    func ambiguous() {
        let both = EventSource(csv("id,service,what,date\nP1,A&E,attendance,2023-01-02\n"),
                               columns: [.personID: "id", .event: "what", .quantity: "what"])
        #expect(ingestError { _ = try EventLoader().load([both]) }?.kind == .ambiguousColumn)
        // The project gives 'service' to the event, and maps nothing else to the service.
        let taken = EventSource(csv("person_id,service,date\nP1,attendance,2023-01-02\n"), columns: [.event: "service"])
        let error = ingestError { _ = try EventLoader().load([taken]) }
        #expect(error?.kind == .ambiguousColumn)
        #expect(error?.detail.contains("no column for service") == true)
    }
}
