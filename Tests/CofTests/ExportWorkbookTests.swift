import Foundation
import Testing

/// `cof export`'s finance pack: the workbook and the pack in the other formats.
@Suite("cof export: the finance pack")
struct ExportWorkbookTests {
    static let pack = ["export", "--project", CofRunner.fixture("cof.json"), "--quiet"]

    /// The XML parts of the workbook's `bytes`.
    func parts(of bytes: Data) throws -> [String: String] { try workbookParts(bytes) }

    /// Exports the pack as a workbook into a temporary directory: the run and the file's bytes.
    func workbook(_ extra: [String] = []) throws -> (result: CofRunner.Result, bytes: Data) {
        let directory = try TemporaryDirectory()
        let path = directory.path("pack.xlsx")
        let result = try CofRunner.run(Self.pack + ["--format", "xlsx", "--output", path] + extra)
        return (result, (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
    }

    @Test("--format xlsx writes the finance pack: a cover, then a sheet per table, small numbers suppressed")
    func financePack() throws {
        let (result, bytes) = try workbook()
        try #require(result.exitCode == 0, "\(result)")
        #expect(result.stdout.isEmpty)
        let parts = try parts(of: bytes)
        let workbook = try #require(parts["xl/workbook.xml"])
        let names = workbook.components(separatedBy: "<sheet name=\"").dropFirst().map { $0.components(separatedBy: "\"")[0] }
        #expect(names == ["Cover", "cohort", "cohort_by_service", "cohort_by_category", "cohort_by_agency",
                          "consumption_by_financial_year", "intervention_by_financial_year", "appraisal", "use_change"])
        let strings = try #require(parts["xl/sharedStrings.xml"])
        #expect(strings.contains("Cost of failure — finance pack"))
        #expect(strings.contains("applied: nhs-england: counts of 1 to 7 show as [c], other counts are rounded to the nearest 5"))
        #expect(strings.contains("none: no table in this workbook lists people"))
        #expect(strings.contains("a before/after change is not an effect"))
        #expect(!strings.contains("UNSUPPRESSED"))
        #expect(!strings.contains("JOHN-0001"))
        // John is one person: every money figure of the by-service sheet rests on him alone.
        let byService = try #require(parts["xl/worksheets/sheet3.xml"])
        #expect(byService.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(byService.contains(#"<autoFilter ref="A1:P13"/>"#))  // with left_out_events and left_out_people
        // Money cells hold nothing but zeros (no one's use in that window); the rest are withheld.
        #expect(byService.components(separatedBy: #" s="2"><v>"#).count == byService.components(separatedBy: #" s="2"><v>0.00</v>"#).count)
    }

    @Test("--no-suppression: the cover says UNSUPPRESSED, and a money cell equals the CSV export's")
    func unsuppressed() throws {
        let (result, bytes) = try workbook(["--no-suppression"])
        try #require(result.exitCode == 0, "\(result)")
        let parts = try parts(of: bytes)
        let strings = try #require(parts["xl/sharedStrings.xml"])
        #expect(strings.contains("NONE: this workbook is UNSUPPRESSED (--disclosure none)"))
        let csv = try CofRunner.run(Self.pack + ["--table", "by-service", "--format", "csv", "--csv-plain", "--no-suppression"])
        let records = try CSV.records(csv.out)
        let accidentAndEmergency = try #require(records.rows.first { $0["service"] == "A&E" })
        let beforeCost = try #require(accidentAndEmergency["before_cost"])
        #expect(records.header[6] == "before_cost")
        // A&E is the first row of the by-service sheet; before_cost its seventh column (G),
        // after the service, its category and agency, people and the two event counts.
        #expect(parts["xl/worksheets/sheet3.xml"]?.contains(#"<c r="G2" s="2"><v>\#(beforeCost)</v></c>"#) == true, "\(beforeCost)")
    }

    @Test("the same inputs give the same workbook, byte for byte")
    func deterministic() throws {
        let first = try workbook().bytes
        let second = try workbook().bytes
        #expect(!first.isEmpty && first == second)
    }

    @Test("a workbook goes to a redirected standard output too; one table can be a workbook")
    func standardOutput() throws {
        let result = try CofRunner.run(Self.pack + ["--format", "xlsx", "--table", "by-agency"])
        try #require(result.exitCode == 0, "\(result)")
        let parts = try parts(of: result.stdout)
        #expect(parts["xl/workbook.xml"]?.contains(#"<sheet name="cohort_by_agency" sheetId="2" r:id="rId2"/></sheets>"#) == true)
    }

    @Test("the pack in JSON is an array of table objects; in Markdown one section per table; CSV refuses it")
    func otherFormats() throws {
        let json = try CofRunner.run(Self.pack + ["--table", "finance", "--format", "json"])
        try #require(json.exitCode == 0, "\(json)")
        let tables = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [[String: Any]])
        #expect(tables.map { $0["name"] as? String } == ["cohort", "cohort_by_service", "cohort_by_category", "cohort_by_agency",
                                                           "consumption_by_financial_year", "intervention_by_financial_year", "appraisal", "use_change"])
        let markdown = try CofRunner.run(Self.pack + ["--table", "finance", "--format", "md"])
        #expect(markdown.out.components(separatedBy: "\n**").count == 8)
        let csv = try CofRunner.run(Self.pack + ["--table", "finance", "--format", "csv"])
        #expect(csv.exitCode == 64, "\(csv)")
        #expect(csv.err.contains("a CSV holds one table: give --table NAME or --format xlsx"))
        // Without --table, CSV is still the cohort table.
        let cohort = try CofRunner.run(Self.pack + ["--format", "csv", "--csv-plain"])
        #expect(cohort.out.hasPrefix("people,person_years_before,"))
    }

    @Test("cof compare has no workbook: its table is person-level and unsuppressed")
    func compareRefuses() throws {
        let result = try CofRunner.run(["compare", "--project", CofRunner.fixture("cof.json"), "--format", "xlsx", "--quiet"])
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.stdout.isEmpty)
    }
}
