import Testing
import TestSupport
@testable import CostOfFailure

/// A synthetic study: its events as CSV lines (without the header), its tables and windows.
private struct SyntheticStudy {
    let header: String
    let lines: [Substring]
    let interventions: String
    let unitCosts: String
    let services: String
    let windows = StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months), observationEnd: day("2023-06-30"))

    init(events: Int, seed: UInt64) {
        let dataset = SyntheticDataset(options: .init(events: events, seed: seed, comparisonShare: 0.1, effect: 0.2))
        var bytes: [UInt8] = []
        dataset.writeEvents { bytes += $0 }
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n")
        header = String(lines.removeFirst())
        // Two treated people at the edges: one whose only event is outside both windows (a
        // member with no row), one with no event at all (neither).
        lines.insert("Z-OUTSIDE,A&E,attendance,2010-01-01,,", at: lines.count / 2)
        self.lines = lines
        interventions = dataset.interventionsCSV() + "Z-OUTSIDE,2020-01-01,,,\nZ-NONE,2020-01-01,,,\n"
        unitCosts = dataset.unitCostsCSV()
        services = dataset.servicesCSV()
    }

    /// The inputs over `events` (one source named `events.csv`, whatever part it holds).
    func inputs(_ events: String, priceBase: FinancialYear? = nil) -> StudyInputs {
        StudyInputs(events: [EventSource(csv(events, name: "events.csv", chunkSize: 4_096), header: .optional)],
                    interventions: csv(interventions, name: "interventions.csv"), unitCosts: csv(unitCosts, name: "unit-costs.csv"),
                    services: csv(services, name: "services.csv"), windows: windows, priceBase: priceBase)
    }

    /// The whole study as one partial.
    func whole(priceBase: FinancialYear? = nil) throws -> BeforeAfterPartial {
        try partial(header + "\n" + lines.joined(separator: "\n") + "\n", priceBase: priceBase)
    }

    /// The events split by person into `parts` parts at random (seeded), as CSV texts: every
    /// other part without a header row, one with CRLF line ends.
    func split(into parts: Int, seed: UInt64) -> [String] {
        PersonSplit.texts(header: header, lines: lines, parts: parts, seed: seed)
    }

    func partial(_ events: String, priceBase: FinancialYear? = nil) throws -> BeforeAfterPartial {
        BeforeAfterPartial(pass: try StreamingPass(inputs(events, priceBase: priceBase), keepingCohortEvents: true),
                          parameters: [.init("before", "12m"), .init("after", "12m")], fingerprint: "test")
    }
}

/// The partial's text with its count of partials set to 1 (a merge of k partials says k).
private func text(_ partial: BeforeAfterPartial) -> String {
    var partial = partial
    partial.partials = 1
    return String(decoding: partial.encoded(), as: UTF8.self)
}

@Suite("Partial results and their merge")
struct BeforeAfterPartialTests {
    @Test("Random splits by person, merged, give the single-process result byte for byte",
          arguments: [(1, 1), (2, 2), (3, 3), (4, 5), (5, 8)] as [(UInt64, Int)])
    func mergeEqualsWhole(seed: UInt64, parts: Int) throws {
        let study = SyntheticStudy(events: 12_000, seed: seed)
        let whole = try study.whole()
        #expect(!whole.rows.isEmpty && !whole.unpriced.isEmpty)
        #expect(whole.members.contains { $0.personID == "Z-OUTSIDE" } && !whole.rows.contains { $0.personID == "Z-OUTSIDE" })
        #expect(!whole.members.contains { $0.personID == "Z-NONE" })
        #expect(whole.membersWithoutEvents.contains { $0.personID == "Z-NONE" })
        let partials = try study.split(into: parts, seed: seed * 7).map { try study.partial($0) }
        let merged = try BeforeAfterPartial.merging(partials)
        #expect(merged.partials == parts)
        #expect(text(merged) == text(whole))
        // Z-NONE is listed without events by every partial, and counted once in the merge.
        #expect(partials.allSatisfy { $0.membersWithoutEvents.contains { $0.personID == "Z-NONE" } })
        #expect(merged.cohortMembers.count { $0.personID == "Z-NONE" } == 1)
        #expect(merged.cohortMembers.count == whole.cohortMembers.count)
        #expect(try merged.cohortSummary.people == whole.cohortSummary.people)
        #expect(merged.beforeAfter.rows == whole.beforeAfter.rows)
        var blocks: [BeforeAfterTable.Row] = []
        try merged.forEachBlock(workers: 2, transform: { $0.rows }) { blocks += $0 }
        #expect(blocks == whole.beforeAfter.rows)
        let (a, b) = (try merged.cohortSummary, try whole.cohortSummary)
        #expect(a.people == b.people && a.total == b.total && a.byService == b.byService && a.byAgency == b.byAgency)
        #expect(a.meanChange == b.meanChange && a.medianChange == b.medianChange && a.ninetiethPercentileChange == b.ninetiethPercentileChange)
        #expect(a.topTenthShareOfBeforeCost == b.topTenthShareOfBeforeCost)
    }

