import Testing
import TestSupport
@testable import CostOfFailure

/// A one-person partial holding the given figures for one service.
private func partial(person: String = "P-SECRET-1", before: PeriodFigures, after: PeriodFigures = PeriodFigures(),
                     beforeDays: Int = 365, afterDays: Int = 365, rejected: Int? = nil, unpriced: Int? = nil,
                     read: Int = 3, partials: Int = 1) -> BeforeAfterPartial {
    let row = BeforeAfterTable.Row(personID: person, service: "A&E", before: before, after: after, beforeDays: beforeDays, afterDays: afterDays)
    return BeforeAfterPartial(parameters: [.init("before", "12m")], fingerprint: "f", prices: "cash prices", partials: partials,
                             services: ServiceCatalog(entries: [.init(service: "A&E", category: "Health", agency: "NHS")]),
                             sources: [SourceReconciliation(file: "<stdin>", read: read, loaded: read, rejected: 0, blank: 0)],
                             rejected: rejected.map { [.init(kind: "bad_date", rows: $0)] } ?? [],
                             unpriced: unpriced.map { [.init(service: "A&E", event: "attendance", events: $0)] } ?? [],
                             members: [.init(personID: person, beforeDays: beforeDays, afterDays: afterDays)],
                             rows: before.events + after.events > 0 ? [row] : [])
}

/// Every table `cof compare` and `cof merge` make of a partial.
private func everyTable(_ partial: BeforeAfterPartial) throws -> [ResultTable] {
    let summary = try partial.cohortSummary
    return [partial.beforeAfter.resultTable(), summary.resultTable(),
            summary.resultTable(summary.byService, name: "s", groupColumn: "service"),
            summary.resultTable(summary.byCategory, name: "c", groupColumn: "category"),
            summary.resultTable(summary.byAgency, name: "a", groupColumn: "agency")]
}

@Suite("Partials near the limits of 64 bits")
struct BeforeAfterPartialLimitsTests {
    static let near = Int64.max - 10

    @Test("Two partials whose sums go past 64 bits refuse to merge, naming the figure and the partial, no value", arguments: [
        ("cost", "the cost in pence (before and after, in magnitude)"), ("negative cost", "the cost in pence (before and after, in magnitude)"), ("events", "the events before"),
        ("quantity", "the quantity before"), ("days", "the days of exposure before"), ("rejected", "the rejected rows of one kind"),
        ("unpriced", "the unpriced events of one service and event"), ("read", "the rows counted for an event source"),
        ("partials", "the count of partials"),
    ] as [(String, String)])
    func sumsPastTheLimit(figure: String, words: String) throws {
        func make(_ person: String) -> BeforeAfterPartial {
            switch figure {
            case "cost": return partial(person: person, before: PeriodFigures(events: 1, quantity: 1, cost: Self.near))
            case "negative cost": return partial(person: person, before: PeriodFigures(events: 1, quantity: 1, cost: -Self.near))
            case "events": return partial(person: person, before: PeriodFigures(events: Self.near, quantity: 1, cost: 5))
            case "quantity": return partial(person: person, before: PeriodFigures(events: 1, quantity: -Self.near, cost: 5))
            case "days": return partial(person: person, before: PeriodFigures(events: 1, quantity: 1, cost: 5), beforeDays: Int(Self.near))
            case "rejected": return partial(person: person, before: PeriodFigures(events: 1, quantity: 1, cost: 5), rejected: Int(Self.near))
            case "unpriced": return partial(person: person, before: PeriodFigures(events: 1, quantity: 1, cost: 5), unpriced: Int(Self.near))
            case "read": return partial(person: person, before: PeriodFigures(events: 1, quantity: 1, cost: 5), read: Int(Self.near))
            default: return partial(person: person, before: PeriodFigures(events: 1, quantity: 1, cost: 5), partials: Int(Self.near))
            }
        }
        // Each alone is read back and makes every table, or (a cost or exposure beyond any
        // cohort's, CostResolver.maximumTotal) is refused with the overflow error: never a trap.
        let (a, b) = (make("P-SECRET-1"), make("P-SECRET-2"))
        let decoded = try BeforeAfterPartial(decoding: a.encoded(), file: "a.partial")
        #expect(decoded.rows == a.rows && decoded.members == a.members)
        do {
            #expect(try everyTable(decoded).count == 5)
        } catch {
            #expect(["cost", "negative cost", "days"].contains(figure), "\(figure): \(error)")
        }
        do {
            _ = try BeforeAfterPartial.merging([decoded, b], names: ["a.partial", "b.partial"])
            Issue.record("merged past the limit")
        } catch {
            #expect(error.description.contains("the sum of \(words) goes past what 64 bits hold when b.partial is added"), "\(error)")
            #expect(!error.description.contains("P-SECRET") && !error.description.contains("922337"), "\(error)")
        }
    }

