import Foundation
import Testing

/// Golden files: the outputs people and tools read, byte for byte, in `Fixtures/golden/`. A
/// change to any of them shows in review as a diff of the file. Run with `COF_UPDATE_GOLDEN=1`
/// to write the files anew after a deliberate change (and read the diff before committing).
@Suite("golden files")
struct GoldenFileTests {
    static let folder = CofRunner.repositoryRoot.appendingPathComponent("Fixtures/golden")

    /// One output: its file name and the arguments that make it (on John, or on the generated
    /// cohort written to `{cohort}`).
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var arguments: [String]
        var testDescription: String { file }
    }

    /// The cohort: 3,000 seeded synthetic events, enough people for suppression to act on some
    /// cells and not on others.
    static let cohort = ["--events", "{cohort}/events.csv", "--interventions", "{cohort}/interventions.csv",
                         "--unit-costs", "{cohort}/unit-costs.csv", "--services", "{cohort}/services.csv",
                         "--before", "12m", "--after", "12m", "--observation-end", "2024-03-31", "--quiet"]

    static let cases: [Case] = [
        // The compare contract, as other tools read it.
        Case(file: "john-compare.csv", arguments: ["compare"] + CofRunner.johnStudy(services: true) + ["--format", "csv", "--quiet"]),
        Case(file: "john-compare.json", arguments: ["compare"] + CofRunner.johnStudy(services: true) + ["--format", "json", "--quiet"]),
        Case(file: "john-compare.md", arguments: ["compare"] + CofRunner.johnStudy(services: true) + ["--format", "md", "--quiet"]),
        // Exports of the cohort as they leave the engine: suppressed, Excel's CSV and plain.
        Case(file: "cohort-by-service.csv", arguments: ["export", "--table", "by-service", "--format", "csv"] + cohort),
        Case(file: "cohort-by-service-plain.csv", arguments: ["export", "--table", "by-service", "--format", "csv", "--csv-plain"] + cohort),
        Case(file: "cohort-by-category.md", arguments: ["export", "--table", "by-category", "--format", "md"] + cohort),
        Case(file: "cohort-finance-pack.json", arguments: ["export", "--table", "finance", "--format", "json"] + cohort),
    ]

    @Test("each output equals its golden file", arguments: cases)
    func golden(_ golden: Case) throws {
        // The cohort is generated afresh for each case (3,000 rows: milliseconds), seeded.
        let folder = try TemporaryDirectory()
        let generated = try CofRunner.run(["generate", "--events", "3000", "--seed", "11", "--output-dir", folder.url.path])
        try #require(generated.exitCode == 0, "\(generated)")
        let arguments = golden.arguments.map { $0.replacingOccurrences(of: "{cohort}", with: folder.url.path) }
        let result = try CofRunner.run(arguments)
        try #require(result.exitCode == 0, "\(result)")
        let file = Self.folder.appendingPathComponent(golden.file)
        if ProcessInfo.processInfo.environment["COF_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try result.stdout.write(to: file)
            return
        }
        let expected = try #require(FileManager.default.contents(atPath: file.path), "no golden file \(golden.file): run with COF_UPDATE_GOLDEN=1")
        #expect(result.stdout == expected, "\(golden.file) differs from the golden file; if the change is meant, run with COF_UPDATE_GOLDEN=1 and review the diff")
    }
}