    @Test("In a price base too, and with a partition of no rows at all")
    func priceBaseAndEmptyPartition() throws {
        let study = SyntheticStudy(events: 6_000, seed: 9)
        let base = FinancialYear("2024-25")!
        let whole = try study.whole(priceBase: base)
        var partials = try study.split(into: 3, seed: 4).map { try study.partial($0, priceBase: base) }
        let empty = try study.partial("", priceBase: base)
        // No one has events in it: every treated person is listed without events, once.
        #expect(empty.members.isEmpty && empty.rows.isEmpty)
        #expect(empty.membersWithoutEvents == whole.cohortMembers)
        #expect(empty.sources == [SourceReconciliation(file: "events.csv", read: 0, loaded: 0, rejected: 0, blank: 0)])
        partials.insert(empty, at: 1)
        #expect(text(try BeforeAfterPartial.merging(partials)) == text(whole))
    }

    @Test("Merging is associative and commutative")
    func associativeAndCommutative() throws {
        let study = SyntheticStudy(events: 6_000, seed: 11)
        let p = try study.split(into: 4, seed: 2).map { try study.partial($0) }
        let all = String(decoding: try BeforeAfterPartial.merging(p).encoded(), as: UTF8.self)
        let left = try BeforeAfterPartial.merging([try BeforeAfterPartial.merging([p[0], p[1]]), p[2], p[3]])
        let right = try BeforeAfterPartial.merging([p[0], try BeforeAfterPartial.merging([p[1], try BeforeAfterPartial.merging([p[2], p[3]])])])
        let reversed = try BeforeAfterPartial.merging(p.reversed())
        let shuffled = try BeforeAfterPartial.merging([p[2], p[0], p[3], p[1]])
        for other in [left, right, reversed, shuffled] {
            #expect(String(decoding: other.encoded(), as: UTF8.self) == all)
        }
    }

    @Test("Encode and decode round-trip, escapes included")
    func roundTrip() throws {
        let study = SyntheticStudy(events: 3_000, seed: 12)
        let partial = try study.whole()
        let decoded = try BeforeAfterPartial(decoding: partial.encoded(), file: "p.partial")
        #expect(decoded.encoded() == partial.encoded())
        #expect(decoded.rows == partial.rows && decoded.members == partial.members)

        let odd = "tab\there\nnew\\line\r"
        let member = CohortSummary.Member(personID: odd, beforeDays: 365, afterDays: 100)
        let row = BeforeAfterTable.Row(personID: odd, service: "A\tB", before: PeriodFigures(events: 2, quantity: 3, cost: -150, unpriced: 1),
                                 after: PeriodFigures(events: 1, quantity: 1, cost: Pence.max - 150, unpriced: 0), beforeDays: 365, afterDays: 100)
        let handMade = BeforeAfterPartial(parameters: [.init("name\\with", "value\nlines")], fingerprint: "f", prices: "p\t",
                                         services: ServiceCatalog(entries: [.init(service: "A\tB", category: "Health"), .init(service: "C", category: "X", agency: "")]),
                                         sources: [SourceReconciliation(file: "<stdin>", read: 3, loaded: 3, rejected: 0, blank: 0)],
                                         rejected: [.init(kind: "bad_date", rows: 2)],
                                         unpriced: [.init(service: "A\tB", event: "e\n", events: 1)], members: [member], rows: [row])
        let bytes = handMade.encoded()
        #expect(!bytes.contains(0x0D))
        let back = try BeforeAfterPartial(decoding: bytes, file: "x")
        #expect(back.members == [member] && back.rows == [row])
        #expect(back.parameters == handMade.parameters && back.prices == "p\t" && back.unpriced == handMade.unpriced)
        #expect(back.services.entries == handMade.services.entries)
        #expect(back.encoded() == bytes)
    }

