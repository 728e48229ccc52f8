// swift-tools-version: 6.1
// MekongWatch: border-security incident case management for district offices, on SQLite.
import PackageDescription

/// The reference data and demo incidents in `seeds/` are compiled into the binary
/// (through the `Sources/MekongStore/seeds` link), so `mekong init` works offline from one file.
let seedFiles = ["province.csv", "districts.csv", "checkpoints.csv", "agencies.csv", "demo-incidents.ndjson"]

let package = Package(
    name: "MekongWatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mekong", targets: ["mekong"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        /// Domain values and rules. Pure Swift: no I/O, no GRDB.
        .target(name: "MekongCore"),
        /// The SQLite store: schema, reference data, incidents, imports.
        .target(
            name: "MekongStore",
            dependencies: [
                "MekongCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The C API itself, for the bulk insert path (GRDB measured ~2.5× slower there).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: seedFiles.map { .embedInCode("seeds/\($0)") }
        ),
        /// Report values computed from the store, and their renderers.
        .target(name: "MekongReports", dependencies: ["MekongCore", "MekongStore"]),
        /// The HTTP API (`mekong serve`) over the same services as the command line.
        .target(
            name: "MekongServer",
            dependencies: [
                "MekongCore", "MekongStore", "MekongReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Schemas/schema.sql", "Schemas/incident.schema.json"],
            resources: [.embedInCode("Schemas/openapi.yaml")]
        ),
        /// The command line: parse, call a service, print. Thin.
        .executableTarget(
            name: "mekong",
            dependencies: [
                "MekongCore", "MekongStore", "MekongReports", "MekongServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "MekongCoreTests", dependencies: ["MekongCore"]),
        .testTarget(name: "MekongStoreTests", dependencies: ["MekongStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "MekongReportsTests", dependencies: ["MekongReports", "MekongStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "MekongServerTests",
            dependencies: [
                "MekongServer", "MekongStore", "MekongReports", "MekongCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Runs the built `mekong` binary and checks stdout, stderr and exit codes.
        .testTarget(name: "EndToEndTests", dependencies: ["mekong"]),
    ],
    swiftLanguageModes: [.v6]
)
