import Foundation
import Testing
import TestSupport

@Suite("cof on compressed inputs")
struct CompressedInputCommandTests {
    /// `fixture` from John's folder, compressed by `compress`, written to `name` in `directory`.
    private func compressed(_ fixture: String, _ compress: ([UInt8]) -> [UInt8], as name: String, in directory: TemporaryDirectory) throws -> String {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: CofRunner.fixture(fixture))))
        let path = directory.path(name)
        try Data(compress(bytes)).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// John's study with events, interventions and unit costs from the given paths.
    private func study(events: String, interventions: String = CofRunner.fixture("interventions.csv"),
                       unitCosts: String = CofRunner.fixture("unit-costs.csv")) -> [String] {
        ["compare", "--events", events, "--interventions", interventions, "--unit-costs", unitCosts,
         "--before", "6m", "--after", "12m", "--observation-end", "2024-03-31", "--format", "csv"]
    }

    @Test("cof compare on a gzipped events file (and zstd interventions and unit costs) gives the plain files' output byte for byte")
    func compareCompressed() throws {
        let directory = try TemporaryDirectory()
        let plain = try CofRunner.run(study(events: CofRunner.fixture("events.csv")))
        try #require(plain.exitCode == 0, "\(plain)")
        let events = try compressed("events.csv", { CompressedText.gzip($0) }, as: "events.csv.gz", in: directory)
        let gzipped = try CofRunner.run(study(events: events))
        #expect(gzipped.exitCode == 0, "\(gzipped)")
        #expect(gzipped.stdout == plain.stdout)
        // Every input compressed, under names that do not say so.
        let interventions = try compressed("interventions.csv", { CompressedText.zstd($0) }, as: "interventions.csv", in: directory)
        let unitCosts = try compressed("unit-costs.csv", { CompressedText.gzip($0) }, as: "unit-costs.csv", in: directory)
        let all = try CofRunner.run(study(events: events, interventions: interventions, unitCosts: unitCosts))
        #expect(all.exitCode == 0, "\(all)")
        #expect(all.stdout == plain.stdout)
    }

    @Test("Compressed standard input: zstd and gzip piped into --events -", arguments: ["gzip", "zstd"])
    func standardInput(format: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: CofRunner.fixture("events.csv"))))
        let plain = try CofRunner.run(study(events: "-"), stdin: Data(bytes))
        try #require(plain.exitCode == 0, "\(plain)")
        let piped = try CofRunner.run(study(events: "-"),
                                      stdin: Data(format == "gzip" ? CompressedText.gzip(bytes) : CompressedText.zstd(bytes)))
        #expect(piped.exitCode == 0, "\(piped)")
        #expect(piped.stdout == plain.stdout)
    }

    @Test("A truncated gzip file is bad data (exit 65) naming the file and what is wrong; nothing is written to stdout")
    func truncated() throws {
        let directory = try TemporaryDirectory()
        let path = try compressed("events.csv", { Array(CompressedText.gzip($0).dropLast(9)) }, as: "events.csv.gz", in: directory)
        let result = try CofRunner.run(study(events: path))
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.err.contains("events.csv.gz"))
        #expect(result.err.contains("truncated gzip file"))
        #expect(!result.err.contains("JOHN-0001"))
        #expect(result.stdout.isEmpty)
    }

    @Test("A corrupt zstd byte is bad data (exit 65), never a crash")
    func corrupt() throws {
        let directory = try TemporaryDirectory()
        let path = try compressed("events.csv", { bytes in
            var out = CompressedText.zstd(bytes)
            out[out.count / 2] ^= 0xFF
            return out
        }, as: "events.zst", in: directory)
        let result = try CofRunner.run(study(events: path))
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.err.contains("events.zst"))
        #expect(result.err.contains("zstd"))
        #expect(result.stdout.isEmpty)
    }
}
