// swift-tools-version:6.1
// The benchmark suite, a package of its own so that users of the engine never resolve the
// benchmark tooling. Run with `scripts/bench` (or `swift package benchmark` in this folder).
import PackageDescription

/// One benchmark executable: `Benchmarks/<name>/<name>.swift`, on the engine, the shared data
/// and the benchmark tooling.
func benchmark(_ name: String, extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["BenchmarkData", .product(name: "CostOfFailure", package: "cost-of-failure"),
                       .product(name: "Benchmark", package: "benchmark")] + extra,
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "cost-of-failure-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "cost-of-failure", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Generated inputs and settings shared by the benchmarks (made in setup, outside the measured region).
        .target(name: "BenchmarkData", dependencies: [.product(name: "CostOfFailure", package: "cost-of-failure"),
                                                      .product(name: "Benchmark", package: "benchmark")]),
        benchmark("Ingest"),
        benchmark("Pricing"),
        benchmark("Aggregation"),
        benchmark("Compare", extra: [.product(name: "CostOfFailureReports", package: "cost-of-failure")]),
    ]
)
