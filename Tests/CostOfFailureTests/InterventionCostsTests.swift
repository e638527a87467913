import Testing
@testable import CostOfFailure

@Suite("The interventions' recorded costs by cohort code")
struct InterventionCostsTests {
    @Test("The cohort with its costs is the cohort, and each cost is its row's, by its person's code", arguments: [1, 2, 3] as [UInt64])
    func sameAsRows(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        // Repeated IDs sharing long prefixes, non-ASCII ones, some rows with a cost.
        let stems = ["P", "P0000000", "P00000000", "Zoë-", "É", String(repeating: "L", count: 40)]
        var entries: [InterventionTable.Entry] = []
        for _ in 0..<2_000 {
            let id = stems[Int.random(in: 0..<stems.count, using: &random)] + String(Int.random(in: 0..<300, using: &random))
            let start = CivilDate(daysSinceEpoch: Int32.random(in: 15_000...20_000, using: &random))
            let cost: Pence? = Bool.random(using: &random) ? Pence.random(in: -5_000...1_000_000, using: &random) : nil
            entries.append(InterventionTable.Entry(personID: id, start: start, costPence: cost))
        }
        let table = InterventionTable(entries: entries)
        let (people, dates, costs) = table.cohortWithCosts()
        let cohort = table.cohort()
        #expect(people.values == cohort.people.values && dates == cohort.indexDates)
        #expect(costs == InterventionCosts(table, cohort: people))
        #expect(costs.rows == entries.count)
        let costed = entries.filter { $0.costPence != nil }
        #expect(costs.costs.map(\.pence) == costed.map { $0.costPence! })
        #expect(costs.costs.map(\.start) == costed.map(\.start))
        #expect(costs.costs.map { people[$0.member] } == costed.map(\.personID))
        #expect(costs.total() == costed.reduce(0) { $0 + $1.costPence! })
        for member in [0, people.count / 2, people.count - 1].map(Int32.init) {
            #expect(costs.total(member: member) == costed.filter { $0.personID == people[member] }.reduce(0) { $0 + $1.costPence! })
        }
        #expect(costs.total(member: -1) == 0)
    }

    @Test("A person's rows on either side of another's keep their own code")
    func runsOfOnePerson() {
        let day = { CivilDate(daysSinceEpoch: $0) }
        let table = InterventionTable(entries: [
            .init(personID: "B", start: day(300), costPence: 5), .init(personID: "A", start: day(200), costPence: 7),
            .init(personID: "B", start: day(100), costPence: 11), .init(personID: "A", start: day(400)),
        ])
        let (people, dates, costs) = table.cohortWithCosts()
        #expect(people.values == ["A", "B"] && dates == [day(200), day(100)])
        #expect(costs.costs.map(\.member) == [1, 0, 1] && costs.total(member: 0) == 7 && costs.total(member: 1) == 16)
    }
}
