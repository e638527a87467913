import Testing
import TestSupport
@testable import CostOfFailure

/// A hand-worked study of spells and time at risk. Windows of 3 months either side, observation
/// end 2023-08-31; unit costs per night or event: Hostel £50, Prison £100, A&E £200, Deaths £0.
///
/// - P1, index 2023-06-10: before = [2023-03-10, 2023-06-10), 92 days; after = [2023-06-10,
///   2023-09-01) cut at the observation end, 83 days. Hostel: a stay 7→13 June across the index
///   date (nights 7–9 before, 10–12 after); 30 March → 2 April across 31 March (3 nights, before);
///   30 August → 3 September across the observation end (30–31 August after, 1–2 September in no
///   window). Prison (removes exposure): 1→11 April and 6→16 April, overlapping: their union is
///   1–15 April, 15 days, all in the before window: 92 − 15 = 77 days at risk before.
/// - P2, index 2023-05-01: before = [2023-02-01, 2023-05-01), 89 days; after = [2023-05-01,
///   2023-08-01), 92 days. Dies on 1 July (Deaths, ends exposure): 2–31 July leave the after window,
///   92 − 30 = 62 days. An A&E attendance on 15 July and custody 20→25 July come after the death:
///   kept (and the person counted as having events after death); the custody days are already out.
/// - P3, index 2023-06-01: 92 days either side, nothing marked; an event in 2022 (outside).
/// - X: untreated, in custody: changes nobody's exposure.
private struct SpellStudy {
    static let header = SpellEvents.header
    static let lines = SpellEvents.lines
    static let windows = StudyWindows(before: WindowSpan(3, .months), after: WindowSpan(3, .months), observationEnd: day("2023-08-31"))

    static func inputs(_ events: String, services: Bool = true) -> StudyInputs {
        StudyInputs(events: [EventSource(csv(events, name: "events.csv", chunkSize: 97), header: .optional)],
                    interventions: csv("person_id,start_date\nP1,2023-06-10\nP2,2023-05-01\nP3,2023-06-01\n", name: "interventions.csv"),
                    unitCosts: csv("service,event,unit_cost,agency\nHostel,*,50,Council\nPrison,*,100,HMPPS\nA&E,*,200,NHS\nDeaths,*,0,GRO\n", name: "unit-costs.csv"),
                    services: services ? csv("""
                        service,category,agency,exposure
                        Hostel,Housing,Council,
                        Prison,Criminal justice,HMPPS,removes
                        Deaths,Register,GRO,ends
                        A&E,Health,NHS,
                        """, name: "services.csv") : nil,
                    windows: windows, workers: 2)
    }

    static var whole: String { header + "\n" + lines.joined(separator: "\n") + "\n" }
}

/// (person, service, before events, before cost, after events, after cost, before days, after days).
private func summary(_ rows: [BeforeAfterTable.Row]) -> [String] {
    rows.map { "\($0.personID) \($0.service) \($0.before.events) \($0.before.cost) \($0.after.events) \($0.after.cost) \($0.beforeDays) \($0.afterDays)" }
}

@Suite("Time at risk and spells across every boundary")
struct TimeAtRiskTests {
    static let expectedRows = [
        "P1 Hostel 6 30000 5 25000 77 83",
        "P1 Prison 20 200000 0 0 77 83",
        "P2 A&E 0 0 2 40000 89 62",
        "P2 Deaths 0 0 1 0 89 62",
        "P2 Prison 0 0 5 50000 89 62",
        "P3 A&E 0 0 1 20000 92 92",
    ]
    static let expectedMembers = [
        CohortSummary.Member(personID: "P1", beforeDays: 77, afterDays: 83),
        CohortSummary.Member(personID: "P2", beforeDays: 89, afterDays: 62),
        CohortSummary.Member(personID: "P3", beforeDays: 92, afterDays: 92),
    ]

