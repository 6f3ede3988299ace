import RPC
import ServiceKit

/// Edge's own settings (the shared ones are in ServiceSettings); documented in the README.
struct EdgeConfiguration: Sendable {
    var host: String
    var port: Int
    /// `host:port[,host:port…]` of the Users service.
    var usersAddresses: String
    /// The same for Problems, Submissions and JudgeService.
    var problemsAddresses: String
    var submissionsAddresses: String
    var judgeAddresses: String
    var redis: RedisConfiguration
    /// Ed25519 public key that checks access tokens (Users signs them).
    var jwtPublicKey: [UInt8]
    /// Origins allowed to call from a browser; `*` allows any.
    var corsAllowedOrigins: [String]
    var trustedProxies: TrustedProxies
    var rateLimits: RateLimits
    /// Largest request body accepted, in bytes.
    var maxBodyBytes: Int
    /// Largest test data upload (`PUT /api/v1/problems/{slug}/tests`), which alone may exceed maxBodyBytes.
    var maxTestDataBytes: Int
    /// How often an idle event stream (SSE) gets a comment, so that proxies keep it open and a gone
    /// client is noticed; the submission is re-read then too, in case an event was lost.
    var eventHeartbeat: Duration
    /// How long Edge waits for a service before answering 504.
    var upstreamTimeout: Duration
    /// Reported by /readyz (ServiceSettings' ALGOSPORTS_VERSION).
    var version = "dev"

    struct RateLimits: Sendable {
        var loginPerIP: Int
        var loginPerAccount: Int
        var registrationPerIP: Int
        var submissionsPerUser: Int
        var window: Duration
        /// Redis key prefix; tests give every app its own so that their counters never meet.
        var keyPrefix = "edge:ratelimit:"
    }

    init(_ environment: Environment) throws {
        self.host = environment.string("EDGE_HOST", default: "127.0.0.1")
        self.port = try environment.port("EDGE_PORT", default: 8080)
        self.usersAddresses = try environment.rpcAddresses("USERS_ADDR", default: "127.0.0.1:7101")
        self.problemsAddresses = try environment.rpcAddresses("PROBLEMS_ADDR", default: "127.0.0.1:7102")
        self.submissionsAddresses = try environment.rpcAddresses("SUBMISSIONS_ADDR", default: "127.0.0.1:7103")
        self.judgeAddresses = try environment.rpcAddresses("JUDGE_ADDR", default: "127.0.0.1:7104")
        self.redis = try RedisConfiguration.fromEnvironment(environment, variable: "REDIS_URL")
        let keyText = try environment.secret("JWT_PUBLIC_KEY", minimumLength: 64)
        guard let key = Hex.decode(keyText), key.count == 32 else {
            throw ConfigurationError(variable: "JWT_PUBLIC_KEY", problem: "must be 64 hex digits (`Users print-public-key` prints it)")
        }
        self.jwtPublicKey = key
        self.corsAllowedOrigins = Self.list(environment.string("CORS_ALLOWED_ORIGINS", default: ""))
        self.trustedProxies = try TrustedProxies(parsing: environment.string("TRUSTED_PROXIES", default: ""))
        self.rateLimits = RateLimits(
            loginPerIP: try environment.int("RATE_LIMIT_LOGIN_PER_IP", default: 10, range: 0...1_000_000),
            loginPerAccount: try environment.int("RATE_LIMIT_LOGIN_PER_ACCOUNT", default: 5, range: 0...1_000_000),
            registrationPerIP: try environment.int("RATE_LIMIT_REGISTER_PER_IP", default: 5, range: 0...1_000_000),
            submissionsPerUser: try environment.int("RATE_LIMIT_SUBMIT_PER_USER", default: 30, range: 0...1_000_000),
            window: .seconds(try environment.int("RATE_LIMIT_WINDOW_SECONDS", default: 60, range: 1...86_400))
        )
        self.maxBodyBytes = try environment.int("MAX_BODY_BYTES", default: 64 << 10, range: 1...(16 << 20))
        self.maxTestDataBytes = try environment.int("MAX_TEST_DATA_BYTES", default: 64 << 20, range: 1...(1 << 30))
        self.eventHeartbeat = .milliseconds(try environment.int("SSE_HEARTBEAT_MS", default: 15_000, range: 10...300_000))
        self.upstreamTimeout = .milliseconds(try environment.int("UPSTREAM_TIMEOUT_MS", default: 10_000, range: 1...300_000))
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }.filter { !$0.isEmpty }
    }
}
