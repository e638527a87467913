import Testing
@testable import CostOfFailure

/// The data-quality report as `cof validate` made it before the streaming pass: load the whole
/// table, then walk it source by source with sets and maps. Plain and obviously correct (the
/// duplicates by a set of whole rows), the reference the scan is checked against.
private func referenceReport(events: EventTable, unitCosts: UnitCostTable?, interventions: InterventionTable?,
                             observationEnd: CivilDate?) -> DataQualityReport {
    let costs = unitCosts.flatMap { try? CostResolver(unitCosts: $0).resolve(events) }
    let lastDay = observationEnd?.daysSinceEpoch ?? Int32.max
    struct Row: Hashable { var person, service, event, day, quantity: Int32; var cost: Pence? }
    var sources: [DataQualityReport.Source] = []
    for (index, reconciliation) in events.sources.enumerated() {
        let rows = events.rows(ofSource: index)
        var people = Set<Int32>(), seen = Set<Row>()
        var first = Int32.max, last = Int32.min
        var pairs: [Int64: Int] = [:], unpricedPairs: [Int64: Int] = [:]
        var late = 0, duplicates = 0
        for i in rows {
            people.insert(events.person[i])
            first = min(first, events.day[i])
            last = max(last, events.day[i])
            let pair = Int64(events.service[i]) << 32 | Int64(events.event[i])
            pairs[pair, default: 0] += 1
            if let costs, !costs.priced[i] { unpricedPairs[pair, default: 0] += 1 }
            if events.day[i] > lastDay { late += 1 }
            let row = Row(person: events.person[i], service: events.service[i], event: events.event[i], day: events.day[i],
                          quantity: events.quantity[i], cost: events.explicitCostValidity[i] ? events.explicitCost[i] : nil)
            if !seen.insert(row).inserted { duplicates += 1 }
        }
        func named(_ counts: [Int64: Int]) -> [(service: String, event: String, rows: Int)] {
            counts.map { (events.services[Int32($0.key >> 32)], events.events[Int32(truncatingIfNeeded: $0.key)], $0.value) }
                .sorted { a, b in
                    a.0 != b.0 ? Array(a.0.utf8).lexicographicallyPrecedes(Array(b.0.utf8)) : Array(a.1.utf8).lexicographicallyPrecedes(Array(b.1.utf8))
                }
                .map { (service: $0.0, event: $0.1, rows: $0.2) }
        }
        var byKind: [IngestError.Kind: (Int, [IngestError])] = [:]
        for reject in events.rejects where reject.file == reconciliation.file {
            var entry = byKind[reject.kind] ?? (0, [])
            entry.0 += 1
            if entry.1.count < DataQualityReport.positionsPerKind { entry.1.append(reject) }
            byKind[reject.kind] = entry
        }
        sources.append(DataQualityReport.Source(
            file: reconciliation.file, reconciliation: reconciliation, people: people.count,
            firstDay: first <= last ? CivilDate(daysSinceEpoch: first) : nil,
            lastDay: first <= last ? CivilDate(daysSinceEpoch: last) : nil,
            rowsByServiceEvent: named(pairs), unpriced: named(unpricedPairs), duplicateRows: duplicates,
            rowsAfterObservationEnd: late,
            errors: byKind.map { (kind: $0.key, count: $0.value.0, first: $0.value.1) }.sorted { $0.kind.rawValue < $1.kind.rawValue }))
    }
    let treated = Set(interventions?.entries.map(\.personID) ?? [])
    return DataQualityReport(
        sources: sources,
        peopleWithoutIntervention: interventions == nil ? 0 : events.persons.values.filter { !treated.contains($0) }.count,
        interventionsWithoutEvents: treated.filter { events.persons.code(of: $0) == nil }.count,
        coverage: interventions.map { SourceCoverage.measure(events: events, cohort: $0.cohort().people) } ?? [],
        hasInterventions: interventions != nil, hasUnitCosts: unitCosts != nil, observationEnd: observationEnd)
}

