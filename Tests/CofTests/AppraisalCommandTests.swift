import Foundation
import Testing

/// The appraisal's options and figures across the commands that show it: `cof report` (text to
/// a file), its HTML and the finance pack's appraisal table give the same figures for the same
/// options.
@Suite("cof appraisal options")
struct AppraisalCommandTests {
    /// A generated cohort (with a comparison group when `comparisonShare` > 0) and the study flags for it.
    static func cohort(_ folder: TemporaryDirectory, comparisonShare: String = "0") throws -> [String] {
        let generated = try CofRunner.run(["generate", "--events", "3000", "--seed", "11", "--comparison-share", comparisonShare,
                                           "--output-dir", folder.url.path])
        try #require(generated.exitCode == 0, "\(generated)")
        let path = folder.url.path
        return ["--events", "\(path)/events.csv", "--interventions", "\(path)/interventions.csv",
                "--unit-costs", "\(path)/unit-costs.csv", "--services", "\(path)/services.csv",
                "--before", "12m", "--after", "12m", "--observation-end", "2024-03-31", "--quiet"]
            + (comparisonShare == "0" ? [] : ["--comparison", "\(path)/comparison.csv"])
    }

    /// `text`'s figure as a plain number (no `£`, no thousands separators), or its text.
    static func plain(_ text: String) -> String {
        let value = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "£", with: "")
        if value == "null" { return "–" }
        let number = value.replacingOccurrences(of: ",", with: "")
        return Double(number) != nil ? number : value
    }

    /// The appraisal's figures by name (underscores as spaces) from each output.
    static func fromJSON(_ json: String) -> [String: String] {
        var figures: [String: String] = [:]
        let pattern = try! NSRegularExpression(pattern: #""([a-z0-9_]+)": ("[^"]*"|[^,}\n]+)"#)
        for match in pattern.matches(in: json, range: NSRange(json.startIndex..., in: json)) {
            let name = String(json[Range(match.range(at: 1), in: json)!]).replacingOccurrences(of: "_", with: " ")
            var value = String(json[Range(match.range(at: 2), in: json)!])
            if value.hasPrefix("\"") { value = String(value.dropFirst().dropLast()) }
            figures[name] = plain(value)
        }
        return figures
    }

    static func fromText(_ text: String) throws -> [String: String] {
        let section = try #require(text.components(separatedBy: "Green Book appraisal (").dropFirst().first)
        var figures: [String: String] = [:]
        for line in section.split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            guard line.hasPrefix("  ") else { break }
            let parts = line.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ").filter { !$0.isEmpty }
            guard parts.count == 2 else { continue }
            figures[parts[0]] = plain(parts[1])
        }
        return figures
    }

    static func fromHTML(_ html: String) throws -> [String: String] {
        let table = try #require(html.components(separatedBy: "<caption>Green Book appraisal").dropFirst().first?.components(separatedBy: "</table>").first)
        var figures: [String: String] = [:]
        let pattern = try NSRegularExpression(pattern: #"<th scope="row">([^<]+)</th><td[^>]*>([^<]*)</td>"#)
        for match in pattern.matches(in: table, range: NSRange(table.startIndex..., in: table)) {
            figures[String(table[Range(match.range(at: 1), in: table)!])] = plain(String(table[Range(match.range(at: 2), in: table)!]))
        }
        return figures
    }

    static let options = ["--years", "3", "--persistence", "80%", "--recurring-cost", "£50", "--optimism-bias-costs", "20%",
                          "--optimism-bias-benefits", "10%"]

    @Test("report, HTML and finance pack give the same appraisal for the same options", arguments: [
        (comparisonShare: "0", extra: ["--deadweight", "30%"]),
        (comparisonShare: "0.3", extra: []),
    ])
    func identical(_ setup: (comparisonShare: String, extra: [String])) throws {
        let folder = try TemporaryDirectory()
        let study = try Self.cohort(folder, comparisonShare: setup.comparisonShare) + Self.options + setup.extra
        let export = try CofRunner.run(["export", "--table", "appraisal", "--format", "json"] + study)
        try #require(export.exitCode == 0, "\(export)")
        let text = folder.url.appendingPathComponent("report.txt").path, html = folder.url.appendingPathComponent("report.html").path
        let report = try CofRunner.run(["report", "--output", text] + study)
        try #require(report.exitCode == 0, "\(report)")
        let page = try CofRunner.run(["report", "--html", html] + study)
        try #require(page.exitCode == 0, "\(page)")
        let fromExport = Self.fromJSON(export.out)
        let fromReport = try Self.fromText(try String(contentsOfFile: text, encoding: .utf8))
        let fromPage = try Self.fromHTML(try String(contentsOfFile: html, encoding: .utf8))
        #expect(fromExport.count >= 30, "\(fromExport)")
        #expect(fromReport == fromExport)
        #expect(fromPage == fromExport)
        #expect(fromExport["years"] == "3" && fromExport["persistence percent"] == "80.00")
        #expect(fromExport["optimism bias costs percent"] == "20.00" && fromExport["optimism bias benefits percent"] == "10.00")
        #expect(fromExport["recurring cost per person year"] == "50.00")
        if setup.comparisonShare == "0" {
            #expect(fromExport["deadweight"] == "30% assumed, not measured")
            #expect(fromExport["probability npv positive"] == "–")
        } else {
            #expect(fromExport["deadweight"] == "comparison group (difference in differences)")
            #expect(fromExport["probability npv positive"] != "–")
        }
    }

    @Test("--optimism-bias is the benefits' one; bad shares and amounts are usage errors")
    func optionChecks() throws {
        let folder = try TemporaryDirectory()
        let study = try Self.cohort(folder)
        let old = try CofRunner.run(["export", "--table", "appraisal", "--format", "json", "--optimism-bias", "15"] + study)
        try #require(old.exitCode == 0, "\(old)")
        #expect(Self.fromJSON(old.out)["optimism bias benefits percent"] == "15.00")
        for bad in [["--optimism-bias", "10", "--optimism-bias-benefits", "10"], ["--persistence", "120%"], ["--deadweight", "-5"],
                    ["--recurring-cost", "-£5"], ["--recurring-cost", "lots"], ["--persistence", "12.345"], ["--years", "0"]] {
            let result = try CofRunner.run(["export", "--table", "appraisal", "--format", "json"] + study + bad)
            #expect(result.exitCode == 64, "\(bad): \(result)")
        }
        let other = try TemporaryDirectory()
        let both = try Self.cohort(other, comparisonShare: "0.3")
        let result = try CofRunner.run(["report", "--output", folder.url.appendingPathComponent("r.txt").path, "--deadweight", "20"] + both)
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.err.contains("--deadweight"))
    }
}