    @Test("The table path: nights split at the index date and the observation end, exposure less custody and after death")
    func tablePath() throws {
        let study = try SpellStudy.inputs(SpellStudy.whole).load()
        let comparison = try BeforeAfterTable(study: study)
        #expect(summary(comparison.rows) == Self.expectedRows)
        #expect(study.cohortMembers == Self.expectedMembers)
        #expect(study.personWindows.peopleWithEventsAfterDeath == 1)
        // Rates are per day at risk: P1's £300 of hostel nights before over 77 days.
        let hostel = comparison.rows[0]
        #expect(hostel.beforeCostPerYear == 142_208)  // 30,000 × 365 / 77 = 142,207.79…, to the nearest penny
    }

    @Test("The streaming path equals the table path, whatever the morsels and parts",
          arguments: [(1 << 16, 1, 8 << 20), (3, 2, 211), (7, 3, 97)] as [(Int, Int, Int)])
    func streamingPath(morsel: Int, workers: Int, partBytes: Int) throws {
        var loader = EventLoader(policy: .failFast, workers: workers, parallelThreshold: 0)
        loader.morselRows = morsel
        loader.partBytes = partBytes
        let text = SpellStudy.whole
        let inputs = StudyInputs(events: [EventSource(.bytes(name: "events.csv", Array(text.utf8), chunkSize: 97))],
                                 interventions: SpellStudy.inputs(text).interventions, unitCosts: SpellStudy.inputs(text).unitCosts,
                                 services: SpellStudy.inputs(text).services, windows: SpellStudy.windows)
        let pass = try StreamingPass(inputs, loader: loader)
        #expect(summary(pass.beforeAfter.rows) == Self.expectedRows)
        #expect(pass.cohortMembers == Self.expectedMembers)
        #expect(pass.peopleWithEventsAfterDeath == 1)
        #expect(pass.events.sources.map(\.loaded) == [SpellStudy.lines.count])
        let summary = try pass.cohortSummary
        #expect(summary.beforeDays == 77 + 89 + 92 && summary.afterDays == 83 + 62 + 92)
    }

    @Test("Without the services file's marks, custody and death are exposure like any day")
    func unmarked() throws {
        let study = try SpellStudy.inputs(SpellStudy.whole, services: false).load()
        #expect(study.cohortMembers.map { [$0.beforeDays, $0.afterDays] } == [[92, 83], [89, 92], [92, 92]])
        #expect(study.personWindows.peopleWithEventsAfterDeath == 0)
    }

    @Test("Partials of random splits by person merge to the one-process result", arguments: [(1, 2), (2, 3), (3, 5)] as [(UInt64, Int)])
    func partialsMerge(seed: UInt64, parts: Int) throws {
        func partial(_ text: String) throws -> BeforeAfterPartial {
            BeforeAfterPartial(pass: try StreamingPass(SpellStudy.inputs(text)), parameters: [.init("before", "3m")], fingerprint: "test")
        }
        let whole = try partial(SpellStudy.whole)
        let texts = PersonSplit.texts(header: SpellStudy.header, lines: SpellStudy.lines, parts: parts, seed: seed)
        let merged = try BeforeAfterPartial.merging(try texts.map(partial))
        #expect(summary(merged.beforeAfter.rows) == Self.expectedRows)
        #expect(merged.members == whole.members && merged.members == Self.expectedMembers)
    }

    @Test("Financial years: a stay across 31 March puts its nights either side")
    func financialYears() throws {
        let study = try SpellStudy.inputs(SpellStudy.whole).load()
        let council = FinancialYearConsumption(study: study).lines.filter { $0.agency == "Council" }
        // 30, 31 March in 2022-23; 1 April, the 6 nights of June and the 4 of August–September in 2023-24.
        #expect(council.map { "\($0.year) \($0.events) \($0.cost)" } == ["2022-23 2 10000", "2023-24 11 55000"])
    }

