import CostOfFailure
@testable import CostOfFailureReports
import Testing

@Suite("Disclosure control")
struct DisclosureControlTests {
    private let nhs = DisclosureControl(rule: .nhsEngland)

    private func states(_ table: ResultTable, _ name: String) -> [ResultColumn.CellState] {
        let column = table.column(name)!
        return (0..<table.rowCount).map(column.state)
    }

    private func integers(_ table: ResultTable, _ name: String) -> [Int64] {
        guard case .integer(let values) = table.column(name)!.values else { return [] }
        return values
    }

    private func money(_ table: ResultTable, _ name: String) -> [Int64] {
        guard case .money(let values) = table.column(name)!.values else { return [] }
        return values
    }

    @Test("Counts 1-7 withheld, 0 kept, 8 and over rounded to 5 (halves up, negatives mirrored); labels and text untouched")
    func counts() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("group", .text(["a", "b", "c", "d", "e", "f", "g"])),
            ResultColumn("month", .integer([-2, 1, 3, 5, 6, 7, 8])).asLabel(),
            ResultColumn("n", .integer([0, 1, 7, 8, 12, 13, -13])),
        ])
        let result = nhs.protect(table)
        #expect(states(result, "n") == [.value, .suppressed, .suppressed, .value, .value, .value, .value])
        #expect(integers(result, "n") == [0, 0, 0, 10, 10, 15, -15])
        #expect(integers(result, "month") == [-2, 1, 3, 5, 6, 7, 8])
        // ons-srs: under 10 withheld, the rest exact.
        let ons = DisclosureControl(rule: DisclosureRule(.onsSRS)).protect(table)
        #expect(states(ons, "n") == [.value, .suppressed, .suppressed, .suppressed, .value, .value, .value])
        #expect(integers(ons, "n") == [0, 0, 0, 0, 12, 13, -13])
        // none: exact and marked.
        let none = DisclosureControl(rule: DisclosureRule(.none)).protect(table)
        #expect(integers(none, "n") == [0, 1, 7, 8, 12, 13, -13])
        #expect(none.title.contains("UNSUPPRESSED"))
        #expect(result.title.contains("nhs-england"))
    }

    @Test("A figure rests on the people behind it in its own window, not on the row's people")
    func perWindowBasis() {
        // 20 people used the service, but only 3 of them before the index date: the before
        // cost rests on 3 people and is withheld with its family; the after figures stand.
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("people", .integer([20])),
            ResultColumn("before_events", .integer([40])).resting(on: DisclosureBasis(role: .count, people: [3], family: "before")),
            ResultColumn("before_cost", .money([9_000])).resting(on: DisclosureBasis(role: .magnitude, people: [3], family: "before")),
            ResultColumn("after_events", .integer([30])).resting(on: DisclosureBasis(role: .count, people: [18], family: "after")),
            ResultColumn("after_cost", .money([7_000])).resting(on: DisclosureBasis(role: .magnitude, people: [18], family: "after")),
            ResultColumn("change", .money([-2_000])).resting(on: DisclosureBasis(role: .magnitude, people: [20], dependsOn: ["before", "after"])),
        ], peopleColumn: "people")
        let result = nhs.protect(table)
        #expect(states(result, "before_events") == [.suppressed] && states(result, "before_cost") == [.suppressed])
        #expect(states(result, "after_events") == [.value] && states(result, "after_cost") == [.value])
        // The change gives the before cost back from the after cost: withheld with it.
        #expect(states(result, "change") == [.suppressed])
        // Withheld cells keep no value for any renderer or chart to show.
        #expect(money(result, "before_cost") == [0] && integers(result, "before_events") == [0])
        #expect(money(result, "after_cost") == [7_000] && integers(result, "after_events") == [30])
    }

    @Test("A withheld count takes its cost with it, and a withheld cost its count (a single price gives one from the other)")
    func families() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("events", .integer([5, 50])).resting(on: DisclosureBasis(role: .count, people: [20, 20], family: "w")),
            ResultColumn("cost", .money([500, 5_000])).resting(on: DisclosureBasis(role: .magnitude, people: [20, 4], family: "w")),
        ])
        let result = nhs.protect(table)
        #expect(states(result, "events") == [.suppressed, .suppressed])
        #expect(states(result, "cost") == [.suppressed, .suppressed])
    }

    @Test("Dominance (ons-srs): a money figure one person contributes more than half of is withheld; the share is configurable")
    func dominance() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("cost", .money([10_000, 10_000, 10_000])).resting(on: DisclosureBasis(role: .magnitude, people: [40, 40, 40], largestContribution: [5_000, 5_001, 9_000])),
        ])
        #expect(states(DisclosureControl(rule: DisclosureRule(.onsSRS)).protect(table), "cost") == [.value, .suppressed, .suppressed])
        #expect(states(DisclosureControl(rule: DisclosureRule(.onsSRS, dominancePercent: 80)).protect(table), "cost") == [.value, .value, .suppressed])
        // NHS England's rule has no dominance test.
        #expect(states(nhs.protect(table), "cost") == [.value, .value, .value])
    }

    @Test("Complementary: a category's total less its published services cannot give back a withheld one")
    func complementary() {
        // Health = A&E + GP + Hospital. GP rests on 5 people: withheld. A partner in Health must
        // go too, big enough to hide GP (at least a quarter of it): the smallest that is, Hospital.
        let services = ResultTable(name: "s", title: "t", columns: [
            ResultColumn("service", .text(["A&E", "GP", "Hospital"])),
            ResultColumn("cost", .money([40_000, 500, 3_000])).resting(on: DisclosureBasis(role: .magnitude, people: [40, 5, 30], family: "w", measure: "cost")),
        ])
        let categories = ResultTable(name: "c", title: "t", columns: [
            ResultColumn("category", .text(["Health"])),
            ResultColumn("cost", .money([43_500])).resting(on: DisclosureBasis(role: .magnitude, people: [60], family: "w", measure: "cost")),
        ])
        let sum = LinkedTotal(total: CellReference(table: "c", column: "cost", row: 0),
                              parts: (0..<3).map { CellReference(table: "s", column: "cost", row: $0) })
        let result = nhs.protect(LinkedTables(tables: [services, categories], linkedTotals: [sum]))
        #expect(states(result.tables[0], "cost") == [.value, .suppressed, .suppressed])
        #expect(states(result.tables[1], "cost") == [.value])
        // With no sum the one withheld cell stands alone.
        let alone = nhs.protect(LinkedTables(tables: [services, categories]))
        #expect(states(alone.tables[0], "cost") == [.value, .suppressed, .value])
        // A category of one service publishes the service's cost: the total goes too.
        let single = LinkedTotal(total: CellReference(table: "c", column: "cost", row: 0), parts: [CellReference(table: "s", column: "cost", row: 1)])
        let one = nhs.protect(LinkedTables(tables: [services, categories], linkedTotals: [single]))
        #expect(states(one.tables[1], "cost") == [.suppressed])
    }

    @Test("Complementary counts: the cells withheld beside a small count add up to at least 2T less it")
    func complementaryCounts() {
        // Total 103 = 3 + 12 + 88. The 3 is withheld; 12 alone beside it (3 + 12 = 15 >= 14)
        // is enough; 88 would be more than needed.
        let parts = ResultTable(name: "p", title: "t", columns: [
            ResultColumn("n", .integer([3, 12, 88])).resting(on: DisclosureBasis(role: .count, people: [3, 12, 80], measure: "n")),
        ])
        let total = ResultTable(name: "T", title: "t", columns: [
            ResultColumn("n", .integer([103])).resting(on: DisclosureBasis(role: .count, people: [95], measure: "n")),
        ])
        let sum = LinkedTotal(total: CellReference(table: "T", column: "n", row: 0), parts: (0..<3).map { CellReference(table: "p", column: "n", row: $0) })
        let result = nhs.protect(LinkedTables(tables: [parts, total], linkedTotals: [sum]))
        #expect(states(result.tables[0], "n") == [.suppressed, .suppressed, .value])
        #expect(integers(result.tables[0], "n")[2] == 90 && integers(result.tables[1], "n") == [105])
    }

    @Test("The marker is refused when a spreadsheet would read it as a formula or it breaks a CSV")
    func marker() {
        for bad in ["=1", "+x", "-", "@a", "a,b", "a;b", "\"", "x\ny", "x\u{1B}[2J", ""] {
            #expect(DisclosureRule.problem(withMarker: bad) != nil, "\(bad.debugDescription) accepted")
        }
        for good in ["[c]", "*", "c", "[x]", "suppressed"] {
            #expect(DisclosureRule.problem(withMarker: good) == nil, "\(good) refused")
        }
    }

    @Test("Rounded counts: figures per person are over the rounded count, so the total over the mean is not the exact count")
    func countRounding() {
        let rounding = CountRounding(base: 5)
        #expect(rounding.rounded(12) == 10 && rounding.rounded(13) == 15 && rounding.rounded(-13) == -15 && rounding.rounded(0) == 0)
        #expect(rounding.rounded(Int64.max) == Int64.max / 5 * 5 && rounding.rounded(Int64.min) == -(Int64.max / 5 * 5))
        #expect(rounding.denominator(0) == nil && rounding.denominator(2) == 2 && rounding.denominator(61) == 60)
        #expect(rounding.exposure(2 * 181, people: 2) == 2 * 181)
        // 61 people with 181 days each: the published exposure is that of 60.
        #expect(rounding.exposure(61 * 181, people: 61) == 60 * 181)
        #expect(CountRounding.exact.exposure(61 * 181, people: 61) == 61 * 181)
    }

    @Test("Each rule says in words what it withholds")
    func rulesDescribeThemselves() {
        #expect(DisclosureRule.nhsEngland.description(marker: "[c]").contains("rounded to the nearest 5"))
        #expect(DisclosureRule(.onsSRS).description(marker: "[c]").contains("more than 50%"))
        #expect(DisclosureRule(.onsSRS).threshold == 9)
        #expect(DisclosureRule(.none).description(marker: "[c]").contains("UNSUPPRESSED"))
    }
}

