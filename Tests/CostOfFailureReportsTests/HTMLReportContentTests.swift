import CostOfFailure
import CostOfFailureReports
import Testing

/// ``HTMLReportContent`` of ``ReportFixture``'s study, its tables from ``ReportTables``.
@Suite("HTMLReportContent")
struct HTMLReportContentTests {
    static func content(person: String? = nil, comparisonGroup: Bool = false, rule: DisclosureRule = .nhsEngland) throws -> HTMLReportContent {
        let study = try ReportFixture.study()
        let tables = try ReportTablesTests.tables(person: person, comparisonGroup: comparisonGroup, sourceCoverage: person == nil)
        let report = try ConsumptionReport(study: study, subject: person.map(ConsumptionReport.Subject.person) ?? .cohort)
        var provenance = Provenance()
        provenance.add("engine", "cof test")
        return HTMLReportContent(person: person, tables: tables.linkedTables(rounding: .exact), notes: tables.notes,
                                 comparisonGroup: comparisonGroup, report: report, study: .init(study), assumptions: Appraisal.Assumptions(),
                                 disclosure: .init(rule: rule, suppressedMarker: "[c]"), provenance: provenance)
    }

    @Test("A person's report: the not-for-release banner, their headline, the lifetime section, no cohort sections")
    func person() throws {
        let document = try Self.content(person: "P1").document()
        #expect(document.title == "Cost of failure: P1")
        #expect(document.banners.count == 1)
        #expect(document.banners[0].text.contains("about one person, P1"))
        #expect(document.headline.first?.label == "person" && document.headline.first?.value == "P1")
        // 2023-05-01 index date, 6m before and 12m after (ReportFixture).
        #expect(document.headline.contains { $0.label == "index date" && $0.value == "2023-05-01 (6m before, 12m after)" })
        // 7 interactions with 3 services, £1,342 (ReportFixture's lifetime).
        #expect(document.headline.contains { $0.label == "lifetime use" && $0.value == "7 interactions with 3 services, £1,342" })
        let ids = document.sections.map(\.id)
        #expect(ids.contains("lifetime") && !ids.contains("effect") && !ids.contains("breakdowns"))
        #expect(document.provenance.entries.contains { $0.name == "report" && $0.value == "one person: P1" })
        #expect(document.provenance.entries.contains { $0.name == "disclosure control" && $0.value.hasPrefix("none: a single person's case file") })
    }

    @Test("A cohort's report: the rule's banner, the effect section without a comparison group, the checks with source coverage")
    func cohort() throws {
        let document = try Self.content().document()
        #expect(document.title == "Cost of failure: the cohort")
        #expect(document.banners.map(\.text) == ["Disclosure control (nhs-england): \(DisclosureRule.nhsEngland.description(marker: "[c]")). Charts are drawn from the protected tables."])
        #expect(document.sections.map(\.id) == ["before-after", "effect", "timeline", "trajectory", "breakdowns", "figures", "appraisal", "checks"])
        #expect(document.headline.first?.label == "people with an intervention")
        #expect(!document.headline.contains { $0.label.hasPrefix("difference in differences") })
        let html = document.render()
        #expect(html.contains("There is no comparison group here"))
        #expect(html.contains("How much of the cohort each event source covers"))
        // The provenance given, then the report's own entries.
        #expect(document.provenance.entries.map(\.name) == ["engine", "report", "appraisal", "disclosure control"])
    }

    @Test("Unsuppressed: the warning banner and the footer say so")
    func unsuppressed() throws {
        let document = try Self.content(rule: DisclosureRule(.none)).document()
        #expect(document.banners[0].text.hasPrefix("UNSUPPRESSED"))
        #expect(document.provenance.entries.last?.value == "none: UNSUPPRESSED (--disclosure none), not for release")
    }

    @Test("With a comparison group: the difference in differences in the headline and its sections")
    func comparisonGroup() throws {
        let document = try Self.content(comparisonGroup: true).document()
        #expect(document.headline.contains { $0.label == "difference in differences, per person-year (95% interval)" })
        #expect(document.headline.contains { $0.label == "probability that NPV > 0 (bootstrap)" })
        let html = document.render()
        #expect(html.contains("The placebo test repeats the analysis"))
        #expect(!html.contains("There is no comparison group here"))
    }
}
