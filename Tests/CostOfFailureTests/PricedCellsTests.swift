import Testing
@testable import CostOfFailure

/// The one rule for unpriced events (``PricedCells``), worked by hand.
@Suite("Priced cells")
struct PricedCellsTests {
    private func figures(_ events: Int64, cost: Pence, unpriced: Int64 = 0) -> PeriodFigures {
        PeriodFigures(events: events, quantity: events, cost: cost, unpriced: unpriced)
    }

    @Test("Only cells priced in both windows count; the rest are counted beside; states merge by addition")
    func handWorked() throws {
        var a = PricedCells(), b = PricedCells()
        // Priced in both: £10 → £4.
        #expect(try a.add(before: figures(2, cost: 1_000), after: figures(1, cost: 400), figure: "t"))
        // Unpriced after: £7 before would read as a £7 saving. Left out, 3 + 2 events.
        #expect(!(try a.add(before: figures(3, cost: 700), after: figures(2, cost: 0, unpriced: 2), figure: "t")))
        // Unpriced before, priced after: left out too (it would read as a rise).
        #expect(!(try b.add(before: figures(1, cost: 0, unpriced: 1), after: figures(1, cost: 900), figure: "t")))
        #expect(b.hasNoPricedCell)
        #expect(a.before.cost == 1_000 && a.after.cost == 400 && a.leftOutEvents == 5 && a.leftOutCells == 1)
        try a.merge(b, figure: "t")
        #expect(a.before.cost == 1_000 && a.after.cost == 400 && a.leftOutEvents == 7 && a.leftOutCells == 2 && a.pricedCells == 1)
        #expect(!a.hasNoPricedCell)
        // The intervention's own cost is kept whole.
        let kept = PricedCells(keepingAll: figures(1, cost: 0, unpriced: 1), after: figures(2, cost: 500, unpriced: 1))
        #expect(kept.after.cost == 500 && !kept.hasNoPricedCell)
    }

    @Test("A sum past 64 bits is the overflow error naming the figure")
    func overflow() {
        var cells = PricedCells()
        #expect(throws: CostResolver.Overflow.self) {
            try cells.add(before: figures(1, cost: .max), after: figures(1, cost: 0), figure: "a test sum")
            try cells.add(before: figures(1, cost: .max), after: figures(1, cost: 0), figure: "a test sum")
        }
    }
}