@Suite("Disclosure control's own interval check")
struct DisclosureIntervalTests {
    @Test("GLPK gives the intervals an attacker gets: a total less published parts, a pair, a free cell")
    func intervals() throws {
        // x0 = x1 + x2 + x3 with x0 = 100 and x1 = 60 published: x2 + x3 = 40, each in [0, 40].
        let program = LinearProgram(bounds: [.init(lower: 100, upper: 100), .init(lower: 60, upper: 60), .init(lower: 0, upper: nil), .init(lower: 0, upper: nil), .init(lower: 0, upper: nil)],
                                    equalities: [[(0, 1), (1, -1), (2, -1), (3, -1)]])
        let pair = try #require(program.range(of: 2))
        #expect(abs((pair.min ?? -1) - 0) < 1e-6 && abs((pair.max ?? -1) - 40) < 1e-6)
        // x4 is in no sum: unbounded above.
        let free = try #require(program.range(of: 4))
        #expect(free.min == 0 && free.max == nil)
    }

    @Test("A service alone in its agency: withholding it withholds the agency's total, and the engine's check finds the partner the sums need")
    func impliedSum() {
        // Services: A (Health, NHS), B (Health, NHS), C (Health, Council), D (Care, Council).
        // A rests on 3 people. Health = A + B + C, NHS = A + B, Council = C + D, cohort = Health + Care.
        func table(_ name: String, _ costs: [Int64], _ people: [Int64]) -> ResultTable {
            ResultTable(name: name, title: name, columns: [
                ResultColumn("cost", .money(costs)).resting(on: DisclosureBasis(role: .magnitude, people: people, family: "w", measure: "cost")),
            ])
        }
        let services = table("s", [5_000, 40_000, 30_000, 20_000], [3, 40, 30, 20])
        let categories = table("c", [75_000, 20_000], [70, 20])
        let agencies = table("a", [45_000, 50_000], [43, 50])
        let cohort = table("t", [95_000], [90])
        func cell(_ t: String, _ r: Int) -> CellReference { CellReference(table: t, column: "cost", row: r) }
        let sums = [
            LinkedTotal(total: cell("t", 0), parts: [cell("s", 0), cell("s", 1), cell("s", 2), cell("s", 3)]),
            LinkedTotal(total: cell("t", 0), parts: [cell("c", 0), cell("c", 1)]),
            LinkedTotal(total: cell("t", 0), parts: [cell("a", 0), cell("a", 1)]),
            LinkedTotal(total: cell("c", 0), parts: [cell("s", 0), cell("s", 1), cell("s", 2)]),
            LinkedTotal(total: cell("c", 1), parts: [cell("s", 3)]),
            LinkedTotal(total: cell("a", 0), parts: [cell("s", 0), cell("s", 1)]),
            LinkedTotal(total: cell("a", 1), parts: [cell("s", 2), cell("s", 3)]),
        ]
        let result = DisclosureControl(rule: .nhsEngland).protect(LinkedTables(tables: [services, categories, agencies, cohort], linkedTotals: sums))
        func withheld(_ t: Int) -> [Bool] { (0..<result.tables[t].rowCount).map { result.tables[t].columns[0].state($0) == .suppressed } }
        // A and its NHS partner B are withheld; NHS's total (A + B) is published, so A is in [0, 45,000];
        // nothing more is needed, and the headline stands.
        #expect(withheld(0) == [true, true, false, false])
        #expect(withheld(1) == [false, false] && withheld(2) == [false, false] && withheld(3) == [false])
    }
}
