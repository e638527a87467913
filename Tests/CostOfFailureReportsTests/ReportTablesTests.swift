import CostOfFailure
import CostOfFailureReports
import Testing

/// ``ReportTables`` and ``ReportText`` on ``ReportFixture``'s study, exact.
@Suite("ReportTables")
struct ReportTablesTests {
    static func tables(person: String? = nil, comparisonGroup: Bool = false, sourceCoverage: Bool = false) throws -> ReportTables {
        var analyses = try FixtureAnalyses(comparisonGroup: comparisonGroup)
        let study = analyses.study
        let summary = try CohortSummary(beforeAfter: person.map { id in analyses.beforeAfter.filtered { $0.personID == id } } ?? analyses.beforeAfter,
                                        members: study.cohortMembers.filter { person == nil || $0.personID == person },
                                        services: study.services, prices: study.pricesDescription)
        let report = try ConsumptionReport(study: study, subject: person.map(ConsumptionReport.Subject.person) ?? .cohort)
        let inference = person == nil
            ? ReportTables.Inference(useChange: try analyses.useChange(), comparisonGroup: try analyses.comparisonGroupAnalysis()) : nil
        return ReportTables(person: person, summary: summary, financialYears: person == nil ? try analyses.financialYears() : nil,
                            appraisal: try analyses.appraisal(), trajectory: Trajectory(study: study, person: person),
                            baselineCheck: RegressionToTheMean(study: study), unpriced: report.unpriced,
                            timeline: QuarterlyTimeline(study: study, person: person), inference: inference,
                            sourceCoverage: sourceCoverage ? study.sourceCoverage : nil)
    }

    @Test("A cohort's report: the pack's tables it shares, the checks, the inference, all tied as one system")
    func cohort() throws {
        let tables = try Self.tables(sourceCoverage: true)
        let names = Set(tables.linkedTables(rounding: .exact).tables.map(\.name))
        for name in [CohortSummary.tableNames.cohort, CohortSummary.tableNames.byService, FinancialYearConsumption.tableNames.consumption,
                     Appraisal.tableName, "trajectory", "baseline_check", "unpriced", "quarterly_timeline", UseChange.tableName, "source_coverage"] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(!names.contains(DifferenceInDifferences.tableName))
        // Without a comparison group the inference carries the before/after caveat.
        #expect(tables.notes == [Caveats.beforeAfter])
    }

    @Test("The unpriced events are listed by service and event: the fixture's one Housing advice")
    func unpriced() throws {
        let table = try #require(try Self.tables().linkedTables(rounding: .exact).table(ReportTables.unpricedName))
        guard case .text(let services)? = table.column("service")?.values, case .integer(let events)? = table.column("events")?.values else {
            Issue.record("no service or events column"); return
        }
        #expect(services == ["Housing"])
        #expect(events == [1])
    }

    @Test("A person's report has no financial years, inference or notes")
    func person() throws {
        let tables = try Self.tables(person: "P1")
        let names = tables.linkedTables(rounding: .exact).tables.map(\.name)
        #expect(!names.contains(FinancialYearConsumption.tableNames.consumption))
        #expect(!names.contains(UseChange.tableName))
        #expect(names.contains(Appraisal.tableName))
        #expect(tables.notes.isEmpty)
    }

    @Test("The protected text: title, prices, rule, then the sections present in the screen's order, then the notes")
    func protectedText() throws {
        let tables = try Self.tables()
        let text = ReportText.protected(tables.linkedTables(rounding: .exact), notes: tables.notes, pricesDescription: "prices as given",
                                        disclosure: .nhsEngland, suppressedMarker: "[c]")
        #expect(text.hasPrefix("Cost of failure: the cohort\n" + String(repeating: "=", count: 60) + "\nMoney in prices as given.\nDisclosure control: "))
        let headings = ["The cohort before and after", "\nBy service\n", "\nBy agency\n", ReportText.appraisalHeading, ReportText.trajectoryHeading,
                        ReportText.inferenceSections[0].heading, "Note: " + Caveats.beforeAfter]
        let positions = try headings.map { try #require(text.range(of: $0)?.lowerBound, "\($0)") }
        #expect(positions == positions.sorted())
        // No comparison group: no difference-in-differences section.
        #expect(!text.contains(ReportText.inferenceSections[1].heading))
    }
}
