import Foundation
import Testing

/// Tables by calendar period against the cohort's windows, attacked as a reader of one
/// published finance pack would: when every treated person's index date is 1 April and the
/// windows are whole years, each agency's before (after) figures are that agency's figures in
/// one financial year, so a by-agency cell withheld must not be readable off the financial
/// years' sheet, nor worked out from the cohort's total with the others read off it.
@Suite("cof: calendar tables do not give back withheld window figures")
struct CalendarTablesDisclosureTests {
    /// A small generated cohort whose every index date is `start` (every 20th person's `other`,
    /// when given).
    private static func cohort(_ directory: TemporaryDirectory, start: String, other: String? = nil) throws -> [String] {
        let generated = try CofRunner.run(["generate", "--events", "20000", "--people", "600", "--intervention-share", "0.07",
                                           "--seed", "21", "--output-dir", directory.url.path])
        try #require(generated.exitCode == 0, "\(generated)")
        let path = directory.path("interventions.csv")
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for index in lines.indices.dropFirst() where !lines[index].isEmpty {
            var fields = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[1] = other.map { index % 20 == 0 ? $0 : start } ?? start
            lines[index] = fields.joined(separator: ",")
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return ["--events", directory.path("events.csv"), "--interventions", path,
                "--unit-costs", directory.path("unit-costs.csv"), "--services", directory.path("services.csv"),
                "--before", "12m", "--after", "12m", "--observation-end", "2024-03-31", "--quiet"]
    }

    /// The rows of `name` in a JSON export.
    private static func rows(_ tables: [[String: Any]], _ name: String) throws -> [[String: Any]] {
        try #require(tables.first { $0["name"] as? String == name }?["rows"] as? [[String: Any]])
    }

    /// A published figure, or `nil` when withheld.
    private static func figure(_ value: Any?) -> Double? { value as? Double ?? (value as? Int).map(Double.init) }

    @Test("Windows of whole financial years, or nearly (a day or two weeks off, or one person in twenty elsewhere): a withheld agency figure is withheld in its year too, and the cohort total does not give one back",
          arguments: [("2022-04-01", nil), ("2022-04-02", nil), ("2022-04-15", nil), ("2022-04-01", "2022-07-01")] as [(String, String?)])
    func financialYears(start: String, other: String?) throws {
        let directory = try TemporaryDirectory()
        let study = try Self.cohort(directory, start: start, other: other)
        let pack = try CofRunner.run(["export", "--table", "finance", "--format", "json"] + study)
        try #require(pack.exitCode == 0, "\(pack)")
        let tables = try #require(try JSONSerialization.jsonObject(with: pack.stdout) as? [[String: Any]])
        let agencies = try Self.rows(tables, "cohort_by_agency"), years = try Self.rows(tables, "consumption_by_financial_year")
        let cohort = try Self.rows(tables, "cohort")[0]
        var withheld = 0
        for (window, year) in [("before", "2021-22"), ("after", "2022-23")] {
            for measure in ["cost", "events"] {
                // What a reader learns of each agency: its window figure, else the sum of its
                // cells in the year when every one of them is published.
                var known: [String: Double] = [:]
                for agency in agencies {
                    let name = agency["agency"] as! String
                    let cells = years.filter { $0["financial_year"] as? String == year && $0["agency"] as? String == name }
                    let fromYear = cells.isEmpty ? nil : cells.map { Self.figure($0[measure]) }.reduce(Double?(0)) { sum, cell in sum.flatMap { s in cell.map { s + $0 } } }
                    guard let direct = Self.figure(agency["\(window)_\(measure)"]) else {
                        withheld += 1
                        #expect(fromYear == nil, "\(name) \(window)_\(measure) is withheld but its \(year) cells are all published")
                        continue
                    }
                    known[name] = direct
                }
                // The cohort's total less every agency known: never one agency's figure alone.
                if measure == "cost", let total = Self.figure(cohort["\(window)_cost"]) {
                    #expect(agencies.count - known.count != 1, "one withheld agency \(window) cost is the total \(total) less the others")
                }
            }
        }
        #expect(withheld > 0, "nothing withheld: the test says nothing")
    }
}
