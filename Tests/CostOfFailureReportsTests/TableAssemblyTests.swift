import CostOfFailure
import CostOfFailureReports
import Testing

@Suite("TableAssembly")
struct TableAssemblyTests {
    @Test("The pack without a comparison group: every table made, tied as one system, written in the pack's order")
    func packWithoutComparisonGroup() throws {
        var analyses = try FixtureAnalyses()
        let assembly = TableAssembly(financePackWithComparisonGroup: false)
        let made = try assembly.unprotected(from: &analyses, rounding: .exact)
        #expect(made.personList.tables.isEmpty)
        #expect(Set(made.cohortLevel.tables.map(\.name)) == Set(assembly.tables.map(\.name)))
        // The sums between the cohort's tables and the financial years are there for the audit.
        #expect(!made.cohortLevel.linkedTotals.isEmpty)
        let written = assembly.inOrder([made.cohortLevel, made.personList])
        #expect(written.map(\.name) == ExportTable.financePack(comparisonGroup: false).map(\.name))
        // No comparison group was there to analyse; none of its tables was asked for.
        #expect(!analyses.requests.contains("trajectory") && !analyses.requests.contains("topUsers"))
        #expect(assembly.showsBeforeAfterChange)
    }

    @Test("The pack with a comparison group adds the did, placebo and balance tables after the rest")
    func packWithComparisonGroup() throws {
        var analyses = try FixtureAnalyses(comparisonGroup: true)
        let assembly = TableAssembly(financePackWithComparisonGroup: true)
        let made = try assembly.unprotected(from: &analyses, rounding: .exact)
        let written = assembly.inOrder([made.cohortLevel, made.personList])
        #expect(written.suffix(3).map(\.name) == [DifferenceInDifferences.tableName, PlaceboTest.tableName, CovariateBalance.tableName])
        #expect(written.count == 11)
    }

    @Test("The difference in differences without a comparison group is refused, naming the flags that give one")
    func didNeedsComparisonGroup() throws {
        var analyses = try FixtureAnalyses()
        #expect(throws: TableAssembly.Failure.needsComparisonGroup) {
            try TableAssembly(tables: [.did]).unprotected(from: &analyses, rounding: .exact)
        }
        #expect(TableAssembly.Failure.needsComparisonGroup.description.contains("--comparison FILE"))
    }

    @Test("One table asks only for its own analyses; the person list stays apart from the cohort-level system")
    func singleTables() throws {
        var analyses = try FixtureAnalyses()
        let trajectory = try TableAssembly(tables: [.trajectory]).unprotected(from: &analyses, rounding: .exact)
        #expect(analyses.requests == ["trajectory"])
        #expect(trajectory.cohortLevel.tables.map(\.name) == ["trajectory"])
        #expect(!TableAssembly(tables: [.trajectory]).showsBeforeAfterChange)

        analyses = try FixtureAnalyses()
        let top = try TableAssembly(tables: [.topUsers]).unprotected(from: &analyses, rounding: .exact)
        #expect(analyses.requests == ["topUsers"])
        #expect(top.cohortLevel.tables.isEmpty)
        #expect(top.personList.tables.map(\.name) == ["top_users"])
        #expect(top.personList.tables[0].column("person_id") != nil)
    }

    @Test("A table tied to the cohort's brings the cohort's tables into the system, but writes only itself")
    func tiedTable() throws {
        var analyses = try FixtureAnalyses()
        let assembly = TableAssembly(tables: [.useChange])
        let made = try assembly.unprotected(from: &analyses, rounding: .exact)
        #expect(made.cohortLevel.table(CohortSummary.tableNames.cohort) != nil)
        #expect(assembly.inOrder([made.cohortLevel]).map(\.name) == [UseChange.tableName])
    }
}
