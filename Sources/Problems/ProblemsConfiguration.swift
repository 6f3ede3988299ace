import ServiceKit

/// Problems' own settings (the shared ones are in ServiceSettings); documented in the README.
struct ProblemsConfiguration: Sendable, CustomStringConvertible {
    var database: DatabaseConfiguration
    var migrationsDirectory: String?
    var limits: TestDataLimits
    /// PROBLEMS_SEED_DEMO=1 creates the demo problems at start (idempotent).
    var seedDemo: Bool

    var description: String {
        "ProblemsConfiguration(database: \(self.database), limits: \(self.limits), seedDemo: \(self.seedDemo))"
    }

    init(_ environment: Environment) throws {
        self.database = try DatabaseConfiguration.fromEnvironment(environment, variable: "DATABASE_URL")
        self.migrationsDirectory = environment.string("MIGRATIONS_DIR")
        self.limits = TestDataLimits(
            maximumFileBytes: try environment.int("TEST_DATA_MAX_FILE_BYTES", default: 64 << 20, range: 1...(1 << 30)),
            maximumVersionBytes: try environment.int("TEST_DATA_MAX_VERSION_BYTES", default: 256 << 20, range: 1...(4 << 30)),
            maximumTests: try environment.int("TEST_DATA_MAX_TESTS", default: 1000, range: 1...100_000),
            maximumUploadBytes: try environment.int("TEST_DATA_MAX_UPLOAD_BYTES", default: 64 << 20, range: (1 << 20)...(1 << 30))
        )
        self.seedDemo = try environment.choice("PROBLEMS_SEED_DEMO", default: "0", allowed: ["0", "1"]) == "1"
    }
}

/// Size limits of test data, checked before anything is inflated or stored.
struct TestDataLimits: Sendable, CustomStringConvertible {
    /// One input or answer file, after inflation.
    var maximumFileBytes: Int
    /// Every file of a version together, after inflation.
    var maximumVersionBytes: Int
    var maximumTests: Int
    /// A PutTestData request (the zip or the JSON list) as it arrives: the RPC frame limit follows it.
    var maximumUploadBytes: Int

    static let defaults = TestDataLimits(
        maximumFileBytes: 64 << 20, maximumVersionBytes: 256 << 20, maximumTests: 1000, maximumUploadBytes: 64 << 20
    )

    /// Room for the request's other fields and the frame header around the upload.
    var rpcFrameLength: UInt32 { UInt32(clamping: self.maximumUploadBytes + (1 << 20)) }

    var description: String {
        "file \(self.maximumFileBytes) B, version \(self.maximumVersionBytes) B, \(self.maximumTests) tests, upload \(self.maximumUploadBytes) B"
    }
}
