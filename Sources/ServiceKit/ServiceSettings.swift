import Logging
import RPC

/// Settings every service shares, read from the environment (documented in the README).
public struct ServiceSettings: Sendable {
    public var name: String
    public var rpcHost: String
    public var rpcPort: Int
    /// Shared secret that authenticates services to each other (RPC handshake).
    public var rpcSecret: String
    /// The admin HTTP port: /healthz, /readyz, /metrics.
    public var adminHost: String
    public var adminPort: Int
    public var logLevel: Logger.Level
    public var logFormat: String
    public var version: String

    /// Admin ports default to the RPC port + 2000 (Users 7101 → 9101).
    public static func load(name: String, defaultRPCPort: Int, environment: Environment = .process) throws -> ServiceSettings {
        let level = try environment.choice(
            "LOG_LEVEL", default: "info", allowed: Logger.Level.allCases.map(\.rawValue)
        )
        return ServiceSettings(
            name: name,
            rpcHost: environment.string("RPC_HOST", default: "127.0.0.1"),
            rpcPort: try environment.port("RPC_PORT", default: defaultRPCPort),
            rpcSecret: try environment.secret("RPC_SECRET"),
            adminHost: environment.string("ADMIN_HOST", default: "127.0.0.1"),
            adminPort: try environment.port("ADMIN_PORT", default: defaultRPCPort + 2000),
            logLevel: Logger.Level(rawValue: level)!,
            logFormat: try environment.choice("LOG_FORMAT", default: "json", allowed: ["json", "text"]),
            version: environment.string("ALGOSPORTS_VERSION", default: "dev")
        )
    }

    public var authenticator: PeerAuthenticator { PeerAuthenticator(secret: self.rpcSecret) }
}
