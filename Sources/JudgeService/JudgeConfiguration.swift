import ServiceKit

/// JudgeService's own settings (the shared ones are in ServiceSettings); documented in the README.
struct JudgeConfiguration: Sendable {
    var redis: RedisConfiguration
    /// `host:port[,…]` of Problems (problems, templates, test data) and Submissions (results).
    var problemsAddresses: String
    var submissionsAddresses: String
    /// Jobs judged in parallel by this instance.
    var workers: Int
    /// A job delivered to a consumer that has not acknowledged it for this long belongs to a dead
    /// judge and is claimed again. Live workers refresh their jobs well within it.
    var claimIdle: Duration
    /// This instance's consumer name in the group (unique per process).
    var consumerName: String
    /// Test data cache, compile cache and the sandboxes' boxes live under it.
    var workDirectory: String
    var testDataCacheBytes: Int
    var compileCacheBytes: Int
    /// JSON list of languages replacing the built-in five (JudgeCore's LanguageConfiguration).
    var languagesFile: String?
    /// Sandbox slot k runs as uid/gid `sandboxUIDBase + k`.
    var sandboxUIDBase: Int

    init(_ environment: Environment, defaultConsumer: String) throws {
        self.redis = try RedisConfiguration.fromEnvironment(environment, variable: "REDIS_URL")
        self.problemsAddresses = try environment.rpcAddresses("PROBLEMS_ADDR", default: "127.0.0.1:7102")
        self.submissionsAddresses = try environment.rpcAddresses("SUBMISSIONS_ADDR", default: "127.0.0.1:7103")
        self.workers = try environment.int("JUDGE_WORKERS", default: 2, range: 1...64)
        self.claimIdle = .milliseconds(try environment.int("JUDGE_CLAIM_IDLE_MS", default: 60_000, range: 1_000...3_600_000))
        self.consumerName = environment.string("JUDGE_CONSUMER", default: defaultConsumer)
        self.workDirectory = environment.string("JUDGE_WORK_DIR", default: "/var/lib/algosports-judge")
        self.testDataCacheBytes = try environment.int("JUDGE_TESTDATA_CACHE_MB", default: 2048, range: 16...1_048_576) << 20
        self.compileCacheBytes = try environment.int("JUDGE_COMPILE_CACHE_MB", default: 512, range: 16...1_048_576) << 20
        self.languagesFile = environment.string("JUDGE_LANGUAGES_FILE")
        self.sandboxUIDBase = try environment.int("JUDGE_SANDBOX_UID_BASE", default: 60_000, range: 1_000...4_000_000_000)
    }
}
