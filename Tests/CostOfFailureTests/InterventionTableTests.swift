import Testing
@testable import CostOfFailure

@Suite("The treated cohort in output order")
struct InterventionTableTests {
    @Test("Codes follow the byte order of the IDs, each person once, with their earliest start", arguments: [1, 2, 3] as [UInt64])
    func cohortAgainstReference(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        // IDs that share long prefixes (so the eight-byte sort key ties), of many lengths, some
        // non-ASCII, each on several rows with different starts.
        let stems = ["P", "P0000000", "P00000000", "Q1234567-", "Zoë-", "É"]
        var entries: [InterventionTable.Entry] = []
        for _ in 0..<3_000 {
            let id = stems[Int.random(in: 0..<stems.count, using: &random)] + String(Int.random(in: 0..<400, using: &random))
            let start = CivilDate(daysSinceEpoch: Int32.random(in: 15_000...20_000, using: &random))
            entries.append(InterventionTable.Entry(personID: id, start: start))
        }
        let (people, dates) = InterventionTable(entries: entries).cohort()
        var earliest: [String: CivilDate] = [:]
        for entry in entries { earliest[entry.personID] = min(earliest[entry.personID] ?? entry.start, entry.start) }
        let expected = earliest.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(people.values == expected)
        #expect(dates == expected.map { earliest[$0]! })
    }
}

@Suite("The cohort read straight from an interventions file")
struct InterventionCohortLoadTests {
    @Test("The same people and index dates as the table's cohort, in chunks of any size", arguments: [3, 17, 1 << 16])
    func sameAsTable(chunkSize: Int) throws {
        var random = SplitMix64(seed: 7)
        var text = "programme,person_id,cost,start_date,end_date\n"
        for row in 0..<2_000 {
            let id = ["P", "P0000000", "Zoë-", " Q"][row % 4] + String(Int.random(in: 0..<300, using: &random))
            let start = CivilDate(daysSinceEpoch: Int32.random(in: 15_000...20_000, using: &random))
            let cost = row % 3 == 0 ? "" : "\(row).50"
            text += "Liberated Method,\"\(id) \",\(cost),\(start),\n"
        }
        let source = csv(text, name: "interventions.csv", chunkSize: chunkSize)
        let (people, dates) = try InterventionLoader().loadCohort(source)
        let expected = try InterventionLoader().load(source).cohort()
        #expect(people.values == expected.people.values)
        #expect(dates == expected.indexDates)
        #expect(people.count > 500)
    }

    @Test("Every bad row fails with the table's error, at the same place", arguments: [
        "person_id,start_date\n,2023-01-01\n",
        "person_id,start_date\nP1,\n",
        "person_id,start_date\nP1,2023-02-30\n",
        "person_id,start_date,end_date\nP1,2023-02-01,2023-01-31\n",
        "person_id,start_date,end_date\nP1,2023-02-01,soon\n",
        "person_id,start_date,cost\nP1,2023-02-01,twelve\n",
        "person_id,start_date\nP1,2023-02-01,extra\n",
        "person\n",
        "",
    ])
    func sameErrors(text: String) {
        sameErrors(csv(text, name: "interventions.csv"))
    }

    @Test("Invalid UTF-8 in an ID fails with the table's error")
    func invalidUTF8() {
        sameErrors(.bytes(name: "interventions.csv", Array("person_id,start_date\nP".utf8) + [0xC9] + Array("1,2023-02-01\n".utf8),
                          chunkSize: 1 << 16))
    }

    private func sameErrors(_ source: InputSource) {
        let table = ingestError { _ = try InterventionLoader().load(source) }
        let cohort = ingestError { _ = try InterventionLoader().loadCohort(source) }
        #expect(table != nil)
        #expect(cohort == table)
    }
}

