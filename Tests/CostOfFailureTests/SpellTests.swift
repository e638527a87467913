import Foundation
import Testing
@testable import CostOfFailure

/// The events of `text` loaded as a table (reject policy, so bad rows are set aside).
private func load(_ text: String, columns: [EventLoader.Column: String] = [:], dateFormat: DateFormat = .auto,
                  chunkSize: Int = 1 << 16) throws -> EventTable {
    try EventLoader(policy: ErrorPolicy(mode: .reject)).load([EventSource(csv(text, chunkSize: chunkSize), columns: columns, dateFormat: dateFormat)])
}

/// (day, explicit cost) of every row of `table`, in order.
private func nights(_ table: EventTable) -> [(String, Pence?)] {
    (0..<table.count).map { row in
        (CivilDate(daysSinceEpoch: table.day[row]).description, table.explicitCostValidity[row] ? table.explicitCost[row] : nil)
    }
}

@Suite("Spells: a stay counted night by night")
struct SpellTests {
    @Test("A stay from 1 to 3 March is the nights of 1 and 2 March, each with the row's quantity",
          arguments: [1, 3, 7, 1 << 16])
    func nightsFromStartToTheDayBeforeTheEnd(chunkSize: Int) throws {
        let table = try load("""
            person_id,service,event,date,quantity,end_date
            P,Hostel,night,2023-03-01,2,2023-03-03
            P,A&E,attendance,2023-03-05,,
            """, chunkSize: chunkSize)
        #expect(nights(table).map(\.0) == ["2023-03-01", "2023-03-02", "2023-03-05"])
        #expect(table.quantity == [2, 2, 1])
        #expect(table.sources[0].loaded == 2 && table.sources[0].balances)
        #expect(table.rows(ofSource: 0) == 0..<3)
    }

    @Test("An end date equal to the date is a day case: one event, as a row without an end date")
    func dayCase() throws {
        let table = try load("person_id,service,event,date,end_date\nP,Hospital,day case,2023-03-01,2023-03-01\n")
        #expect(nights(table).map(\.0) == ["2023-03-01"])
    }

    @Test("A whole stay's explicit cost is shared in whole pence, the odd pence on the first nights")
    func explicitCostSpread() throws {
        let table = try load("""
            person_id,service,event,date,cost,end_date
            P,Hostel,stay,2023-03-01,10.00,2023-03-04
            Q,Hostel,refund,2023-03-01,-10.00,2023-03-04
            R,Hostel,stay,2023-03-01,0.02,2023-03-04
            """)
        #expect(nights(table).map(\.1) == [334, 333, 333, -334, -333, -333, 1, 1, 0])
        #expect(Spell.nightCost(7, night: 0, of: 1) == 7)
    }

    @Test("An end date before the date, or more than 36,600 nights, is a bad row named by line and column")
    func badSpells() throws {
        let table = try load("""
            person_id,service,event,date,end_date
            P,Hostel,night,2023-03-05,2023-03-01
            P,Hostel,night,1900-01-01,2023-03-01
            P,Hostel,night,2023-03-01,2123-06-01
            P,Hostel,night,2023-03-01,2023-03-31
            P,Hostel,night,2023-03-01,03/2023
            """)
        #expect(table.count == 30)
        #expect(table.sources[0].loaded == 1 && table.sources[0].rejected == 4 && table.sources[0].balances)
        #expect(table.rejects.map(\.kind) == [.badSpell, .badSpell, .badSpell, .badDate])
        #expect(table.rejects.map(\.line) == [2, 3, 4, 6])
        #expect(table.rejects.allSatisfy { $0.column == "end_date" })
        #expect(table.rejects[0].detail.contains("before the start date"))
        #expect(!table.rejects[1].detail.contains("1900"))  // no value echoed (the path may hold any digits)
    }

    @Test("The longest spell accepted is 36,600 nights")
    func longestSpell() throws {
        let start = day("2000-01-01"), end = start.addingDays(36_600)
        let table = try load("person_id,service,event,date,end_date\nP,Hostel,night,2000-01-01,\(end)\n")
        #expect(table.count == 36_600 && table.day.last == end.daysSinceEpoch - 1)
    }

    @Test("A project file maps end_date like any other column")
    func projectFileKey() throws {
        let json = #"{"sources": [{"file": "ward.csv", "columns": {"end_date": "Discharged"}, "date_format": "DD/MM/YYYY"}]}"#
        let source = try ProjectFile.parse(Data(json.utf8), path: "/tmp/cof.json").sources[0]
        #expect(source.columns[.endDate] == "Discharged" && source.headerName(of: .endDate) == "Discharged")
    }

    @Test("A project file's column name and date format apply to the end date")
    func mappedColumn() throws {
        let table = try load("""
            NHS Number,Ward,Type,Admitted,Discharged
            P,Ward 7,stay,30/03/2023,02/04/2023
            """, columns: [.personID: "NHS Number", .service: "Ward", .event: "Type", .date: "Admitted", .endDate: "Discharged"],
            dateFormat: DateFormat(pattern: "DD/MM/YYYY")!)
        #expect(nights(table).map(\.0) == ["2023-03-30", "2023-03-31", "2023-04-01"])
    }
}
