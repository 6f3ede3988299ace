import Foundation
import Logging
import ServiceKit

/// The Problems service process.
@main
struct ProblemsService {
    static func main() async throws {
        let (settings, logger) = ServiceBootstrap.start(name: "problems", defaultRPCPort: 7102)
        let configuration = ServiceBootstrap.require(name: "problems") { try ProblemsConfiguration(.process) }
        let service = ProblemsAssembly(configuration: configuration, logger: logger)
        let app = ServiceApplication(
            settings: settings,
            logger: logger,
            services: [service.handler.serviceDefinition, service.games.serviceDefinition],
            healthChecks: [("postgres", { try await service.pool.ping() }), service.startup.healthCheck],
            background: [service.pool, service.startup],
            maximumFrameLength: configuration.limits.rpcFrameLength
        )
        do {
            try await app.run()
        } catch {
            ServiceBootstrap.exit(name: "problems", error)
        }
    }
}

/// Everything the Problems service is made of, built from its configuration (tests build it too).
struct ProblemsAssembly: Sendable {
    let pool: PostgresPool
    let handler: ProblemsHandler
    let games: GamesHandler
    let startup: StartupTask
    /// Applies migrations and, when configured, seeds the demo problems (what `startup` runs, retried).
    let prepare: @Sendable () async throws -> Void

    init(configuration: ProblemsConfiguration, logger: Logger) {
        let pool = PostgresPool(configuration: configuration.database, logger: logger)
        let handler = ProblemsHandler(problems: ProblemStore(pool: pool), testData: TestDataStore(pool: pool), limits: configuration.limits)
        self.pool = pool
        self.handler = handler
        self.games = GamesHandler(games: GameStore(pool: pool))
        let directory = configuration.migrationsDirectory ?? Bundle.module.path(forResource: "Migrations", ofType: nil) ?? "Migrations"
        let seedDemo = configuration.seedDemo
        let prepare: @Sendable () async throws -> Void = {
            try await Migrations.apply(try Migrations.load(directory: directory), schema: "problems", pool: pool, logger: logger)
            if seedDemo { try await DemoProblems.seed(handler, logger: logger) }
        }
        self.prepare = prepare
        self.startup = StartupTask(
            name: "migrations",
            logger: logger,
            isFatal: { error in (error as? PostgresError)?.kind != .connectionFailure },
            work: prepare
        )
    }
}
