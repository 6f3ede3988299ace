import AlgoProto
import Logging
import RPC
import ServiceKit
import ServiceLifecycle

/// What Edge talks to. Production wires the RPC client and the Redis pool; tests wire the same
/// kinds of objects to their own servers.
struct EdgeDependencies: Sendable {
    var users: any RPCTransport
    var rateLimitCounter: any RateLimitCounter
    /// Dependency checks behind /readyz (public and admin ports) and the RPC Health method.
    var healthChecks: [(name: String, check: HealthService.Check)]

    init(users: any RPCTransport, rateLimitCounter: any RateLimitCounter, redisPing: @escaping HealthService.Check) {
        self.users = users
        self.rateLimitCounter = rateLimitCounter
        let health = CommonV1.HealthClient(users)
        self.healthChecks = [
            ("users", {
                var request = CommonV1.HealthCheckRequest()
                request.checkDependencies = true
                let response = try await health.check(request, options: RPCCallOptions(timeout: .milliseconds(1500)))
                guard response.status == .serving else { throw NotServing(status: response.status) }
                return "\(response.service) \(response.version)"
            }),
            ("redis", redisPing),
        ]
    }

    /// The production wiring: a pooled RPC client to Users and a Redis pool.
    static func connect(configuration: EdgeConfiguration, settings: ServiceSettings, logger: Logger) throws -> (EdgeDependencies, background: [any Service]) {
        let users = RPCClient(
            configuration: try RPCClientConfiguration(addresses: configuration.usersAddresses, authenticator: settings.authenticator),
            logger: logger
        )
        let redis = RedisPool(configuration: configuration.redis, logger: logger)
        let dependencies = EdgeDependencies(users: users, rateLimitCounter: redis, redisPing: { try await redis.ping() })
        return (dependencies, [redis, users])
    }

    struct NotServing: Error, CustomStringConvertible {
        var status: CommonV1.HealthStatus
        var description: String { "users reports \(status)" }
    }
}
