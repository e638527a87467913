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
