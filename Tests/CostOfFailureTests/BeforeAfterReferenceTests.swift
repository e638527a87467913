import Testing
@testable import CostOfFailure

/// Generated events, interventions and prices, kept as plain rows so a reference implementation
/// can work from them without the engine's columns.
struct GeneratedStudy {
    struct Event { var person, service, event: String; var date: CivilDate; var quantity: Int32; var cost: Pence? }
    var events: [Event] = []
    var interventions: [InterventionTable.Entry] = []
    var unitCosts: [UnitCostTable.Entry] = []
    var windows: StudyWindows

    init(seed: UInt64, rows: Int) {
        var random = SplitMix64(seed: seed)
        let people = (0..<max(2, rows / 40)).map { "P\($0 * 7919 % 1000)-\($0)" }
        let services = ["A&E", "Police", "Hostel", "GP", "Courts", "Prison", "Älvsjö"]
        let eventTypes = ["attendance", "arrest", "night", "visit"]
        let first = day("2014-01-01").daysSinceEpoch, last = day("2024-12-31").daysSinceEpoch
        let spans = [WindowSpan(6, .months), WindowSpan(1, .years), WindowSpan(90, .days), WindowSpan(0, .days), WindowSpan(10, .years), WindowSpan(13, .months)]
        let before = spans.randomElement(using: &random)!
        let after = before.count == 0 ? WindowSpan(6, .months) : spans.randomElement(using: &random)!
        windows = StudyWindows(before: before, after: after,
                               observationEnd: Bool.random(using: &random) ? nil : CivilDate(daysSinceEpoch: Int32.random(in: first...last, using: &random)))
        for _ in 0..<rows {
            // Heavy-tailed: a few people have most events.
            let p = Int(Double(people.count) * pow01(Double.random(in: 0..<1, using: &random), 3))
            events.append(Event(person: people[min(p, people.count - 1)], service: services.randomElement(using: &random)!,
                                event: eventTypes.randomElement(using: &random)!,
                                date: CivilDate(daysSinceEpoch: Int32.random(in: first...last, using: &random)),
                                quantity: Int32.random(in: 1...14, using: &random),
                                cost: Int.random(in: 0..<10, using: &random) == 0 ? Pence.random(in: -500...90_000, using: &random) : nil))
        }
        for person in people where Bool.random(using: &random) {
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                interventions.append(.init(personID: person, start: CivilDate(daysSinceEpoch: Int32.random(in: first...last, using: &random))))
            }
        }
        interventions.append(.init(personID: "nobody-with-events", start: day("2020-01-01")))
        for service in services {
            for event in eventTypes where Int.random(in: 0..<3, using: &random) > 0 {
                unitCosts.append(.init(service: service, event: event, unitCostPence: Pence.random(in: 0...600_000, using: &random)))
            }
            if Bool.random(using: &random) {
                unitCosts.append(.init(service: service, event: "*", unitCostPence: Pence.random(in: 1...10_000, using: &random)))
            }
        }
    }

    func table() -> EventTable {
        var builder = EventTableBuilder()
        for e in events {
            builder.append(person: e.person, service: e.service, event: e.event, date: e.date, quantity: e.quantity, explicitCost: e.cost)
        }
        return builder.finish()
    }

    /// The events as a CSV file, with some fields quoted and an embedded newline in one name.
    func csvText() -> String {
        var text = "date,quantity,person_id,service,event,cost\n"
        for e in events {
            let cost = e.cost.map { String(format: $0) } ?? ""
            text += "\(e.date),\(e.quantity),\"\(e.person)\",\(e.service),\(e.event),\(cost)\n"
        }
        return text
    }

    /// The comparison worked out row by row with dictionaries, straight from the definitions.
    /// The reference figures; with `defaultEnd`, no observation end means the latest event of
    /// anyone (as `StudyInputs.load()` and the one-pass compare decide it), else none (a
    /// ``Study`` built directly takes its windows as given).
    func referenceRows(defaultEnd: Bool = true) -> [BeforeAfterTable.Row] {
        var index: [String: CivilDate] = [:]
        for i in interventions { index[i.personID] = min(index[i.personID] ?? i.start, i.start) }
        var exact: [String: Pence] = [:], wildcard: [String: Pence] = [:]
        for u in unitCosts {
            if u.event == "*" { wildcard[u.service] = u.unitCostPence } else { exact[u.service + "|" + u.event] = u.unitCostPence }
        }
        struct Key: Hashable { var person: String; var service: String }
        var figures: [Key: (PeriodFigures, PeriodFigures)] = [:]
        // No end given: the last date the data covers, the latest event of anyone.
        var windows = windows
        if defaultEnd, windows.observationEnd == nil { windows.observationEnd = events.map(\.date).max() }
        for e in events {
            guard let start = index[e.person] else { continue }
            if let end = windows.observationEnd, e.date > end { continue }
            let beforeStart = windows.before.subtracted(from: start), afterEnd = windows.after.added(to: start)
            let isBefore = e.date >= beforeStart && e.date < start
            let isAfter = e.date >= start && e.date < afterEnd
            guard isBefore || isAfter else { continue }
            var price: Pence? = e.cost
            if price == nil, let unit = exact[e.service + "|" + e.event] ?? wildcard[e.service] { price = unit * Pence(e.quantity) }
            var f = PeriodFigures(events: 1, quantity: Int64(e.quantity), cost: price ?? 0, unpriced: price == nil ? 1 : 0)
            let key = Key(person: e.person, service: e.service)
            var current = figures[key] ?? (PeriodFigures(), PeriodFigures())
            if isBefore { current.0 = current.0 + f } else { current.1 = current.1 + f }
            f = PeriodFigures()
            figures[key] = current
        }
        func days(_ start: CivilDate, _ end: CivilDate) -> Int { max(0, Int(end.daysSinceEpoch) - Int(start.daysSinceEpoch)) }
        return figures.map { key, value in
            let start = index[key.person]!
            var beforeEnd = start, afterEnd = windows.after.added(to: start)
            if let end = windows.observationEnd?.addingDays(1) {
                beforeEnd = max(min(beforeEnd, end), windows.before.subtracted(from: start))
                afterEnd = max(min(afterEnd, end), start)
            }
            return BeforeAfterTable.Row(personID: key.person, service: key.service, before: value.0, after: value.1,
                                  beforeDays: days(windows.before.subtracted(from: start), beforeEnd), afterDays: days(start, afterEnd))
        }.sorted { a, b in
            a.personID != b.personID ? Array(a.personID.utf8).lexicographicallyPrecedes(Array(b.personID.utf8))
                                     : Array(a.service.utf8).lexicographicallyPrecedes(Array(b.service.utf8))
        }
    }
}

