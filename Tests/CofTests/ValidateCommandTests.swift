import Foundation
import Testing

@Suite("cof validate: the duplicate check's temporary file")
struct ValidateCommandTests {
    @Test("Below the memory budget nothing is written: a temporary directory that does not exist is never used")
    func noTemporaryFileBelowBudget() throws {
        let directory = try TemporaryDirectory()
        let rows = (0..<2_000).map { "P\($0 % 40),A&E,attendance,2020-01-\(10 + $0 % 9)\n" }.joined()
        let events = try directory.write("events.csv", "person_id,service,event,date\n" + rows)
        let result = try CofRunner.run(["validate", "--events", events, "--format", "json"],
                                       environment: ["TMPDIR": directory.url.appendingPathComponent("missing").path])
        #expect(result.exitCode == 0, "\(result)")
        // 2,000 rows, 360 of them distinct (person and day repeat every 360).
        #expect(result.out.contains("\"duplicate_rows\": 1640"), "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["events.csv"])
    }
}
