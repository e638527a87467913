import Benchmark
import BenchmarkData
import CostOfFailure

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkData.configuration(maxIterations: 5)

    let data = try! BenchmarkData.prepare()
    let source = EventSource(.file(data.folder + "/events.csv"))

    Benchmark("ingest_\(BenchmarkData.label)_rows") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try EventLoader(workers: Processors.online).load([source]))
        }
    }

    Benchmark("ingest_\(BenchmarkData.label)_rows_one_core") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try EventLoader(workers: 1).load([source]))
        }
    }
}
