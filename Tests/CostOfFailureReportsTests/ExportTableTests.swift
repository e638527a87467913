import CostOfFailure
import CostOfFailureReports
import Testing

@Suite("ExportTable")
struct ExportTableTests {
    @Test("The finance pack: eight tables without a comparison group, the did, placebo and balance after them with one")
    func financePack() {
        #expect(ExportTable.financePack(comparisonGroup: false).map(\.rawValue) == [
            "cohort", "by-service", "by-category", "by-agency", "financial-years", "intervention-by-year", "appraisal", "use-change",
        ])
        #expect(ExportTable.financePack(comparisonGroup: true) == ExportTable.financePack(comparisonGroup: false) + [.did, .placebo, .balance])
        #expect(!ExportTable.financePack(comparisonGroup: false).contains { $0.needsComparisonGroup })
        #expect(ExportTable.allCases.filter(\.needsComparisonGroup) == [.did, .placebo, .balance])
    }

    @Test("Each table publishes under its own result table's name, the one its analysis gives it")
    func names() {
        let names = ExportTable.allCases.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(ExportTable.byService.name == CohortSummary.tableNames.byService)
        #expect(ExportTable.interventionByYear.name == FinancialYearConsumption.tableNames.intervention)
        #expect(ExportTable.did.name == DifferenceInDifferences.tableName)
        #expect(ExportTable.topUsers.name == "top_users")
        #expect(ExportTable.allCases.filter(\.listsPeople) == [.topUsers])
    }

    @Test("A table is protected with every table its figures are tied to; the cohort's set comes first, once")
    func protectedSets() {
        // The appraisal repeats the cohort's figures and sums with the financial years.
        #expect(ExportTable.protectedSets(of: [.appraisal]) == [ExportTable.cohortTables, [.financialYears, .interventionByYear, .appraisal]])
        #expect(ExportTable.protectedSets(of: [.byAgency]) == [ExportTable.cohortTables])
        #expect(ExportTable.protectedSets(of: [.did]) == [ExportTable.cohortTables, [.did]])
        // Tied to nothing: alone.
        #expect(ExportTable.protectedSets(of: [.trajectory]) == [[.trajectory]])
        #expect(ExportTable.protectedSets(of: [.placebo]) == [[.placebo]])
        #expect(ExportTable.protectedSets(of: [.topUsers]) == [[.topUsers]])
        // Every table of the pack is in exactly one set.
        let pack = ExportTable.financePack(comparisonGroup: true)
        let covered = ExportTable.protectedSets(of: pack).flatMap { $0 }
        #expect(Set(covered) == Set(pack))
        #expect(covered.count == pack.count)
    }
}
