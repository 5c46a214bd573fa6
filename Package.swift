// swift-tools-version: 6.2
// marketmap: one executable, modules as described in docs/architecture.md.
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "marketmap",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "marketmap", targets: ["marketmap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The reporter's HTTP server only (ReportServer); swift-configuration support left out.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
    ],
    targets: [
        // System libraries (apt providers are what ops/setup installs).
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CPSL", pkgConfig: "libpsl", providers: [.apt(["libpsl-dev"])]),

        // Pure domain logic: Foundation only, no I/O.
        .target(name: "MarketMapCore", swiftSettings: strict),

        // The one place that calls libpq: connections, COPY, LISTEN/NOTIFY,
        // migrations, the embedded server.
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: strict
        ),
        // The queue and the loops that drive it (worker, coordinator), as
        // services of swift-service-lifecycle.
        .target(
            name: "JobQueue",
            dependencies: [
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Enrichment",
            dependencies: ["MarketMapCore", "Postgres", "CCurl", "CPSL"],
            swiftSettings: strict
        ),
        .target(
            name: "Pipeline",
            dependencies: [
                "MarketMapCore", "Postgres", "JobQueue", "Enrichment",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // Development tools the binary links but no product module does: the
        // provider simulator and the job kinds that exercise the queue alone.
        .target(
            name: "DevTools",
            dependencies: [
                "MarketMapCore", "Postgres", "JobQueue", "Enrichment",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The reporter's HTTP server: the latest report, the steward's review
        // page (token-protected writes). The only target that links Hummingbird.
        .target(
            name: "ReportServer",
            dependencies: [
                "MarketMapCore", "Postgres", "JobQueue", "Pipeline",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "marketmap",
            dependencies: [
                "MarketMapCore", "Postgres", "JobQueue", "Enrichment", "Pipeline", "DevTools", "ReportServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),

        // Tests: pure unit tests; tests on a real PostgreSQL, some of which
        // start processes (tagged `process`, left out by `ops/test --fast`);
        // the helpers both kinds share (test database, binary, cluster, HTTP).
        .testTarget(name: "MarketMapCoreTests", dependencies: ["MarketMapCore", "Enrichment"], swiftSettings: strict),
        .target(
            name: "TestSupport",
            dependencies: ["MarketMapCore", "Postgres", "Enrichment", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "TestSupport", "MarketMapCore", "Postgres", "JobQueue", "Enrichment", "Pipeline", "DevTools", "ReportServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
    ]
)
