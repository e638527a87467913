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
        // SHA-256 for partials' checksums; HMAC-SHA256 for pseudonymised person IDs in exports.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The zip container of XLSX workbooks (needs zlib: Debian's zlib1g-dev).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // TOML project files (cof.toml), parsed by toml++ underneath.
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        // libcsv, the C parser every CSV byte goes through (Debian: libcsv-dev).
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        // zlib and libzstd, the streaming decompressors gzip and zstd inputs are read through
        // (Debian: zlib1g-dev, libzstd-dev).
        .systemLibrary(
            name: "CCompression",
            providers: [.apt(["zlib1g-dev", "libzstd-dev"])]
        ),
        // GLPK, the linear-programming solver disclosure control checks each withheld cell's
        // feasible interval with before anything is published (Debian: libglpk-dev).
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        // CPU and kernel hints Swift cannot spell (a cache prefetch, early write-back), in C.
        .target(name: "CCompilerHints"),
        // The engine: Ingest → Store → Costing → Kernels → Analysis.
        // Crypto: the SHA-256 a partial's text form carries in its end record (BeforeAfterPartial+Checksum).
        // TOMLKit: a project file written as cof.toml (ProjectFile+TOML).
        .target(
            name: "CostOfFailure",
            dependencies: ["CLibCSV", "CCompression", "CCompilerHints", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // Renderers for result tables (terminal, CSV, JSON, Markdown, XLSX) and privacy transforms.
        .target(
            name: "CostOfFailureReports",
            dependencies: [
                "CostOfFailure",
                "CCompilerHints",
                "CGLPK",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The command line: argument parsing and wiring only.
        .executableTarget(
            name: "cof",
            dependencies: [
                "CostOfFailure",
                "CostOfFailureReports",
                "CCompilerHints",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fuzz targets: libFuzzer under scripts/fuzz, a seeded loop otherwise (FuzzDriver, shared).
        .target(name: "FuzzDriver", dependencies: ["CostOfFailure"]),
        // The ingester (and the project file as bytes).
        .executableTarget(name: "IngestFuzzer", dependencies: ["CostOfFailure", "FuzzDriver"]),
        // The partial reader and the merge (cof merge).
        .executableTarget(name: "PartialFuzzer", dependencies: ["CostOfFailure", "FuzzDriver"]),
        // The project file (cof.json) and the windows it sets.
        .executableTarget(name: "ProjectFileFuzzer", dependencies: ["CostOfFailure", "FuzzDriver"]),
        // What more than one test target needs (not a product).
        .target(name: "TestSupport", dependencies: ["CostOfFailure", "CCompression"], path: "Tests/Support"),
        .testTarget(name: "CostOfFailureTests", dependencies: ["CostOfFailure", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "CostOfFailureReportsTests", dependencies: [
            "CostOfFailure", "CostOfFailureReports", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "CofTests", dependencies: ["cof", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    ]
)
