// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // Async functions run on their caller's executor: no executor check (and lock) on every call.
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "AlgoSports",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "Users", targets: ["Users"]),
        .executable(name: "Problems", targets: ["Problems"]),
        .executable(name: "Submissions", targets: ["Submissions"]),
        .executable(name: "JudgeService", targets: ["JudgeService"]),
        .executable(name: "Edge", targets: ["Edge"]),
        .executable(name: "RPCBench", targets: ["RPCBench"]),
        .executable(name: "BareHTTP", targets: ["BareHTTP"]),
        .executable(name: "ProtoLeakCheck", targets: ["ProtoLeakCheck"]),
        .executable(name: "SandboxHelper", targets: ["SandboxHelper"]),
        .executable(name: "JudgeBench", targets: ["JudgeBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // C libraries from Debian (installed by .ci/run and `make run`).
        .systemLibrary(name: "CProtobufC", path: "Sources/CProtobufC", pkgConfig: "libprotobuf-c"),
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres", pkgConfig: "libpq"),
        .systemLibrary(name: "CHiredis", path: "Sources/CHiredis"),
        .systemLibrary(name: "CSodium", path: "Sources/CSodium", pkgConfig: "libsodium"),
        .systemLibrary(name: "CSeccomp", path: "Sources/CSeccomp", pkgConfig: "libseccomp"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),

        // protoc-c output (committed; `make proto` regenerates it).
        .target(name: "CAlgoProto", dependencies: ["CProtobufC"], path: "Sources/CAlgoProto"),

        // The RPC protocol: frames, handshake, server, client pool. Knows no service.
        .target(
            name: "RPC",
            dependencies: [
                "CSodium",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),

        // Swift messages and typed clients/handlers generated from proto/ by tools/protoc-gen-swiftpbc.
        .target(
            name: "AlgoProto",
            dependencies: ["CAlgoProto", "CProtobufC", "RPC", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),

        // Shared runtime of every service: config, logging, metrics, storage (libpq, hiredis),
        // password hashing and tokens, the admin HTTP port, lifecycle, health.
        .target(
            name: "ServiceKit",
            dependencies: [
                "RPC", "AlgoProto", "CPostgres", "CHiredis", "CSodium",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // Skill ratings of game results (OpenSkill's Weng–Lin Plackett–Luce). Pure Swift, no dependency.
        .target(name: "Ratings", swiftSettings: swiftSettings),

        .executableTarget(
            name: "Users",
            dependencies: ["ServiceKit", "AlgoProto", "RPC", "CSodium", .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Problems",
            dependencies: [
                "ServiceKit", "AlgoProto", "RPC", "CZlib", "CSodium",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Submissions",
            dependencies: ["ServiceKit", "AlgoProto", "RPC", "Ratings", .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),
        // The sandbox (bubblewrap, cgroups, seccomp), languages, checkers and verdicts. No RPC, no
        // storage: JudgeService feeds it jobs.
        .target(
            name: "JudgeCore",
            dependencies: [
                "CSeccomp", "ServiceKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The sandbox's privileged half in C (fork/exec, setuid, rlimits, seccomp, reaping). JudgeCore
        // finds it next to the running executable; JudgeService ships with it.
        .executableTarget(
            name: "SandboxHelper",
            path: "Sources/SandboxHelper",
            // Static and without the Swift runtime (see swift_runtime_stubs.c): it also starts inside
            // the sandbox, where only /usr is mounted, and a static binary starts fastest.
            linkerSettings: [.linkedLibrary("seccomp"), .unsafeFlags(["-static-executable"])]
        ),
        .executableTarget(
            name: "JudgeService",
            dependencies: [
                "ServiceKit", "AlgoProto", "RPC", "JudgeCore", "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Edge",
            dependencies: [
                "ServiceKit", "AlgoProto", "RPC",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // A bare Hummingbird JSON route: the baseline of `make bench-edge`.
        .executableTarget(
            name: "BareHTTP",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "RPCBench",
            dependencies: [
                "RPC", "AlgoProto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // `make bench-judge`: sandbox overhead over a bare exec.
        .executableTarget(
            name: "JudgeBench",
            dependencies: ["JudgeCore", "AlgoProto", "RPC", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "ProtoLeakCheck", dependencies: ["AlgoProto"], swiftSettings: swiftSettings),

        .testTarget(
            name: "RPCTests",
            dependencies: [
                "RPC", "AlgoProto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AlgoProtoTests",
            dependencies: ["AlgoProto", "RPC", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ServiceTests", dependencies: ["ServiceKit", "AlgoProto", "RPC"], swiftSettings: swiftSettings),
        .testTarget(
            name: "StorageTests",
            dependencies: ["ServiceKit", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "UsersTests",
            dependencies: ["Users", "ServiceKit", "AlgoProto", "RPC"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ProblemsTests", dependencies: ["Problems", "ServiceKit", "AlgoProto", "RPC"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SubmissionsTests",
            dependencies: ["Submissions", "ServiceKit", "AlgoProto", "RPC"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "JudgeCoreTests",
            dependencies: [
                "JudgeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "JudgeServiceTests",
            dependencies: ["JudgeService", "JudgeCore", "ServiceKit", "AlgoProto", "RPC"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EdgeTests",
            dependencies: [
                "Edge", "Users", "ServiceKit", "AlgoProto", "RPC",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "RatingsTests", dependencies: ["Ratings"], swiftSettings: swiftSettings),
    ]
)
