import Testing
@testable import CostOfFailure

@Suite("A rank of a list by partitioning")
struct OrderStatisticTests {
    @Test("Every rank of lists with many ties, few, or none is the sorted list's, and the list is left partitioned about it",
          arguments: [1, 2, 3, 4] as [UInt64])
    func everyRank(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for count in [1, 2, 3, 5, 17, 100, 257] {
            for spread in [1, 3, 1_000_000] {
                let values = (0..<count).map { _ in Int128(Int.random(in: 0..<spread, using: &random)) - Int128(spread / 2) }
                let sorted = values.sorted()
                for rank in 0..<count {
                    var list = values
                    let value = OrderStatistic.value(atRank: rank, of: &list)
                    #expect(value == sorted[rank], "count \(count), spread \(spread), rank \(rank)")
                    #expect(list.sorted() == sorted)
                    #expect(list[..<rank].allSatisfy { $0 <= value } && list[rank...].allSatisfy { $0 >= value })
                }
            }
        }
    }

    @Test("A cohort summary's median, 90th-percentile change and top tenth's share equal a sort of its members' own figures",
          arguments: [11, 12, 13] as [UInt64])
    func cohortSummaryAgainstASort(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var builder = EventTableBuilder()
        var entries: [InterventionTable.Entry] = []
        let people = 41 + Int(seed)  // odd and even counts
        for person in 0..<people {
            let id = "P\(person)"
            entries.append(.init(personID: id, start: day("2020-01-01")))
            // Few distinct costs, so that ties fall at the ranks and at the top tenth's edge.
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                builder.append(person: id, service: "A&E", event: "attendance", date: day("2019-0\(Int.random(in: 1...9, using: &random))-10"),
                               explicitCost: [0, 10_000, 10_000, 25_000][Int.random(in: 0..<4, using: &random)])
            }
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                builder.append(person: id, service: "A&E", event: "attendance", date: day("2020-0\(Int.random(in: 1...9, using: &random))-10"),
                               explicitCost: [0, 10_000, 25_000][Int.random(in: 0..<3, using: &random)])
            }
        }
        let services = ServiceCatalog(entries: [.init(service: "A&E", category: "Health", agency: "NHS")])
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []), interventions: InterventionTable(entries: entries),
                              services: services,
                              windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years), observationEnd: day("2020-12-30")))
        let summary = try CohortSummary(beforeAfter: try BeforeAfterTable(study: study), members: study.cohortMembers,
                                        services: study.services, prices: "test prices")
        // The plain way: every member's annualised change sorted, every before cost sorted.
        var changes: [Int128] = []
        for (member, cost) in zip(study.cohortMembers, summary.memberCosts) {
            guard let before = Annualised.pence(cost.before, days: member.beforeDays),
                  let after = Annualised.pence(cost.after, days: member.afterDays) else { continue }
            changes.append(Int128(after) - Int128(before))
        }
        changes.sort()
        let middle = changes.count / 2
        let median = changes.count % 2 == 1 ? Pence(exactly: changes[middle]) : CohortSummary.roundedQuotient(changes[middle - 1] + changes[middle], 2)
        #expect(summary.medianChange == median)
        #expect(summary.ninetiethPercentileChange == Pence(exactly: changes[(changes.count * 9 + 9) / 10 - 1]))
        let before = summary.memberCosts.map(\.before).sorted(by: >)
        let top = before.prefix((before.count + 9) / 10).reduce(Int128(0)) { $0 + Int128($1) }
        let total = before.reduce(Int128(0)) { $0 + Int128($1) }
        #expect(summary.topTenthShareOfBeforeCost == Double(top) / Double(total))
    }
}
