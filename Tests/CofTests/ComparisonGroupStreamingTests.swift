import Foundation
import Testing

/// `cof export` and `cof report` with a comparison group (`--comparison FILE` or
/// `--match-comparison`) run on the streaming pass, the group's analysis made from everyone's
/// events the pass keeps; `COF_TABLE_PATH=1` loads the event table and the group from a study
/// instead. For any input the two must write the same bytes, the same standard error and the
/// same exit code.
@Suite("cof export and report with a comparison group: the streaming pass and the table path write the same bytes")
struct ComparisonGroupStreamingTests {
    /// A generated dataset with a comparison file, custody (prison nights leave exposure) and
    /// deaths (a hospital event ends it), so that windows lose days; `end` cuts after windows.
    static func study(seed: Int, directory: TemporaryDirectory, end: String?) throws -> [String] {
        let generated = try CofRunner.run(["generate", "--events", "5000", "--seed", "\(seed)", "--people", "220",
                                           "--intervention-share", "0.25", "--comparison-share", "0.3", "--output-dir", directory.path("g")])
        try #require(generated.exitCode == 0, "\(generated)")
        let services = try String(contentsOfFile: directory.path("g/services.csv"), encoding: .utf8)
        var lines = services.split(separator: "\n").map(String.init)
        lines[0] += ",exposure"
        for i in 1..<lines.count {
            lines[i] += lines[i].hasPrefix("Prison,") ? ",removes" : lines[i].hasPrefix("Hospital,") ? ",ends" : ","
        }
        let marked = try directory.write("services.csv", lines.joined(separator: "\n") + "\n")
        return ["--events", directory.path("g/events.csv"), "--interventions", directory.path("g/interventions.csv"),
                "--unit-costs", directory.path("g/unit-costs.csv"), "--services", marked, "--before", "12m", "--after", "12m",
                "--resamples", "200", "--seed", "\(seed)"] + (end.map { ["--observation-end", $0] } ?? [])
    }

    @Test("did, placebo, balance (CSV), the finance pack (workbook, JSON), the report (text, HTML): a comparison file and a matched group",
          arguments: [(1, "2021-06-30"), (2, nil), (3, "2019-12-31")] as [(Int, String?)])
    func sameBytes(seed: Int, end: String?) throws {
        let directory = try TemporaryDirectory()
        let arguments = try Self.study(seed: seed, directory: directory, end: end)
        for group in [["--comparison", directory.path("g/comparison.csv")], ["--match-comparison"]] {
            let label = "seed \(seed) \(group[0]) end \(end ?? "default")"
            for table in ["did", "placebo", "balance"] {
                for disclosure in [["--disclosure", "none", "--raw-ids"], []] {
                    let result = try StreamingExportTests.expectSamePaths(["export"] + arguments + group + disclosure + ["--table", table, "--format", "csv"],
                                                                           stdin: nil, label: "\(label) \(table) \(disclosure)")
                    #expect(result.exitCode == 0, "\(label): \(result)")
                    #expect(!result.stdout.isEmpty)
                }
            }
            let workbook = directory.path("pack.xlsx")
            let pack = try StreamingExportTests.expectSamePaths(["export"] + arguments + group + ["--format", "xlsx", "--output", workbook],
                                                                stdin: nil, files: [workbook], label: "\(label) workbook")
            #expect(pack.exitCode == 0, "\(label): \(pack)")
            let json = try StreamingExportTests.expectSamePaths(["export"] + arguments + group + ["--table", "finance", "--format", "json"],
                                                                stdin: nil, label: "\(label) finance json")
            #expect(json.exitCode == 0 && String(decoding: json.stdout, as: UTF8.self).contains("difference_in_differences"), "\(label): \(json)")
            let report = try StreamingExportTests.expectSamePaths(["report"] + arguments + group, stdin: nil, label: "\(label) report")
            #expect(report.exitCode == 0, "\(label): \(report)")
            let page = directory.path("report.html")
            let html = try StreamingExportTests.expectSamePaths(["report"] + arguments + group + ["--html", page], stdin: nil, files: [page],
                                                                label: "\(label) report html")
            #expect(html.exitCode == 0, "\(label): \(html)")
        }
    }

    @Test("A treated person in the comparison file, a missing comparison file: the same message and exit code on both paths")
    func badComparisonFile() throws {
        let directory = try TemporaryDirectory()
        let arguments = try Self.study(seed: 4, directory: directory, end: nil)
        let interventions = try String(contentsOfFile: directory.path("g/interventions.csv"), encoding: .utf8).split(separator: "\n")
        let treated = String(interventions[1].split(separator: ",")[0])
        let comparison = try String(contentsOfFile: directory.path("g/comparison.csv"), encoding: .utf8)
        let both = try directory.write("both.csv", comparison + "\(treated),2020-01-01\n")
        let refused = try StreamingExportTests.expectSamePaths(["export"] + arguments + ["--comparison", both, "--table", "did"],
                                                               stdin: nil, label: "treated in the comparison file")
        #expect(refused.exitCode == 65, "\(refused)")
        let missing = try StreamingExportTests.expectSamePaths(["export"] + arguments + ["--comparison", directory.path("none.csv"), "--table", "did"],
                                                               stdin: nil, label: "missing comparison file")
        #expect(missing.exitCode == 66, "\(missing)")
    }
}
