import Foundation
import Testing

/// `--format` left out: the output file's extension names the format, as an analyst naming a
/// file `people.csv` expects; a text table for reading is never written into a `.csv`.
@Suite("cof: the output file's extension names the format")
struct OutputFormatCommandTests {
    /// Runs `arguments` with `--output` set to `name` in a fresh folder; returns the file's bytes.
    func written(_ arguments: [String], name: String) throws -> (result: CofRunner.Result, bytes: Data) {
        let folder = try TemporaryDirectory()
        let path = folder.url.appendingPathComponent(name).path
        let result = try CofRunner.run(arguments + ["--output", path])
        return (result, (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
    }

    @Test("compare: .csv, .json and .md (any case) write what --format csv, json and md write")
    func compareByExtension() throws {
        let study = ["compare"] + CofRunner.johnStudy()
        for (name, format) in [("people.csv", "csv"), ("PEOPLE.CSV", "csv"), ("people.json", "json"), ("people.md", "md")] {
            let inferred = try written(study, name: name)
            let given = try written(study + ["--format", format], name: "given")
            #expect(inferred.result.exitCode == 0, "\(name): \(inferred.result.err)")
            #expect(!inferred.bytes.isEmpty && inferred.bytes == given.bytes, "\(name) is not \(format)")
        }
    }

    @Test("any other name, or no extension, gets the table for reading; a given --format wins over the extension")
    func otherNamesAndGivenFormat() throws {
        let study = ["compare"] + CofRunner.johnStudy()
        let table = try written(study + ["--format", "table"], name: "given")
        #expect(!table.bytes.isEmpty)
        for name in ["people.txt", "people", "people.csv.bak"] {
            #expect(try written(study, name: name).bytes == table.bytes, "\(name)")
        }
        #expect(try written(study + ["--format", "table"], name: "people.csv").bytes == table.bytes)
    }

    @Test("compare --output FILE.xlsx is refused as --format xlsx is (a workbook is cof export's); export --output FILE.xlsx writes the finance pack")
    func workbooks() throws {
        let refused = try written(["compare"] + CofRunner.johnStudy(), name: "people.xlsx")
        #expect(refused.result.exitCode == 64)
        #expect(refused.bytes.isEmpty)
        let pack = try written(["export"] + CofRunner.johnStudy(services: true) + ["--quiet"], name: "pack.xlsx")
        #expect(pack.result.exitCode == 0, "\(pack.result.err)")
        #expect(pack.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "not a ZIP (a workbook)")
        let given = try written(["export"] + CofRunner.johnStudy(services: true) + ["--quiet", "--format", "xlsx"], name: "given")
        #expect(try workbookParts(pack.bytes)["xl/workbook.xml"] == workbookParts(given.bytes)["xl/workbook.xml"])
    }

    @Test("validate: a file named .json gets the JSON report")
    func validateJSON() throws {
        let arguments = ["validate", "--events", CofRunner.fixture("events.csv"), "--observation-end", "2024-03-31"]
        let json = try written(arguments, name: "report.json")
        #expect(json.result.exitCode == 0, "\(json.result.err)")
        #expect(try JSONSerialization.jsonObject(with: json.bytes) is [String: Any])
        #expect(try written(arguments + ["--format", "json"], name: "given").bytes == json.bytes)
    }
}
