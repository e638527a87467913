// swift-tools-version:6.1
// The benchmark suite, a package of its own so that users of the engine never resolve the
// benchmark tooling. Run with `scripts/bench` (or `swift package benchmark` in this folder).
import PackageDescription

let package = Package(
    name: "cost-of-failure-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "cost-of-failure", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Generated inputs shared by the benchmarks (made in setup, outside the measured region).
        .target(name: "BenchmarkData", dependencies: [.product(name: "CostOfFailure", package: "cost-of-failure")]),
        .executableTarget(
            name: "Ingest",
            dependencies: ["BenchmarkData", .product(name: "CostOfFailure", package: "cost-of-failure"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Ingest",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Pricing",
            dependencies: ["BenchmarkData", .product(name: "CostOfFailure", package: "cost-of-failure"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Pricing",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Aggregation",
            dependencies: ["BenchmarkData", .product(name: "CostOfFailure", package: "cost-of-failure"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Aggregation",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Compare",
            dependencies: ["BenchmarkData", .product(name: "CostOfFailure", package: "cost-of-failure"),
                           .product(name: "CostOfFailureReports", package: "cost-of-failure"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Compare",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
