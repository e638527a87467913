import Testing
@testable import CostOfFailure

@Suite("Reject policy, resynchronisation and limits")
struct RejectPolicyTests {
    static let header = "person_id,service,event,date,quantity,cost\r\n"

    @Test("After a stray quote, reading resumes on the next line with correct line numbers", arguments: [1, 2, 3, 5, 8, 13, 64, 4096])
    func resynchronises(chunkSize: Int) throws {
        let text = Self.header
            + "p1,A&E,attendance,2023-05-01,,\r\n"               // line 2
            + "p2,\"two\nlines\",x\"y,2023-05-02,,\r\n"          // lines 3-4: stray quote in an unquoted field
            + "p3,A&E,attendance,2023-05-03,,\r\n"               // line 5
            + "\r\n"                                             // line 6: blank
            + "p4,A&E,attendance,31/02/2023,,\r\n"               // line 7: bad date
            + "p5,A&E,\"ok\"x,2023-05-05,,\r\n"                  // line 8: text after a closing quote
            + "p6,A&E,attendance,2023-05-06,,"                   // line 9, no final newline
        let table = try EventLoader(policy: ErrorPolicy(mode: .reject), chunkSize: chunkSize)
            .load([EventSource(.bytes(name: "r.csv", Array(text.utf8), chunkSize: chunkSize))])
        #expect(table.rejects.map(\.line) == [3, 7, 8])
        #expect(table.rejects.map(\.record) == [3, 5, 6])
        #expect(table.rejects.map(\.kind) == [.badQuoting, .badDate, .badQuoting])
        #expect(table.rejects.map(\.column) == ["event", "date", "event"])
        #expect((0..<table.count).map { table.persons[table.person[$0]] } == ["p1", "p3", "p6"])
        #expect(table.sources == [SourceReconciliation(file: "r.csv", read: 7, loaded: 3, rejected: 3, blank: 1)])
    }

    @Test("An unterminated quote under the reject policy is one rejected record; the lines before load")
    func unterminatedRejected() throws {
        let text = Self.header + "p1,A&E,attendance,2023-05-01,,\n" + "p2,A&E,\"never closed,2023-05-02,,\np3,A&E,attendance,2023-05-03,,\n"
        let table = try EventLoader(policy: ErrorPolicy(mode: .reject)).load([EventSource(csv(text, name: "u.csv"))])
        #expect(table.count == 1)
        #expect(table.rejects.map(\.kind) == [.unterminatedQuote])
        #expect(table.rejects.first?.line == 3)
        #expect(table.sources.first?.balances == true)
    }

    @Test("A quote that never closes stops at the field size limit instead of reading the whole file")
    func fieldTooLarge() {
        var text = Self.header + "p1,A&E,\"runaway,2023-05-01,,\n"
        for i in 0..<2_000 { text += "p\(i),A&E,attendance,2023-05-01,,\n" }
        for policy in [ErrorPolicy(), ErrorPolicy(mode: .reject)] {
            let error = ingestError { _ = try EventLoader(policy: policy, chunkSize: 1_024, maxFieldBytes: 4_096).load([EventSource(csv(text, name: "big.csv"))]) }
            #expect(error?.kind == .fieldTooLarge)
            #expect(error?.line == 2)
            #expect(error?.column == "event")
            #expect(error?.description.contains("at most 4096 bytes") == true)
        }
    }

    @Test("More rejects than allowed stop the load")
    func maxRejects() {
        let text = Self.header + (1...5).map { "p\($0),A&E,attendance,2023-02-3\($0),,\n" }.joined()
        let error = ingestError { _ = try EventLoader(policy: ErrorPolicy(mode: .reject, maxRejectsPerSource: 2)).load([EventSource(csv(text, name: "m.csv"))]) }
        #expect(error?.kind == .tooManyRejects)
        #expect(error?.line == 4)
    }