    @Test("A damaged partial names its line and what was expected", arguments: [
        ("", 1, "empty"),
        ("cof-partial\t6\n", 1, "format version 6; this cof (\(EngineVersion.current)) reads version 5: merge with the cof that wrote it"),
        ("cof-partial\t4\n", 1, "format version 4; this cof (\(EngineVersion.current)) reads version 5 (version 4 cannot carry the top users' state): remake it"),
        ("cof-partial\t3\n", 1, "format version 3; this cof (\(EngineVersion.current)) reads version 5 (version 3 leaves out the people's events"),
        ("cof-partial\t2\n", 1, "format version 2; this cof (\(EngineVersion.current)) reads version 5 (version 2 leaves out the treated people without events): remake it"),
        ("cof-partial\t\u{1B}[2J\n", 1, "partial format version that is not a number; this cof"),
        ("cof-partial\t1\nengine\t0.6.0\n", 1, "format version 1; this cof (\(EngineVersion.current)) reads version 5 (version 1 has no checksum): remake it"),
        ("person_id,service\n", 1, "not a cof partial"),
        ("CUT", 0, "cut short"),
        ("TAIL", 0, "after the end record"),
        ("BADNUMBER", 0, "not a whole number"),
        ("ORDER", 0, "people out of order"),
        ("COUNT", 0, "the end record counts"),
    ] as [(String, Int, String)])
    func malformed(damage: String, line: Int, words: String) throws {
        let good = String(decoding: try SyntheticStudy(events: 2_000, seed: 13).whole().encoded(), as: UTF8.self)
        var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // after the final line end
        var expectedLine = line
        var text = damage
        switch damage {
        case "CUT":
            text = lines.dropLast().joined(separator: "\n") + "\n"
            expectedLine = lines.count
        case "TAIL":
            text = good + "row\tx\n"
            expectedLine = lines.count
        case "BADNUMBER":
            let index = try #require(lines.firstIndex { $0.hasPrefix("row\t") })
            var fields = lines[index].split(separator: "\t").map(String.init)
            fields[4] = "12x"
            lines[index] = fields.joined(separator: "\t")
            text = PartialText.sealed(lines.joined(separator: "\n") + "\n")
            expectedLine = index + 1
        case "ORDER":
            let people = lines.indices.filter { lines[$0].hasPrefix("person\t") }
            lines.swapAt(people[0], people[1])
            text = PartialText.sealed(lines.joined(separator: "\n") + "\n")
            expectedLine = people[1] + 1
        case "COUNT":
            lines[lines.count - 1] = "end\t1\t1"
            text = PartialText.sealed(lines.joined(separator: "\n") + "\n")
            expectedLine = lines.count
        default: break
        }
        do {
            _ = try BeforeAfterPartial(decoding: Array(text.utf8), file: "p.partial")
            Issue.record("a damaged partial was read")
        } catch {
            #expect(error.description.hasPrefix("p.partial:\(expectedLine): "), "\(error)")
            #expect(error.description.contains(words), "\(error)")
        }
    }

    @Test("An edited or damaged partial is refused at its end record's line, whatever was changed", arguments: [
        "a digit in a row", "a parameter", "an added row, the counts fixed up", "the checksum removed",
        "the checksum in capitals", "the checksum of another partial",
    ])
    func checksum(damage: String) throws {
        let study = SyntheticStudy(events: 2_000, seed: 15)
        let good = String(decoding: try study.whole().encoded(), as: UTF8.self)
        var lines = good.split(separator: "\n").map(String.init)
        let end = lines.count - 1
        let endFields = lines[end].split(separator: "\t").map(String.init)
        #expect(endFields.count == 4 && endFields[3].hasPrefix("sha256:") && endFields[3].count == 7 + 64)
        #expect(endFields[3].allSatisfy { "sha256:0123456789abcdef".contains($0) })
        let row = try #require(lines.firstIndex { $0.hasPrefix("row\t") })
        switch damage {
        case "a digit in a row":
            // The before cost: still a number, so only the checksum can tell.
            var fields = lines[row].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            fields[4] = fields[4].last == "1" ? String(fields[4].dropLast()) + "2" : String(fields[4].dropLast()) + "1"
            lines[row] = fields.joined(separator: "\t")
        case "a parameter":
            let parameter = try #require(lines.firstIndex { $0.hasPrefix("parameter\tbefore\t") })
            lines[parameter] = "parameter\tbefore\t13m"
        case "an added row, the counts fixed up":
            let person = try #require(lines.lastIndex { $0.hasPrefix("person\t") })
            lines.insert("row\t\u{7F}Added\t1\t1\t100\t0\t0\t0\t0\t0", at: person + 1)
            let rows = lines.count(where: { $0.hasPrefix("row\t") })
            lines[lines.count - 1] = "end\t\(endFields[1])\t\(rows)\t\(endFields[3])"
        case "the checksum removed":
            lines[end] = endFields.prefix(3).joined(separator: "\t")
        case "the checksum in capitals":
            lines[end] = endFields.prefix(3).joined(separator: "\t") + "\tsha256:" + endFields[3].dropFirst(7).uppercased()
        default:
            let other = String(decoding: try SyntheticStudy(events: 2_000, seed: 16).whole().encoded(), as: UTF8.self)
            let otherEnd = try #require(other.split(separator: "\n").last?.split(separator: "\t").last)
            lines[end] = endFields.prefix(3).joined(separator: "\t") + "\t" + otherEnd
        }
        let text = lines.joined(separator: "\n") + "\n"
        do {
            _ = try BeforeAfterPartial(decoding: Array(text.utf8), file: "p.partial")
            Issue.record("an edited partial was read")
        } catch {
            let words = damage == "the checksum removed" ? "the end record has no checksum"
                : "the partial's checksum does not match its content: the file was edited or damaged"
            #expect(error.description.hasPrefix("p.partial:\(lines.count): \(words)"), "\(error)")
            #expect(!error.description.contains(endFields[3].dropFirst(7)))
        }
        // The untouched partial reads back, and writes the same bytes.
        #expect(try BeforeAfterPartial(decoding: Array(good.utf8), file: "p.partial").encoded() == Array(good.utf8))
        // Re-sealed, the edit passes the checksum and meets the reader's other checks (or none):
        // the checksum catches accidents, not a forger.
        if damage == "a digit in a row" || damage == "a parameter" {
            #expect(throws: Never.self) { try BeforeAfterPartial(decoding: Array(PartialText.sealed(text).utf8), file: "p.partial") }
        }
    }