    @Test("Trajectory months: each night in its own month around the index date")
    func trajectoryMonths() throws {
        let study = try SpellStudy.inputs(SpellStudy.whole).load()
        let points = Trajectory(study: study, months: -3...1, person: "P1").points
        // Month −3 = [10 March, 10 April): hostel 30 March–1 April (3) and custody 1–9 April (9) and
        // 6–9 April (4); month −2 = [10 April, 10 May): custody 10 April (1) and 10–15 April (6);
        // month −1: hostel 7–9 June; month 0: hostel 10–12 June; month 1 = [10 July, 10 August): none.
        #expect(points.map(\.events) == [16, 7, 3, 3, 0])
        #expect(points.map(\.cost) == [145_000, 70_000, 15_000, 15_000, 0])
    }

    @Test("The rule: custody days once, days after a death, within each window")
    func removedDaysRule() {
        let windows = PersonWindows(indexDates: [day("2023-06-10")], windows: SpellStudy.windows)
        var timeAtRisk = TimeAtRisk(tracksLastDays: true)
        let first = day("2023-06-01").daysSinceEpoch
        // Custody 1–14 June twice (two overlapping spells), a death on 15 June and a later event on
        // the 20th: before loses 1–9 June (9 days); after loses 10–14 June (custody) and every
        // day after the 15th.
        for _ in 0..<2 {
            for night in Int32(0)..<14 { timeAtRisk.note(person: 0, day: first + night, exposure: .removes) }
        }
        timeAtRisk.note(person: 0, day: first + 14, exposure: .ends)
        timeAtRisk.noteLastDay(person: 0, day: first + 19)
        let (removed, _, afterDeath) = timeAtRisk.removedDays(windows)
        // After = [10 June, 1 September): 83 days, all but the 15th of June out: 82.
        #expect(removed[0] == PersonWindows.Removed(before: 9, after: 82))
        #expect(afterDeath == 1)
    }

    @Test("The services file's exposure column: removes, ends (any case) or blank; anything else is an error at its cell")
    func exposureColumn() throws {
        let catalog = try ServiceCatalogLoader().load(csv("service,category,exposure\nPrison,CJ,Removes\nDeaths,Register,ends\nA&E,Health,\n"))
        #expect(catalog.exposure(of: "Prison") == .removes && catalog.exposure(of: "Deaths") == .ends)
        #expect(catalog.exposure(of: "A&E") == .counts && catalog.exposure(of: "Unlisted") == .counts && catalog.marksExposure)
        let error = ingestError { _ = try ServiceCatalogLoader().load(csv("service,category,exposure\nPrison,CJ,jailed\n", name: "services.csv")) }
        #expect(error?.kind == .unknownValue && error?.line == 2 && error?.column == "exposure")
        #expect(error?.description.contains("jailed") == false)  // the cell is not echoed
        #expect(try !ServiceCatalogLoader().load(csv("service,category\nA&E,Health\n")).marksExposure)
    }

    @Test("A single custody event takes out its one day; a death before the index date takes out the whole after window")
    func singleDayAndEarlyDeath() {
        let windows = PersonWindows(indexDates: [day("2023-06-10"), day("2023-06-10")], windows: SpellStudy.windows)
        var timeAtRisk = TimeAtRisk(tracksLastDays: false)
        timeAtRisk.note(person: 0, day: day("2023-05-01").daysSinceEpoch, exposure: .removes)
        timeAtRisk.note(person: 0, day: day("2023-05-01").daysSinceEpoch, exposure: .removes)  // the same day twice: once
        timeAtRisk.note(person: 0, day: day("2023-06-10").daysSinceEpoch, exposure: .counts)   // not a mark
        // Dies on 31 May: 1–9 June (9 days) leave the before window, all 83 days of the after window.
        timeAtRisk.note(person: 1, day: day("2023-05-31").daysSinceEpoch, exposure: .ends)
        let (removed, _, afterDeath) = timeAtRisk.removedDays(windows)
        #expect(removed[0] == PersonWindows.Removed(before: 1, after: 0))
        #expect(removed[1] == PersonWindows.Removed(before: 9, after: 83))
        #expect(afterDeath == 0)
    }
}
