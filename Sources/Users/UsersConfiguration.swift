import ServiceKit

/// Users' own settings (the shared ones are in ServiceSettings); documented in the README.
struct UsersConfiguration: Sendable, CustomStringConvertible {
    var database: DatabaseConfiguration
    var signingSeed: [UInt8]
    var accessTokenLifetime: Int64
    var refreshTokenLifetime: Int64
    var hashThreads: Int
    var migrationsDirectory: String?
    var firstAdmin: FirstAdmin?

    struct FirstAdmin: Sendable {
        var username: String
        var password: String
        var email: String
    }

    /// Secrets (the signing key, the admin password) never appear here.
    var description: String {
        "UsersConfiguration(database: \(self.database), accessTokenLifetime: \(self.accessTokenLifetime), "
            + "refreshTokenLifetime: \(self.refreshTokenLifetime), firstAdmin: \(self.firstAdmin?.username ?? "none"))"
    }

    init(_ environment: Environment) throws {
        self.database = try DatabaseConfiguration.fromEnvironment(environment, variable: "DATABASE_URL")
        self.signingSeed = try Self.signingSeed(environment)
        self.accessTokenLifetime = Int64(try environment.int("ACCESS_TOKEN_TTL_SECONDS", default: 900, range: 10...86_400))
        self.refreshTokenLifetime = Int64(try environment.int("REFRESH_TOKEN_TTL_SECONDS", default: 30 * 86_400, range: 60...(365 * 86_400)))
        self.hashThreads = try environment.int("PASSWORD_HASH_THREADS", default: 2, range: 1...64)
        self.migrationsDirectory = environment.string("MIGRATIONS_DIR")
        if let username = environment.string("ALGOSPORTS_ADMIN_USER") {
            let password = try environment.secret("ALGOSPORTS_ADMIN_PASSWORD", minimumLength: 8)
            let normalized = AccountValidation.normalizedUsername(username)
            if let violation = AccountValidation.username(normalized) {
                throw ConfigurationError(variable: "ALGOSPORTS_ADMIN_USER", problem: violation.description)
            }
            if let violation = AccountValidation.password(password, username: normalized) {
                throw ConfigurationError(variable: "ALGOSPORTS_ADMIN_PASSWORD", problem: violation.description)
            }
            self.firstAdmin = FirstAdmin(
                username: normalized, password: password,
                email: environment.string("ALGOSPORTS_ADMIN_EMAIL", default: "\(normalized)@algosports.local")
            )
        }
    }
}
