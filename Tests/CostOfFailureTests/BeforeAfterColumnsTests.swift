import CostOfFailure
import Testing

@Suite("BeforeAfterColumns")
struct BeforeAfterColumnsTests {
    /// Records what a visit hands over, as text.
    struct Recorder: BeforeAfterColumnVisitor {
        var cells: [String] = []
        mutating func integer(_ name: StaticString, _ value: Int64) { cells.append("\(name)=\(value)") }
        mutating func money(_ name: StaticString, _ value: Pence) { cells.append("\(name)=\(value)p") }
        mutating func moneyOrMissing(_ name: StaticString, _ value: Pence?) { cells.append("\(name)=\(value.map { "\($0)p" } ?? "missing")") }
        mutating func rate(_ name: StaticString, _ value: Double?, decimals: Int) { cells.append("\(name)=\(value.map { "\($0)" } ?? "missing")/\(decimals)") }
    }

    @Test("The table's columns are the two keys then the figures, the contract's ten first")
    func layout() {
        let names = BeforeAfterTable.empty.resultTable().columns.map(\.name)
        #expect(names == [BeforeAfterColumns.keys.person, BeforeAfterColumns.keys.service] + BeforeAfterColumns.figures.map(\.name))
        #expect(Array(names.prefix(10)) == BeforeAfterTable.contractColumns)
        #expect(names.count == 17)
        #expect(BeforeAfterColumns.figures.filter { $0.kind == .rate(decimals: 2) }.map(\.name) == ["before_events_per_year", "after_events_per_year"])
    }

    @Test("A row's figures in column order: a window with unpriced events has no cost per year, and so no change")
    func visit() {
        // 3 events (£300) in 365 days before; 1 event after in 73 days, 1 of them unpriced.
        let row = BeforeAfterTable.Row(personID: "P1", service: "A&E", before: PeriodFigures(events: 3, quantity: 4, cost: 300_00),
                                 after: PeriodFigures(events: 1, quantity: 1, cost: 0, unpriced: 1), beforeDays: 365, afterDays: 73)
        var recorder = Recorder()
        BeforeAfterColumns.visit(row, &recorder)
        #expect(recorder.cells == [
            "before_events=3", "before_quantity=4", "before_cost=30000p", "after_events=1", "after_quantity=1", "after_cost=0p",
            "before_days=365", "after_days=73", "before_events_per_year=3.0/2", "after_events_per_year=5.0/2",
            "before_cost_per_year=30000p", "after_cost_per_year=missing", "change_cost_per_year=missing",
            "before_unpriced=0", "after_unpriced=1",
        ])
    }

    @Test("The result table's cells are the visits' cells, missing where the visit had none")
    func resultColumns() {
        let row = BeforeAfterTable.Row(personID: "P1", service: "A&E", before: PeriodFigures(events: 1, cost: 100), after: PeriodFigures(),
                                 beforeDays: 0, afterDays: 10)
        let columns = BeforeAfterColumns.resultColumns([row, row])
        #expect(columns.count == BeforeAfterColumns.figures.count)
        #expect(columns.first { $0.name == "before_cost_per_year" }?.state(1) == .missing)
        #expect(columns.first { $0.name == "after_cost_per_year" }?.state(1) == .value)
        guard case .money(let costs)? = columns.first(where: { $0.name == "before_cost" })?.values else { Issue.record("no before_cost"); return }
        #expect(costs == [100, 100])
    }
}
