import Foundation
import Testing

/// Runs the built `cof` executable and captures what it did.
struct CofRunner {
    /// What one run produced.
    struct Result: CustomStringConvertible {
        var exitCode: Int32
        var stdout: Data
        var stderr: Data

        var out: String { String(decoding: stdout, as: UTF8.self) }
        var err: String { String(decoding: stderr, as: UTF8.self) }
        /// Standard error's lines, without the empty string after the final newline.
        var errLines: [String] { err.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }

        var description: String { "exit \(exitCode)\n--- stderr ---\n\(err)--- stdout (\(stdout.count) bytes) ---\n\(out.prefix(2000))" }
    }

    struct NotFound: Error, CustomStringConvertible {
        var tried: [String]
        var description: String { "cof executable not found; tried: \(tried.joined(separator: ", ")); set COF_BINARY or run 'swift build'" }
    }

    /// The repository root: this file is `<root>/Tests/CofTests/CofRunner.swift`.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/john/<name>` as an absolute path.
    static func fixture(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Fixtures/john").appendingPathComponent(name).path
    }

    /// The `cof` executable: `$COF_BINARY`, else beside the test runner (or in a directory above
    /// it, for bundle layouts), else `<root>/.build/debug/cof`.
    static func locate() throws -> URL {
        let fm = FileManager.default
        var tried: [String] = []
        func usable(_ path: String) -> Bool {
            tried.append(path)
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue && fm.isExecutableFile(atPath: path)
        }
        if let explicit = ProcessInfo.processInfo.environment["COF_BINARY"], !explicit.isEmpty {
            if usable(explicit) { return URL(fileURLWithPath: explicit) }
            throw NotFound(tried: tried)
        }
        if let runner = CommandLine.arguments.first, !runner.isEmpty {
            var directory = URL(fileURLWithPath: runner).standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<5 {
                let candidate = directory.appendingPathComponent("cof").path
                if usable(candidate) { return URL(fileURLWithPath: candidate) }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        let fallback = repositoryRoot.appendingPathComponent(".build/debug/cof").path
        if usable(fallback) { return URL(fileURLWithPath: fallback) }
        throw NotFound(tried: tried)
    }

    /// Runs `cof` with `arguments`, feeding `stdin` (or nothing) and capturing both output streams.
    /// The working directory is `directory` (default: a fresh temporary directory); `environment`
    /// is added to this process's.
    static func run(_ arguments: [String], stdin: Data? = nil, in directory: URL? = nil, executable: URL? = nil,
                    environment: [String: String] = [:]) throws -> Result {
        let executable = try executable ?? locate()
        let scratch = try TemporaryDirectory()
        // Output goes to files, not pipes, so a large output can never block the child.
        let outURL = scratch.url.appendingPathComponent("stdout")
        let errURL = scratch.url.appendingPathComponent("stderr")
        let inURL = scratch.url.appendingPathComponent("stdin")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        try (stdin ?? Data()).write(to: inURL)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = directory ?? scratch.url
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let inHandle = try FileHandle(forReadingFrom: inURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
            try? inHandle.close()
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = inHandle
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "cof was killed by signal \(process.terminationStatus)")
        return Result(exitCode: process.terminationStatus, stdout: try Data(contentsOf: outURL), stderr: try Data(contentsOf: errURL))
    }

    /// Runs `cof` with `arguments` on a pseudo-terminal (through util-linux's `script`), as an
    /// analyst at a terminal would: what it printed, standard output and error together, with
    /// the terminal's CR LF line ends made LF.
    static func runOnTerminal(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let executable = try locate()
        let quoted = ([executable.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        var result = try run(["-qec", quoted, "/dev/null"], executable: URL(fileURLWithPath: "/usr/bin/script"), environment: environment)
        result.stdout = Data(result.out.replacingOccurrences(of: "\r\n", with: "\n").utf8)
        return result
    }

    /// The study options for the John fixture with the README's windows.
    static func johnStudy(events: String = fixture("events.csv"), services: Bool = false) -> [String] {
        var args = ["--events", events,
                    "--interventions", fixture("interventions.csv"),
                    "--unit-costs", fixture("unit-costs.csv"),
                    "--before", "6m", "--after", "12m", "--observation-end", "2024-03-31"]
        if services { args += ["--services", fixture("services.csv")] }
        return args
    }
}

/// A temporary directory removed when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("cof-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `name` in the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The names of the files in the directory.
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }
}

/// A small RFC 4180 reader for `cof`'s CSV output.
enum CSV {
    struct Malformed: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false, afterQuote = false
        var characters = text[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { characters.removeFirst(); field.append("\"") } else { quoted = false; afterQuote = true }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote: quoted = true
            case ",": row.append(field); field = ""; afterQuote = false
            case "\n", "\r\n": row.append(field); field = ""; afterQuote = false; rows.append(row); row = []
            default:
                if afterQuote || c == "\"" { throw Malformed() }
                field.append(c)
            }
        }
        if quoted { throw Malformed() }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Rows as dictionaries keyed by the header.
    static func records(_ text: String) throws -> (header: [String], rows: [[String: String]]) {
        let all = try parse(text)
        guard let header = all.first else { return ([], []) }
        return (header, all.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
    }
}