private func pow01(_ x: Double, _ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * x } }

extension String {
    /// Pence as plain pounds (test-side formatter, independent of the reports module).
    init(format pence: Pence) {
        let sign = pence < 0 ? "-" : ""
        let m = pence.magnitude
        self = "\(sign)\(m / 100).\(m % 100 < 10 ? "0" : "")\(m % 100)"
    }
}

@Suite("Before/after kernel against a reference implementation")
struct BeforeAfterReferenceTests {
    @Test("Generated studies give the reference figures, with 1 or 2 workers", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func matchesReference(seed: UInt64) throws {
        let generated = GeneratedStudy(seed: seed, rows: seed == 8 ? 90_000 : 4_000)
        let expected = generated.referenceRows(defaultEnd: false)
        #expect(!expected.isEmpty)
        for workers in [1, 2] {
            let study = try Study(events: generated.table(), unitCosts: UnitCostTable(entries: generated.unitCosts),
                                  interventions: InterventionTable(entries: generated.interventions), windows: generated.windows,
                                  workers: workers)
            let rows = try BeforeAfterTable(study: study).rows
            #expect(rows.count == expected.count)
            let firstDifference = zip(rows, expected).first { $0 != $1 }
            #expect(firstDifference == nil, "seed \(seed), workers \(workers), windows \(generated.windows)")
        }
    }

    @Test("Loading the same data from CSV in random chunk sizes gives the same comparison", arguments: [11, 12, 13] as [UInt64])
    func csvPathMatches(seed: UInt64) throws {
        let generated = GeneratedStudy(seed: seed, rows: 3_000)
        var random = SplitMix64(seed: seed)
        let chunk = Int.random(in: 1...5_000, using: &random)
        let table = try EventLoader().load([.bytes(name: "g.csv", Array(generated.csvText().utf8), chunkSize: chunk)])
        let study = try Study(events: table, unitCosts: UnitCostTable(entries: generated.unitCosts),
                              interventions: InterventionTable(entries: generated.interventions), windows: generated.windows)
        let rows = try BeforeAfterTable(study: study).rows
        let expected = generated.referenceRows(defaultEnd: false)
        #expect(rows.count == expected.count)
        #expect(zip(rows, expected).first { $0 != $1 } == nil)
    }

    @Test("Scans of any split of the study's rows, joined in order, give the whole table")
    func joinedScansAreExact() throws {
        let generated = GeneratedStudy(seed: 21, rows: 5_000)
        let study = try Study(events: generated.table(), unitCosts: UnitCostTable(entries: generated.unitCosts),
                              interventions: InterventionTable(entries: generated.interventions), windows: generated.windows)
        let whole = try BeforeAfterTable(study: study).rows
        #expect(whole == generated.referenceRows(defaultEnd: false))
        for (morselRows, workers) in [(1, 5), (13, 4), (4_999, 2), (5_000, 7)] {
            let split = try Study(events: study.events, unitCosts: study.unitCostTable, interventions: study.interventions,
                                  windows: study.windows, workers: workers)
            #expect(try BeforeAfterTable(study: split, morselRows: morselRows, parallelThreshold: 0).rows == whole,
                    "morsels of \(morselRows), \(workers) parts")
        }
    }
}
