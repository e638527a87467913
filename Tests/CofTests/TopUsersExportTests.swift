import Foundation
import Testing

/// `cof export --table top-users` ranks everyone in the extract in the streaming pass (coding
/// every person) and, with `COF_TABLE_PATH=1`, from the loaded event table: the two must write
/// the same bytes, the same standard error and the same exit code.
@Suite("cof export --table top-users: the streaming pass and the table path write the same bytes")
struct TopUsersExportTests {
    /// The periods ranked over: every date, a span, an open end, and a span with no events.
    static let periods: [[String]] = [[], ["--from", "2021-01-01", "--to", "2022-06-30"], ["--from", "2022-01-01"],
                                      ["--from", "2040-01-01", "--to", "2040-12-31"]]

    @Test("Generated hard studies, with and without --from/--to, CSV and JSON, IDs as they are and pseudonymised",
          arguments: HardStudy.Options.all)
    func hardStudies(_ options: HardStudy.Options) throws {
        let study = try HardStudy(options)
        let files = options.badRows ? [study.rejectsPath] : []
        let key = try study.directory.write("key.txt", "a-pseudonym-key-of-enough-length-0123456789\n")
        for period in Self.periods {
            for format in ["csv", "json"] {
                for ids in [["--raw-ids"], ["--pseudonym-key-file", key]] {
                    do {
                        let top = ids == ["--raw-ids"] ? ["--top", "3"] : []
                        let arguments = ["export"] + study.arguments + ["--table", "top-users", "--format", format] + ids + top + period
                        let result = try StreamingExportTests.expectSamePaths(arguments, stdin: study.stdin, files: files,
                                                                               label: "\(options) \(format) \(ids.first!) \(period)")
                        #expect(result.exitCode == 0, "\(result)")
                    }
                }
            }
        }
        // Everyone, unprotected: treated and untreated people, and none of the intervention's own service.
        let plain = try StreamingExportTests.expectSamePaths(
            ["export"] + study.arguments + ["--table", "top-users", "--format", "csv", "--raw-ids", "--disclosure", "none", "--csv-plain",
                                            "--top", "1000"],
            stdin: study.stdin, files: files, label: "\(options) unprotected")
        #expect(plain.exitCode == 0, "\(plain)")
        let text = String(decoding: plain.stdout, as: UTF8.self)
        #expect(text.contains(",T0") && text.contains(",U0") && !text.contains("\nLM,"), "\(text.prefix(400))")
    }

    @Test("A dataset of cof generate, read in parts on two cores")
    func generatedDataset() throws {
        let directory = try TemporaryDirectory()
        let generated = try CofRunner.run(["generate", "--events", "60000", "--seed", "29", "--people", "3000",
                                           "--intervention-share", "0.3", "--output-dir", directory.path("g")])
        try #require(generated.exitCode == 0, "\(generated)")
        let arguments = ["--events", directory.path("g/events.csv"), "--interventions", directory.path("g/interventions.csv"),
                         "--unit-costs", directory.path("g/unit-costs.csv"), "--services", directory.path("g/services.csv"),
                         "--before", "12m", "--after", "12m", "--raw-ids"]
        for period in Self.periods.prefix(2) {
            for format in ["csv", "json"] {
                let result = try StreamingExportTests.expectSamePaths(["export"] + arguments + ["--table", "top-users", "--format", format] + period,
                                                                       stdin: nil, label: "generated \(format) \(period)")
                #expect(result.exitCode == 0 && result.stdout.count > 1_000, "\(result)")
            }
        }
    }

    @Test("Implausible costs, costs past the ceiling, bad files: the same message and exit code on both paths",
          arguments: StreamingExportTests.Attack.allCases)
    func failures(_ attack: StreamingExportTests.Attack) throws {
        let study = try HardStudy(HardStudy.Options(seed: 7))
        let arguments = try attack.arguments(study)
        let result = try StreamingExportTests.expectSamePaths(["export"] + arguments + ["--table", "top-users", "--format", "json", "--raw-ids"],
                                                               stdin: study.stdin, label: "\(attack)")
        #expect(result.exitCode == attack.exitCode, "\(attack): \(result)")
        if attack.exitCode == 65 {
            #expect(result.errLines.last?.contains(attack.message) == true, "\(attack): \(result)")
        }
    }
}
