import Benchmark
import BenchmarkData
import CostOfFailure
import CostOfFailureReports

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkData.configuration(maxIterations: 5, seconds: 30)

    let data = try! BenchmarkData.prepare()

    // The whole `cof compare` job: read the CSVs, price, window, sum, render the CSV result.
    Benchmark("compare_\(BenchmarkData.label)_rows") { benchmark in
        for _ in benchmark.scaledIterations {
            let study = try data.inputs().load()
            blackHole(CSVRenderer().renderBytes(try Comparison(study: study).resultTable()))
        }
    }
}
