@testable import CostOfFailure

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

/// The events of the hand-worked cohort the summary and appraisal tests share: people A–D, who
/// are given an index date of 2020-01-01 and a year either side (the before window is 2019, 365
/// days; an observation end of 2020-12-30 cuts the after window to 365 days too).
/// - A: £365 of A&E before; £1,000 of the intervention's own service ("Liberated Method") after.
/// - B: £730 of arrests before, £365 after.
/// - C: nothing before, £73 of A&E after.
/// - D: one event in 2010, outside both windows.
func handWorkedCohort() -> EventTableBuilder {
    var builder = EventTableBuilder()
        builder.append(person: "A", service: "A&E", event: "attendance", date: day("2019-06-01"), explicitCost: 36_500)
        builder.append(person: "A", service: "Liberated Method", event: "support", date: day("2020-02-01"), explicitCost: 100_000)
        builder.append(person: "B", service: "Police", event: "arrest", date: day("2019-03-01"), explicitCost: 36_500)
        builder.append(person: "B", service: "Police", event: "arrest", date: day("2019-04-01"), explicitCost: 36_500)
        builder.append(person: "B", service: "Police", event: "arrest", date: day("2020-06-01"), explicitCost: 36_500)
        builder.append(person: "C", service: "A&E", event: "attendance", date: day("2020-07-01"), explicitCost: 7_300)
        builder.append(person: "D", service: "A&E", event: "attendance", date: day("2010-01-01"), explicitCost: 99_900)
    return builder
}

/// Loaders that split the work differently: morsels of one row, a few rows, or the default, and
/// files read whole, in one part per worker, or in parts of a few hundred or thousand bytes
/// taken by two or three workers in turn.
func loaders(_ policy: ErrorPolicy) -> [EventLoader] {
    var loaders: [EventLoader] = []
    for morsel in [1, 7, 1 << 16] {
        for (workers, partBytes) in [(1, 8 << 20), (2, 8 << 20), (2, 211), (3, 4_096)] {
            var loader = EventLoader(policy: policy, workers: workers, parallelThreshold: 0)
            loader.morselRows = morsel
            loader.partBytes = partBytes
            loaders.append(loader)
        }
    }
    return loaders
}
