import RPC
import ServiceKit

/// Submissions' own settings (the shared ones are in ServiceSettings); documented in the README.
struct SubmissionsConfiguration: Sendable, CustomStringConvertible {
    var database: DatabaseConfiguration
    var redis: RedisConfiguration
    /// `host:port[,…]` of the Problems service.
    var problemsAddresses: String
    var migrationsDirectory: String?
    var sweeper: SweeperConfiguration
    /// Judging attempts a submission gets when the judge reports system errors (SE) before it
    /// ends as SE.
    var seMaxAttempts: Int32
    /// How long `submission-events:{id}:last` outlives the last change.
    var eventTTL: Duration
    /// Redis names; tests give each run its own so that parallel runs never meet.
    var jobStream = JudgeJobQueue.stream
    var jobGroup = JudgeJobQueue.group
    var eventPrefix = SubmissionEventChannel.prefix
    var matchStream = MatchJobQueue.stream
    var matchEventPrefix = MatchEventChannel.prefix
    var leaderboardPrefix = Leaderboard.defaultPrefix
    var scheduler: SchedulerConfiguration
    /// Placement matches every new bot in a ranking room plays before it is paired by rating.
    var placementMatches: Int32
    /// Attempts a match gets when its referee fails, before it ends FAILED (never rated).
    var matchMaxAttempts: Int32
    /// Challenges one user may have waiting or running at once.
    var maxOpenChallenges: Int

    var description: String {
        "SubmissionsConfiguration(database: \(self.database), redis: \(self.redis), problems: \(self.problemsAddresses), "
            + "sweeper: \(self.sweeper), seMaxAttempts: \(self.seMaxAttempts), scheduler: \(self.scheduler), "
            + "placementMatches: \(self.placementMatches), matchMaxAttempts: \(self.matchMaxAttempts))"
    }

    init(_ environment: Environment) throws {
        self.database = try DatabaseConfiguration.fromEnvironment(environment, variable: "DATABASE_URL")
        self.redis = try RedisConfiguration.fromEnvironment(environment, variable: "REDIS_URL")
        self.problemsAddresses = environment.string("PROBLEMS_ADDR", default: "127.0.0.1:7102")
        do {
            _ = try RPCClientConfiguration(addresses: self.problemsAddresses, authenticator: PeerAuthenticator(secret: "validation only"))
        } catch let error as RPCError {
            throw ConfigurationError(variable: "PROBLEMS_ADDR", problem: error.message)
        }
        self.migrationsDirectory = environment.string("MIGRATIONS_DIR")
        self.sweeper = SweeperConfiguration(
            interval: .milliseconds(try environment.int("SWEEP_INTERVAL_MS", default: 5_000, range: 10...3_600_000)),
            staleAfter: .milliseconds(try environment.int("SWEEP_STALE_MS", default: 60_000, range: 0...86_400_000))
        )
        self.seMaxAttempts = Int32(try environment.int("SE_MAX_ATTEMPTS", default: 3, range: 1...20))
        self.scheduler = SchedulerConfiguration(
            interval: .milliseconds(try environment.int("RANKED_INTERVAL_MS", default: 2_000, range: 10...3_600_000)),
            matchesPerRoom: try environment.int("RANKED_MATCHES_PER_ROOM", default: 4, range: 0...1_000),
            staleAfter: .milliseconds(try environment.int("MATCH_STALE_MS", default: 120_000, range: 0...86_400_000))
        )
        self.placementMatches = Int32(try environment.int("RANKED_PLACEMENT_MATCHES", default: 5, range: 0...100))
        self.matchMaxAttempts = Int32(try environment.int("MATCH_MAX_ATTEMPTS", default: 3, range: 1...20))
        self.maxOpenChallenges = try environment.int("MAX_OPEN_CHALLENGES", default: 5, range: 1...1_000)
        self.eventTTL = .seconds(try environment.int("EVENT_TTL_SECONDS", default: 3_600, range: 1...(7 * 86_400)))
    }
}

/// When the sweeper runs and what it considers lost.
struct SweeperConfiguration: Sendable, CustomStringConvertible {
    var interval: Duration
    /// A job with no sign of life (enqueue, progress) for this long, and not held by the stream,
    /// is judged again under a new job id.
    var staleAfter: Duration
    /// A job whose XADD failed (Redis down) is retried after this long; long enough that the
    /// create call's own XADD has finished or timed out, so both never add it.
    var enqueueRetryAfter: Duration = .seconds(10)
    /// Jobs handled per pass at most; the next pass takes the rest.
    var batchSize = 500

    var description: String { "(interval: \(self.interval), staleAfter: \(self.staleAfter))" }
}
