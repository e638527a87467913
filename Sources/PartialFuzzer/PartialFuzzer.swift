// A fuzz target for the partial reader and the merge (`cof merge`): arbitrary bytes are read as a
// partial twice, as they are (mostly stopped by the checksum) and re-sealed with a fresh
// checksum (so the mutations reach every record's parser), and what the reader accepts must
// write the same bytes again, make every table of `cof compare` and `cof merge` without trapping,
// split into two partials that merge back to it, and merge with a copy of itself under other
// IDs (sums doubled: near 64 bits that must be refused, never trap). Built with libFuzzer by
// `scripts/fuzz`, or as a deterministic loop by a plain `swift build` (see FuzzDriver).
// Its seeds (`PartialFuzzer --make-seeds DIR`): John's partial (made from `Fixtures/john` when run
// from the package folder), a small synthetic cohort's (and one carrying the top users' state), one
// of no one, and one near the limits.

import CostOfFailure
import Foundation
import FuzzDriver

@main
enum PartialFuzzer {
    static func main() {
        FuzzDriver.run(FuzzTarget(name: "PartialFuzzer", builtInSeeds: seeds(), interestingBytes: interesting,
                                  check: { PartialInvariants.check($0) }))
    }

    /// Bytes that matter to the text form (the tab first).
    static let interesting: [UInt8] = [0x09, 0x0A, 0x5C, 0x74, 0x6E, 0x72, 0x2D, 0x30, 0x31, 0x39, 0x00, 0xFF, 0xC3, 0x20]

    /// The seeds: a synthetic cohort's partial, one of no one, one near the limits, and John's.
    static func seeds() -> [[UInt8]] {
        var seeds = [synthetic(events: 300, seed: 3).encoded(), synthetic(events: 0, seed: 1).encoded(), nearTheLimits().encoded(),
                     synthetic(events: 300, seed: 4, rankingTopUsers: TopUsers.Ranking(from: CivilDate(iso: "2021-01-01"), to: nil)).encoded(),
                     synthetic(events: 300, seed: 5, comparisonCandidates: true).encoded()]
        do {
            seeds.append(try john().encoded())
        } catch {
            FileHandle.standardError.write(Data("PartialFuzzer: no John seed (run from the package folder): \(error)\n".utf8))
        }
        return seeds
    }

    /// The partial `cof partial` makes of John's events (`Fixtures/john`), with his windows.
    static func john() throws -> BeforeAfterPartial {
        let folder = "Fixtures/john/"
        let inputs = StudyInputs(events: [EventSource(.file(folder + "events.csv"), header: .optional)],
                                 interventions: .file(folder + "interventions.csv"), unitCosts: .file(folder + "unit-costs.csv"),
                                 services: .file(folder + "services.csv"),
                                 windows: StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(12, .months),
                                                       observationEnd: CivilDate(iso: "2024-03-31")))
        return BeforeAfterPartial(pass: try StreamingPass(inputs, keepingCohortEvents: true), parameters: [.init("before", "6m"), .init("after", "12m")],
                                 fingerprint: "john")
    }

    /// A partial whose every sum is just inside 64 bits (so a copy merged with it is not), with
    /// escapes in its text: what mutations of digits alone rarely reach.
    static func nearTheLimits() -> BeforeAfterPartial {
        let big = Int64.max / 2 + 3
        let rows = [
            BeforeAfterTable.Row(personID: "A\tB", service: "A&E", before: PeriodFigures(events: big, quantity: -big, cost: -big, unpriced: 1),
                           after: PeriodFigures(events: 1, quantity: 1, cost: 1, unpriced: 0), beforeDays: Int(big), afterDays: 1),
            BeforeAfterTable.Row(personID: "C\\D", service: "GP\n", before: PeriodFigures(events: 0, quantity: 0, cost: 0, unpriced: 0),
                           after: PeriodFigures(events: big, quantity: big, cost: big - 10, unpriced: big), beforeDays: 0, afterDays: Int(big)),
        ]
        return BeforeAfterPartial(parameters: [.init("before", "12m"), .init("after", "1d")], fingerprint: "limits", prices: "cash\r",
                                 partials: Int(big), services: ServiceCatalog(entries: [.init(service: "A&E", category: "Health", agency: "NHS")]),
                                 sources: [SourceReconciliation(file: "<stdin>", read: Int(big), loaded: Int(big) - 2, rejected: 1, blank: 1)],
                                 rejected: [.init(kind: "bad_date", rows: 1), .init(kind: "bad_number", rows: Int(big) - 5)],
                                 unpriced: [.init(service: "GP\n", event: "visit", events: Int(big))],
                                 members: rows.map { CohortSummary.Member(personID: $0.personID, beforeDays: $0.beforeDays, afterDays: $0.afterDays) },
                                 rows: rows)
    }

    /// A synthetic cohort's partial: `events` events in the engine's columns (with the top
    /// users' state when `rankingTopUsers` is given, the comparison group's candidates with
    /// `comparisonCandidates`).
    static func synthetic(events: Int, seed: UInt64, rankingTopUsers: TopUsers.Ranking? = nil, comparisonCandidates: Bool = false) -> BeforeAfterPartial {
        let dataset = SyntheticDataset(options: .init(events: max(events, 1), seed: seed))
        var bytes: [UInt8] = []
        _ = dataset.writeEvents { bytes += $0 }
        if events == 0 { bytes = Array(bytes.prefix { $0 != 0x0A }) + [0x0A] }
        func table(_ text: String, _ name: String) -> InputSource { .bytes(name: name, Array(text.utf8), chunkSize: 4_096) }
        let inputs = StudyInputs(events: [EventSource(.bytes(name: "<stdin>", bytes, chunkSize: 4_096), header: .optional)],
                                 interventions: table(dataset.interventionsCSV(), "interventions.csv"),
                                 unitCosts: table(dataset.unitCostsCSV(), "unit-costs.csv"), services: table(dataset.servicesCSV(), "services.csv"),
                                 windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months)),
                                 policy: ErrorPolicy(mode: .reject))
        do {
            return BeforeAfterPartial(pass: try StreamingPass(inputs, keepingCohortEvents: true, rankingTopUsers: rankingTopUsers,
                                                              keepingEveryonesEvents: comparisonCandidates),
                                      parameters: [.init("before", "12m")], fingerprint: "synthetic")
        } catch {
            FuzzDriver.fail("the synthetic seed does not load: \(error)")
        }
    }
}

