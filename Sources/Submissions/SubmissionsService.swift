import AlgoProto
import Foundation
import Logging
import Ratings
import RPC
import ServiceKit

/// The Submissions service process.
@main
struct SubmissionsService {
    static func main() async throws {
        let (settings, logger) = ServiceBootstrap.start(name: "submissions", defaultRPCPort: 7103)
        let configuration = ServiceBootstrap.require(name: "submissions") { try SubmissionsConfiguration(.process) }
        let problems = ServiceBootstrap.require(name: "submissions") {
            RPCClient(configuration: try RPCClientConfiguration(addresses: configuration.problemsAddresses, authenticator: settings.authenticator), logger: logger)
        }
        let service = SubmissionsAssembly(configuration: configuration, problems: problems, logger: logger)
        let app = ServiceApplication(
            settings: settings,
            logger: logger,
            services: [service.handler.serviceDefinition, service.matches.serviceDefinition],
            healthChecks: [
                ("postgres", { try await service.pool.ping() }),
                ("redis", { try await service.redis.ping() }),
                service.startup.healthCheck,
            ],
            background: [service.pool, service.redis, problems, service.startup, service.sweeper, service.scheduler]
        )
        do {
            try await app.run()
        } catch {
            ServiceBootstrap.exit(name: "submissions", error)
        }
    }
}

/// Everything the Submissions service is made of, built from its configuration (tests build it too).
struct SubmissionsAssembly: Sendable {
    let pool: PostgresPool
    let redis: RedisPool
    let handler: SubmissionsHandler
    let matches: MatchesHandler
    let sweeper: Sweeper
    let scheduler: RankedScheduler
    let startup: StartupTask
    /// Applies migrations (what `startup` runs, retried).
    let prepare: @Sendable () async throws -> Void

    init(configuration: SubmissionsConfiguration, problems: any RPCTransport, logger: Logger) {
        let pool = PostgresPool(configuration: configuration.database, logger: logger)
        let redis = RedisPool(configuration: configuration.redis, logger: logger)
        let jobs = JobStore(pool: pool)
        let queue = JudgeQueue(redis: redis, stream: configuration.jobStream, group: configuration.jobGroup)
        let dispatcher = JobDispatcher(jobs: jobs, queue: queue)
        let events = EventPublisher(
            redis: redis, prefix: configuration.eventPrefix, matchPrefix: configuration.matchEventPrefix, ttl: configuration.eventTTL, logger: logger
        )
        self.pool = pool
        self.redis = redis
        self.handler = SubmissionsHandler(
            submissions: SubmissionStore(pool: pool), jobs: jobs, dispatcher: dispatcher, events: events,
            problems: ProblemDirectory(client: ProblemsV1.ProblemsClient(problems)), seMaxAttempts: configuration.seMaxAttempts
        )
        let directory = configuration.migrationsDirectory ?? Bundle.module.path(forResource: "Migrations", ofType: nil) ?? "Migrations"
        let prepare: @Sendable () async throws -> Void = {
            try await Migrations.apply(try Migrations.load(directory: directory), schema: "submissions", pool: pool, logger: logger)
        }
        self.prepare = prepare
        let startup = StartupTask(
            name: "migrations",
            logger: logger,
            isFatal: { error in (error as? PostgresError)?.kind != .connectionFailure },
            work: prepare
        )
        self.startup = startup
        let model = PlackettLuce()
        let matchStore = MatchStore(pool: pool, model: model, maxAttempts: configuration.matchMaxAttempts)
        let matchQueue = JudgeQueue(redis: redis, stream: configuration.matchStream, group: configuration.jobGroup)
        let matchDispatcher = MatchDispatcher(matches: matchStore, queue: matchQueue, events: events)
        let games = GameDirectory(client: ProblemsV1.GamesClient(problems))
        let leaderboard = Leaderboard(redis: redis, pool: pool, prefix: configuration.leaderboardPrefix, logger: logger)
        let bell = SchedulerBell()
        self.matches = MatchesHandler(
            bots: BotStore(pool: pool, model: model, placementMatches: configuration.placementMatches), matches: matchStore,
            dispatcher: matchDispatcher, events: events, leaderboard: leaderboard, games: games, bell: bell,
            maxOpenChallenges: configuration.maxOpenChallenges
        )
        self.scheduler = RankedScheduler(
            matches: matchStore, dispatcher: matchDispatcher, queue: matchQueue, games: games, leaderboard: leaderboard,
            configuration: configuration.scheduler, logger: logger, isReady: { startup.isFinished }, bell: bell
        )
        self.sweeper = Sweeper(
            jobs: jobs, queue: queue, dispatcher: dispatcher, events: events, configuration: configuration.sweeper,
            logger: logger, isReady: { startup.isFinished }
        )
    }
}