    @Test("Partials under other parameters, or sharing a person, do not merge")
    func incompatible() throws {
        let study = SyntheticStudy(events: 3_000, seed: 14)
        let parts = try study.split(into: 2, seed: 1).map { try study.partial($0) }
        var other = parts[1]
        other.parameters[0] = .init("before", "6m")
        do {
            _ = try BeforeAfterPartial.merging([parts[0], other], names: ["a.partial", "b.partial"])
            Issue.record("merged partials of other parameters")
        } catch {
            #expect(error.description.contains("b.partial was computed under other parameters than a.partial: before 6m, not 12m"), "\(error)")
        }
        let decoded = try BeforeAfterPartial(decoding: parts[0].encoded(), file: "a.partial")
        do {
            _ = try BeforeAfterPartial.merging([decoded, parts[1], decoded], names: ["a.partial", "b.partial", "c.partial"])
            Issue.record("merged a person twice")
        } catch {
            let line = decoded.memberLines[0]
            #expect(error.description.contains("the same person is in a.partial:\(line) and c.partial:\(line)"), "\(error)")
            #expect(!error.description.contains(decoded.members[0].personID))
        }
    }

    @Test("Reconciliation, rejected rows and unpriced pairs are summed over partials")
    func reportsAreSummed() throws {
        let text = ["person_id,service,event,date\nA,A&E,attendance,2020-02-01\nA,Mystery,visit,2020-03-01\nB,A&E,attendance,2020-13-01\n",
                    "C,Mystery,visit,2020-02-01\n\nC,A&E,attendance,not a date\nC,A&E,attendance,2020-02-02\n"]
        var end: CivilDate?
        func inputs(_ events: String) -> StudyInputs {
            StudyInputs(events: [EventSource(csv(events, name: "<stdin>"), header: .optional)],
                        interventions: csv("person_id,start_date\nA,2020-01-01\nC,2020-01-01\nD,2020-01-01\n"),
                        unitCosts: csv("service,event,unit_cost\nA&E,*,100\n"),
                        windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: end),
                        policy: ErrorPolicy(mode: .reject))
        }
        // A partition cannot know the last date the whole data covers: the end the whole pass
        // decides is given to every partial (as cof partial requires).
        end = try #require(try StreamingPass(inputs(text[0] + text[1])).observationEnd?.date)
        #expect(end == CivilDate(iso: "2020-03-01"))
        let partials = try text.map { BeforeAfterPartial(pass: try StreamingPass(inputs($0)), parameters: [], fingerprint: "t") }
        let merged = try BeforeAfterPartial.merging(partials)
        #expect(merged.sources == [SourceReconciliation(file: "<stdin>", read: 7, loaded: 4, rejected: 2, blank: 1)])
        #expect(merged.rejected == [.init(kind: "bad_date", rows: 2)])
        #expect(merged.unpriced == [.init(service: "Mystery", event: "visit", events: 2)])
        // D has an intervention and no events anywhere: no row, as in cof compare, but in the
        // cohort once, though both partials list them without events.
        #expect(merged.members.map(\.personID) == ["A", "C"])
        #expect(merged.membersWithoutEvents.map(\.personID) == ["D"])
        #expect(partials.allSatisfy { $0.membersWithoutEvents.contains { $0.personID == "D" } })
        let whole = try StreamingPass(inputs(text[0] + text[1]))
        #expect(merged.beforeAfter.rows == whole.beforeAfter.rows)
        #expect(merged.cohortMembers == whole.cohortMembers)
        #expect(merged.cohortMembers.map(\.personID) == ["A", "C", "D"])
    }
}