/// What the reader and the merge promise for any input.
enum PartialInvariants {
    static let file = "fuzz.partial"

    static func check(_ bytes: [UInt8]) {
        read(bytes)
        let sealed = resealed(bytes)
        if sealed != bytes { read(sealed) }
    }

    /// Reads `bytes` as a partial and checks what comes back, or the error.
    static func read(_ bytes: [UInt8]) {
        let partial: BeforeAfterPartial
        do {
            partial = try BeforeAfterPartial(decoding: bytes, file: file)
        } catch {
            guard case .malformed(let name, let line, _) = error else { FuzzDriver.fail("the reader threw \(error)") }
            let lines = bytes.count(where: { $0 == 0x0A }) + 1
            FuzzDriver.require(name == file && line >= 1 && line <= lines, "an error at \(name):\(line) of \(lines) lines: \(error)")
            return
        }
        checkAccepted(partial, bytes: bytes)
    }

    /// What must hold of a partial the reader accepted.
    static func checkAccepted(_ partial: BeforeAfterPartial, bytes: [UInt8]) {
        // Written again, it reads back to the same figures and the same bytes.
        let encoded = partial.encoded()
        guard let again = try? BeforeAfterPartial(decoding: encoded, file: file) else {
            FuzzDriver.fail("the reader refuses what the writer wrote of an accepted partial")
        }
        FuzzDriver.require(again.rows == partial.rows && again.members == partial.members && again.encoded() == encoded,
                           "a partial does not survive writing and reading")
        FuzzDriver.require((try? BeforeAfterPartial.FigureTotals(partial)) != nil, "the reader accepted figures past the limits")

        // Every table cof compare and cof merge make of it.
        // Figures beyond any cohort's (CostResolver.maximumTotal) are refused with the overflow
        // error when the cohort's tables are made: an error, not a trap.
        _ = partial.beforeAfter.resultTable()
        if let summary = try? partial.cohortSummary {
            // Every treated person, with rows here or without (a partial's `quiet` records).
            FuzzDriver.require(summary.people == partial.cohortMembers.count, "the summary counts \(summary.people) of \(partial.cohortMembers.count) people")
            for rounding in [CountRounding.exact, CountRounding(base: 5)] { _ = summary.linkedTables(rounding: rounding) }
        }
        var blockRows = 0
        try? partial.forEachBlock(people: 2) { blockRows += $0.rows.count }
        FuzzDriver.require(blockRows == partial.rows.count, "blocks hold \(blockRows) of \(partial.rows.count) rows")

        // The top users' state ranks without trapping (an overflow is an error), merges with
        // itself only to be refused (every person twice), and is not split by the checks below,
        // which move members only.
        if partial.carriesTopUsers {
            for top in [1, 1_000] { _ = try? partial.topUsers(top: top) }
            if let merged = try? BeforeAfterPartial.merging([partial, partial]) {
                let lines = (try? merged.topUsers(top: 1_000))?.lines ?? []
                FuzzDriver.require(partial.members.isEmpty && lines.isEmpty, "a partial with people merged with itself")
            }
            return
        }

        // The comparison group's candidates lay out everyone's features, or are refused; a
        // group matched from them and its bootstrap end in figures or an overflow error.
        if partial.carriesComparisonCandidates {
            checkCandidates(partial)
            return
        }

        // Split by person into two partials, merged in either order: the partial again.
        let cut = partial.members.count / 2
        let (first, second) = (part(of: partial, members: 0..<cut), part(of: partial, members: cut..<partial.members.count))
        for pair in [[first, second], [second, first]] {
            do {
                var merged = try BeforeAfterPartial.merging(pair)
                FuzzDriver.require(partial.partials > Int.max / 2 || merged.partials == partial.partials * 2,
                                   "merged \(merged.partials) partials of \(partial.partials) each")
                merged.partials = partial.partials
                merged.sources = partial.sources
                merged.rejected = partial.rejected
                merged.unpriced = partial.unpriced
                merged.totals = partial.totals
                FuzzDriver.require(merged.encoded() == encoded, "a partial split by person does not merge back to itself")
            } catch {
                // Only the doubled counts of rows, rejects, unpriced events and partials (each
                // half carries them all) can fail to fit.
                guard case .incompatible(let detail) = error, detail.contains("goes past what 64 bits hold") else {
                    FuzzDriver.fail("a partial split by person does not merge: \(error)")
                }
            }
        }

        // With a copy of itself under other IDs: each sum doubled, merged or refused.
        let copySuffix = "\u{7F}copy"
        if partial.members.contains(where: { $0.personID.hasSuffix(copySuffix) }) { return }
        var copy = partial
        copy.members = partial.members.map { var m = $0; m.personID += copySuffix; return m }
        copy.rows = partial.rows.map { var r = $0; r.personID += copySuffix; return r }
        do {
            let merged = try BeforeAfterPartial.merging([partial, copy], names: ["a.partial", "b.partial"])
            FuzzDriver.require(merged.members.count == 2 * partial.members.count && merged.rows.count == 2 * partial.rows.count,
                               "a merge lost people or rows")
            if let mergedSummary = try? merged.cohortSummary { _ = mergedSummary.linkedTables() }
            guard let back = try? BeforeAfterPartial(decoding: merged.encoded(), file: file) else {
                FuzzDriver.fail("the reader refuses a merge it made")
            }
            FuzzDriver.require(back.encoded() == merged.encoded(), "a merged partial does not survive writing and reading")
        } catch {
            guard case .incompatible(let detail) = error, detail.contains("goes past what 64 bits hold when b.partial is added") else {
                FuzzDriver.fail("a partial and its copy under other IDs do not merge: \(error)")
            }
        }
        // With itself: every person twice, refused (or, with no one, merged).
        if !partial.members.isEmpty {
            do {
                _ = try BeforeAfterPartial.merging([partial, partial])
                FuzzDriver.fail("a partial merged with itself")
            } catch {}
        }
    }

