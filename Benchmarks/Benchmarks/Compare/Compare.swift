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
            blackHole(CSVRenderer().renderBytes(try StreamingPass(data.inputs()).comparison.resultTable()))
        }
    }

    // The same job through the whole event table (load, price every event, aggregate): the
    // path `cof report` and `cof validate` take, and the reference the one-pass path is tested
    // against.
    Benchmark("compare_\(BenchmarkData.label)_rows_table_path") { benchmark in
        for _ in benchmark.scaledIterations {
            let study = try data.inputs().load()
            blackHole(CSVRenderer().renderBytes(try BeforeAfterTable(study: study).resultTable()))
        }
    }
}
