import CostOfFailure
import CostOfFailureReports
import Testing

/// A study built in memory, with figures worked out by hand below.
///
/// P1's index date is 2023-05-01; windows are 6m before and 12m after, observation ends
/// 2024-03-31, so before = [2022-11-01, 2023-05-01) = 181 days and after = [2023-05-01,
/// 2024-04-01) = 336 days (cut at the observation end).
///
/// | person | service | event    | date       | qty | explicit | priced at           | window  |
/// |--------|---------|----------|------------|-----|----------|---------------------|---------|
/// | P1     | Police  | arrest   | 2022-06-01 | 1   | £50.00   | £50.00              | outside |
/// | P1     | A&E     | attend   | 2023-01-10 | 1   |          | £273.00             | before  |
/// | P1     | Police  | arrest   | 2023-02-01 | 2   |          | 2 × £100 (wildcard) | before  |
/// | P1     | A&E     | attend   | 2023-03-15 | 1   |          | £273.00             | before  |
/// | P1     | A&E     | attend   | 2023-04-30 | 1   |          | £273.00             | before  |
/// | P1     | A&E     | attend   | 2023-05-01 | 1   |          | £273.00             | after   |
/// | P1     | Support | session  | 2023-05-01 | 2   |          | 2 × £30.00          | after   |
/// | P1     | Support | session  | 2023-06-01 | 1   | £123.45  | £123.45             | after   |
/// | P1     | Housing | advice   | 2023-07-01 | 1   |          | unpriced            | after   |
/// | P1     | A&E     | attend   | 2024-04-01 | 1   |          | £273.00             | beyond the observation end |
/// | P2     | A&E     | attend   | 2023-01-01 | 1   |          | £273.00             | no intervention |
///
/// Consumption (failure demand: everything but Support, which is category Intervention):
/// - before: 3 × 27300 + 20000 = 101900p = £1,019; per year 101900 × 365 / 181 = 205489.5 → 205490p → £2,055
/// - after: 27300p = £273; per year 27300 × 365 / 336 = 29656.25 → 29656p → £297
/// - change: 29656 − 205490 = −175834p → −£1,758 a year, −85.6 % → (−86%)
/// - lifetime (to the observation end): A&E 4, Police 2, Housing 1 = 7 interactions with 3 services,
///   109200 + 25000 = 134200p = £1,342, 1 unpriced; 2022-06-01 to 2024-03-31 is 670 days = 1.8 years
/// Response: Support 2 events, 6000 + 12345 = 18345p = £183; per year 18345 × 365 / 336 = 19928.3 → £199;
/// net 29656 + 19928 − 205490 = −155906p → −£1,559 a year.
enum ReportFixture {
    static func date(_ iso: String) -> CivilDate { SampleTables.date(iso) }

    static func study(withIntervention: Bool = true, interventionCost: Pence? = nil, supportCategory: String = "Intervention") throws -> Study {
        var builder = EventTableBuilder()
        func add(_ person: String, _ service: String, _ event: String, _ day: String, _ quantity: Int32 = 1, _ cost: Pence? = nil) {
            builder.append(person: person, service: service, event: event, date: date(day), quantity: quantity, explicitCost: cost)
        }
        add("P2", "A&E", "attend", "2023-01-01")
        add("P1", "Police", "arrest", "2022-06-01", 1, 50_00)
        add("P1", "A&E", "attend", "2023-01-10")
        add("P1", "Police", "arrest", "2023-02-01", 2)
        add("P1", "A&E", "attend", "2023-03-15")
        add("P1", "A&E", "attend", "2023-04-30")
        add("P1", "A&E", "attend", "2023-05-01")
        add("P1", "Support", "session", "2023-05-01", 2)
        add("P1", "Support", "session", "2023-06-01", 1, 123_45)
        add("P1", "Housing", "advice", "2023-07-01")
        add("P1", "A&E", "attend", "2024-04-01")
        let unitCosts = UnitCostTable(entries: [
            .init(service: "A&E", event: "attend", unitCostPence: 273_00),
            .init(service: "Police", event: "*", unitCostPence: 100_00),
            .init(service: "Support", event: "session", unitCostPence: 30_00),
        ])
        let interventions = InterventionTable(entries: withIntervention ? [
            .init(personID: "P1", start: date("2023-09-12"), programme: "Later programme"),
            .init(personID: "P1", start: date("2023-05-01"), programme: "Support", costPence: interventionCost),
        ] : [])
        let services = ServiceCatalog(entries: [
            .init(service: "A&E", category: "Health", agency: "NHS"),
            .init(service: "Police", category: "Criminal justice", agency: "Police"),
            .init(service: "Support", category: supportCategory),
        ])
        let windows = StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(12, .months), observationEnd: date("2024-03-31"))
        return try Study(events: builder.finish(), unitCosts: unitCosts, interventions: interventions,
                         services: services, windows: windows, workers: 1)
    }
}