    @Test("Windows-1252 names are transcoded; the same bytes in a UTF-8 source are an error with their position")
    func windows1252() throws {
        // The cost holds a comma, so it is quoted.
        let bytes = Array("person_id,service,event,date,cost\n".utf8)
            + Array("p1,Caf".utf8) + [0xE9] + Array(" outreach,".utf8) + [0x93] + Array("drop-in".utf8) + [0x94]
            + Array(",2023-05-01,\"".utf8) + [0xA3] + Array("1,234.50\"\n".utf8)
        let table = try EventLoader().load([EventSource(.bytes(name: "w.csv", bytes, chunkSize: 7), encoding: .windows1252)])
        #expect(table.services[0] == "Café outreach")
        #expect(table.events[0] == "\u{201C}drop-in\u{201D}")
        #expect(table.explicitCost == [123_450])
        let error = ingestError { _ = try EventLoader().load([EventSource(.bytes(name: "w.csv", bytes, chunkSize: 7))]) }
        #expect(error?.kind == .badEncoding)
        #expect(error?.column == "cost")
        #expect(error?.line == 2)
    }

    @Test("A project's column map and constants load an agency's own layout")
    func mappedColumns() throws {
        let text = "NHS Number;Arrival;Dept\r\n943 476 5919;01/05/2023 14:32;ED\r\n943 476 5919;02/05/2023 09:05;ED\r\n"
        let source = EventSource(csv(text, name: "ed.csv"), columns: [.personID: "NHS Number", .date: "arrival"],
                                 constantService: "A&E", constantEvent: "attendance",
                                 dateFormat: DateFormat(pattern: "DD/MM/YYYY HH:MM")!, dialect: CSVDialect(delimiter: UInt8(ascii: ";")))
        let table = try EventLoader().load([source])
        #expect(table.count == 2)
        #expect(table.services.values == ["A&E"])
        #expect(table.events.values == ["attendance"])
        #expect(table.day.map { CivilDate(daysSinceEpoch: $0).description } == ["2023-05-01", "2023-05-02"])
        let unknown = ingestError { _ = try EventLoader().load([EventSource(csv(text, name: "ed.csv"), columns: [.personID: "NHS No"])]) }
        #expect(unknown?.kind == .unknownColumn)
        #expect(unknown?.column == "NHS No")
    }

    @Test("A header-less file's first row is not echoed in the message")
    func headerless() {
        let error = ingestError { _ = try EventLoader().load([EventSource(csv("NHS-943-476-5919,A&E,attendance,2023-05-01\n", name: "h.csv"))]) }
        #expect(error?.kind == .missingColumn)
        #expect(error?.description.contains("943") == false)
        #expect(error?.description.contains("does not look like a header") == true)
    }
}

@Suite("Regressions found by fuzzing")
struct FuzzRegressionTests {
    @Test("A header with bad quoting stops the load even under the reject policy (the next line is not taken for the header)")
    func badHeaderIsFatal() {
        let text = "a\"b,c\nperson_id,service,event,date\np,S,e,2023-01-01\n"
        let error = ingestError { _ = try EventLoader(policy: ErrorPolicy(mode: .reject)).load([EventSource(csv(text, name: "h.csv"))]) }
        #expect(error?.kind == .badQuoting)
        #expect(error?.record == 1)
    }

    @Test("An oversized field that does close is reported where it is, before any later row", arguments: [ErrorPolicy.Mode.fail, .reject])
    func oversizedClosedField(mode: ErrorPolicy.Mode) {
        let text = "person_id,service,event,date\np,\"" + String(repeating: "S", count: 60) + "\",e,2023-01-01\np,S,e,2023-01-01\np,S,e,2023-13-01\n"
        let error = ingestError { _ = try EventLoader(policy: ErrorPolicy(mode: mode), maxFieldBytes: 48).load([EventSource(csv(text, name: "o.csv"))]) }
        #expect(error?.kind == .fieldTooLarge)
        #expect(error?.line == 2)
        #expect(error?.record == 2)
        #expect(error?.column == "service")
    }
}
