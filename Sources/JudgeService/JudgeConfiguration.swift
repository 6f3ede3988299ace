import JudgeCore
import ServiceKit

/// JudgeService's own settings (the shared ones are in ServiceSettings); documented in the README.
struct JudgeConfiguration: Sendable {
    var redis: RedisConfiguration
    /// `host:port[,…]` of Problems (problems, templates, test data) and Submissions (results).
    var problemsAddresses: String
    var submissionsAddresses: String
    /// Jobs judged in parallel by this instance.
    var workers: Int
    /// Matches played in parallel by this instance.
    var matchWorkers: Int
    /// The most players a match may have: each match worker holds this many slots plus the referee's.
    var maxPlayers: Int
    /// A job delivered to a consumer that has not acknowledged it for this long belongs to a dead
    /// judge and is claimed again. Live workers refresh their jobs well within it.
    var claimIdle: Duration
    /// At most one "running test k of n" report per interval and submission (the first always goes).
    var progressInterval: Duration
    /// This instance's consumer name in the group (unique per process).
    var consumerName: String
    /// Test data cache, compile cache and the sandboxes' boxes live under it.
    var workDirectory: String
    var testDataCacheBytes: Int
    var compileCacheBytes: Int
    /// JSON list of languages replacing the built-in five (JudgeCore's LanguageConfiguration).
    var languagesFile: String?
    /// Slots, uids and cgroups (`JUDGE_SANDBOX_*`, read by JudgeCore's SandboxConfiguration).
    var sandbox: SandboxConfiguration

    init(_ environment: Environment, defaultConsumer: String) throws {
        self.redis = try RedisConfiguration.fromEnvironment(environment, variable: "REDIS_URL")
        self.problemsAddresses = try environment.rpcAddresses("PROBLEMS_ADDR", default: "127.0.0.1:7102")
        self.submissionsAddresses = try environment.rpcAddresses("SUBMISSIONS_ADDR", default: "127.0.0.1:7103")
        self.workers = try environment.int("JUDGE_WORKERS", default: 2, range: 1...64)
        self.matchWorkers = try environment.int("JUDGE_MATCH_WORKERS", default: 1, range: 0...64)
        self.maxPlayers = try environment.int("JUDGE_MAX_PLAYERS", default: 4, range: 2...8)
        // Every worker blocks a connection in XREADGROUP while it waits for work: the rest
        // (acknowledgements, keepalives, queue statistics) need connections of their own.
        self.redis.poolSize = max(self.redis.poolSize, self.workers + self.matchWorkers + 2)
        self.claimIdle = .milliseconds(try environment.int("JUDGE_CLAIM_IDLE_MS", default: 60_000, range: 1_000...3_600_000))
        self.progressInterval = .milliseconds(try environment.int("JUDGE_PROGRESS_INTERVAL_MS", default: 100, range: 0...60_000))
        self.consumerName = environment.string("JUDGE_CONSUMER", default: defaultConsumer)
        self.workDirectory = environment.string("JUDGE_WORK_DIR", default: "/var/lib/algosports-judge")
        self.testDataCacheBytes = try environment.int("JUDGE_TESTDATA_CACHE_MB", default: 2048, range: 16...1_048_576) << 20
        self.compileCacheBytes = try environment.int("JUDGE_COMPILE_CACHE_MB", default: 512, range: 16...1_048_576) << 20
        self.languagesFile = environment.string("JUDGE_LANGUAGES_FILE")
        do {
            self.sandbox = try SandboxConfiguration(environment: environment.values)
        } catch {
            throw ConfigurationError(variable: "JUDGE_SANDBOX_*", problem: "\(error)")
        }
        // Two slots per worker by default (an interactive test runs the interactor beside the
        // solution), and one per player plus the referee's per match worker: a match takes all of
        // its slots at once, so this many never wait for each other.
        if environment.string("JUDGE_SANDBOX_SLOTS") == nil {
            self.sandbox.slots = self.workers * 2 + self.matchWorkers * (self.maxPlayers + 1)
        }
        if environment.string("JUDGE_SANDBOX_WORK_ROOT") == nil { self.sandbox.workRoot = self.workDirectory + "/sandbox" }
    }
}
