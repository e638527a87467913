import Benchmark
import BenchmarkData
import CostOfFailure
import CostOfFailureReports

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkData.configuration(maxIterations: 5, seconds: 30)

    let data = try! BenchmarkData.prepare()

    // The whole `cof compare` job as the command runs it: one streaming pass over the CSVs
    // (decode, price, window, sum per morsel), then the CSV result.
    Benchmark("compare_\(BenchmarkData.label)_rows") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(CSVRenderer().renderBytes(try StreamingPass(data.inputs()).beforeAfter.resultTable()))
        }
    }

    // The finance pack's analyses as `cof export` makes them without a comparison group: one
    // streaming pass keeping the cohort's events, then the cohort summary from its coded rows,
    // the financial years, the appraisal and the use change from the summary, the trajectory
    // and the baseline check (folds over each member's events).
    Benchmark("finance_pack_\(BenchmarkData.label)_rows") { benchmark in
        for _ in benchmark.scaledIterations {
            let pass = try StreamingPass(data.inputs(), keepingCohortEvents: true)
            let summary = try pass.cohortSummary
            blackHole(pass.financialYearConsumption.lines.count)
            blackHole(try pass.appraisal(summary: summary).observedAnnualSaving)
            blackHole(try UseChange(summary: summary, members: pass.cohortMembers).up)
            blackHole(pass.trajectory().points.count)
            blackHole(pass.regressionToTheMean.flagged)
        }
    }

    // The same job through the whole event table (load, price every event, aggregate): the
    // path `cof validate` and a library user take, and the reference the one-pass path is tested
    // against.
    Benchmark("compare_\(BenchmarkData.label)_rows_table_path") { benchmark in
        for _ in benchmark.scaledIterations {
            let study = try data.inputs().load()
            blackHole(CSVRenderer().renderBytes(try BeforeAfterTable(study: study).resultTable()))
        }
    }
}