@Suite("Byte order of IDs")
struct ByteOrderTests {
    @Test("codesInByteOrder against a plain sort: shared prefixes, short and empty values, bytes above 0x7F", arguments: [1, 2, 3] as [UInt64])
    func againstReference(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        // Runs of one eight-byte prefix, long ("P0000000…") and short ("LongStem…", a few values).
        let stems = ["", "P", "P0000000", "P00000000", "Q1234567-", "Zoë-", "É", "\u{7F}", "ÿÿÿÿÿÿÿÿ", "LongStem"]
        var dictionary = StringDictionary()
        var values: Set<String> = []
        for _ in 0..<5_000 {
            let stem = stems[Int.random(in: 0..<stems.count, using: &random)]
            let value = stem + String(Int.random(in: 0..<(stem == "LongStem" ? 5 : 600), using: &random))
            _ = dictionary.intern(value)
            values.insert(value)
        }
        let expected = values.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(dictionary.codesInByteOrder().map { dictionary[$0] } == expected)
        #expect(StringDictionary().codesInByteOrder().isEmpty)
        var one = StringDictionary()
        _ = one.intern("P1")
        #expect(one.codesInByteOrder() == [0])
    }
}

@Suite("The cohort read in two halves at once")
struct InterventionCohortTwoPartTests {
    /// An interventions file of `rows` rows in the given shape, as text.
    private static func text(rows: Int, seed: UInt64, lineEnd: String = "\n", quotedBreakAt: Int? = nil, badAt: Int? = nil) -> String {
        var random = SplitMix64(seed: seed)
        var text = "\u{FEFF}programme,person_id,cost,start_date,end_date" + lineEnd
        for row in 0..<rows {
            let id = ["P", "P0000000", "Zoë-", " Q"][row % 4] + String(Int.random(in: 0..<(rows / 3 + 1), using: &random))
            let start = CivilDate(daysSinceEpoch: Int32.random(in: 15_000...20_000, using: &random))
            let programme = row == quotedBreakAt ? "\"Liberated\nMethod\"" : "Liberated Method"
            let date = row == badAt ? "2023-02-30" : "\(start)"
            text += "\(programme),\(id),\(row % 3 == 0 ? "" : "\(row).50"),\(date)," + lineEnd
            if row % 97 == 0 { text += lineEnd }  // a blank line now and then
        }
        return text
    }

    @Test("The same cohort as one read, and the same error, whatever the file's shape", arguments: [
        (1, "\n", nil, nil), (2, "\r\n", nil, nil), (3, "\n", 1_000, nil), (4, "\n", 999, nil), (5, "\n", 1_001, nil),
        (6, "\n", nil, 1_500), (7, "\n", nil, 200), (8, "\r\n", 1_000, 1_800),
    ] as [(UInt64, String, Int?, Int?)])
    func sameAsOneRead(seed: UInt64, lineEnd: String, quotedBreakAt: Int?, badAt: Int?) throws {
        // 2,000 rows: the middle of the file is near row 1,000, where a quoted line break may sit.
        let source = InputSource.file(try temporaryFile(Self.text(rows: 2_000, seed: seed, lineEnd: lineEnd, quotedBreakAt: quotedBreakAt,
                                                                   badAt: badAt), name: "interventions.csv"))
        var twoParts = InterventionLoader()
        twoParts.twoPartThreshold = 0
        var oneRead = InterventionLoader()
        oneRead.twoPartThreshold = .max
        let expected = Result { () throws(IngestError) in try oneRead.loadCohort(source) }
        let actual = Result { () throws(IngestError) in try twoParts.loadCohort(source) }
        switch (expected, actual) {
        case let (.success(expected), .success(actual)):
            #expect(badAt == nil)
            #expect(actual.people.values == expected.people.values)
            #expect(actual.indexDates == expected.indexDates)
            #expect(expected.people.count > 300)
        case let (.failure(expected), .failure(actual)):
            #expect(badAt != nil)
            #expect(actual == expected)
            #expect(actual.line != nil)
        default:
            Issue.record("one read gave \(expected), two parts \(actual)")
        }
        // And both as the table's cohort.
        if badAt == nil {
            let table = try oneRead.load(source).cohort()
            #expect(try twoParts.loadCohort(source).people.values == table.people.values)
        }
    }
}