@Suite("ConsumptionReportRenderer")
struct ConsumptionReportRendererTests {
    func render(_ study: Study) throws -> String {
        ConsumptionReportRenderer().render(try ConsumptionReport(study: study, subject: .person("P1")))
    }

    @Test("the report tells the hand-computed story")
    func personReport() throws {
        let text = try render(try ReportFixture.study())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        #expect(lines.first == "Cost of failure: P1")
        // Headline.
        #expect(lines.contains("  7 interactions with 3 services over 1.8 years, costing £1,342"))
        #expect(lines.contains("  events in the 181 days before → the 336 days after: A&E 3 → 1, Police 1 → 0"))
        // P1's Housing advice after the index date is unpriced: that service is left out of the money.
        #expect(lines.contains("  consumption £2,055 a year before → £297 a year after (priced in both windows; 1 event with unpriced ones beside them left out); the intervention spent £183"))
        // Lifetime.
        #expect(lines.contains("Lifetime (2022-06-01 to 2024-03-31, 1.8 years observed)"))
        #expect(lines.contains("  7 interactions with 3 services, costing £1,342 (1 unpriced)"))
        #expect(lines.contains("  - Criminal justice: 2 interactions with 1 service, £250"))
        #expect(lines.contains("  - Health: 4 interactions with 1 service, £1,092"))
        #expect(lines.contains("  - Uncategorised: 1 interactions with 1 service, £0"))
        // Windows.
        #expect(lines.contains("  index date 2023-05-01; before 6m: 2022-11-01 to 2023-04-30 (181 days); after 12m: 2023-05-01 to 2024-03-31 (336 days, cut at the observation end)"))
        // Consumption before and after.
        #expect(lines.contains("  before: £1,019 in 181 days, £2,055 a year"))
        #expect(lines.contains("  after:  £273 in 336 days, £297 a year"))
        #expect(lines.contains("  change: -£1,758 a year (-86%)"))
        #expect(lines.contains("  left out: 1 event of 1 person in services with unpriced events in a window (no cost there, so no saving counted)"))
        // The intervention's spend.
        #expect(lines.contains("  Support: 2 events costing £183 since the index date"))
        #expect(lines.contains("  total: £183, £199 a year"))
        #expect(lines.contains("  net of the intervention: -£1,559 a year (consumption change plus intervention spend)"))
        // Unpriced, and the caveat.
        #expect(lines.contains("  Housing / advice: 1"))
        #expect(text.contains("Caveat: a before/after change is not an effect."))
        #expect(text.contains("regression to the mean"))
        #expect(text.hasSuffix("\n"))
    }

