import Foundation
import Testing

/// `cof report` and `cof export` on figures near the limits of 64-bit pence: exit 65 with a
/// message that names the figure (never the person), and no output file — never a trap.
@Suite("cof on near-limit figures")
struct ExtremeValuesCommandTests {
    static let person = "SECRET-PERSON-77"

    /// A small study whose recorded intervention costs (a thousand rows of the largest amount the
    /// ingester reads, £99,999,999,999,999.99, for one person) do not fit together: they once
    /// overflowed a sum and crashed the process.
    static func study(_ directory: TemporaryDirectory) throws -> [String] {
        let events = try directory.write("events.csv", """
            person_id,service,event,date,quantity,cost
            \(person),A&E,attendance,2023-01-10,1,
            \(person),A&E,attendance,2023-06-10,1,
            SECRET-PERSON-88,Police,arrest,2023-02-10,1,

            """)
        var interventions = "person_id,start_date,cost\n"
        for _ in 0..<1_000 { interventions += "\(person),2023-05-01,99999999999999.99\n" }
        interventions += "SECRET-PERSON-88,2023-05-01,100\n"
        let interventionsPath = try directory.write("interventions.csv", interventions)
        let unitCosts = try directory.write("unit-costs.csv", "service,event,unit_cost\nA&E,*,100\nPolice,*,200\n")
        return ["--events", events, "--interventions", interventionsPath, "--unit-costs", unitCosts, "--before", "6m", "--after", "6m"]
    }

    /// Every command's arguments, with the output file it must not leave behind (if any).
    static let commands: [(arguments: [String], output: String?)] = [
        (["report"], nil),
        (["report", "--html", "report.html"], "report.html"),
        (["report", "--person", person], nil),
        (["export", "--table", "appraisal", "--format", "xlsx", "--output", "appraisal.xlsx"], "appraisal.xlsx"),
        (["export", "--table", "financial-years", "--format", "xlsx", "--output", "years.xlsx"], "years.xlsx"),
        (["export", "--table", "intervention-by-year", "--format", "xlsx", "--output", "intervention.xlsx"], "intervention.xlsx"),
        (["export", "--format", "xlsx", "--output", "pack.xlsx"], "pack.xlsx"),
    ]

    @Test("Exit 65 naming the figure, no person ID, no output file", arguments: commands.indices)
    func refused(index: Int) throws {
        let (arguments, output) = Self.commands[index]
        let directory = try TemporaryDirectory()
        let study = try Self.study(directory)
        let result = try CofRunner.run(arguments + study, in: directory.url)
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.err.contains("overflow: the events' and the interventions' recorded costs taken together"), "\(result)")
        #expect(!result.err.contains("SECRET-PERSON"), "\(result)")
        #expect(!result.err.contains("Backtracing") && !result.err.contains("Registers"), "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        if let output {
            #expect(!FileManager.default.fileExists(atPath: directory.path(output)), "\(output) was written")
        }
        // Nothing but the inputs is left in the directory (no partial or temporary file).
        #expect(try directory.contents() == ["events.csv", "interventions.csv", "unit-costs.csv"])
    }

    @Test("A fault, should one still happen, prints one fixed line and no data: exit 70")
    func faultShowsNoData() throws {
        // cof waits on standard input (a pipe nobody writes) while it is sent the signal a
        // Swift trap raises.
        let directory = try TemporaryDirectory()
        let study = try Self.study(directory)
        let process = Process()
        process.executableURL = try CofRunner.locate()
        process.arguments = ["compare"] + study.map { $0.hasSuffix("events.csv") ? "-" : $0 }
        let input = Pipe(), errors = directory.url.appendingPathComponent("stderr")
        try Data().write(to: errors)
        let errorHandle = try FileHandle(forWritingTo: errors)
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorHandle
        var environment = ProcessInfo.processInfo.environment
        environment["COF_CRASH_REPORT"] = nil
        process.environment = environment
        try process.run()
        // Wait until it has started reading (it is then blocked on the pipe, its handler set).
        for _ in 0..<200 where !Self.isSleeping(process.processIdentifier) { usleep(25_000) }
        usleep(200_000)
        kill(process.processIdentifier, SIGILL)
        process.waitUntilExit()
        try errorHandle.close()
        try input.fileHandleForWriting.close()
        let text = String(decoding: try Data(contentsOf: errors), as: UTF8.self)
        #expect(process.terminationReason == .exit && process.terminationStatus == 70, "\(process.terminationReason) \(process.terminationStatus): \(text)")
        #expect(text.hasSuffix("cof: internal error: the program stopped on a fault (no data is shown); please report it with the command line, not the data\n"), "\(text)")
        #expect(!text.contains("SECRET-PERSON") && !text.contains("Registers"), "\(text)")
    }

    /// Whether process `pid` is asleep (state `S` in `/proc/PID/stat`).
    static func isSleeping(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("S")
    }
}
