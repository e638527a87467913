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

/// A deterministic random number generator (SplitMix64) for generated test data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
