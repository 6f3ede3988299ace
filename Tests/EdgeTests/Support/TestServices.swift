import Foundation
import Logging
import RPC
import ServiceKit
@testable import Users

/// The real Users service, in this process, against the PostgreSQL and Redis that `make test`
/// starts (DATABASE_URL_USERS, REDIS_URL). Started once and shared by every Edge test.
struct TestServices: Sendable {
    static let rpcSecret = "edge-tests-rpc-secret-0123456789"
    /// The Ed25519 seed Users signs with in these tests; tests sign their own (expired) tokens with it.
    static let jwtSeedHex = "7c1f0e2d3b4a59687766554433221100ffeeddccbbaa99887766554433221100"
    static let adminUsername = "edge_test_admin"
    static let adminPassword = "edge-admin-password-1"

    let usersAddress: String
    let redisURL: String
    let signer: AccessTokenSigner
    /// The Users service behind `usersAddress`; tests that stop Users serve it on their own port.
    let users: UsersAssembly
    /// Held for the life of the process: the server drops connections once it is released.
    let usersServer: RPCServer
    /// In-memory Problems, Submissions and JudgeService (their real services are built elsewhere).
    let fakes: FakeServices

    var publicKeyHex: String { Hex.encode(self.signer.publicKey) }

    static let shared = Task { try await TestServices.start() }

    /// Quiet by default (tests provoke 503s on purpose); EDGE_TEST_LOG_LEVEL=debug shows the access log.
    static var logger: Logger {
        var logger = Logger(label: "edge-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["EDGE_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }

    /// Required variables; missing ones fail the tests (they must never be skipped silently).
    static func environment(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw MissingEnvironment(name: name)
        }
        return value
    }

    static var migrationsDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Users/Migrations").path
    }

    static func usersConfiguration() throws -> UsersConfiguration {
        try UsersConfiguration(Environment([
            "DATABASE_URL": try environment("DATABASE_URL_USERS"),
            "JWT_SIGNING_KEY": jwtSeedHex,
            "ALGOSPORTS_ADMIN_USER": adminUsername,
            "ALGOSPORTS_ADMIN_PASSWORD": adminPassword,
            "ALGOSPORTS_ADMIN_EMAIL": "\(adminUsername)@example.test",
            "MIGRATIONS_DIR": migrationsDirectory,
        ]))
    }

    private static func start() async throws -> TestServices {
        let redisURL = try environment("REDIS_URL")
        let assembly = try UsersAssembly(configuration: try usersConfiguration(), logger: logger, hashParameters: .testing)
        try await runStartup(assembly.startup)
        let server = try await startUsersServer(assembly, port: 0)
        guard let port = server.localAddress?.port else { throw MissingEnvironment(name: "users server port") }
        return TestServices(
            usersAddress: "127.0.0.1:\(port)",
            redisURL: redisURL,
            signer: try AccessTokenSigner(seed: Hex.decode(jwtSeedHex) ?? []),
            users: assembly,
            usersServer: server,
            fakes: try await FakeServices.start()
        )
    }

    /// Runs Users' start-up task (migrations, first admin) until it has finished once.
    static func runStartup(_ startup: StartupTask) async throws {
        let task = Task { try await startup.run() }
        defer { task.cancel() }
        let deadline = ContinuousClock.now + .seconds(60)
        while !startup.isFinished {
            guard ContinuousClock.now < deadline else { throw MissingEnvironment(name: "users start-up did not finish within 60 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// An RPC server hosting Users and its Health method, as ServiceApplication does (port 0 picks a free one).
    static func startUsersServer(_ assembly: UsersAssembly, port: Int) async throws -> RPCServer {
        let health = HealthService(service: "users", version: "test", checks: [("postgres", { try await assembly.pool.ping() })])
        let server = RPCServer(
            configuration: RPCServerConfiguration(host: "127.0.0.1", port: port, authenticator: PeerAuthenticator(secret: rpcSecret)),
            services: [health.serviceDefinition, assembly.handler.serviceDefinition],
            logger: logger
        )
        try await server.start()
        return server
    }

    struct MissingEnvironment: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(name) is not set: run the tests with `make test` (tools/test.sh starts PostgreSQL and Redis)" }
    }
}
