import CostOfFailure
import CostOfFailureReports
import Testing

/// `cof compare`'s direct row writer against the general path (the comparison's result table
/// through CSVRenderer), on generated comparisons.
@Suite("BeforeAfterCSV against the result table")
struct BeforeAfterCSVTests {
    @Test("the same bytes as the result table rendered, on generated rows", arguments: [1, 2, 3] as [UInt64])
    func sameBytes(seed: UInt64) {
        var random = SyntheticRandom(seed: seed)
        let ids = ["P000123-45", "Smith, John", "say \"hi\"", "two\nlines", "=formula", "£ café", " spaced ", "Z"].sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
        let serviceNames = ["A&E", "Ambulance", "Courts, crown", "GP", "Police", "=sum", "\"Quoted\" team"].sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
        func figures() -> PeriodFigures {
            let events = Int64.random(in: 0...3, using: &random) == 0 ? 0 : Int64.random(in: 1...500, using: &random)
            let cost: Pence = switch Int.random(in: 0..<5, using: &random) {
            case 0: 0
            case 1: -Pence.random(in: 1...9_999_999, using: &random)
            case 2: Pence.random(in: 9_000_000_000_000...9_200_000_000_000_000, using: &random)
            default: Pence.random(in: 1...99_999_999, using: &random)
            }
            return PeriodFigures(events: events, quantity: events * Int64.random(in: 1...3, using: &random), cost: cost,
                                 unpriced: Int.random(in: 0..<4, using: &random) == 0 ? Int64.random(in: 1...events + 1, using: &random) : 0)
        }
        var rows: [BeforeAfterTable.Row] = []
        for id in ids {
            let days = [0, 1, 183, 365, 366][Int.random(in: 0..<5, using: &random)]
            let afterDays = [0, 1, 90, 365][Int.random(in: 0..<4, using: &random)]
            for service in serviceNames where Int.random(in: 0..<3, using: &random) > 0 {
                rows.append(BeforeAfterTable.Row(personID: id, service: service, before: figures(), after: figures(),
                                           beforeDays: days, afterDays: afterDays))
            }
        }
        let comparison = BeforeAfterTable(rows: rows)
        let expected = CSVRenderer().renderBytes(comparison.resultTable(), header: false)
        #expect(BeforeAfterCSV.rows(comparison) == expected)
        #expect(BeforeAfterCSV.rows(BeforeAfterTable.empty).isEmpty)

        // The same rows in codes: people coded in byte order of their IDs (as a one-pass compare
        // codes them), services in an order of their own, so a code is not the output order. (A
        // dictionary trims the spaces around a value, as the engine does every ID.)
        let trimmedRows = rows.filter { $0.personID.first != " " }
        var persons = StringDictionary()
        for id in ids where id.first != " " { _ = persons.intern(id) }
        var services = StringDictionary()
        for name in serviceNames.shuffled(using: &random) { _ = services.intern(name) }
        let coded = CodedBeforeAfterTable(rows: trimmedRows.map { row in
            CodedBeforeAfterTable.Row(person: persons.code(of: row.personID)!, service: services.code(of: row.service)!,
                                before: row.before, after: row.after, beforeDays: row.beforeDays, afterDays: row.afterDays)
        }, persons: persons, services: services)
        #expect(BeforeAfterTable(coded).rows == trimmedRows)
        #expect(BeforeAfterCSV.rows(coded) == BeforeAfterCSV.rows(BeforeAfterTable(rows: trimmedRows)))
        #expect(trimmedRows.count > rows.count / 2)
        #expect(BeforeAfterCSV.rows(CodedBeforeAfterTable(rows: [], persons: persons, services: services)).isEmpty)
    }
}
