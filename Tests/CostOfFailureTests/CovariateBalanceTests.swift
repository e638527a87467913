import Testing
@testable import CostOfFailure

@Suite("The balance table: standardised mean differences")
struct CovariateBalanceTests {
    @Test("The SMD worked by hand: difference of means over the pooled sample standard deviation")
    func handWorked() throws {
        // Means 2 and 3, sample variances 1 and 1: (2 − 3) / √((1 + 1) / 2) = −1.
        #expect(CovariateBalance.standardisedMeanDifference([1, 2, 3], [2, 3, 4]) == -1)
        // Means 2 and 0, variances 1 and 4 (0, 2, −2 around 0): 2 / √2.5.
        let smd = try #require(CovariateBalance.standardisedMeanDifference([1, 2, 3], [0, 2, -2]))
        #expect(abs(smd - 2 / 2.5.squareRoot()) < 1e-12)
        #expect(CovariateBalance.standardisedMeanDifference([5, 5], [5, 5, 5]) == 0)  // alike and constant
        #expect(CovariateBalance.standardisedMeanDifference([5, 5], [6, 6]) == nil)  // constant apart: no scale
        #expect(CovariateBalance.standardisedMeanDifference([5], [6, 7]) == nil)  // one person has no variance
    }

    @Test("|SMD| above 0.1 is flagged, 0.1 itself is not; a missing SMD is flagged")
    func flag() {
        #expect(!CovariateBalance.isImbalanced(0.1) && !CovariateBalance.isImbalanced(-0.1))
        #expect(CovariateBalance.isImbalanced(0.1000001) && CovariateBalance.isImbalanced(-0.11))
        #expect(CovariateBalance.isImbalanced(nil))
    }

    @Test("The table: one row per variable; means and SMDs rest on the people behind them")
    func table() throws {
        let balance = CovariateBalance(names: ["x", "y"], treated: [[1, 0], [2, 0], [3, 0]], candidates: [[0, 0], [0, 1], [2, 3], [4, 0]],
                                       candidatePeople: 3, comparisonGroup: [[2, 0], [3, 0], [4, 0]])
        #expect(balance.lines.map(\.after) == [-1, 0])
        let table = balance.resultTable()
        #expect(table.rowCount == 2)
        #expect(table.column("candidate_people")?.basis?.people == [3, 3])
        // y is 0 for everyone: its SMD rests on no one's figure.
        #expect(table.column("smd_after_matching")?.basis?.people == [3, 0])
        guard case .rate(let flags, _)? = table.column("imbalanced_after")?.values else { Issue.record("no flags"); return }
        #expect(flags == [1, 0])
    }
}
