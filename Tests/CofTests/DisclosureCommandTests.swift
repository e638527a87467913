import Foundation
import Testing

/// Disclosure control through the binary: whatever the command or format, cohort tables that
/// leave the terminal are protected the same way.
@Suite("cof: disclosure control of cohort tables")
struct DisclosureCommandTests {
    /// A generated cohort dense enough that some cells are published and some withheld.
    private static func cohort(_ directory: TemporaryDirectory) throws -> [String] {
        let generated = try CofRunner.run(["generate", "--events", "15000", "--people", "300", "--intervention-share", "0.25",
                                           "--seed", "7", "--output-dir", directory.url.path])
        try #require(generated.exitCode == 0, "\(generated)")
        return ["--events", directory.path("events.csv"), "--interventions", directory.path("interventions.csv"),
                "--unit-costs", directory.path("unit-costs.csv"), "--services", directory.path("services.csv"),
                "--before", "12m", "--after", "12m", "--quiet"]
    }

    @Test("A table written alone withholds what the finance pack withholds, through every command and format")
    func oneSystem() throws {
        let directory = try TemporaryDirectory()
        let study = try Self.cohort(directory)
        let pack = try CofRunner.run(["export", "--table", "finance", "--format", "json"] + study)
        try #require(pack.exitCode == 0, "\(pack)")
        let tables = try #require(try JSONSerialization.jsonObject(with: pack.stdout) as? [[String: Any]])
        let packRows = try #require(tables.first { $0["name"] as? String == "cohort_by_service" }?["rows"] as? [[String: Any]])
        let alone = try CofRunner.run(["export", "--table", "by-service", "--format", "json"] + study)
        let aloneRows = try #require(try JSONSerialization.jsonObject(with: alone.stdout) as? [[String: Any]])
        #expect(NSArray(array: aloneRows).isEqual(to: packRows))
        // Something is withheld and something is published: the test says something.
        let text = String(decoding: alone.stdout, as: UTF8.self)
        #expect(text.contains("[c]") && text.firstMatch(of: /"before_cost":\s*"?[1-9]/) != nil, "\(text.prefix(600))")
        // cof compare --by service into a pipe: the same cells withheld as the export's (plain CSV both).
        let compare = try CofRunner.run(["compare", "--by", "service", "--format", "csv"] + study)
        let export = try CofRunner.run(["export", "--table", "by-service", "--format", "csv", "--csv-plain"] + study)
        try #require(compare.exitCode == 0 && export.exitCode == 0, "\(compare)\(export)")
        #expect(compare.out == export.out)
        // The default table format into a pipe is protected too.
        let table = try CofRunner.run(["export", "--table", "by-service"] + study)
        #expect(table.out.contains("[c]") && table.out.contains("[disclosure: nhs-england, threshold 7]"))
    }

    @Test("The audit file holds the exact figures, 0600; the audit of the pack passes in the engine's own terms")
    func auditFile() throws {
        let directory = try TemporaryDirectory()
        let study = try Self.cohort(directory)
        let audit = directory.path("audit.json")
        let result = try CofRunner.run(["export", "--table", "finance", "--format", "json", "--output", directory.path("pack.json"),
                                        "--disclosure-audit", audit] + study)
        try #require(result.exitCode == 0, "\(result)")
        let attributes = try FileManager.default.attributesOfItem(atPath: audit)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: audit))) as? [String: Any])
        let cells = try #require(json["cells"] as? [[String: Any]])
        let relations = try #require(json["relations"] as? [[String: Any]])
        #expect(!relations.isEmpty)
        // Every withheld cell is in the file with its exact value; published counts are rounded to 5.
        #expect(cells.contains { $0["published"] is NSNull })
        for cell in cells where (cell["kind"] as? String) == "count" {
            if let shown = cell["published"] as? Int { #expect(shown % 5 == 0) }
        }
    }

    @Test("ons-srs: counts under 10 withheld and the rest exact; none: exact and marked")
    func ruleSets() throws {
        let directory = try TemporaryDirectory()
        let study = try Self.cohort(directory)
        let ons = try CofRunner.run(["export", "--table", "by-category", "--format", "csv", "--csv-plain", "--disclosure", "ons-srs"] + study)
        try #require(ons.exitCode == 0, "\(ons)")
        let none = try CofRunner.run(["export", "--table", "by-category", "--format", "csv", "--csv-plain", "--disclosure", "none"] + study)
        #expect(none.err.contains("disclosure control is off"))
        let md = try CofRunner.run(["export", "--table", "by-category", "--format", "md", "--disclosure", "ons-srs"] + study)
        #expect(md.out.contains("[disclosure: ons-srs, threshold 9]"))
        // A count published under ons-srs is exact and at least 10; under none the same count.
        let onsRows = ons.out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let exactRows = none.out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let people = try #require(onsRows.first?.firstIndex(of: "people"))
        var published = 0
        for (row, exact) in zip(onsRows.dropFirst(), exactRows.dropFirst()) where row[people] != "[c]" {
            #expect(row[people] == exact[people])
            #expect((Int(row[people]) ?? 0) >= 10)
            published += 1
        }
        #expect(published > 0)
    }

    @Test("A marker that a spreadsheet would run, or that breaks a CSV, is refused with 64")
    func marker() throws {
        for marker in ["=HYPERLINK(1)", "+1", "-", "@x", "a,b", "a\"b", "x\ny"] {
            let result = try CofRunner.run(["export", "--project", CofRunner.fixture("cof.json"), "--suppression-marker", marker])
            #expect(result.exitCode == 64, "\(marker.debugDescription): \(result)")
        }
        let good = try CofRunner.run(["export", "--project", CofRunner.fixture("cof.json"), "--suppression-marker", "*", "--quiet", "--format", "csv", "--csv-plain", "--table", "by-service"])
        #expect(good.exitCode == 0 && good.out.contains(",*,"), "\(good)")
    }
}
