import Testing
@testable import CostOfFailure

@Suite("Quarterly timeline")
struct QuarterlyTimelineTests {
    /// Worked by hand. A (treated, index 2020-06-01):
    /// - 2019-10-01 Foodbank (not in the services file: Uncategorised), 2019-12-31 A&E → 2019 Q4;
    /// - 2020-01-01 and 2020-03-31 Police → 2020 Q1 (Criminal justice, 2 events);
    /// - nothing in 2020 Q2 (listed, empty);
    /// - 2020-07-01 Liberated Method (Intervention), 2020-09-30 A&E with quantity 5 (one event) → 2020 Q3.
    /// B has no intervention (not in the cohort); C's only event is after the observation end.
    func study() throws -> Study {
        var builder = EventTableBuilder()
        builder.append(person: "A", service: "Foodbank", event: "parcel", date: day("2019-10-01"))
        builder.append(person: "A", service: "A&E", event: "attendance", date: day("2019-12-31"))
        builder.append(person: "A", service: "Police", event: "arrest", date: day("2020-01-01"))
        builder.append(person: "A", service: "Police", event: "arrest", date: day("2020-03-31"))
        builder.append(person: "A", service: "Liberated Method", event: "support", date: day("2020-07-01"))
        builder.append(person: "A", service: "A&E", event: "attendance", date: day("2020-09-30"), quantity: 5)
        builder.append(person: "B", service: "A&E", event: "attendance", date: day("2020-01-01"))
        builder.append(person: "C", service: "Police", event: "arrest", date: day("2020-10-01"))
        let services = ServiceCatalog(entries: [
            .init(service: "A&E", category: "Health"),
            .init(service: "Police", category: "Criminal justice"),
            .init(service: "Liberated Method", category: ServiceCatalog.interventionCategory),
        ])
        let interventions = InterventionTable(entries: [.init(personID: "A", start: day("2020-06-01")), .init(personID: "C", start: day("2020-06-01"))])
        return try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []), interventions: interventions, services: services,
                         windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-09-30")))
    }

    @Test("The cohort: every quarter from the first event's to the last's, categories byte-wise with the intervention's last")
    func cohort() throws {
        let timeline = QuarterlyTimeline(study: try study())
        #expect(timeline.quarters.map(\.description) == ["2019 Q4", "2020 Q1", "2020 Q2", "2020 Q3"])
        #expect(timeline.categories == ["Criminal justice", "Health", "Uncategorised", "Intervention"])
        #expect(timeline.counts == [[0, 1, 1, 0], [2, 0, 0, 0], [0, 0, 0, 0], [0, 1, 0, 1]])
        let table = timeline.resultTable()
        #expect(table.columns.map(\.name) == ["quarter", "Criminal justice", "Health", "Uncategorised", "Intervention", "total"])
        guard case .integer(let totals) = table.column("total")?.values else {
            Issue.record("no total column")
            return
        }
        #expect(totals == [2, 2, 0, 2])
        #expect(table.title.hasSuffix("of the cohort"))
    }

    @Test("One person, with or without an intervention; a quarter's first day")
    func person() throws {
        let timeline = QuarterlyTimeline(study: try study(), person: "B")
        #expect(timeline.quarters == [.init(year: 2020, quarter: 1)])
        #expect(timeline.categories == ["Health"])
        #expect(timeline.counts == [[1]])
        #expect(QuarterlyTimeline.Quarter(containing: day("2020-12-31")).start == day("2020-10-01"))
        #expect(QuarterlyTimeline(study: try study(), person: "nobody").quarters.isEmpty)
    }

    @Test("Windows of whole quarters, the same for every member: each category's window events tied to its quarters there; other windows, no tie")
    func tiedToTheWindows() throws {
        func ties(indexDate: String) throws -> [LinkedTotal] {
            let base = try study()
            let interventions = InterventionTable(entries: [.init(personID: "A", start: day(indexDate)), .init(personID: "C", start: day(indexDate))])
            let study = try Study(events: base.events, unitCosts: UnitCostTable(entries: []), interventions: interventions, services: base.services,
                                  windows: StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(6, .months), observationEnd: day("2020-09-30")))
            let summary = try CohortSummary(beforeAfter: try BeforeAfterTable(study: study), members: study.cohortMembers,
                                            services: study.services, prices: study.pricesDescription)
            return QuarterlyTimeline(study: study).linkedTables(cohort: summary).linkedTotals.filter { $0.total.table == CohortSummary.tableNames.byCategory }
        }
        // Before: 2019 Q4 and 2020 Q1 (rows 0, 1); after: 2020 Q2 and Q3, cut at the end (rows 2, 3).
        let tied = try ties(indexDate: "2020-04-01")
        let health = CellReference(table: CohortSummary.tableNames.byCategory, column: "before_events", row: 1)
        #expect(tied.contains(LinkedTotal(total: health, parts: [0, 1].map { CellReference(table: QuarterlyTimeline.tableName, column: "Health", row: $0) })))
        #expect(tied.contains { $0.total.column == "after_events" && $0.parts.map(\.row) == [2, 3] })
        #expect(try ties(indexDate: "2020-04-02").isEmpty)
    }

    @Test("Trajectory months mostly inside one calendar quarter mirror its total, both ways; months split between quarters, and a person's timeline, do not")
    func trajectoryMirrors() throws {
        func mirrors(indexDate: String) throws -> [(source: CellReference, mirror: CellReference)] {
            let base = try study()
            let interventions = InterventionTable(entries: [.init(personID: "A", start: day(indexDate)), .init(personID: "C", start: day(indexDate))])
            let study = try Study(events: base.events, unitCosts: UnitCostTable(entries: []), interventions: interventions, services: base.services,
                                  windows: StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(6, .months), observationEnd: day("2020-09-30")))
            return TrajectoryTimelineMirrors.of(Trajectory(study: study, months: -3...2), QuarterlyTimeline(study: study))
        }
        // Index 2020-04-01: months -3...-1 are 2020 Q1 (timeline row 1), 0...2 are Q2 (row 2).
        let aligned = try mirrors(indexDate: "2020-04-01")
        let pairs = Set(aligned.map { "\($0.source.table)/\($0.source.row)>\($0.mirror.table)/\($0.mirror.row)" })
        #expect(pairs == ["trajectory/0>quarterly_timeline/1", "trajectory/1>quarterly_timeline/1", "trajectory/2>quarterly_timeline/1",
                          "quarterly_timeline/1>trajectory/0", "quarterly_timeline/1>trajectory/1", "quarterly_timeline/1>trajectory/2",
                          "trajectory/3>quarterly_timeline/2", "trajectory/4>quarterly_timeline/2", "trajectory/5>quarterly_timeline/2",
                          "quarterly_timeline/2>trajectory/3", "quarterly_timeline/2>trajectory/4", "quarterly_timeline/2>trajectory/5"])
        #expect(aligned.allSatisfy { [$0.source.column, $0.mirror.column].sorted() == ["events", "total"] })
        // Index 2020-02-15: month -1 is [01-15, 02-15), in Q1; month 1 is [03-15, 04-15), half and half: none.
        let mid = try mirrors(indexDate: "2020-02-15")
        #expect(mid.contains { $0.source.table == "trajectory" && $0.source.row == 2 })
        #expect(!mid.contains { $0.source.table == "trajectory" && $0.source.row == 4 })
        let base = try study()
        #expect(TrajectoryTimelineMirrors.of(Trajectory(study: base), QuarterlyTimeline(study: base, person: "A")).isEmpty)
    }

    /// A plain reference: every cohort member's events up to the observation end, counted by
    /// quarter and category in dictionaries, people in sets.
    static func reference(_ study: Study) -> (quarters: [QuarterlyTimeline.Quarter], categories: [String], counts: [[Int64]], people: [[Int]]) {
        let events = study.events, end = study.windows.observationEnd?.daysSinceEpoch ?? Int32.max
        var counts: [Int: [String: Int64]] = [:], people: [Int: [String: Set<Int32>]] = [:], anyone: [Int: Set<Int32>] = [:]
        for i in 0..<events.count where events.day[i] <= end && study.indexDate(of: events.persons[events.person[i]]) != nil {
            let quarter = QuarterlyTimeline.Quarter(containing: CivilDate(daysSinceEpoch: events.day[i])).ordinal
            let category = study.services.category(of: events.services[events.service[i]]) ?? ConsumptionReport.uncategorised
            counts[quarter, default: [:]][category, default: 0] += 1
            people[quarter, default: [:]][category, default: []].insert(events.person[i])
            anyone[quarter, default: []].insert(events.person[i])
        }
        guard let first = counts.keys.min(), let last = counts.keys.max() else { return ([], [], [], []) }
        let categories = Set(counts.values.flatMap(\.keys)).sorted { a, b in
            let (aLast, bLast) = (a == ServiceCatalog.interventionCategory, b == ServiceCatalog.interventionCategory)
            return aLast != bLast ? bLast : a.utf8.lexicographicallyPrecedes(b.utf8)
        }
        let ordinals = Array(first...last)
        return (ordinals.map { QuarterlyTimeline.Quarter(year: $0 / 4, quarter: $0 % 4 + 1) }, categories,
                ordinals.map { q in categories.map { counts[q]?[$0] ?? 0 } },
                ordinals.map { q in categories.map { people[q]?[$0]?.count ?? 0 } + [anyone[q]?.count ?? 0] })
    }

    @Test("The fold against a plain reference: events over eighty years and either side of its tabled quarters, in any order, split over two workers", arguments: [1, 7])
    func againstReference(seed: UInt64) throws {
        var random = SyntheticRandom(seed: seed)
        var builder = EventTableBuilder()
        let services = ["A&E", "Police", "Foodbank", "Liberated Method", "Ambulance"]
        let first = day("1960-01-01").daysSinceEpoch, span: Int32 = 80 * 366
        // Enough of the cohort's events that the fold runs on two workers (from 65,536) and merges their grids.
        // A few events either side of the first and the last day of the quarters the fold tables
        // (1900 Q1, 2200 Q1), the rest over eighty years.
        let edges = [day("1895-01-01").daysSinceEpoch, day("2195-01-01").daysSinceEpoch]
        for row in 0..<100_000 {
            let person = Int.random(in: 0..<400, using: &random)
            let date = CivilDate(daysSinceEpoch: row % 50 < 2 ? edges[row % 50] + Int32.random(in: 0..<(10 * 366), using: &random)
                                                              : first + Int32.random(in: 0..<span, using: &random))
            builder.append(person: "P\(person)", service: services.randomElement(using: &random)!, event: "e", date: date)
        }
        let catalog = ServiceCatalog(entries: [
            .init(service: "A&E", category: "Health"), .init(service: "Ambulance", category: "Health"),
            .init(service: "Police", category: "Criminal justice"),
            .init(service: "Liberated Method", category: ServiceCatalog.interventionCategory),
        ])
        let interventions = InterventionTable(entries: (0..<300).map { .init(personID: "P\($0)", start: day("2000-06-01")) })
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []), interventions: interventions, services: catalog,
                              windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2204-06-30")))
        let timeline = QuarterlyTimeline(study: study), expected = Self.reference(study)
        #expect(timeline.quarters == expected.quarters)
        #expect(timeline.categories == expected.categories)
        #expect(timeline.counts == expected.counts)
        #expect(timeline.people == expected.people)
    }
}
