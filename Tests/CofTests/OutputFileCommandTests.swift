import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

extension CofRunner {
    /// Runs `cof` with `arguments` from `/bin/sh -c script`, where the script runs the command as
    /// `"$@"` (so it can set a umask or redirect standard output first); standard output and
    /// error are captured unless the script redirects them.
    static func runInShell(_ script: String, _ arguments: [String]) throws -> Result {
        let scratch = try TemporaryDirectory()
        let outURL = scratch.url.appendingPathComponent("stdout"), errURL = scratch.url.appendingPathComponent("stderr")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh", try locate().path] + arguments
        process.currentDirectoryURL = scratch.url
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? outHandle.close(); try? errHandle.close() }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Result(exitCode: process.terminationStatus, stdout: try Data(contentsOf: outURL), stderr: try Data(contentsOf: errURL))
    }
}

/// Permission bits of what stands at `path` (not following a link).
private func permissions(_ path: String) -> mode_t? {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
}

/// The kind of what stands at `path` (`S_IFREG`, `S_IFIFO`...), not following a link.
private func kind(_ path: String) -> mode_t? {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
}

/// One command that reads an input file and writes an output, and which input it names.
struct ClashCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// The arguments, given the copied fixture folder (with a partial made in it) and the output path.
    var arguments: @Sendable (_ folder: String, _ output: String) -> [String]
    /// The input (in the folder) the output is made to be.
    var input: String
    var testDescription: String { name }
}

@Suite("cof: output files that cannot destroy anything")
struct OutputFileCommandTests {
    /// The John study over files in `folder` (a copy of the fixture).
    static func study(_ folder: String) -> [String] {
        ["--events", folder + "/events.csv", "--interventions", folder + "/interventions.csv",
         "--unit-costs", folder + "/unit-costs.csv", "--services", folder + "/services.csv",
         "--before", "6m", "--after", "12m", "--observation-end", "2024-03-31"]
    }

    static let personNote = "holds person-level data"

