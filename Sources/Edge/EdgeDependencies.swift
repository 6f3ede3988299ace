import AlgoProto
import Logging
import RPC
import ServiceKit
import ServiceLifecycle

/// What Edge talks to. Production wires the RPC clients and the Redis pool; tests wire the same
/// kinds of objects to their own servers.
struct EdgeDependencies: Sendable {
    var users: any RPCTransport
    var problems: any RPCTransport
    var submissions: any RPCTransport
    var judge: any RPCTransport
    var rateLimitCounter: any RateLimitCounter
    /// Live submission and match events (Redis pub/sub).
    var events: any EventSource
    /// Dependency checks behind /readyz (public and admin ports) and the RPC Health method.
    var healthChecks: [(name: String, check: HealthService.Check)]

    init(
        users: any RPCTransport,
        problems: any RPCTransport,
        submissions: any RPCTransport,
        judge: any RPCTransport,
        rateLimitCounter: any RateLimitCounter,
        events: any EventSource,
        redisPing: @escaping HealthService.Check
    ) {
        self.users = users
        self.problems = problems
        self.submissions = submissions
        self.judge = judge
        self.rateLimitCounter = rateLimitCounter
        self.events = events
        self.healthChecks = [
            ("users", Self.healthCheck(users, "users")),
            ("problems", Self.healthCheck(problems, "problems")),
            ("submissions", Self.healthCheck(submissions, "submissions")),
            ("judge", Self.healthCheck(judge, "judge")),
            ("redis", redisPing),
        ]
    }

    /// The service's own Health method, dependencies included: a service that cannot reach its
    /// database cannot answer Edge either.
    static func healthCheck(_ transport: any RPCTransport, _ name: String) -> HealthService.Check {
        let health = CommonV1.HealthClient(transport)
        return {
            var request = CommonV1.HealthCheckRequest()
            request.checkDependencies = true
            let response = try await health.check(request, options: RPCCallOptions(timeout: .milliseconds(1500)))
            guard response.status == .serving else { throw NotServing(service: name, status: response.status) }
            return "\(response.service) \(response.version)"
        }
    }

    /// The production wiring: pooled RPC clients to every service and a Redis pool.
    static func connect(configuration: EdgeConfiguration, settings: ServiceSettings, logger: Logger) throws -> (EdgeDependencies, background: [any Service]) {
        func client(_ addresses: String) throws -> RPCClient {
            RPCClient(configuration: try RPCClientConfiguration(addresses: addresses, authenticator: settings.authenticator), logger: logger)
        }
        let users = try client(configuration.usersAddresses)
        let problems = try client(configuration.problemsAddresses)
        let submissions = try client(configuration.submissionsAddresses)
        let judge = try client(configuration.judgeAddresses)
        let redis = RedisPool(configuration: configuration.redis, logger: logger)
        let dependencies = EdgeDependencies(
            users: users, problems: problems, submissions: submissions, judge: judge,
            rateLimitCounter: redis, events: redis, redisPing: { try await redis.ping() }
        )
        return (dependencies, [redis, users, problems, submissions, judge])
    }

    struct NotServing: Error, CustomStringConvertible {
        var service: String
        var status: CommonV1.HealthStatus
        var description: String { "\(service) reports \(status)" }
    }
}
