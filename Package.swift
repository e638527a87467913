// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "cost-of-failure",
    products: [
        .library(name: "CostOfFailure", targets: ["CostOfFailure"]),
        .library(name: "CostOfFailureReports", targets: ["CostOfFailureReports"]),
        .executable(name: "cof", targets: ["cof"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // HMAC-SHA256 for pseudonymised person IDs in exports.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // libcsv, the C parser every CSV byte goes through (Debian: libcsv-dev).
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        // The engine: Ingest → Store → Costing → Kernels → Analysis.
        .target(
            name: "CostOfFailure",
            dependencies: ["CLibCSV"]
        ),
        // Renderers for result tables (terminal, CSV, JSON) and privacy transforms.
        .target(
            name: "CostOfFailureReports",
            dependencies: ["CostOfFailure", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The command line: argument parsing and wiring only.
        .executableTarget(
            name: "cof",
            dependencies: [
                "CostOfFailure",
                "CostOfFailureReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fuzz target for the ingester: libFuzzer under scripts/fuzz, a seeded loop otherwise.
        .executableTarget(name: "IngestFuzzer", dependencies: ["CostOfFailure"]),
        .testTarget(name: "CostOfFailureTests", dependencies: ["CostOfFailure"]),
        .testTarget(name: "CostOfFailureReportsTests", dependencies: ["CostOfFailure", "CostOfFailureReports"]),
        .testTarget(name: "CofTests", dependencies: ["cof"]),
    ]
)
