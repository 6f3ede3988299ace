import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RPC
import ServiceKit

@testable import Edge

/// Builds Edge exactly as EdgeMain does (same buildApplication), wired to the shared test Users
/// service and Redis, and runs it on a real socket (`.live`).
struct EdgeHarness: Sendable {
    var services: TestServices
    var configuration: EdgeConfiguration

    /// - Parameter environment: EDGE_* settings on top of the test defaults (generous rate limits,
    ///   one allowed CORS origin).
    init(_ environment: [String: String] = [:]) async throws {
        PrometheusMetrics.bootstrap()
        self.services = try await TestServices.shared.value
        var values = [
            "EDGE_PORT": "0",
            "USERS_ADDR": self.services.usersAddress,
            "PROBLEMS_ADDR": self.services.fakes.address,
            "SUBMISSIONS_ADDR": self.services.fakes.address,
            "JUDGE_ADDR": self.services.fakes.address,
            "REDIS_URL": self.services.redisURL,
            "JWT_PUBLIC_KEY": self.services.publicKeyHex,
            "CORS_ALLOWED_ORIGINS": "https://app.algosports.test",
            "RATE_LIMIT_LOGIN_PER_IP": "1000",
            "RATE_LIMIT_LOGIN_PER_ACCOUNT": "1000",
            "RATE_LIMIT_REGISTER_PER_IP": "1000",
            "RATE_LIMIT_SUBMIT_PER_USER": "1000",
        ]
        values.merge(environment) { $1 }
        self.configuration = try EdgeConfiguration(ServiceKit.Environment(values))
        // Every app counts in its own keys: parallel tests share one Redis and one client address.
        self.configuration.rateLimits.keyPrefix = "edge-test:\(IDSource.shared.next128()):"
    }

    /// Runs `body` against a live Edge whose RPC clients and Redis pool are closed afterwards.
    /// - Parameter transport: what Edge calls Users through; by default a new RPC client to USERS_ADDR.
    func run<Value: Sendable>(
        transport: (any RPCTransport)? = nil,
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let logger = TestServices.logger
        let ownClient = transport == nil ? try self.makeClient(self.configuration.usersAddresses) : nil
        let users: any RPCTransport = transport ?? ownClient ?? NoTransport()
        let problems = try self.makeClient(self.configuration.problemsAddresses)
        let submissions = try self.makeClient(self.configuration.submissionsAddresses)
        let judge = try self.makeClient(self.configuration.judgeAddresses)
        let redis = RedisPool(configuration: self.configuration.redis, logger: logger)
        let dependencies = EdgeDependencies(
            users: users, problems: problems, submissions: submissions, judge: judge,
            rateLimitCounter: redis, events: redis, redisPing: { try await redis.ping() }
        )
        let app = try buildApplication(configuration: self.configuration, dependencies: dependencies, logger: logger)
        let result: Result<Value, any Error>
        do {
            result = .success(try await app.test(.live, body))
        } catch {
            result = .failure(error)
        }
        await ownClient?.close()
        for client in [problems, submissions, judge] { await client.close() }
        await redis.close()
        return try result.get()
    }

    func makeClient(_ addresses: String) throws -> RPCClient {
        RPCClient(
            configuration: try RPCClientConfiguration(addresses: addresses, authenticator: PeerAuthenticator(secret: TestServices.rpcSecret)),
            logger: TestServices.logger
        )
    }

    /// An access token for a made-up account (routes that never ask Users about the caller).
    func token(_ role: String, id: Int64 = Int64.random(in: 1_000_000...Int64(Int32.max)), username: String = EdgeHarness.uniqueName()) -> (id: Int64, token: String) {
        let now = WallClock.nowSeconds()
        let token = self.services.signer.sign(AccessTokenClaims(userID: id, username: username, role: role, issuedAt: now, expiresAt: now + 600))
        return (id, token)
    }

    /// A username no other test uses.
    static func uniqueName(_ prefix: String = "u") -> String {
        "\(prefix)_\(IDSource.shared.next64().suffix(12))"
    }
}

/// Never used: `run` always has a transport; this only spares a force-unwrap.
struct NoTransport: RPCTransport {
    func call<Request, Response>(_ method: RPCMethod<Request, Response>, _ request: Request, options: RPCCallOptions) async throws -> Response {
        throw RPCError(.unavailable, "no transport")
    }
}
