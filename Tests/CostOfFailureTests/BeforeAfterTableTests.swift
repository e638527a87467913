import Testing
@testable import CostOfFailure

/// A generated study with time at risk: ``GeneratedStudy``'s events, with Prison marked as
/// custody (`removes`) and a Deaths service (`ends`), runs of custody days that overlap, and a
/// death for some people (a second, later one for a few: the earliest counts), some of them
/// dated before the index date or after the observation end.
private struct MarkedStudy {
    var generated: GeneratedStudy
    static let catalog = ServiceCatalog(entries: [
        .init(service: "Prison", category: "Criminal justice", agency: "HMPPS", exposure: .removes),
        .init(service: "Deaths", category: "Register", agency: "GRO", exposure: .ends),
    ])
    static let servicesCSV = "service,category,agency,exposure\nPrison,Criminal justice,HMPPS,removes\nDeaths,Register,GRO,ends\nA&E,Health,NHS,\n"

    init(seed: UInt64, rows: Int) {
        generated = GeneratedStudy(seed: seed, rows: rows)
        var random = SplitMix64(seed: seed &* 7_919)
        let people = Array(Set(generated.events.map(\.person))).sorted()
        let first = day("2014-01-01").daysSinceEpoch, last = day("2024-12-31").daysSinceEpoch
        for person in people {
            let roll = random.next() % 6
            if roll < 2 {
                // A run of custody, and often a second one that overlaps it.
                let start = Int32.random(in: first...last, using: &random)
                for runStart in [start, start + Int32(random.next() % 20)] where roll == 0 || runStart == start {
                    for night in 0..<Int32(1 + random.next() % 40) {
                        generated.events.append(.init(person: person, service: "Prison", event: "night",
                                                      date: CivilDate(daysSinceEpoch: runStart + night), quantity: 1, cost: nil))
                    }
                }
            }
            if roll == 2 || roll == 3 {
                let death = Int32.random(in: first...last, using: &random)
                generated.events.append(.init(person: person, service: "Deaths", event: "death", date: CivilDate(daysSinceEpoch: death),
                                              quantity: 1, cost: nil))
                if roll == 3 {
                    generated.events.append(.init(person: person, service: "Deaths", event: "death",
                                                  date: CivilDate(daysSinceEpoch: death + 1 + Int32(random.next() % 400)), quantity: 1, cost: nil))
                }
            }
        }
        // People with events in one window only (before; after, on the index date), and one whose
        // after window the data's end cuts; every other seed, an observation end that cuts many.
        for (person, start, event) in [("W-before", "2019-03-01", "2019-02-27"), ("W-after", "2019-03-01", "2019-03-01"),
                                       ("W-late", "2026-06-01", "2026-06-02")] {
            generated.interventions.append(.init(personID: person, start: day(start)))
            generated.events.append(.init(person: person, service: "A&E", event: "attendance", date: day(event), quantity: 1, cost: nil))
        }
        if seed % 2 == 0 { generated.windows.observationEnd = day("2021-06-30") }
        // An empty after window is kept for one seed in four (the generator draws it often).
        if generated.windows.after.count == 0, seed % 4 != 1 { generated.windows.after = WindowSpan(1, .years) }
        // The added rows among the others, not all at the end.
        generated.events.shuffle(using: &random)
    }

    /// The before/after table worked out plainly: ``GeneratedStudy/referenceRows(defaultEnd:)``'s
    /// figures, and each person's exposure less the days of each window (as cut at the
    /// observation end) after their earliest death, and the custody days on or before it,
    /// counted day by day.
    func referenceRows(defaultEnd: Bool) -> [BeforeAfterTable.Row] {
        var index: [String: CivilDate] = [:]
        for i in generated.interventions { index[i.personID] = min(index[i.personID] ?? i.start, i.start) }
        var windows = generated.windows
        if defaultEnd, windows.observationEnd == nil { windows.observationEnd = generated.events.map(\.date).max() }
        var death: [String: Int32] = [:], custody: [String: Set<Int32>] = [:]
        for e in generated.events {
            if e.service == "Deaths" { death[e.person] = min(death[e.person] ?? .max, e.date.daysSinceEpoch) }
            if e.service == "Prison" { custody[e.person, default: []].insert(e.date.daysSinceEpoch) }
        }
        func removed(_ person: String, from: Int32, to: Int32) -> Int {
            guard from < to else { return 0 }
            return (from..<to).count { d in
                if let death = death[person], d > death { return true }
                return custody[person]?.contains(d) ?? false
            }
        }
        return generated.referenceRows(defaultEnd: defaultEnd).map { row in
            let start = index[row.personID]!
            let beforeStart = windows.before.subtracted(from: start).daysSinceEpoch
            var beforeEnd = start.daysSinceEpoch, afterEnd = windows.after.added(to: start).daysSinceEpoch
            if let end = windows.observationEnd?.addingDays(1).daysSinceEpoch {
                beforeEnd = max(min(beforeEnd, end), beforeStart)
                afterEnd = max(min(afterEnd, end), start.daysSinceEpoch)
            }
            var row = row
            row.beforeDays -= removed(row.personID, from: beforeStart, to: beforeEnd)
            row.afterDays -= removed(row.personID, from: start.daysSinceEpoch, to: afterEnd)
            return row
        }
    }