/// Every figure of a report, as text to compare.
private func figures(_ report: DataQualityReport) -> String {
    var text = "without intervention \(report.peopleWithoutIntervention), without events \(report.interventionsWithoutEvents), "
        + "coverage \(report.coverage), interventions \(report.hasInterventions), unit costs \(report.hasUnitCosts), end \(String(describing: report.observationEnd))\n"
    for source in report.sources {
        text += "\(source.file): \(source.reconciliation), people \(source.people), \(String(describing: source.firstDay))–\(String(describing: source.lastDay)), "
            + "duplicates \(source.duplicateRows), late \(source.rowsAfterObservationEnd)\n"
        text += "  rows \(source.rowsByServiceEvent.map { "\($0.service)/\($0.event) \($0.rows)" })\n"
        text += "  unpriced \(source.unpriced.map { "\($0.service)/\($0.event) \($0.rows)" })\n"
        text += "  errors \(source.errors.map { "\($0.kind) \($0.count) \($0.first)" })\n"
    }
    return text
}

/// Generated events with exact repeats, bad rows and blank lines put in, split into `sources`
/// files.
private func eventFiles(seed: UInt64, rows: Int, sources: Int) throws -> (files: [String], study: GeneratedStudy) {
    let study = GeneratedStudy(seed: seed, rows: rows)
    var random = SplitMix64(seed: seed ^ 0xDA7A)
    var lines = study.csvText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let header = lines.removeFirst()
    if lines.last == "" { lines.removeLast() }
    let bad = [
        "2019-02-30,1,\"PX\",A&E,attendance,",        // no such day
        "2019-02-03,many,\"PX\",A&E,attendance,",     // a quantity that is not a number
        "2019-02-03,1,\"\",A&E,attendance,",          // no person
        "2019-02-03,1,\"PX\",A&E",                    // too few fields
        "2019-02-03,1,\"PX\",A&E,attendance,£12.x",   // bad money
    ]
    var mixed: [String] = []
    for line in lines {
        mixed.append(line)
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<6: mixed.append(line)  // an exact repeat, next to it
        case 6..<9: mixed.insert(line, at: Int.random(in: 0...mixed.count, using: &random))  // a repeat elsewhere
        case 9: mixed.append(bad.randomElement(using: &random)!)
        case 10: mixed.append("")
        default: break
        }
    }
    // One row whose only difference from another is an explicit cost of zero: not a repeat.
    if let line = lines.first(where: { $0.hasSuffix(",") }) { mixed.append(line + "0") }
    let per = (mixed.count + sources - 1) / sources
    var files: [String] = []
    for s in 0..<sources {
        let part = mixed[min(mixed.count, s * per)..<min(mixed.count, (s + 1) * per)]
        files.append(try temporaryFile(header + "\n" + part.map { $0 + "\n" }.joined(), name: "source\(s).csv"))
    }
    return (files, study)
}

private func unitCostsCSV(_ entries: [UnitCostTable.Entry]) -> String {
    "service,event,unit_cost\n" + entries.map { "\($0.service),\($0.event),\(String(format: $0.unitCostPence))\n" }.joined()
}

private func interventionsCSV(_ entries: [InterventionTable.Entry]) -> String {
    "person_id,start_date\n" + entries.map { "\($0.personID),\($0.start)\n" }.joined()
}

/// The report both ways for `sources`: the reference from the whole table, and the scan's with
/// every loader; the observation end as `cof validate` decides it.
private func expectSameReports(_ sources: [EventSource], unitCosts: UnitCostTable?, interventions: InterventionTable?,
                               givenEnd: CivilDate?, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let policy = ErrorPolicy(mode: .reject)
    let table = try EventLoader(policy: policy).load(sources)
    let tableEnd = givenEnd ?? ObservationEnd.covered(events: table, sources: sources)?.date
    let expected = figures(referenceReport(events: table, unitCosts: unitCosts, interventions: interventions, observationEnd: tableEnd))
    for loader in loaders(policy) {
        let examined = try DataQualityReport.examine(sources, loader: loader, unitCosts: unitCosts, interventions: interventions)
        let end = givenEnd ?? ObservationEnd.covered(latestEventDays: examined.latestEventDays, extractDates: sources.map(\.extractDate))?.date
        #expect(end == tableEnd, sourceLocation: sourceLocation)
        let actual = figures(DataQualityReport(examined, unitCosts: unitCosts != nil, interventions: interventions, observationEnd: end))
        #expect(actual == expected, "morsel \(loader.morselRows), workers \(loader.workers), parts of \(loader.partBytes) bytes",
                sourceLocation: sourceLocation)
        // With a budget of 100 fingerprints, the scan's parts write theirs out time and again
        // (with morsels of a few rows, under every split: the slowest in a debug build).
        guard loader.morselRows == 7 else { continue }
        let spilled = try DataQualityReport.examine(sources, loader: loader, unitCosts: unitCosts, interventions: interventions) {
            FingerprintSpill(budgetBytes: 1_600)
        }
        #expect(figures(DataQualityReport(spilled, unitCosts: unitCosts != nil, interventions: interventions, observationEnd: end)) == expected,
                "spilled: morsel \(loader.morselRows), workers \(loader.workers), parts of \(loader.partBytes) bytes", sourceLocation: sourceLocation)
    }
}