    /// A copy of John's inputs in a fresh folder, with a partial made from them.
    static func johnCopy() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for name in ["events.csv", "interventions.csv", "unit-costs.csv", "services.csv"] {
            try FileManager.default.copyItem(atPath: CofRunner.fixture(name), toPath: directory.path(name))
        }
        let tables = Array(study(directory.url.path).dropFirst(2))
        let partial = try CofRunner.run(["partial", "--events", directory.path("events.csv")] + tables + ["--output", directory.path("john.partial")])
        try #require(partial.exitCode == 0, "\(partial)")
        return directory
    }

    static let clashCases: [ClashCase] = [
        ClashCase(name: "compare --output = events", arguments: { ["compare"] + study($0) + ["--format", "csv", "--output", $1] }, input: "events.csv"),
        ClashCase(name: "compare --by cohort --output = unit costs", arguments: { ["compare"] + study($0) + ["--by", "cohort", "--format", "csv", "--output", $1] }, input: "unit-costs.csv"),
        ClashCase(name: "compare --rejects = interventions",
                  arguments: { ["compare"] + study($0) + ["--on-error", "reject", "--rejects", $1, "--output", $0 + "/out.csv"] }, input: "interventions.csv"),
        ClashCase(name: "export --output = services", arguments: { ["export"] + study($0) + ["--table", "by-service", "--format", "csv", "--output", $1] }, input: "services.csv"),
        ClashCase(name: "export --output = pseudonym key file",
                  arguments: { ["export"] + study($0) + ["--table", "top-users", "--pseudonym-key-file", $0 + "/key.txt", "--format", "csv", "--output", $1] }, input: "key.txt"),
        ClashCase(name: "export --output = comparison group",
                  arguments: { ["export"] + study($0) + ["--comparison", $0 + "/comparison.csv", "--table", "did", "--format", "csv", "--output", $1] }, input: "comparison.csv"),
        ClashCase(name: "export --output = deflator",
                  arguments: { ["export"] + study($0) + ["--price-base", "2024-25", "--deflator", $0 + "/deflator.csv", "--format", "csv", "--output", $1] }, input: "deflator.csv"),
        ClashCase(name: "report --output = events", arguments: { ["report"] + study($0) + ["--output", $1] }, input: "events.csv"),
        ClashCase(name: "report --html = interventions", arguments: { ["report"] + study($0) + ["--html", $1] }, input: "interventions.csv"),
        ClashCase(name: "validate --output = events", arguments: { ["validate", "--events", $0 + "/events.csv", "--output", $1] }, input: "events.csv"),
        ClashCase(name: "partial --output = events",
                  arguments: { ["partial", "--events", $0 + "/events.csv"] + study($0).dropFirst(2) + ["--output", $1] }, input: "events.csv"),
        ClashCase(name: "merge --partial --output = a partial", arguments: { ["merge", $0 + "/john.partial", "--partial", "--output", $1] }, input: "john.partial"),
        ClashCase(name: "merge --output = a partial", arguments: { ["merge", $0 + "/john.partial", "--format", "csv", "--output", $1] }, input: "john.partial"),
    ]

    @Test("an output that is an input — by its path, a symlink or a hard link — is refused with exit 64, the input byte for byte as it was",
          arguments: clashCases)
    func outputIsAnInput(_ clash: ClashCase) throws {
        let directory = try Self.johnCopy()
        let folder = directory.url.path
        try directory.write("key.txt", "a secret key of sixteen bytes or more\n")
        // Never read: the clash is found first.
        try directory.write("comparison.csv", "person_id,start_date\n")
        try directory.write("deflator.csv", "financial_year,index\n")
        let input = directory.path(clash.input)
        #expect(symlink(input, directory.path("link")) == 0)
        #expect(link(input, directory.path("hard")) == 0)
        let original = try Data(contentsOf: URL(fileURLWithPath: input))
        let listing = try directory.contents()
        for output in [input, directory.path("link"), directory.path("hard")] {
            let result = try CofRunner.run(clash.arguments(folder, output))
            #expect(result.exitCode == 64, "\(output): \(result)")
            #expect(result.errLines == ["cof: error: \(output): is the same file as the input \(input): refusing to overwrite an input"], "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == original)
            #expect(kind(directory.path("link")) == S_IFLNK)
            #expect(try directory.contents() == listing)
        }
    }

    @Test("an input named in the project file is found too")
    func projectInputClash() throws {
        let directory = try Self.johnCopy()
        let project = try directory.write("cof.json", """
            {"sources": [{"file": "events.csv"}], "interventions": "interventions.csv", "unit_costs": "unit-costs.csv",
             "before": "6m", "after": "12m", "observation_end": "2024-03-31"}
            """)
        let original = try Data(contentsOf: URL(fileURLWithPath: directory.path("interventions.csv")))
        let result = try CofRunner.run(["compare", "--project", project, "--format", "csv", "--output", directory.path("interventions.csv")])
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.err.contains("is the same file as the input \(directory.path("interventions.csv"))"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path("interventions.csv"))) == original)
        // The project file itself is an input.
        let itself = try CofRunner.run(["compare", "--project", project, "--format", "csv", "--output", project])
        #expect(itself.exitCode == 64, "\(itself)")
    }

    @Test("standard output appended (>>) to an input is refused with 64, and nothing is appended")
    func redirectIntoInput() throws {
        let directory = try Self.johnCopy()
        let events = directory.path("events.csv")
        let original = try Data(contentsOf: URL(fileURLWithPath: events))
        let result = try CofRunner.runInShell("exec \"$@\" >> \(events)", ["compare"] + Self.study(directory.url.path) + ["--format", "csv"])
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.err.contains("<stdout>: is the same file as the input \(events)"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: events)) == original)
    }

    @Test("new files under umask 027: person-level outputs are 0600 and say so on standard error; cohort tables follow the umask")
    func newFileModes() throws {
        let directory = try Self.johnCopy()
        let folder = directory.url.path
        let study = Self.study(folder)
        try directory.write("key.txt", "a secret key of sixteen bytes or more\n")
        let umask027 = "umask 027 && exec \"$@\""
        // (arguments, output, person-level)
        let runs: [([String], String, Bool)] = [
            (["compare"] + study + ["--format", "csv", "--output", folder + "/people.csv"], "people.csv", true),
            (["compare"] + study + ["--format", "json", "--output", folder + "/people.json"], "people.json", true),
            (["compare"] + study + ["--by", "cohort", "--format", "csv", "--output", folder + "/cohort.csv"], "cohort.csv", false),
            (["export"] + study + ["--table", "by-agency", "--format", "csv", "--output", folder + "/agency.csv"], "agency.csv", false),
            (["export"] + study + ["--table", "top-users", "--raw-ids", "--format", "csv", "--output", folder + "/top.csv"], "top.csv", true),
            (["export"] + study + ["--table", "top-users", "--pseudonym-key-file", folder + "/key.txt", "--format", "csv", "--output", folder + "/top-keyed.csv"],
             "top-keyed.csv", true),
            (["partial", "--events", folder + "/events.csv"] + study.dropFirst(2) + ["--output", folder + "/new.partial"], "new.partial", true),
            (["merge", folder + "/john.partial", "--partial", "--output", folder + "/merged.partial"], "merged.partial", true),
            (["merge", folder + "/john.partial", "--by", "agency", "--format", "csv", "--output", folder + "/merged-agency.csv"], "merged-agency.csv", false),
            (["report", "--person", "JOHN-0001"] + study + ["--output", folder + "/john.txt"], "john.txt", true),
            (["report", "--person", "JOHN-0001", "--raw-ids"] + study + ["--html", folder + "/john.html"], "john.html", true),
            (["report"] + study + ["--output", folder + "/cohort.txt"], "cohort.txt", false),
        ]
        for (arguments, name, personLevel) in runs {
            let result = try CofRunner.runInShell(umask027, arguments)
            #expect(result.exitCode == 0, "\(name): \(result)")
            #expect(permissions(directory.path(name)) == (personLevel ? 0o600 : 0o640), "\(name)")
            let notes = result.errLines.filter { $0.contains(Self.personNote) }
            #expect(notes == (personLevel ? ["cof: \(directory.path(name)) \(Self.personNote) (exact figures for individual people): working data for the secure environment, not for release"] : []),
                    "\(name): \(result)")
        }
    }

    @Test("the rejects file is person-level: 0600 when new, with the note; --quiet drops the note")
    func rejectsMode() throws {
        let directory = try Self.johnCopy()
        let events = try directory.write("bad.csv", "person_id,service,event,date\nJOHN-0001,A&E,attendance,2023-02-30\nJOHN-0001,A&E,attendance,2023-03-01\n")
        let rejects = directory.path("rejects.csv")
        let arguments = ["compare"] + CofRunner.johnStudy(events: events) + ["--by", "cohort", "--on-error", "reject", "--rejects", rejects,
                                                                             "--format", "csv", "--output", directory.path("cohort.csv")]
        let result = try CofRunner.runInShell("umask 022 && exec \"$@\"", arguments)
        #expect(result.exitCode == 0, "\(result)")
        #expect(permissions(rejects) == 0o600 && permissions(directory.path("cohort.csv")) == 0o644)
        #expect(result.errLines.filter { $0.contains(Self.personNote) } == ["cof: \(rejects) \(Self.personNote) (exact figures for individual people): working data for the secure environment, not for release"])
        let quiet = try CofRunner.run(arguments + ["--quiet"])
        #expect(quiet.exitCode == 0 && !quiet.err.contains(Self.personNote), "\(quiet)")
    }

    @Test("person-level output to a redirect or pipe says so once; a cohort table does not")
    func noteOnStandardOutput() throws {
        let directory = try Self.johnCopy()
        let study = Self.study(directory.url.path)
        let people = try CofRunner.run(["compare"] + study + ["--format", "csv"])
        #expect(people.exitCode == 0)
        #expect(people.errLines.filter { $0.contains(Self.personNote) } == ["cof: standard output \(Self.personNote) (exact figures for individual people): working data for the secure environment, not for release"])
        let cohort = try CofRunner.run(["compare"] + study + ["--by", "cohort", "--format", "csv"])
        #expect(cohort.exitCode == 0 && !cohort.err.contains(Self.personNote))
    }

    @Test("a replaced 0600 file stays 0600, even for a cohort table under umask 022")
    func replacedKeepsMode() throws {
        let directory = try Self.johnCopy()
        let output = try directory.write("cohort.csv", "old\n")
        #expect(chmod(output, 0o600) == 0)
        let result = try CofRunner.runInShell("umask 022 && exec \"$@\"", ["compare"] + Self.study(directory.url.path) + ["--by", "cohort", "--format", "csv", "--output", output])
        #expect(result.exitCode == 0, "\(result)")
        #expect(permissions(output) == 0o600)
        #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("people,"))
    }

    @Test("a FIFO target is written into and stays a FIFO")
    func fifoTarget() throws {
        let directory = try Self.johnCopy()
        let fifo = directory.path("out.pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Held open for reading and writing, so cof's open returns at once and reading never
        // waits for a writer; a pipe buffer of 1 MB holds the whole table, so nothing can hang.
        let reader = open(fifo, O_RDWR | O_NONBLOCK)
        try #require(reader >= 0)
        defer { close(reader) }
        _ = fcntl(reader, 1031 /* F_SETPIPE_SZ, which Glibc does not export to Swift */, 1 << 20)
        let study = Self.study(directory.url.path)
        let result = try CofRunner.run(["compare"] + study + ["--format", "csv", "--output", fifo])
        #expect(result.exitCode == 0, "\(result)")
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(reader, &buffer, buffer.count)
            if count <= 0 { break }
            received += buffer.prefix(count)
        }
        let expected = try CofRunner.run(["compare"] + study + ["--format", "csv"])
        #expect(!received.isEmpty && Data(received) == expected.stdout)
        #expect(kind(fifo) == S_IFIFO)
        #expect(result.errLines.contains { $0.contains(Self.personNote) })
    }

    @Test("/dev/null is written into and stays a character device")
    func devNull() throws {
        let result = try CofRunner.run(["compare"] + CofRunner.johnStudy() + ["--format", "csv", "--output", "/dev/null"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(kind("/dev/null") == S_IFCHR)
    }

    @Test("--output /dev/stdout writes to standard output itself")
    func devStdout() throws {
        let plain = try CofRunner.run(["compare"] + CofRunner.johnStudy() + ["--format", "csv"])
        let named = try CofRunner.run(["compare"] + CofRunner.johnStudy() + ["--format", "csv", "--output", "/dev/stdout"])
        #expect(named.exitCode == 0 && named.stdout == plain.stdout && !plain.stdout.isEmpty)
    }

    @Test("a symlink at the target: the file it points at is replaced (mode kept) and the link stays; a dangling one is refused with 74")
    func symlinkTargets() throws {
        let directory = try Self.johnCopy()
        let real = try directory.write("real.csv", "old\n")
        #expect(chmod(real, 0o640) == 0)
        #expect(symlink("real.csv", directory.path("latest.csv")) == 0)
        let arguments = ["compare"] + Self.study(directory.url.path) + ["--by", "cohort", "--format", "csv", "--output"]
        let result = try CofRunner.run(arguments + [directory.path("latest.csv")])
        #expect(result.exitCode == 0, "\(result)")
        #expect(kind(directory.path("latest.csv")) == S_IFLNK && permissions(real) == 0o640)
        #expect(try String(contentsOfFile: real, encoding: .utf8).hasPrefix("people,"))

        #expect(symlink(directory.path("nowhere.csv"), directory.path("dangling.csv")) == 0)
        let dangling = try CofRunner.run(arguments + [directory.path("dangling.csv")])
        #expect(dangling.exitCode == 74, "\(dangling)")
        // Found before any input is read: the error is all standard error says.
        #expect(dangling.errLines.count == 1 && dangling.err.contains("symbolic link to nothing"), "\(dangling)")
        #expect(kind(directory.path("nowhere.csv")) == nil)
    }

    @Test("a folder, or a path in a missing folder, is an I/O error (74) found before reading, and nothing is made")
    func unwritableTargets() throws {
        let directory = try Self.johnCopy()
        let listing = try directory.contents()
        for output in [directory.url.path, directory.path("missing/out.csv")] {
            let result = try CofRunner.run(["compare"] + Self.study(directory.url.path) + ["--format", "csv", "--output", output])
            #expect(result.exitCode == 74, "\(output): \(result)")
            #expect(result.errLines.count == 1 && result.errLines[0].hasPrefix("cof: error: \(output): cannot write: "), "\(result)")
            #expect(result.stdout.isEmpty)
        }
        #expect(try directory.contents() == listing)
    }

    @Test("bad data leaves an existing output exactly as it was, and no temporary file")
    func failureKeepsExisting() throws {
        let directory = try Self.johnCopy()
        let events = try directory.write("bad.csv", "person_id,service,event,date\nJOHN-0001,A&E,attendance,2023-02-30\n")
        let output = try directory.write("out.csv", "yesterday's table\n")
        let listing = try directory.contents()
        let result = try CofRunner.run(["compare"] + CofRunner.johnStudy(events: events) + ["--format", "csv", "--output", output])
        #expect(result.exitCode == 65, "\(result)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "yesterday's table\n")
        #expect(try directory.contents() == listing)
    }
}
