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
            "REDIS_URL": self.services.redisURL,
            "JWT_PUBLIC_KEY": self.services.publicKeyHex,
            "CORS_ALLOWED_ORIGINS": "https://app.algosports.test",
            "RATE_LIMIT_LOGIN_PER_IP": "1000",
            "RATE_LIMIT_LOGIN_PER_ACCOUNT": "1000",
            "RATE_LIMIT_REGISTER_PER_IP": "1000",
        ]
        values.merge(environment) { $1 }
        self.configuration = try EdgeConfiguration(ServiceKit.Environment(values))
        // Every app counts in its own keys: parallel tests share one Redis and one client address.
        self.configuration.rateLimits.keyPrefix = "edge-test:\(IDSource.shared.next128()):"
    }

    /// Runs `body` against a live Edge whose Users client and Redis pool are closed afterwards.
    /// - Parameter transport: what Edge calls Users through; by default a new RPC client to USERS_ADDR.
    func run<Value: Sendable>(
        transport: (any RPCTransport)? = nil,
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let logger = TestServices.logger
        let ownClient = transport == nil ? try self.makeUsersClient() : nil
        let users: any RPCTransport = transport ?? ownClient ?? NoTransport()
        let redis = RedisPool(configuration: self.configuration.redis, logger: logger)
        let dependencies = EdgeDependencies(users: users, rateLimitCounter: redis, redisPing: { try await redis.ping() })
        let app = try buildApplication(configuration: self.configuration, dependencies: dependencies, logger: logger)
        do {
            let value = try await app.test(.live, body)
            await ownClient?.close()
            await redis.close()
            return value
        } catch {
            await ownClient?.close()
            await redis.close()
            throw error
        }
    }

    func makeUsersClient() throws -> RPCClient {
        RPCClient(
            configuration: try RPCClientConfiguration(
                addresses: self.configuration.usersAddresses, authenticator: PeerAuthenticator(secret: TestServices.rpcSecret)
            ),
            logger: TestServices.logger
        )
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
