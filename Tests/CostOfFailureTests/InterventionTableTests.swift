import Testing
import CostOfFailure

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