@Suite("cof validate's one-pass scan against the table walk")
struct DataQualityScanTests {
    @Test("Generated sources with repeats, rejects and blank lines: the same report however the rows are split",
          arguments: [(41, 1), (42, 3), (43, 2)] as [(UInt64, Int)])
    func generated(seed: UInt64, sources: Int) throws {
        let (files, study) = try eventFiles(seed: seed, rows: 3_000, sources: sources)
        let reader = CSVReader()
        // A pair left without a unit cost, so some rows are unpriced.
        let unitCosts = try UnitCostLoader(reader: reader).load(.file(try temporaryFile(unitCostsCSV(Array(study.unitCosts.dropFirst())), name: "u.csv")))
        let interventions = try InterventionLoader(reader: reader).load(.file(try temporaryFile(interventionsCSV(study.interventions), name: "i.csv")))
        let events = files.map { EventSource(.file($0)) }
        try expectSameReports(events, unitCosts: unitCosts, interventions: interventions, givenEnd: nil)
        try expectSameReports(events, unitCosts: nil, interventions: nil, givenEnd: CivilDate(daysSinceEpoch: 18_000))
        // Extract dates on some sources only: the end is decided after the read.
        var dated = events
        dated[0].extractDate = CivilDate(daysSinceEpoch: 19_000)
        try expectSameReports(dated, unitCosts: unitCosts, interventions: interventions, givenEnd: nil)
        let examined = try DataQualityReport.examine(events, loader: EventLoader(policy: ErrorPolicy(mode: .reject)), unitCosts: unitCosts,
                                                     interventions: interventions)
        let report = DataQualityReport(examined, unitCosts: true, interventions: interventions, observationEnd: nil)
        // The generated files have what the check is for.
        #expect(report.sources.allSatisfy { $0.duplicateRows > 0 && $0.reconciliation.rejected > 0 && !$0.unpriced.isEmpty })
    }

    @Test("The same file twice: each source counts its own repeats, and the rejects of a name go to each source of that name")
    func sameFileTwice() throws {
        let (files, study) = try eventFiles(seed: 44, rows: 500, sources: 1)
        let interventions = try InterventionLoader(reader: CSVReader()).load(.file(try temporaryFile(interventionsCSV(study.interventions), name: "i.csv")))
        try expectSameReports([EventSource(.file(files[0])), EventSource(.file(files[0]))], unitCosts: nil, interventions: interventions,
                              givenEnd: nil)
    }

    @Test("An implausible cost anywhere leaves every source without unpriced pairs, as the table path priced nothing")
    func implausibleCost() throws {
        let first = try temporaryFile("person_id,service,event,date,cost\np1,A&E,attendance,2020-01-01,\np2,GP,visit,2020-01-02,\n", name: "a.csv")
        let second = try temporaryFile("person_id,service,event,date,cost\np1,GP,visit,2020-01-01,99999999999999\n", name: "b.csv")
        let unitCosts = try UnitCostLoader(reader: CSVReader()).load(.file(try temporaryFile("service,event,unit_cost\nA&E,attendance,100\n", name: "u.csv")))
        try expectSameReports([EventSource(.file(first))], unitCosts: unitCosts, interventions: nil, givenEnd: nil)
        try expectSameReports([EventSource(.file(first)), EventSource(.file(second))], unitCosts: unitCosts, interventions: nil, givenEnd: nil)
        let examined = try DataQualityReport.examine([EventSource(.file(first)), EventSource(.file(second))], loader: EventLoader(), unitCosts: unitCosts,
                                                     interventions: nil)
        #expect(DataQualityReport(examined, unitCosts: true, interventions: nil, observationEnd: nil).sources.allSatisfy { $0.unpriced.isEmpty })
    }

