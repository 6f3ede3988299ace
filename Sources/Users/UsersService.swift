import Foundation
import Logging
import ServiceKit

/// The Users service process: `Users` serves; `Users print-public-key` prints the access-token
/// public key Edge needs (from JWT_SIGNING_KEY).
@main
struct UsersService {
    static func main() async throws {
        if CommandLine.arguments.dropFirst().first == "print-public-key" {
            let seed = ServiceBootstrap.require(name: "users") { try UsersConfiguration.signingSeed(.process) }
            print(Hex.encode(try AccessTokenSigner(seed: seed).publicKey))
            return
        }
        let (settings, logger) = ServiceBootstrap.start(name: "users", defaultRPCPort: 7101)
        let configuration = ServiceBootstrap.require(name: "users") { try UsersConfiguration(.process) }
        let service = try UsersAssembly(configuration: configuration, logger: logger)
        let app = ServiceApplication(
            settings: settings,
            logger: logger,
            services: [service.handler.serviceDefinition],
            healthChecks: [("postgres", { try await service.pool.ping() }), service.startup.healthCheck],
            background: [service.pool, service.startup]
        )
        do {
            try await app.run()
        } catch {
            ServiceBootstrap.exit(name: "users", error)
        }
    }
}

/// Everything the Users service is made of, built from its configuration (tests build it too).
struct UsersAssembly: Sendable {
    let pool: PostgresPool
    let handler: UsersHandler
    let startup: StartupTask
    /// Applies migrations and ensures the first admin (what `startup` runs, retried).
    let prepare: @Sendable () async throws -> Void

    init(configuration: UsersConfiguration, logger: Logger, hashParameters: PasswordHasher.Parameters = .owasp) throws {
        let pool = PostgresPool(configuration: configuration.database, logger: logger)
        let hasher = PasswordHasher(parameters: hashParameters, threads: configuration.hashThreads)
        let accounts = AccountStore(pool: pool)
        self.pool = pool
        self.handler = UsersHandler(
            accounts: accounts,
            refreshTokens: RefreshTokenStore(pool: pool, lifetimeMilliseconds: configuration.refreshTokenLifetime * 1000),
            hasher: hasher,
            signer: try AccessTokenSigner(seed: configuration.signingSeed),
            accessTokenLifetime: configuration.accessTokenLifetime
        )
        let directory = configuration.migrationsDirectory ?? Bundle.module.path(forResource: "Migrations", ofType: nil) ?? "Migrations"
        let admin = configuration.firstAdmin
        let prepare: @Sendable () async throws -> Void = {
            try await Migrations.apply(try Migrations.load(directory: directory), schema: "users", pool: pool, logger: logger)
            try await admin?.ensure(accounts: accounts, hasher: hasher, logger: logger)
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

extension UsersConfiguration {
    static func signingSeed(_ environment: Environment) throws -> [UInt8] {
        guard let seed = Hex.decode(try environment.secret("JWT_SIGNING_KEY", minimumLength: 64)), seed.count == 32 else {
            throw ConfigurationError(variable: "JWT_SIGNING_KEY", problem: "must be 64 hex digits (a 32-byte Ed25519 seed)")
        }
        return seed
    }
}