    /// The study's inputs as files, as `cof compare` would be given them.
    func inputs() throws -> StudyInputs {
        var inputs = StudyInputs(events: [EventSource(.file(try temporaryFile(generated.csvText(), name: "events.csv")))],
                                 interventions: .file(try temporaryFile("person_id,start_date\n" + generated.interventions.map { "\($0.personID),\($0.start)\n" }.joined(),
                                                                        name: "interventions.csv")),
                                 unitCosts: .file(try temporaryFile("service,event,unit_cost\n" + generated.unitCosts.map {
                                     "\($0.service),\($0.event),\(String(format: $0.unitCostPence))\n"
                                 }.joined(), name: "unit-costs.csv")),
                                 services: .file(try temporaryFile(Self.servicesCSV, name: "services.csv")),
                                 windows: generated.windows)
        inputs.replaceShippedUnitCosts = true  // the reference prices with the generated table alone
        return inputs
    }
}

@Suite("The before/after table of a study, through the streaming kernel")
struct BeforeAfterTableTests {
    @Test("Generated studies with custody, deaths, explicit costs and unpriced events: the study's table is the plain reference's and the stream's, row for row",
          arguments: [41, 42, 43, 44, 45, 46, 47, 48] as [UInt64])
    func studyMatchesReferenceAndStream(seed: UInt64) throws {
        let marked = MarkedStudy(seed: seed, rows: 4_000)
        let inputs = try marked.inputs()
        let study = try inputs.load()
        let rows = try BeforeAfterTable(study: study).rows
        let expected = marked.referenceRows(defaultEnd: true)
        #expect(rows.count == expected.count)
        #expect(zip(rows, expected).first { $0 != $1 } == nil, "seed \(seed), windows \(marked.generated.windows)")
        let stream = try StreamingPass(inputs).beforeAfter.rows
        #expect(stream == rows)
        // What the data must hold for the comparison to mean something.
        let plain = marked.generated.referenceRows(defaultEnd: true)
        #expect(zip(expected, plain).contains { $0.beforeDays < $1.beforeDays || $0.afterDays < $1.afterDays }, "some exposure taken out")
        let windows = marked.generated.windows
        #expect(windows.after.count == 0 || rows.contains { $0.before.events == 0 }, "rows with events in the after window only")
        #expect(windows.before.count == 0 || rows.contains { $0.after.events == 0 }, "rows with events in the before window only")
        #expect(rows.contains { $0.before.unpriced + $0.after.unpriced > 0 }, "unpriced events")
        #expect(marked.generated.events.contains { $0.cost != nil })
        #expect(windows.after.count == 0 || study.peopleWithAfterWindowCut > 0, "windows cut by the observation end")
    }

    @Test("Any morsel size and any split over workers give the reference's rows",
          arguments: [(1, 1, 0), (7, 2, 0), (1_000, 3, 0), (1 << 16, 2, 1 << 16), (64, 2, 100_000)] as [(Int, Int, Int)])
    func morselsAndWorkers(morselRows: Int, workers: Int, parallelThreshold: Int) throws {
        for seed in [51, 52] as [UInt64] {
            let marked = MarkedStudy(seed: seed, rows: 3_000)
            // A study built directly takes its windows as given (no default end).
            let study = try Study(events: marked.generated.table(), unitCosts: UnitCostTable(entries: marked.generated.unitCosts),
                                  interventions: InterventionTable(entries: marked.generated.interventions), services: MarkedStudy.catalog,
                                  windows: marked.generated.windows, workers: workers)
            let rows = try BeforeAfterTable(study: study, morselRows: morselRows, parallelThreshold: parallelThreshold).rows
            let expected = marked.referenceRows(defaultEnd: false)
            #expect(!expected.isEmpty)
            #expect(rows == expected, "seed \(seed), morsels of \(morselRows), \(workers) workers")
            // The exposure the study's other analyses read is the scan's.
            for row in rows {
                let bounds = study.bounds(person: study.events.persons.code(of: row.personID)!)
                #expect((bounds.beforeDays, bounds.afterDays) == (row.beforeDays, row.afterDays))
            }
        }
    }

