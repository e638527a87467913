import Foundation
import Testing
@testable import CostOfFailure

/// The cohort summary made from a streaming pass's coded rows (``CohortSummary/init(members:services:prices:codedBlocks:)``)
/// against the one made from the same rows as text (``CohortSummary/init(comparison:members:services:prices:)``).
@Suite("Cohort summary from coded rows")
struct CohortSummaryCodedTests {
    /// A generated study with a services file: two services in one category and agency, one
    /// with no agency, the intervention's own service, and services the file does not name;
    /// unpriced events (no unit cost for "GP") and a treated person with no rows.
    private func pass(seed: UInt64) throws -> StreamingPass {
        let generated = GeneratedStudy(seed: seed, rows: 3_000)
        let costs = generated.unitCosts.filter { $0.service != "GP" }
        var entries = generated.interventions.map { "\($0.personID),\($0.start)\n" }
        entries.append("NO-ROWS,2020-06-01\n")
        let services = "service,category,agency\nA&E,Health,NHS\nGP,Health,NHS\nPolice,Criminal justice,\nHostel,\(ServiceCatalog.interventionCategory),Council\n"
        var inputs = StudyInputs(events: [EventSource(.file(try temporaryFile(generated.csvText(), name: "events.csv")))],
                                 interventions: .file(try temporaryFile("person_id,start_date\n" + entries.sorted().joined(), name: "interventions.csv")),
                                 unitCosts: .file(try temporaryFile("service,event,unit_cost\n"
                                     + costs.map { "\($0.service),\($0.event),\(String(format: $0.unitCostPence))\n" }.joined(), name: "unit-costs.csv")),
                                 windows: generated.windows)
        inputs.services = .file(try temporaryFile(services, name: "services.csv"))
        return try StreamingPass(inputs, keepingCohortEvents: true)
    }

    /// Everything a summary states, as comparable text.
    private func figures(_ summary: CohortSummary) -> String {
        "\(summary.people) \(summary.beforeDays) \(summary.afterDays)\n\(summary.total)\n\(summary.byService)\n\(summary.byCategory)\n"
            + "\(summary.byAgency)\n\(summary.peopleObservedInBoth) \(String(describing: summary.meanChange)) "
            + "\(String(describing: summary.medianChange)) \(String(describing: summary.ninetiethPercentileChange)) \(summary.sumOfChanges) "
            + "\(summary.peopleWhoseCostWentUp) \(String(describing: summary.topTenthShareOfBeforeCost)) \(summary.topTenthPeople) "
            + "\(summary.peopleAtOrAboveNinetiethPercentile) \(summary.prices)\n\(summary.memberCosts.map { "\($0.before)/\($0.after)" })"
    }

    @Test("The same summary and use change as from the table, in blocks of any size on 1–3 threads", arguments: [41, 42] as [UInt64])
    func sameAsTable(seed: UInt64) throws {
        let pass = try pass(seed: seed)
        let members = pass.cohortMembers
        let table = try CohortSummary(beforeAfter: pass.beforeAfter, members: members, services: pass.services, prices: pass.prices)
        #expect(table.byService.contains { $0.inCohortTotal == false }, "the intervention's own service is met")
        #expect(table.total.leftOutEvents > 0, "cells left out of the money are met")
        #expect(figures(try pass.cohortSummary) == figures(table))
        for (workers, blockBits) in [(1, 0), (2, 2), (3, 5)] {
            let coded = try CohortSummary(members: members, services: pass.services, prices: pass.prices) { (body) throws(CostResolver.Overflow) in
                do {
                    try pass.forEachCodedBlock(workers: workers, blockBits: blockBits, transform: { $0 }, body)
                } catch {
                    Issue.record("the coded blocks failed: \(error)")
                }
            }
            #expect(figures(coded) == figures(table))
        }
        let fromTable = try UseChange(beforeAfter: pass.beforeAfter, members: members, services: pass.services, rounding: .exact)
        let fromSummary = try UseChange(summary: try pass.cohortSummary, members: members, rounding: .exact)
        let counts: [Int] = [fromSummary.up, fromSummary.same, fromSummary.down, fromSummary.notJudged]
        let expectedCounts: [Int] = [fromTable.up, fromTable.same, fromTable.down, fromTable.notJudged]
        #expect(counts == expectedCounts)
        #expect(fromSummary.changes == fromTable.changes)
        #expect(counts.reduce(0, +) == members.count)
    }
}
