import CostOfFailure
import CostOfFailureReports
import Testing

@Suite("WorkbookCover")
struct WorkbookCoverTests {
    static func cover(rule: DisclosureRule = .nhsEngland, rawIDs: Bool = false, group: WorkbookCover.ComparisonGroupOrigin? = nil,
                      project: String? = nil, pack: Bool = true) throws -> WorkbookCover {
        WorkbookCover(rule: rule, suppressedMarker: "[c]", rawIDs: rawIDs, comparisonGroup: group, project: project,
                      provenance: Provenance.of(try ReportFixture.study(), inputs: inputs), isFinancePack: pack)
    }

    static let inputs = StudyInputs(events: [EventSource(.file("events.csv"))], interventions: .file("-"), unitCosts: nil,
                                    windows: StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(12, .months)))

    static let cohortTable = ResultTable(name: "cohort", title: "The cohort before and after", columns: [ResultColumn("people", .integer([12]))])
    static let personList = ResultTable(name: "top_users", title: "Top users", columns: [ResultColumn("person_id", .text(["x"]))])

    @Test("A protected pack without a comparison group: the rule, no person list, the caveat, then the provenance capitalised")
    func protectedPack() throws {
        let cover = try Self.cover(project: "cof.json").cover(tables: [Self.cohortTable])
        #expect(cover.title == "Cost of failure — finance pack")
        let names = cover.entries.map(\.name)
        #expect(Array(names.prefix(5)) == ["Disclosure control", "Person IDs", "Comparison group", "Caveat", "Project file"])
        #expect(cover.entries[0].value == "applied: " + DisclosureRule.nhsEngland.description(marker: "[c]"))
        #expect(cover.entries[1].value == "none: no table in this workbook lists people")
        #expect(cover.entries[2].value == "none")
        #expect(cover.entries[3].value == Caveats.beforeAfter)
        #expect(cover.entries[4].value == "cof.json")
        // The study's provenance follows, each name capitalised: the engine first, the windows among them.
        #expect(names[5] == "Engine" && cover.entries[5].value == "cof \(EngineVersion.current)")
        #expect(names.contains("Windows") && names.contains("Prices"))
        #expect(!cover.entries.contains { $0.value.contains("UNSUPPRESSED") })
    }

    @Test("Unsuppressed, raw IDs and a matched group are each said plainly; one table titles the workbook")
    func warnings() throws {
        let cover = try Self.cover(rule: DisclosureRule(.none), rawIDs: true, group: .matched, pack: false)
            .cover(tables: [Self.personList])
        #expect(cover.title == "Cost of failure — Top users")
        #expect(cover.entries[0].value.hasPrefix("NONE: this workbook is UNSUPPRESSED"))
        #expect(cover.entries[1].value == "RAW IDs (--raw-ids): this workbook identifies people")
        #expect(cover.entries[2].value.hasPrefix("matched from the people without an intervention"))
        #expect(!cover.entries.map(\.name).contains("Caveat"))
        #expect(!cover.entries.map(\.name).contains("Project file"))
    }

    @Test("Pseudonymised people and a comparison group from a file")
    func pseudonymsAndFile() throws {
        let entries = try Self.cover(group: .file(.file("group.csv"))).entries(tables: [Self.cohortTable, Self.personList])
        #expect(entries[1].value.hasPrefix("keyed pseudonyms (HMAC-SHA256"))
        #expect(entries[2].name == "Comparison group" && entries[2].value == "group.csv")
    }
}