    /// What must hold of an accepted partial that carries the comparison group's candidates.
    static func checkCandidates(_ partial: BeforeAfterPartial) {
        let windows = StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months), observationEnd: CivilDate(iso: "2024-03-31"))
        let features: MatchingFeatures
        do {
            features = try partial.comparisonGroupFeatures(services: partial.services, windows: windows)
        } catch {
            guard case .incompatible = error else { FuzzDriver.fail("the candidates' features failed with \(error)") }
            return
        }
        // Every member treated on one day; the rest are the candidates.
        let index = CivilDate(iso: "2022-01-01")!
        let cohort = partial.cohortMembers.map { InterventionTable.Entry(personID: $0.personID, start: index) }
        let treated = partial.members.compactMap { member in features.persons.code(of: member.personID).map { (person: $0, index: index) } }
        FuzzDriver.require(treated.count == partial.members.count, "a member with events is not among the features' people")
        let matching = ComparisonGroupMatching(features: features, treated: treated, cohortPeople: cohort.count)
        let group = ComparisonGroupPeople(features: features, cohort: cohort, origin: .matched(matching), services: partial.services, prices: partial.prices)
        _ = try? group.analysis(resamples: 20, seed: 1)
        // With itself: every candidate twice, refused (or, with no one, merged).
        if !partial.members.isEmpty || features.persons.count > 0 {
            if (try? BeforeAfterPartial.merging([partial, partial])) != nil { FuzzDriver.fail("a partial with candidates merged with itself") }
        }
    }

    /// The members in `range` with their rows and events, with every other record of `partial`.
    static func part(of partial: BeforeAfterPartial, members range: Range<Int>) -> BeforeAfterPartial {
        var part = partial
        part.members = Array(partial.members[range])
        let ids = Set(part.members.map(\.personID))
        part.rows = partial.rows.filter { ids.contains($0.personID) }
        part.events = partial.events.filter { range.contains(Int($0.person)) }.map { event in
            var event = event
            event.person -= Int32(range.lowerBound)
            return event
        }
        return part
    }

    /// `bytes` with the checksum of its last line, when that is an `end` record, set to match the
    /// bytes before it: edits a person would seal by hand, so the mutations reach every parser.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.last == 0x0A else { return bytes }
        let start = bytes[..<(bytes.count - 1)].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let fields = bytes[start..<(bytes.count - 1)].split(separator: 0x09, omittingEmptySubsequences: false)
        guard fields.first?.elementsEqual("end".utf8) == true, fields.count >= 3 else { return bytes }
        var out = Array(bytes[..<start])
        for field in fields.prefix(3) {
            out += field
            out.append(0x09)
        }
        out += BeforeAfterPartial.checksum(ofBody: bytes[..<start]).utf8
        out.append(0x0A)
        return out
    }
}
