import CPostgres

/// Where and how a service connects to PostgreSQL.
///
/// `url` carries the password: never log it; `description` redacts it.
public struct DatabaseConfiguration: Sendable, CustomStringConvertible {
    /// A libpq connection URI: `postgres://user:password@host:port/database?param=value`.
    public var url: String
    /// Connections (each on its own dedicated thread) opened at most; created on demand.
    public var poolSize: Int = 8
    /// How long opening one connection may take (libpq counts whole seconds, at least 2).
    public var connectTimeout: Duration = .seconds(5)
    /// Server-side limit per statement (`statement_timeout`); nil leaves the server's setting.
    public var statementTimeout: Duration? = .seconds(30)

    public init(url: String) {
        self.url = url
    }

    /// Reads the URL from `variable`, or from the file named by `variable_FILE`, and the pool size
    /// from `variable_POOL_SIZE`.
    ///
    /// Throws `ConfigurationError` naming the variable when it is missing or not a valid URL;
    /// the error never contains the URL itself.
    public static func fromEnvironment(_ env: Environment, variable: String) throws -> DatabaseConfiguration {
        let url = try readStorageURL(env, variable: variable, what: "a PostgreSQL URL")
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw ConfigurationError(variable: variable, problem: "must be a postgres:// or postgresql:// URL")
        }
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            // libpq's message may quote parts of the URL (the password among them): not shown.
            PQfreemem(error)
            throw ConfigurationError(variable: variable, problem: "is not a valid PostgreSQL URL")
        }
        PQconninfoFree(options)
        var configuration = DatabaseConfiguration(url: url)
        configuration.poolSize = try env.int("\(variable)_POOL_SIZE", default: configuration.poolSize, range: 1...256)
        return configuration
    }

    /// The URL with its password replaced by `***`.
    public var redactedURL: String { redactURLPassword(self.url) }

    public var description: String {
        "DatabaseConfiguration(url: \(self.redactedURL), poolSize: \(self.poolSize))"
    }
}