    @Test("A partial whose own figures sum past 64 bits is refused at the line that takes it past", arguments: [
        "cost", "days", "events", "rejected",
    ])
    func onePartialPastTheLimit(figure: String) throws {
        let half = Int64.max / 2 + 1
        var lines = [
            "cof-partial\t5", "engine\t\(EngineVersion.current)", "fingerprint\tf", "prices\tcash", "partials\t1",
            "source\t<stdin>\t4\t4\t0\t0",
        ]
        if figure == "rejected" { lines += ["rejected\tbad_date\t\(half)", "rejected\tbad_number\t\(half)"] }
        lines += ["days\tnone\tnone", "totals\t0\t0", "events\tnot kept"]
        let (days, events, cost) = (figure == "days" ? half : 365, figure == "events" ? half : 1, figure == "cost" ? half : 100)
        lines += ["person\tP-SECRET-1\t\(days)\t365", "row\tA&E\t\(events)\t1\t\(cost)\t0\t0\t0\t0\t0",
                  "person\tP-SECRET-2\t\(days)\t365", "row\tA&E\t\(events)\t1\t\(cost)\t0\t0\t0\t0\t0", "end\t2\t2"]
        let expectedLine = figure == "rejected" ? 8 : figure == "days" ? 12 : 13
        let text = PartialText.sealed(lines.joined(separator: "\n") + "\n")
        do {
            _ = try BeforeAfterPartial(decoding: Array(text.utf8), file: "p.partial")
            Issue.record("read a partial past the limit")
        } catch {
            #expect(error.description.hasPrefix("p.partial:\(expectedLine): "), "\(error)")
            #expect(error.description.contains("goes past what 64 bits hold"), "\(error)")
            #expect(!error.description.contains("P-SECRET") && !error.description.contains("\(half)"), "\(error)")
        }
    }

    @Test("Figures at the limit make every table without trapping: rates and changes that do not fit are left out")
    func atTheLimit() throws {
        // One day of exposure: a year's rate is 365 times the cost, past 64 bits; the change
        // between a large negative and a large positive rate too.
        let p = partial(before: PeriodFigures(events: 3, quantity: 3, cost: -(Int64.max / 400)),
                        after: PeriodFigures(events: 2, quantity: Int64.max / 2, cost: Int64.max / 400),
                        beforeDays: 1, afterDays: 1)
        let decoded = try BeforeAfterPartial(decoding: p.encoded(), file: "p.partial")
        let row = try #require(decoded.beforeAfter.rows.first)
        #expect(row.beforeCostPerYear != nil && row.afterCostPerYear != nil && row.changeCostPerYear == nil)
        // Beyond the ceiling on any cohort's total (CostResolver.maximumTotal): the cohort's
        // tables are refused with the overflow error naming the figure, never a trap.
        #expect(throws: CostResolver.Overflow.self) { try decoded.cohortSummary }
        #expect(throws: CostResolver.Overflow.self) { try everyTable(decoded) }
        // Two people whose costs are near the ceiling: the mean of their changes is worked in
        // 128 bits, exactly.
        let large = CostResolver.maximumTotal / 4
        let q = partial(person: "P2", before: PeriodFigures(events: 1, quantity: 1, cost: 0),
                        after: PeriodFigures(events: 1, quantity: 1, cost: large), beforeDays: 365, afterDays: 365)
        let r = partial(person: "P3", before: PeriodFigures(events: 1, quantity: 1, cost: 0),
                        after: PeriodFigures(events: 1, quantity: 1, cost: large), beforeDays: 365, afterDays: 365)
        let merged = try BeforeAfterPartial.merging([q, r])
        #expect(try merged.cohortSummary.meanChange == large)
        #expect(try merged.cohortSummary.total.after.cost == large * 2)
        #expect(try everyTable(merged).count == 5)
    }

    @Test("A source whose counts overflow when checked does not balance (and does not trap)")
    func sourceBalance() {
        let source = SourceReconciliation(file: "f", read: 5, loaded: Int.max, rejected: Int.max, blank: 7)
        #expect(!source.balances)
        #expect(!SourceReconciliation(file: "f", read: 0, loaded: -1, rejected: 1, blank: 0).balances)
        #expect(SourceReconciliation(file: "f", read: 4, loaded: 2, rejected: 1, blank: 1).balances)
    }
}