    @Test("the before/after table shows each service's counts and money in £")
    func beforeAfterTable() throws {
        let text = try render(try ReportFixture.study())
        let rows = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        // service, category, before_events, after_events, rates..., before_cost, after_cost, ...
        let ae = rows.filter { $0.first == "A&E" && $0.count > 4 && $0[2] == "3" }
        try #require(ae.count == 1)
        #expect(ae[0][3] == "1")
        #expect(ae[0].contains("£819.00"))
        #expect(ae[0].contains("£273.00"))
        // "Criminal justice" is two words: before_events and after_events are tokens 3 and 4.
        let police = rows.filter { $0.first == "Police" && $0.count > 7 && $0[3] == "1" && $0[4] == "0" }
        try #require(police.count == 1)
        #expect(police[0].contains("£200.00"))
        // The intervention is kept out of consumption: no Support row in the tables.
        #expect(!rows.contains { $0.first == "Support" && $0.count > 4 })
    }

    @Test("a recorded intervention cost adds to the spend")
    func recordedCost() throws {
        let text = try render(try ReportFixture.study(interventionCost: 1_000_00))
        #expect(text.contains("  recorded in the interventions file: £1,000\n"))
        // 18345 + 100000 = 118345p; per year 118345 × 365 / 336 = 128560.3 → £1,286
        #expect(text.contains("  total: £1,183, £1,286 a year\n"))
    }

    @Test("without services of category Intervention, no spend is claimed")
    func noSpend() throws {
        let text = try render(try ReportFixture.study(supportCategory: "Social care"))
        #expect(text.contains("no intervention spend recorded"))
        // Support is now failure demand: before unchanged, after 27300 + 18345 = 45645p = £456
        #expect(text.contains("  before: £1,019 in 181 days, £2,055 a year\n"))
        #expect(text.contains("  after:  £456 in 336 days"))
    }

    @Test("a person without an intervention is an error, not an empty report")
    func noIntervention() throws {
        let study = try ReportFixture.study()
        #expect(throws: ConsumptionReport.Failure.noIntervention(person: "P2")) {
            try ConsumptionReport(study: study, subject: .person("P2"))
        }
        let none = try ReportFixture.study(withIntervention: false)
        #expect(throws: ConsumptionReport.Failure.emptyCohort) {
            try ConsumptionReport(study: none, subject: .cohort)
        }
    }

    @Test("the report does not depend on the order events were added or on worker count", arguments: [1, 2, 4])
    func orderIndependent(workers: Int) throws {
        let base = try ReportFixture.study()
        var builder = EventTableBuilder()
        let events = base.events
        for i in (0..<events.count).reversed() {
            builder.append(person: events.persons[events.person[i]], service: events.services[events.service[i]],
                           event: events.events[events.event[i]], date: CivilDate(daysSinceEpoch: events.day[i]),
                           quantity: events.quantity[i], explicitCost: events.explicitCostValidity[i] ? events.explicitCost[i] : nil)
        }
        let reversed = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: [
            .init(service: "A&E", event: "attend", unitCostPence: 273_00),
            .init(service: "Police", event: "*", unitCostPence: 100_00),
            .init(service: "Support", event: "session", unitCostPence: 30_00),
        ]), interventions: base.interventions, services: base.services, windows: base.windows, workers: workers)
        #expect(try render(reversed) == (try render(base)))
    }
}

@Suite("ConsumptionReportRenderer width")
struct ConsumptionReportRendererWidthTests {
    @Test("with a width every line fits it, tables and sentences alike, and the figures are all there", arguments: [22, 40, 60])
    func fits(width: Int) throws {
        let report = try ConsumptionReport(study: try ReportFixture.study(), subject: .person("P1"))
        let text = ConsumptionReportRenderer(width: width).render(report)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= width }, "\(text)")
        for figure in ["£1,342", "£2,055", "£297", "-£1,758", "£183"] { #expect(text.contains(figure), "\(figure)") }
        // Without a width, as before: the headline on one line.
        #expect(ConsumptionReportRenderer().render(report).contains("  consumption £2,055 a year before → £297 a year after (priced"))
    }
}
