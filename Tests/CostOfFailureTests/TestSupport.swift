import CostOfFailure

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/CostOfFailureTests/TestSupport.swift
    return parts.joined(separator: "/")
}()

/// A path under `Fixtures/`.
func fixture(_ relative: String) -> String { repositoryRoot + "/Fixtures/" + relative }

/// Bytes of a CSV written inline, fed in chunks of `chunkSize`.
func csv(_ text: String, name: String = "test.csv", chunkSize: Int = 1 << 16) -> InputSource {
    .bytes(name: name, Array(text.utf8), chunkSize: chunkSize)
}

/// A date from `YYYY-MM-DD`, trapping on a typo in a test.
func day(_ iso: String) -> CivilDate {
    guard let date = CivilDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
}

/// The error a throwing call raised, as an ``IngestError``.
func ingestError(_ body: () throws -> Void) -> IngestError? {
    do { try body() } catch { return error as? IngestError }
    return nil
}

/// The engine's seeded generator, under the name the tests use.
typealias SplitMix64 = SyntheticRandom