    /// Rows of treated `T1` (index 2020-01-01) and untreated `U1`: ordinary ones, and
    /// `implausible` events (an explicit cost past the £1bn cap) at the given rows.
    private static func table(rows: Int, implausible: [(row: Int, service: String)], capped: Int = 0) -> EventTable {
        var builder = EventTableBuilder()
        for row in 0..<rows {
            let bad = implausible.first { $0.row == row }
            builder.append(person: row % 3 == 0 ? "U1" : "T1", service: bad?.service ?? "A&E", event: "attendance",
                           date: day("2019-06-01").addingDays(row % 300), explicitCost: bad.map { _ in CostResolver.maximumEventCost + 1 })
        }
        for _ in 0..<capped {
            builder.append(person: "T1", service: "Police", event: "arrest", date: day("2020-02-01"), explicitCost: CostResolver.maximumEventCost)
        }
        return builder.finish()
    }

    private static let windows = StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-12-31"))
    private static let interventions = InterventionTable(entries: [.init(personID: "T1", start: day("2020-01-01"))])

    /// The table path's kernel over `table`, split as asked.
    private static func kernel(_ table: EventTable, workers: Int) throws(CostResolver.Overflow) -> BeforeAfterTable {
        let (cohort, indexDates) = interventions.cohort()
        return try BeforeAfterTable(table: table, cohort: cohort, indexDates: indexDates, windows: windows,
                                    resolver: CostResolver(unitCosts: UnitCostTable(entries: [])), services: .empty,
                                    workers: workers, morselRows: 5, parallelThreshold: 0)
    }

    @Test("An implausible event cost: the first in row order is the error, from the study, the kernel on any split, and the stream")
    func implausibleCost() throws {
        // One in each half of the rows: the first is in the first half.
        let table = Self.table(rows: 200, implausible: [(row: 40, service: "Courts"), (row: 170, service: "Police")])
        let expected = CostResolver.Overflow(service: "Courts", event: "attendance")
        #expect(throws: expected) {
            try Study(events: table, unitCosts: UnitCostTable(entries: []), interventions: Self.interventions, windows: Self.windows)
        }
        for workers in [1, 2, 3] {
            #expect(throws: expected) { try Self.kernel(table, workers: workers) }
        }
        var text = "person_id,service,event,date,cost\n"
        for row in 0..<table.count {
            text += "\(table.persons[table.person[row]]),\(table.services[table.service[row]]),attendance,\(CivilDate(daysSinceEpoch: table.day[row])),"
            text += table.explicitCostValidity[row] ? String(format: table.explicitCost[row]) + "\n" : "\n"
        }
        let inputs = StudyInputs(events: [EventSource(.file(try temporaryFile(text, name: "events.csv")))],
                                 interventions: .file(try temporaryFile("person_id,start_date\nT1,2020-01-01\n", name: "interventions.csv")),
                                 unitCosts: nil, windows: Self.windows)
        do {
            _ = try StreamingPass(inputs)
            Issue.record("the stream took an implausible cost")
        } catch {
            #expect("\(error)".contains(expected.description))
        }
    }

    @Test("Windowed costs past the engine's ceiling together: the overflow error on every path, never a trap")
    func costsPastTheCeiling() throws {
        // 40,001 arrests at the £1bn cap in T1's after window: £40.001tn, past the £40tn ceiling.
        let table = Self.table(rows: 30, implausible: [], capped: 40_001)
        #expect(throws: CostResolver.Overflow.self) {
            try Study(events: table, unitCosts: UnitCostTable(entries: []), interventions: Self.interventions, windows: Self.windows)
        }
        for workers in [1, 2] {
            #expect(throws: CostResolver.Overflow(figure: "the costs of the treated people's events in their windows taken together")) {
                try Self.kernel(table, workers: workers)
            }
        }
        // Just within the ceiling: the table, with the sum exact.
        let within = try Self.kernel(Self.table(rows: 30, implausible: [], capped: 40_000), workers: 2)
        #expect(within.rows.first { $0.service == "Police" }?.after.cost == 40_000 * CostResolver.maximumEventCost)
    }
}
