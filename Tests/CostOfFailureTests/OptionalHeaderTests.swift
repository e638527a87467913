import Testing
import CostOfFailure

/// The table's rows as strings, for comparing loads.
private func rows(_ table: EventTable) -> [String] {
    (0..<table.count).map { i in
        let cost = table.explicitCostValidity[i] ? String(table.explicitCost[i]) : "-"
        return "\(table.persons[table.person[i]])|\(table.services[table.service[i]])|\(table.events[table.event[i]])|\(table.day[i])|\(table.quantity[i])|\(cost)"
    }
}

private func load(_ text: String, header: EventSource.HeaderRow = .optional, chunkSize: Int = 1 << 16,
                  policy: ErrorPolicy = .failFast) throws -> EventTable {
    try EventLoader(policy: policy).load([EventSource(csv(text, name: "<stdin>", chunkSize: chunkSize), header: header)])
}

@Suite("An optional header row (cof partial's standard input)")
struct OptionalHeaderTests {
    static let body = "p1,A&E,attendance,2023-05-01,,\r\n\"p,2\",\"Hostel\nnight\",night,02/05/2023,3,£12.50\r\np1,Police,arrest,2023-05-03,1,\r\n"

    @Test("Without a header the fields are the engine's columns: the same rows as with one", arguments: [1, 5, 65_536])
    func headerless(chunkSize: Int) throws {
        let with = try load("person_id,service,event,date,quantity,cost\r\n" + Self.body, chunkSize: chunkSize)
        let without = try load(Self.body, chunkSize: chunkSize)
        #expect(rows(without) == rows(with))
        #expect(rows(without).count == 3)
        #expect(without.sources == [SourceReconciliation(file: "<stdin>", read: 3, loaded: 3, rejected: 0, blank: 0)])
        #expect(with.sources == without.sources)
    }

    @Test("Four or five fields without a header: person_id, service, event, date[, quantity]")
    func fewerColumns() throws {
        #expect(rows(try load("p,S,e,2023-01-01\n")) == ["p|S|e|19358|1|-"])
        #expect(rows(try load("p,S,e,2023-01-01,4\n")) == ["p|S|e|19358|4|-"])
    }

    @Test("No input at all, or only blank lines, is zero rows; a header alone too")
    func zeroRows() throws {
        for (text, blank) in [("", 0), ("\n\n", 2), ("person_id,service,event,date\n", 0)] {
            let table = try load(text)
            #expect(table.count == 0)
            #expect(table.sources == [SourceReconciliation(file: "<stdin>", read: blank, loaded: 0, rejected: 0, blank: blank)])
        }
        // A required header still makes an empty file an error.
        #expect(ingestError { _ = try load("", header: .required) }?.kind == .emptyFile)
    }

    @Test("A bad row names its line and record counted without a header")
    func badRowPosition() throws {
        let error = ingestError { _ = try load("p1,A&E,attendance,2023-05-01,,\np1,A&E,attendance,2023-05-02,,\np1,A&E,attendance,2023-02-30,,\n") }
        #expect(error?.description == "<stdin>:3: record 3, column 'date': bad date: expected a date as YYYY-MM-DD or DD/MM/YYYY, optionally followed by a time; found a day or month that does not exist")
        // The first record may be the bad one.
        let first = ingestError { _ = try load("p1,A&E,attendance,not a date,,\n") }
        #expect(first?.line == 1 && first?.kind == .badDate && first?.column == "date")
        // Set aside under --on-error reject, and counted.
        let table = try load("p1,A&E,attendance,2023-02-30,,\np1,A&E,attendance,2023-02-03,,\n", policy: ErrorPolicy(mode: .reject))
        #expect(table.sources == [SourceReconciliation(file: "<stdin>", read: 2, loaded: 1, rejected: 1, blank: 0)])
        #expect(table.rejects.map(\.line) == [1])
    }

    @Test("A first row naming any column is a header, and a broken one is reported as such")
    func brokenHeader() throws {
        let error = ingestError { _ = try load("person_id,service,event\np,S,e\n") }
        #expect(error?.kind == .missingColumn)
        #expect(error?.column == "date")
        // Too few fields to be data: read as a header, which says it does not look like one.
        let short = ingestError { _ = try load("p,S,2023-01-01\n") }
        #expect(short?.kind == .missingColumn)
        #expect(short?.detail.contains("the first row does not look like a header (3 fields)") == true)
    }
}
