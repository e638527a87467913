import Benchmark
import BenchmarkData
import CostOfFailure

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkData.configuration(maxIterations: 10)

    // Windowing and the grouped sums: the before/after kernel over every event, both cores.
    Benchmark("windows_and_sums_\(BenchmarkData.label)_rows") { (benchmark: Benchmark, study: Study) in
        for _ in benchmark.scaledIterations {
            blackHole(try BeforeAfterTable(study: study).rows.count)
        }
    } setup: {
        try BenchmarkData.prepare().inputs().load()
    }

    Benchmark("windows_and_sums_\(BenchmarkData.label)_rows_one_core") { (benchmark: Benchmark, study: Study) in
        for _ in benchmark.scaledIterations {
            blackHole(try BeforeAfterTable(study: study).rows.count)
        }
    } setup: {
        try BenchmarkData.prepare().inputs(workers: 1).load()
    }
}