    @Test("Spells count night by night; a file with a header and no rows has no people, days or repeats")
    func spellsAndEmpty() throws {
        let spells = try temporaryFile("""
            person_id,service,event,date,end_date
            p1,Hostel,night,2020-01-01,2020-01-04
            p1,Hostel,night,2020-01-02,2020-01-03
            p2,Hostel,night,2020-01-01,2020-01-01
            p3,Hostel,night,2020-01-05,

            """, name: "spells.csv")
        let empty = try temporaryFile("person_id,service,event,date\n", name: "empty.csv")
        let interventions = try InterventionLoader(reader: CSVReader()).load(.file(try temporaryFile("person_id,start_date\np2,2020-01-01\np9,2020-01-01\n", name: "i.csv")))
        try expectSameReports([EventSource(.file(spells)), EventSource(.file(empty))], unitCosts: nil, interventions: interventions, givenEnd: nil)
        try expectSameReports([EventSource(.file(empty))], unitCosts: nil, interventions: nil, givenEnd: nil)
    }

    @Test("More (service, event) pairs than a morsel counts densely: counted in maps, the same report")
    func manyPairs() throws {
        let rows = (0..<300).map { "p\($0 % 7),S\($0),E\($0),2020-01-0\($0 % 9 + 1)\n" }.joined()
        let events = try temporaryFile("person_id,service,event,date\n" + rows + rows.prefix(60), name: "pairs.csv")
        let unitCosts = try UnitCostLoader(reader: CSVReader()).load(.file(try temporaryFile("service,event,unit_cost\nS1,E1,100\nS2,*,5\n", name: "u.csv")))
        try expectSameReports([EventSource(.file(events))], unitCosts: unitCosts, interventions: nil, givenEnd: nil)
    }

    @Test("People outside the cohort are told apart by their ID however it is read: spaces around it, non-ASCII, longer than a slot, windows-1252")
    func personIDPaths() throws {
        let long = String(repeating: "L", count: 40)
        let rows = ["  p1 ,A&E,attendance,2020-01-01", "p1,A&E,attendance,2020-01-01", "PÉ1,A&E,attendance,2020-01-01",
                    "PÉ1,A&E,attendance,2020-01-01", "PÉ2,A&E,attendance,2020-01-01", "\(long),GP,visit,2020-01-02",
                    "\(long),GP,visit,2020-01-02", "\(long)X,GP,visit,2020-01-02", "c1,GP,visit,2020-01-02", "c1,GP,visit,2020-01-02",
                    "\(long)C,GP,visit,2020-01-03", "\(long)C,GP,visit,2020-01-03", "CÉ,GP,visit,2020-01-03", "CÉ,GP,visit,2020-01-03"]
        let text = "person_id,service,event,date\n" + rows.map { $0 + "\n" }.joined()
        let interventions = try InterventionLoader(reader: CSVReader()).load(.file(try temporaryFile(
            "person_id,start_date\nc1,2020-01-01\n\(long)C,2020-01-01\nCÉ,2020-01-01\nnobody,2020-01-01\n", name: "i.csv")))
        var windows1252 = EventSource(.bytes(name: "w.csv", Array(text.utf8).flatMap { $0 == 0xC3 ? [] as [UInt8] : $0 == 0x89 ? [0xC9] : [$0] },
                                             chunkSize: 7))
        windows1252.encoding = .windows1252
        for sources in [[EventSource(.file(try temporaryFile(text, name: "u.csv")))], [windows1252],
                        [EventSource(.file(try temporaryFile(text, name: "u.csv"))), windows1252]] {
            try expectSameReports(sources, unitCosts: nil, interventions: interventions, givenEnd: nil)
        }
        let examined = try DataQualityReport.examine([EventSource(.file(try temporaryFile(text, name: "u.csv")))], loader: EventLoader(),
                                                     unitCosts: nil, interventions: interventions)
        let report = DataQualityReport(examined, unitCosts: false, interventions: interventions, observationEnd: nil)
        // p1, PÉ1, PÉ2, long, longX outside; c1, longC, CÉ in the cohort; six rows repeat one before them.
        #expect(report.sources.map(\.people) == [8] && report.sources.map(\.duplicateRows) == [6])
        #expect(report.peopleWithoutIntervention == 5 && report.interventionsWithoutEvents == 1)
    }
}

