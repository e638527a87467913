import CostOfFailure
import CostOfFailureReports
import Testing

@Suite("Small-number suppression")
struct SuppressionTests {
    private let table = ResultTable(name: "t", title: "t", columns: [
        ResultColumn("group", .text(["a", "b", "c", "d"])),
        ResultColumn("month", .integer([-2, 1, 3, 5])).asLabel(),
        ResultColumn("people", .integer([0, 3, 10, 12])),
        ResultColumn("events", .integer([0, 5, 23, 40])),
        ResultColumn("cost", .money([0, 1_000, 2_000, 3_000])),
        ResultColumn("rate", .rate([0, 1.5, 2.5, 3.5], decimals: 1), states: [.value, .value, .missing, .value]),
    ], peopleColumn: "people")

    private func states(_ table: ResultTable, _ name: String) -> [ResultColumn.CellState] {
        let column = table.column(name)!
        return (0..<table.rowCount).map(column.state)
    }

    private func integers(_ table: ResultTable, _ name: String) -> [Int64] {
        guard case .integer(let values) = table.column(name)!.values else { return [] }
        return values
    }

    @Test("Counts 1-7 suppressed, zero kept, others rounded to 5; money on 7 people or fewer suppressed; one more cell where one alone would show")
    func rule() {
        let result = Suppression().apply(table)
        // people: 0 stays, 3 suppressed, 10 → 10, 12 → 10; with one cell suppressed, the
        // smallest other non-zero (10) goes too, so 3 cannot be had from a total.
        #expect(states(result, "people") == [.value, .suppressed, .suppressed, .value])
        #expect(integers(result, "people")[0] == 0 && integers(result, "people")[3] == 10)
        // events: 5 suppressed, 23 → 25 but secondary (the smallest other non-zero), 40 kept.
        #expect(states(result, "events") == [.value, .suppressed, .suppressed, .value])
        #expect(integers(result, "events")[3] == 40)
        // money and rates on rows of 0 and 3 people are suppressed (two cells: no secondary);
        // a missing cell stays missing.
        #expect(states(result, "cost") == [.suppressed, .suppressed, .value, .value])
        #expect(states(result, "rate") == [.suppressed, .suppressed, .missing, .value])
        // labels and text are left alone.
        #expect(integers(result, "month") == [-2, 1, 3, 5] && states(result, "month") == [.value, .value, .value, .value])
    }

    @Test("Rounding: halves go up, negatives mirror, the threshold is configurable")
    func rounding() {
        let counts = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("n", .integer([8, 12, 13, -13, 10, 11])),
        ])
        let result = Suppression().apply(counts)
        #expect(integers(result, "n") == [10, 10, 15, -15, 10, 10])
        let strict = Suppression(threshold: 10).apply(counts)
        #expect(states(strict, "n") == [.suppressed, .value, .value, .value, .suppressed, .value])
    }

    @Test("Linked groups: a service suppressed within its category loses a partner in that category, not elsewhere")
    func linkedGroups() {
        // Health = A&E + GP + Hospital is published by the by-category table. GP rests on 5
        // people; the table-wide rule alone would take Police (the smallest other cell), leaving
        // GP = Health - A&E - Hospital. Within Health the smallest other cell (Hospital) goes
        // too; Police then stands alone in Criminal justice with nothing suppressed, and the
        // table as a whole has two suppressed cells, so nothing more is needed.
        var table = ResultTable(name: "by_service", title: "t", columns: [
            ResultColumn("service", .text(["A&E", "GP", "Hospital", "Police", "Courts"])),
            ResultColumn("category", .text(["Health", "Health", "Health", "Criminal justice", "Criminal justice"])),
            ResultColumn("people", .integer([40, 5, 30, 9, 50])),
            ResultColumn("cost", .money([4_000, 500, 3_000, 900, 5_000])),
        ], peopleColumn: "people")
        table.linkedGroupColumns = ["category"]
        var result = Suppression().apply(table)
        #expect(states(result, "cost") == [.value, .suppressed, .suppressed, .value, .value])
        // Without the link the table-wide rule picks the smallest other cell anywhere.
        table.linkedGroupColumns = []
        result = Suppression().apply(table)
        #expect(states(result, "cost") == [.value, .suppressed, .value, .suppressed, .value])
        // A lone suppression in a second group pulls in that group's smallest cell as well.
        table.linkedGroupColumns = ["category"]
        table.columns[2] = ResultColumn("people", .integer([40, 5, 30, 6, 50]))
        result = Suppression().apply(table)
        #expect(states(result, "cost") == [.value, .suppressed, .suppressed, .suppressed, .suppressed])
    }

    @Test("Linked rows: a suppressed service among those the cohort total counts loses a partner among them, not the intervention's own row")
    func linkedRows() {
        // The headline's total is GP + Police (the intervention's own service is left out). GP
        // rests on 5 people; the smallest other cell in the table is the intervention's (10
        // people), which would leave GP = total - Police.
        var table = ResultTable(name: "by_service", title: "t", columns: [
            ResultColumn("service", .text(["GP", "Police", "Liberated Method"])),
            ResultColumn("people", .integer([5, 30, 10])),
            ResultColumn("cost", .money([500, 3_000, 1_000])),
        ], peopleColumn: "people")
        #expect(states(Suppression().apply(table), "cost") == [.suppressed, .value, .suppressed])
        table.linkedRowGroups = [[0, 1]]
        #expect(states(Suppression().apply(table), "cost") == [.suppressed, .suppressed, .value])
    }
}
